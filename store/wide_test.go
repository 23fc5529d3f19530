package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
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
	files, _ := filepath.Glob(fixtures.Path("1*.*"))
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
	// The wide tables as migration 13 filled them from stored cells, and a
	// pivot of the cells view: both must equal what Save wrote.
	backfill := strings.ReplaceAll(migrations[12], "wide_t", "backfill_t")
	if _, err := db.sql.Exec(backfill); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range wideTables {
		var sel []string
		for _, id := range db.wide().cells[tbl] {
			sel = append(sel, fmt.Sprintf("MAX(CASE WHEN c.cell_id = '%s' THEN c.value END) AS %s", id, wideColumn(id)))
		}
		q := fmt.Sprintf(`CREATE TEMP VIEW pivot_%[1]s_wide AS SELECT r.id AS report_id, a.name AS agency, a.agency_key, a.region_code, a.region_name, a.level, a.kind, r.year, r.template, %[2]s
FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN cells c ON c.report_id = r.id AND c.cell_id LIKE '%[1]s.%%' WHERE r.is_current = 1 GROUP BY r.id`, tbl, strings.Join(sel, ",\n"))
		if _, err := db.sql.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tbl := range []string{"t2", "t3", "t4"} {
		var rows, current, values int
		db.sql.QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&current)
		db.sql.QueryRow(fmt.Sprintf("SELECT COUNT(*), COUNT(%s) FROM %s_wide", wideColumn(db.wide().cells[tbl][0]), tbl)).Scan(&rows, &values)
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

// TestSemanticCompact checks that the cells view gives back every saved
// cell's semantic although cell_values stores ” where the value says it,
// and that migration 14 compacts old rows to the same.
func TestSemanticCompact(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]int{}
	files, _ := filepath.Glob(fixtures.Path("10[3-6]*.*"))
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res := pipeline.Process(f, data, extract.Options{})
		if res.Report == nil {
			continue
		}
		res.Report.Agency = fmt.Sprintf("单位%d", i) // every report current
		if _, err := db.Save(context.Background(), Document{SHA256: res.Source.SHA256, Path: f, Format: "text"}, res.Report); err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Report.Cells {
			want[string(c.Semantic)]++
		}
	}
	count := func() map[string]int {
		got := map[string]int{}
		rows, err := db.sql.Query("SELECT semantic, COUNT(*) FROM cells GROUP BY 1")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var n int
			rows.Scan(&s, &n)
			got[s] = n
		}
		return got
	}
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) || want["na"] == 0 || want["empty"] == 0 {
		t.Errorf("cells semantics %v, want %v (with na and empty)", got, want)
	}
	var stored int
	db.sql.QueryRow("SELECT COUNT(*) FROM cell_values WHERE semantic <> ''").Scan(&stored)
	if stored != want["na"]+want["text"] {
		t.Errorf("%d semantics stored, want only the %d na and text", stored, want["na"]+want["text"])
	}
	// As version 13 stored them, then migration 14's compaction.
	if _, err := db.sql.Exec("UPDATE cell_values SET semantic = CASE WHEN semantic <> '' THEN semantic WHEN value IS NULL THEN 'empty' WHEN value = 0 THEN 'zero' ELSE 'numeric' END"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.Exec(migrations[13]); err != nil {
		t.Fatal(err)
	}
	db.sql.QueryRow("SELECT COUNT(*) FROM cell_values WHERE semantic <> ''").Scan(&stored)
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) || stored != want["na"]+want["text"] {
		t.Errorf("after migration: cells semantics %v, %d stored; want %v, %d", got, stored, want, want["na"]+want["text"])
	}
}

// TestExportTypes checks declared, known and probed column types: a
// computed column is INTEGER only when every value is an integer.
func TestExportTypes(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data, err := os.ReadFile(fixtures.Path("106-tab-text-2021.txt"))
	if err != nil {
		t.Fatal(err)
	}
	res := pipeline.Process("106", data, extract.Options{})
	if _, err := db.Save(context.Background(), Document{SHA256: res.Source.SHA256, Path: "106", Format: "text"}, res.Report); err != nil {
		t.Fatal(err)
	}
	exportBase["probe"] = "SELECT id + 1 AS i, id * 0.5 AS r, 'x' || id AS s, NULL AS n, CASE WHEN id > 0 THEN 1 ELSE 'a' END AS m, year, agency_id AS agency FROM reports"
	unfiltered["probe"] = false
	defer delete(exportBase, "probe")
	for table, want := range map[string]string{
		"probe":          "INTEGER REAL TEXT TEXT INTEGER INTEGER INTEGER",
		"cells":          "INTEGER TEXT INTEGER TEXT TEXT TEXT INTEGER TEXT TEXT TEXT TEXT INTEGER TEXT INTEGER INTEGER INTEGER TEXT REAL TEXT TEXT TEXT TEXT", // one report of whole numbers: value INTEGER; source … correction_why
		"report_summary": "",
	} {
		types, err := db.ExportTypes(context.Background(), table, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if table == "report_summary" {
			if types[0] != TypeInteger || types[1] != TypeText || types[slices.Index(summaryCols(t, db), "requests_received")] != TypeInteger {
				t.Errorf("report_summary types %v", types)
			}
			continue
		}
		if got := strings.Join(types, " "); got != want {
			t.Errorf("%s: %s, want %s", table, got, want)
		}
	}
}

func summaryCols(t *testing.T, db *DB) []string {
	rows, err := db.sql.Query("SELECT * FROM report_summary LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	return cols
}
