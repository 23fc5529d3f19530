package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// generated builds a database of n synthetic reports (agencies of 50
// counties × 40 departments over the years) directly through store.Save.
func generated(b *testing.B, n int) *store.DB {
	b.Helper()
	path := filepath.Join(b.TempDir(), "gen.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	ids := []string{"t3.new_received.total", "t3.carried_over.total", "t3.granted.total", "t3.partially_granted.total", "t3.total.total",
		"t3.carried_forward.total", "t3.unavailable.not_held.total", "t3.refused.third_party.total", "t4.review.total", "t4.review.corrected",
		"t4.suit_direct.total", "t2.art20_5.admin_licensing.decisions"}
	ctx := context.Background()
	for i := range n {
		county, dept, year := i%50, (i/50)%40, 2019+(i/2000)%7
		rep := &nianbao.Report{Agency: fmt.Sprintf("测试%02d县第%02d局", county, dept), Year: year, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		for k, id := range ids {
			v := float64((i*7 + k*13) % 97)
			rep.Cells[id] = nianbao.Cell{Value: &v, Raw: strconv.Itoa(int(v)), Semantic: nianbao.Numeric}
		}
		ident := &store.AgencyIdentity{Key: fmt.Sprintf("99%02d%02d:第%02d局", county/10, county%10, dept), CanonicalName: rep.Agency,
			RegionCode: fmt.Sprintf("99%02d%02d", county/10, county%10), RegionName: fmt.Sprintf("测试省测试%02d县", county), Level: "county", Kind: "department"}
		if _, err := db.Save(ctx, store.Document{SHA256: fmt.Sprintf("g%d", i), Path: "gen", Format: "text", Agency: ident}, rep); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ro.Close() })
	return ro
}

// BenchmarkPages renders each page on a generated database and reports the
// 95th percentile. NIANBAO_BENCH_REPORTS sets its size (default 2,000; the
// issue's figure is for 100,000).
func BenchmarkPages(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("NIANBAO_BENCH_REPORTS")); err == nil && v > 0 {
		n = v
	}
	start := time.Now()
	db := generated(b, n)
	b.Logf("%d reports generated in %v", n, time.Since(start).Round(time.Second))
	var reportID string
	db.SQL().QueryRow("SELECT MAX(report_id) FROM report_summary").Scan(&reportID)
	pages := map[string]string{
		"overview":              "/",
		"search":                "/?q=第07局",
		"compare":               "/compare?region=990107&year=2023",
		"compare_all":           "/compare",
		"compare_sorted_change": "/compare?year=2023&sort=received_change&desc=1&page=3",
		"compare_year":          "/compare?year=2024&page=2",
		"compare_year_sorted":   "/compare?year=2022&sort=refused&page=5",
		"compare_csv":           "/compare.csv?region=990107&year=2023",
		"agency":                "/agency?key=990107:第07局",
		"cell":                  "/cell?report=" + reportID + "&cell=t3.granted.total",
	}
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			var lat []time.Duration
			size := 0
			srv, err := web.New(db) // a server of its own: nothing cached by an earlier page
			if err != nil {
				b.Fatal(err)
			}
			h := srv.Handler()
			for b.Loop() {
				t0 := time.Now()
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", pages[name], nil)
				req.Host = "127.0.0.1:8080"
				h.ServeHTTP(rec, req)
				lat = append(lat, time.Since(t0))
				size = rec.Body.Len()
				if rec.Code != 200 && name != "cell" {
					b.Fatalf("%s: %d", pages[name], rec.Code)
				}
			}
			cold := lat[0] // the first request, before anything was cached
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(cold.Microseconds())/1000, "first-ms")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(size)/1024, "KB")
		})
	}
}
