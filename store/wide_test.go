package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/pipeline"
)

// TestWideTablesMatchPivot saves real extractions (both templates, blanks,
// NA and text cells) and checks that the materialized wide views equal the
// pivot of the stored cells they replaced, row for row and NULL for NULL,
// and that the migration's backfill writes the same rows as Save.
func TestWideTablesMatchPivot(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, _ := filepath.Glob("../fixtures/1*.*")
	saved := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res := pipeline.Process(f, data, extract.Options{})
		if res.Report == nil || len(res.Report.Cells) == 0 {
			continue
		}
		if _, err := db.Save(context.Background(), Document{SHA256: res.Source.SHA256, Path: f, Format: "text"}, res.Report); err != nil {
			t.Fatal(err)
		}
		saved++
	}
	if saved < 5 {
		t.Fatalf("only %d fixtures gave reports", saved)
	}
	old := strings.ReplaceAll(wideViewsSQL(true), "CREATE VIEW t", "CREATE TEMP VIEW pivot_t")
	backfill := strings.ReplaceAll(wideTablesSQL(), "wide_t", "backfill_t")
	for _, q := range []string{old, backfill} {
		if _, err := db.sql.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tbl := range []string{"t2", "t3", "t4"} {
		var rows, current, values int
		db.sql.QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&current)
		db.sql.QueryRow(fmt.Sprintf("SELECT COUNT(*), COUNT(%s) FROM %s_wide", wideColumn(wideCells(tbl)[0]), tbl)).Scan(&rows, &values)
		if rows != current || current < 5 || values == 0 {
			t.Errorf("%s_wide: %d rows (want %d current reports, at least 5), %d values in its first column", tbl, rows, current, values)
		}
		for _, pair := range [][2]string{{tbl + "_wide", "pivot_" + tbl + "_wide"}, {"pivot_" + tbl + "_wide", tbl + "_wide"}, {"wide_" + tbl, "backfill_" + tbl}, {"backfill_" + tbl, "wide_" + tbl}} {
			var diff int
			if err := db.sql.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM (SELECT * FROM %s EXCEPT SELECT * FROM %s)", pair[0], pair[1])).Scan(&diff); err != nil {
				t.Fatal(err)
			}
			if diff != 0 {
				t.Errorf("%d rows of %s are not in %s", diff, pair[0], pair[1])
			}
		}
	}
}
