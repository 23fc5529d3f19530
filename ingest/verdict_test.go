package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// TestTitledPageWithoutTablesOneRule: an article titled as a report whose
// body is only images was kept by ingest as a 0-cell report (exit 0) while
// reextract counted it failed on every run. Now both fail it, with the
// class no_tables, and no report is stored.
func TestTitledPageWithoutTablesOneRule(t *testing.T) {
	ctx := context.Background()
	db := tempDB(t)
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

// TestBulkProvenance: the cells export carried no page or box; a PDF's
// cells now keep theirs at ingest, and reextract fills them in for reports
// stored before.
func TestBulkProvenance(t *testing.T) {
	ctx := context.Background()
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	if r := in.File(ctx, fixtures.Path("106-tab-text-2021-chrome.pdf")); r.Err != nil {
		t.Fatal(r.Err)
	}
	count := func() (withPage, all int) {
		db.SQL().QueryRow("SELECT COUNT(at_page), COUNT(*) FROM cell_values").Scan(&withPage, &all)
		return
	}
	if p, n := count(); p == 0 || p != n {
		t.Errorf("%d of %d PDF cells have a page", p, n)
	}
	var box string
	db.SQL().QueryRow("SELECT at_box FROM cells WHERE cell_id = 't3.granted.total'").Scan(&box)
	if len(strings.Fields(box)) != 4 {
		t.Errorf("box %q", box)
	}
	rows, err := db.Export(ctx, "cells", store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if !slices.Contains(cols, "page") || !slices.Contains(cols, "box") || !slices.Contains(cols, "block") {
		t.Errorf("cells export columns %v", cols)
	}
	db.SQL().Exec("UPDATE cell_values SET at_page = NULL, at_box = NULL") // as stored by an earlier build
	if _, err := in.Reextract(ctx, store.Stale{All: true}, nil); err != nil {
		t.Fatal(err)
	}
	if p, n := count(); p != n {
		t.Errorf("after reextract %d of %d cells have a page", p, n)
	}
}

// TestPingtanSeriesKeepsItsKey: the corpus' only seven-year real series
// (平潭综合实验区, a zone the division list lacks) had a NULL agency_key,
// so the README's cross-year join on agency_key dropped it. An agency
// printed but not resolved gets a provisional key, marked as such.
func TestPingtanSeriesKeepsItsKey(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpus/raw/0*-pingtan-gwh-*.txt")
	if len(files) == 0 {
		files, _ = filepath.Glob("../../shared/corpus/raw/0*-pingtan-*")
	}
	if len(files) < 7 {
		t.Skipf("the corpus' 平潭 series is not here (%d files)", len(files))
	}
	ctx := context.Background()
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	for _, f := range files {
		if r := in.File(ctx, f); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	var keys, years, provisional, pairs int
	db.SQL().QueryRow("SELECT COUNT(DISTINCT agency_key), COUNT(DISTINCT year), MAX(key_provisional) FROM report_summary WHERE agency LIKE '%平潭%'").Scan(&keys, &years, &provisional)
	// The README's cross-year join, in SQLite.
	db.SQL().QueryRow(`SELECT COUNT(*) FROM report_summary a JOIN report_summary b ON b.agency_key = a.agency_key AND b.year = a.year + 1
		WHERE a.agency LIKE '%平潭%'`).Scan(&pairs)
	if keys != 1 || years != 7 || pairs != 6 {
		t.Errorf("平潭: %d keys over %d years (provisional %d), %d consecutive-year pairs joined on agency_key; want 1, 7, 6", keys, years, provisional, pairs)
	}
}
