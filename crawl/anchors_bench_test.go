package crawl

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkAnchors doubles a list page of undated links in one <div> (the
// shape that took > 60 s for 8k links when dates were searched in the
// parent's whole text): time per link must stay flat.
func BenchmarkAnchors(b *testing.B) {
	base, _ := url.Parse("http://x.gov.cn/list.html")
	for _, n := range []int{1563, 6250, 25000, 100000} {
		var s strings.Builder
		s.WriteString("<html><body><div>")
		for i := range n {
			fmt.Fprintf(&s, `<a href="/n/%d.html">关于第%d次检查的通知</a> `, i, i)
		}
		s.WriteString("</div></body></html>")
		page := s.String()
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if got := len(anchors(base, page)); got != n {
					b.Fatalf("%d links, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/link")
		})
	}
}
