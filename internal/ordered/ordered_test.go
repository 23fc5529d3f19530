package ordered

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"
)

func TestMapKeepsOrder(t *testing.T) {
	for _, jobs := range []int{1, 2, 7} {
		var got []int
		Map(context.Background(), 200, jobs, func(i int) int {
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			return i * i
		}, func(i, r int) {
			if r != i*i {
				t.Fatalf("result %d for %d", r, i)
			}
			got = append(got, i)
		})
		for i, v := range got {
			if v != i {
				t.Fatalf("jobs %d: emitted %v out of order", jobs, got[:i+1])
			}
		}
		if len(got) != 200 {
			t.Fatalf("jobs %d: %d results", jobs, len(got))
		}
	}
}

func TestMapStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	Map(ctx, 1000, 2, func(i int) int { return i }, func(i, r int) {
		if n++; n == 10 {
			cancel()
		}
	})
	if n >= 1000 {
		t.Errorf("ran all %d after cancel", n)
	}
}
