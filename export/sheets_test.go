package export

import (
	"bytes"
	"database/sql"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXSplitsAtSheetLimit: a table over Excel's row limit failed with
// `invalid cell name ""`; it now continues on further sheets, each with its
// header, and every row is written once.
func TestXLSXSplitsAtSheetLimit(t *testing.T) {
	old := SheetRows
	SheetRows = 3
	defer func() { SheetRows = old }()
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 7) SELECT x AS n FROM c")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n, err := XLSX(&b, rows, "cells", Options{})
	if err != nil || n != 7 {
		t.Fatalf("%d rows, %v", n, err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"cells": {"n", "1", "2", "3"}, "cells (2)": {"n", "4", "5", "6"}, "cells (3)": {"n", "7"}}
	for sheet, vals := range want {
		got, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		if len(got) != len(vals) {
			t.Errorf("%s: %d rows, want %d", sheet, len(got), len(vals))
			continue
		}
		for i, v := range vals {
			if got[i][0] != v {
				t.Errorf("%s row %d: %q, want %q", sheet, i+1, got[i][0], v)
			}
		}
	}
}
