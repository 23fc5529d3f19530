package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/internal/buildinfo"
	"github.com/nianbao/nianbao/pipeline"
	"github.com/nianbao/nianbao/store"
)

// One build ingests; another, whose rules differ for some documents,
// re-extracts: exactly the affected reports change, and each report records
// the build that made it.
func TestReextract(t *testing.T) {
	ctx := context.Background()
	db := tempDB(t)
	var files []string
	for _, pat := range []string{fixtures.Path("10[1-6]-*.html"), fixtures.Path("10[1-6]-*.txt"), fixtures.Path("10[1-6]-*.md")} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	defer func(v string) { buildinfo.Version = v }(buildinfo.Version)

	// Build A reads Table 4's review total wrong in the GBK reports (101, 102).
	buildinfo.Version = "build-A"
	old := &ingest.Ingester{DB: db, Process: func(path string, data []byte, opt extract.Options) pipeline.Result {
		res := pipeline.Process(path, data, opt)
		if strings.Contains(path, "gbk") && res.Report != nil {
			v := 999.0
			res.Report.Cells["t4.review.total"] = nianbao.Cell{Value: &v, Raw: "999", Semantic: nianbao.Numeric}
		}
		return res
	}}
	for _, f := range files {
		if r := old.File(ctx, f); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	var currents int
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&currents)
	if n, _ := db.CountStale(ctx, "build-B"); n != currents || currents < 4 {
		t.Fatalf("%d stale reports for build B, want all %d current ones", n, currents)
	}

	buildinfo.Version = "build-B"
	sum, err := (&ingest.Ingester{DB: db}).Reextract(ctx, store.Stale{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != len(files) || sum.Changed != 2 || sum.Cells != 2 || sum.Unchanged != len(files)-2 {
		t.Errorf("%s; want %d documents, 2 changed (1 cell each), the rest unchanged", sum, len(files))
	}
	var current, superseded, stale int
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1 AND extractor = 'build-B'").Scan(&current)
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 0 AND extractor = 'build-A' AND current_by LIKE 're-extracted%'").Scan(&superseded)
	stale, _ = db.CountStale(ctx, "build-B")
	if current != currents || superseded != 2 || stale != 0 {
		t.Errorf("%d current by build B, %d kept old versions, %d stale; want %d, 2, 0", current, superseded, stale, currents)
	}
	var review float64
	db.SQL().QueryRow("SELECT reviews FROM report_summary WHERE source LIKE '%101-gbk%'").Scan(&review)
	if review == 999 {
		t.Error("the corrected value did not become current")
	}
	// Nothing left to do.
	if sum, _ := (&ingest.Ingester{DB: db}).Reextract(ctx, store.Stale{}, nil); sum.Documents != 0 {
		t.Errorf("second run: %s", sum)
	}
}
