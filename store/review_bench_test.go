package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nianbao/nianbao/store"
)

// BenchmarkReview builds the review queue of n and 2n generated reports:
// the whole queue costs the same per report at both sizes (linear), one
// region's costs what the region holds.
func BenchmarkReview(b *testing.B) {
	for _, n := range []int{1000, 2000} {
		path, agencies := scaleDB(b, n)
		db, err := store.OpenReadOnly(path)
		if err != nil {
			b.Fatal(err)
		}
		region := fmt.Sprintf("99%04d", agencies/2/50)
		for _, c := range []struct {
			name string
			f    store.ReviewFilter
		}{{"all", store.ReviewFilter{Limit: 50}}, {"region", store.ReviewFilter{Region: region, Limit: 50}}} {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				total := 0
				for b.Loop() {
					items, t, err := db.Review(context.Background(), c.f)
					if err != nil || len(items) == 0 {
						b.Fatalf("%v, %d items", err, len(items))
					}
					total = t
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/report")
				b.ReportMetric(float64(total), "queued")
			})
		}
		db.Close()
	}
}
