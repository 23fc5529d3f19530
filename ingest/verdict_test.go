package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// TestTitledPageWithoutTablesOneRule: an article titled as a report whose
// body is only images was kept by ingest as a 0-cell report (exit 0) while
// reextract counted it failed on every run. Now both fail it, with the
// class no_tables, and no report is stored.
func TestTitledPageWithoutTablesOneRule(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := &ingest.Ingester{DB: db}
	page := []byte(`<html><head><title>余姚市梨洲街道办事处2024年政府信息公开工作年度报告</title></head><body><h1>余姚市梨洲街道办事处2024年政府信息公开工作年度报告</h1><p><img src="p1.jpg"><img src="p2.jpg"></p></body></html>`)
	r := in.Bytes(ctx, "https://example.gov.cn/art/2025/1/20/art_1.html", page, extract.Options{})
	if r.Outcome != store.Failed || !errors.Is(r.Err, nianbao.ErrNoTables) {
		t.Fatalf("ingest: outcome %v, error %v; want Failed with ErrNoTables", r.Outcome, r.Err)
	}
	var reports int
	var class string
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports").Scan(&reports)
	db.SQL().QueryRow("SELECT error_class FROM documents").Scan(&class)
	if reports != 0 || class != string(nianbao.ClassNoTables) {
		t.Errorf("%d reports stored, class %q; want none, no_tables", reports, class)
	}
	var failed []error
	sum, err := in.Reextract(ctx, store.Stale{All: true}, func(_ store.StaleDocument, _ store.Reextracted, err error) {
		if err != nil {
			failed = append(failed, err)
		}
	})
	if err != nil || sum.Failed != 1 || sum.New != 0 || len(failed) != 1 || !errors.Is(failed[0], nianbao.ErrNoTables) {
		t.Errorf("reextract: %+v, %v, failures %v; want the same one failure", sum, err, failed)
	}
}
