package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
)

func snapshotReport(agency, published string, granted float64) *nianbao.Report {
	return &nianbao.Report{Agency: agency, Year: 2023, Template: nianbao.Template2021, Published: published,
		Cells: map[string]nianbao.Cell{"t3.granted.total": {Value: &granted, Raw: fmt.Sprint(granted), Semantic: nianbao.Numeric}}}
}

// dumpRows prints every row, one line each.
func dumpRows(rows *sql.Rows, b *strings.Builder) error {
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintln(b, vals...)
	}
	return rows.Err()
}

// oneState opens a database with a report per agency, for writing, and
// the same file read-only.
func oneState(t *testing.T, agencies ...string) (rw, ro *DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "n.db")
	rw, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rw.Close() })
	for i, a := range agencies {
		if _, err := rw.Save(context.Background(), Document{SHA256: a, Path: a}, snapshotReport(a, "2024-01-10", float64(i))); err != nil {
			t.Fatal(err)
		}
	}
	if ro, err = OpenReadOnly(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return rw, ro
}

// readAll reads every part of an export in order.
func readAll(t *testing.T, r *ExportReader) string {
	t.Helper()
	var b strings.Builder
	for i := range r.Parts() {
		if err := r.Read(context.Background(), i, func(rows *sql.Rows) error { return dumpRows(rows, &b) }); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// The parts of an export read on several connections are one state of the
// database, even when a save lands between reading them.
func TestExportReaderOneState(t *testing.T) {
	ctx := context.Background()
	rw, ro := oneState(t, "甲局", "乙局", "丙局", "丁局")
	for _, table := range []string{"report_summary", "t3_wide", "cells"} {
		r, err := ro.ReadExport(ctx, table, Filter{}, 1, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.conns) != 3 || r.Parts() < 4 {
			t.Fatalf("%s: %d connections, %d parts", table, len(r.conns), r.Parts())
		}
		rows, _ := ro.Export(ctx, table, Filter{})
		var want strings.Builder
		dumpRows(rows, &want)
		rows.Close()
		// A later-published version of 甲局 (the first part) and a new agency
		// (beyond the last part) arrive while the export is being read.
		if _, err := rw.Save(ctx, Document{SHA256: "甲2-" + table, Path: "甲2"}, snapshotReport("甲局", "2024-03-01", 99)); err != nil {
			t.Fatal(err)
		}
		if _, err := rw.Save(ctx, Document{SHA256: "戊-" + table, Path: "戊"}, snapshotReport("戊局"+table, "2024-01-10", 5)); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, r); got != want.String() {
			t.Errorf("%s: the parts read\n%s\nthe database when the export began\n%s", table, got, want.String())
		}
		r.Close()
	}
}

// A commit between beginning the read transactions and checking them
// makes sameState begin again; endless commits make it settle for one
// connection.
func TestSameStateRetries(t *testing.T) {
	ctx := context.Background()
	rw, ro := oneState(t, "甲局")
	defer func() { testHookSameState = nil }()
	saves := 0
	commitOn := func(upTo int) func(int) {
		return func(attempt int) {
			if attempt <= upTo {
				saves++
				if _, err := rw.Save(ctx, Document{SHA256: fmt.Sprint("s", saves), Path: "s"}, snapshotReport(fmt.Sprint("局", saves), "2024-01-10", 1)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	testHookSameState = commitOn(0)
	r, err := ro.ReadExport(ctx, "report_summary", Filter{}, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.conns) != 2 || !strings.Contains(readAll(t, r), "局1") {
		t.Errorf("after one commit: %d connections; the commit should be in the export", len(r.conns))
	}
	r.Close()
	testHookSameState = commitOn(1 << 30)
	r, err = ro.ReadExport(ctx, "report_summary", Filter{}, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.conns) != 1 {
		t.Errorf("with commits on every attempt: %d connections, want 1", len(r.conns))
	}
	r.Close()
}
