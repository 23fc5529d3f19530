package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// copies writes k distinct copies of every corpus (or fixture) document —
// a trailing comment makes each copy's bytes unique — and returns them in
// name order.
func copies(t testing.TB, k int) []string {
	t.Helper()
	src, _ := filepath.Glob("../../shared/corpus/raw/*")
	if len(src) == 0 {
		for _, p := range []string{fixtures.Path("10[1-6]-*.html"), fixtures.Path("10[1-6]-*.txt"), fixtures.Path("10[1-6]-*.md")} {
			m, _ := filepath.Glob(p)
			src = append(src, m...)
		}
	}
	dir := t.TempDir()
	var out []string
	for i := range k {
		for _, f := range src {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tag := fmt.Sprintf("\n%% copy %d\n", i)
			if strings.HasSuffix(f, ".html") {
				tag = fmt.Sprintf("\n<!-- copy %d -->\n", i)
			}
			p := filepath.Join(dir, fmt.Sprintf("%03d-%s", i, filepath.Base(f)))
			if err := os.WriteFile(p, append(data, tag...), 0o644); err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func ingestAll(t testing.TB, files []string, jobs int) (*store.DB, ingest.Summary) {
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	var sum ingest.Summary
	(&ingest.Ingester{DB: db}).FilesParallel(context.Background(), files, jobs, func(r ingest.Result) { sum.Add(r) })
	return db, sum
}

// dump lists what a researcher sees, without ids or times.
func dump(t testing.TB, db *store.DB) string {
	rows, err := db.SQL().Query(`SELECT d.path, r.is_current, IFNULL(r.current_by, ''), c.cell_id, IFNULL(c.value, -1), c.raw
		FROM reports r JOIN documents d ON d.id = r.document_id JOIN cells c ON c.report_id = r.id ORDER BY d.path, c.cell_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var path, by, cell, raw string
		var cur int
		var v float64
		rows.Scan(&path, &cur, &by, &cell, &v, &raw)
		fmt.Fprintf(&b, "%s %d %s %s %v %s\n", filepath.Base(path), cur, by, cell, v, raw)
	}
	return b.String()
}

// Several readers, one writer, in order: the database is the same as a
// serial run's.
func TestParallelIngestDeterministic(t *testing.T) {
	files := copies(t, 3)
	serial, s1 := ingestAll(t, files, 1)
	defer serial.Close()
	parallel, s2 := ingestAll(t, files, 4)
	defer parallel.Close()
	if s1 != s2 || s1.Ingested == 0 {
		t.Errorf("summaries differ: %v vs %v", s1, s2)
	}
	if a, b := dump(t, serial), dump(t, parallel); a != b {
		t.Errorf("the parallel ingest stored something else than the serial one (%d vs %d bytes of dump)", len(a), len(b))
	}
}

// BenchmarkIngestJobs ingests the corpus copied NIANBAO_COPIES times (default
// 3; the figure uses 60) with one and with two readers.
func BenchmarkIngestJobs(b *testing.B) {
	k := 3
	if v, err := strconv.Atoi(os.Getenv("NIANBAO_COPIES")); err == nil && v > 0 {
		k = v
	}
	files := copies(b, k)
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				start := time.Now()
				db, _ := ingestAll(b, files, jobs)
				b.ReportMetric(float64(len(files))/time.Since(start).Seconds(), "docs/s")
				db.Close()
			}
		})
	}
}
