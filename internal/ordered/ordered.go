// Package ordered runs work on several goroutines and hands the results
// on in input order, so a parallel run prints and stores exactly what a
// serial one would.
package ordered

import (
	"context"
	"sync"
)

// Map calls work(i) for i in [0, n) on up to jobs goroutines and emit(i, r)
// for each result on the calling goroutine, in order of i. At most 2×jobs
// results wait to be emitted, so memory stays bounded. It stops early when
// ctx is done, after emitting what is ready in order.
func Map[T any](ctx context.Context, n, jobs int, work func(i int) T, emit func(i int, r T)) {
	if jobs < 1 {
		jobs = 1
	}
	if jobs == 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			emit(i, work(i))
		}
		return
	}
	type item struct {
		i int
		r T
	}
	window := make(chan struct{}, 2*jobs) // results in flight
	next := make(chan int)
	done := make(chan item)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done <- item{i, work(i)}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := 0; i < n; i++ {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				<-window
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	pending := map[int]T{}
	want := 0
	for it := range done {
		pending[it.i] = it.r
		for {
			r, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			emit(want, r)
			<-window
			want++
		}
	}
}
