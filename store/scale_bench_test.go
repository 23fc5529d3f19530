package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/pipeline"
	"github.com/nianbao/nianbao/store"
)

// scaleReports is the size of the generated database of BenchmarkQueries:
// NIANBAO_BENCH_REPORTS, default 5,000 (the figures are for 100,000;
// scripts/scale.sh sets it). NIANBAO_BENCH_DB=PATH keeps the database as
// PATH.N and reuses it on the next run.
func scaleReports() int {
	if v, err := strconv.Atoi(os.Getenv("NIANBAO_BENCH_REPORTS")); err == nil && v > 0 {
		return v
	}
	return 5000
}

// scaleDB saves n reports made from real extractions of the fixtures (text,
// HTML, Markdown, PDF and DOCX; both templates; every cell, their checks
// and unmatched labels) under generated
// agencies: counties of 50 departments each, seven years, so one
// region-year comparison returns 50 rows.
func scaleDB(b *testing.B, n int) (path string, agencies int) {
	b.Helper()
	var bases []*nianbao.Report
	for _, f := range []string{fixtures.Path("106-tab-text-2021.txt"), fixtures.Path("104-t19-blanks-2020.html"), fixtures.Path("103-one-cell-per-line-2024.txt"), fixtures.Path("105-wrong-totals-2023.md"),
		fixtures.Path("101-gbk-portal-2022-chrome.pdf"), fixtures.Path("104-t19-blanks-2020-lo.docx")} {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		res := pipeline.Process(f, data, extract.Options{})
		if res.Report == nil || len(res.Report.Cells) < 100 {
			b.Fatalf("%s: no full report to generate from", f)
		}
		bases = append(bases, res.Report)
	}
	agencies = max(50, (n+6)/7)
	path = filepath.Join(b.TempDir(), "scale.db")
	if keep := os.Getenv("NIANBAO_BENCH_DB"); keep != "" {
		// A kept database of this size is reused: generation is most of
		// the time at 100k reports.
		path = fmt.Sprintf("%s.%d", keep, n)
		if _, err := os.Stat(path); err == nil {
			return path, agencies
		}
	}
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i := range n {
		a, year := i%agencies, 2019+min(6, i/agencies)
		county, dept := a/50, a%50
		rep := *bases[i%len(bases)]
		rep.Agency = fmt.Sprintf("测试%04d县第%02d局", county, dept)
		rep.Year = year
		code := fmt.Sprintf("99%04d", county)
		ident := &store.AgencyIdentity{Key: fmt.Sprintf("%s:第%02d局", code, dept), CanonicalName: rep.Agency,
			RegionCode: code, RegionName: fmt.Sprintf("测试省测试%04d县", county), Level: "county", Kind: "department"}
		if _, err := db.Save(ctx, store.Document{SHA256: fmt.Sprintf("scale%d", i), Path: "generated", Format: "text", Agency: ident}, &rep); err != nil {
			b.Fatal(err)
		}
	}
	return path, agencies
}

// BenchmarkQueries runs the researcher's query set of issue 12 on a
// generated database and reports each query's 95th-percentile time, the
// full scans per million rows, and the database bytes per report.
func BenchmarkQueries(b *testing.B) {
	n := scaleReports()
	start := time.Now()
	path, agencies := scaleDB(b, n)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d reports (%d agencies) saved in %v; %.1f KB per report", n, agencies, time.Since(start).Round(time.Second), float64(st.Size())/float64(n)/1024)
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ro.Close()
	db := ro.SQL()
	mid := agencies / 2
	key := fmt.Sprintf("99%04d:第%02d局", mid/50, mid%50)
	name := fmt.Sprintf("测试%04d县第%02d局", mid/50, mid%50)
	region := fmt.Sprintf("99%04d", mid/50)
	queries := []struct {
		name, sql  string
		args       []any
		min, max   int // rows expected
		perMillion bool
	}{
		{"agency_summary", "SELECT * FROM report_summary WHERE agency_key = ?", []any{key}, 1, 7, false},
		{"agency_summary_by_name", "SELECT * FROM report_summary WHERE agency = ?", []any{name}, 1, 7, false},
		{"region_year_summary", "SELECT * FROM report_summary WHERE region_code = ? AND year = 2019", []any{region}, 50, 50, false},
		{"agency_t3_wide", "SELECT * FROM t3_wide WHERE agency_key = ?", []any{key}, 1, 7, false},
		{"region_year_t3_wide", "SELECT * FROM t3_wide WHERE region_code = ? AND year = 2019", []any{region}, 50, 50, false},
		{"full_summary", "SELECT * FROM report_summary", nil, n, n, true},
		{"one_cell_all_reports_wide", "SELECT report_id, t3_granted_total FROM t3_wide", nil, n, n, true},
		{"one_cell_all_reports", "SELECT report_id, value FROM cells WHERE cell_id = 't3.granted.total'", nil, n, n, true},
		// The same cell summed per year in SQLite: the engine's share of the
		// scan, without handing every row to Go.
		{"one_cell_sum_by_year", "SELECT year, COUNT(t3_granted_total), SUM(t3_granted_total) FROM t3_wide GROUP BY year", nil, 1, 10, true},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				rows := scanAll(b, db, q.sql, q.args...)
				lat = append(lat, time.Since(t0))
				if rows < q.min || rows > q.max {
					b.Fatalf("%s: %d rows, want %d–%d", q.sql, rows, q.min, q.max)
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			p95 := lat[len(lat)*95/100]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			if q.perMillion { // full scans: the median, they run only a few times
				b.ReportMetric(lat[len(lat)/2].Seconds()*1e6/float64(n), "s/1M-rows")
			}
		})
	}
	// The export a researcher runs: report_summary as CSV, one part at a
	// time and on every core (nianbao export --jobs).
	for _, jobs := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("export_summary_csv_jobs%d", jobs), func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				parts, err := ro.ReadExport(context.Background(), "report_summary", store.Filter{}, 5000, jobs)
				if err != nil {
					b.Fatal(err)
				}
				rows, err := export.CSVParts(context.Background(), io.Discard, parts.Parts(), jobs, parts.Read, export.Options{})
				parts.Close()
				if err != nil || rows != n {
					b.Fatalf("%d rows (%v), want %d", rows, err, n)
				}
				lat = append(lat, time.Since(t0))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(lat[len(lat)/2].Seconds()*1e6/float64(n), "s/1M-rows")
		})
	}
	b.Run("bytes", func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(float64(st.Size())/float64(n), "B/report")
	})
}

// scanAll reads every column of every row, as an export would.
func scanAll(b *testing.B, db *sql.DB, query string, args ...any) int {
	rows, err := db.Query(query, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}
