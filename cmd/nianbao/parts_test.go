package main

import (
	"bytes"
	"context"
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
