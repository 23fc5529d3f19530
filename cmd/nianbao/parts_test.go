package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

// An export read in parts on several connections writes the same bytes as
// one query read in one piece, for every table and with filters.
func TestExportPartsSameBytes(t *testing.T) {
	_, _, db := demoDB(t)
	ctx := context.Background()
	filters := []store.Filter{{}, {Year: 2023}, {Where: "report_id % 2 = 1"}}
	for _, table := range store.ExportTables() {
		for fi, f := range filters {
			rows, err := db.Export(ctx, table, f)
			if err != nil {
				continue // a filter the table has no column for
			}
			var want bytes.Buffer
			n, err := export.CSV(&want, rows, export.Options{})
			rows.Close()
			if err != nil {
				t.Fatal(err)
			}
			parts, err := db.ReadExport(ctx, table, f, 1, 3) // a part per report id, three connections
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			m, err := export.CSVParts(ctx, &got, parts.Parts(), 3, parts.Read, export.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := parts.Close(); err != nil {
				t.Fatal(err)
			}
			if m != n || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s, filter %d: %d parts give %d rows (%d bytes), one query %d rows (%d bytes)", table, fi, parts.Parts(), m, got.Len(), n, want.Len())
			}
			if _, split := map[string]bool{"report_summary": true, "cells": true}[table]; split && fi == 0 && (parts.Parts() < 3 || n < 5) {
				t.Errorf("%s: %d parts for %d rows: the test splits nothing", table, parts.Parts(), n)
			}
		}
	}
}

// Parquet files written from parts read in parallel are byte for byte the
// files written from one query.
func TestParquetPartsSameFiles(t *testing.T) {
	dir, _, db := demoDB(t)
	ctx := context.Background()
	for _, table := range []string{"cells", "report_summary", "t3_wide", "checks", "cell_dictionary"} {
		types, err := db.ExportTypes(ctx, table, store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Export(ctx, table, store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		one := filepath.Join(dir, "one", table)
		n, files, err := export.Parquet(one, rows, types, "year")
		rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts, err := db.ReadExport(ctx, table, store.Filter{}, 1, 3)
		if err != nil {
			t.Fatal(err)
		}
		many := filepath.Join(dir, "many", table)
		m, pfiles, err := export.ParquetParts(ctx, many, parts.Parts(), 3, parts.Read, types, "year")
		parts.Close()
		if err != nil {
			t.Fatal(err)
		}
		if m != n || len(pfiles) != len(files) {
			t.Fatalf("%s: %d rows in %d files from parts, %d rows in %d files from one query", table, m, len(pfiles), n, len(files))
		}
		for _, f := range files {
			rel, _ := filepath.Rel(one, f)
			a, _ := os.ReadFile(f)
			b, err := os.ReadFile(filepath.Join(many, rel))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s: %s differs (%d vs %d bytes, %v)", table, rel, len(a), len(b), err)
			}
		}
		if table == "cells" && (parts.Parts() < 3 || len(files) < 2) {
			t.Errorf("cells: %d parts, %d files: the test splits nothing", parts.Parts(), len(files))
		}
	}
}

// An export that fails part way leaves the file it would have replaced as
// it was, and no temporary file beside it.
func TestFailedExportKeepsOldFile(t *testing.T) {
	dir, dbPath, _ := demoDB(t)
	out := filepath.Join(dir, "out", "summary.csv")
	if err := runExport([]string{"--db", dbPath, "--out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(out)
	// Valid SQL that fails while rows are read: an integer overflow.
	var stderr bytes.Buffer
	err := runExport([]string{"--db", dbPath, "--out", out, "--where", "abs(-9223372036854775807 - 1) > 0"}, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "integer overflow") || !strings.Contains(err.Error(), dbPath) {
		t.Fatalf("failing export: %v, want the overflow and the database named", err)
	}
	after, _ := os.ReadFile(out)
	if len(before) == 0 || !bytes.Equal(before, after) {
		t.Errorf("the earlier export changed: %d bytes before, %d after", len(before), len(after))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "out", ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
