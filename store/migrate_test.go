package store

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeOldFile opens a file written by the first schema version and
// checks it is upgraded in place, keeping its rows.
func TestUpgradeOldFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0](), "PRAGMA user_version = 1",
		"INSERT INTO documents (sha256, size, first_seen) VALUES ('abc', 1, 'then')"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v, docs int
	db.sql.QueryRow("PRAGMA user_version").Scan(&v)
	db.sql.QueryRow("SELECT COUNT(*) FROM documents").Scan(&docs)
	if v != len(migrations) || docs != 1 {
		t.Errorf("after upgrade: version %d (want %d), %d documents (want 1)", v, len(migrations), docs)
	}
	if _, err := db.sql.Exec("SELECT * FROM xyear_checks LIMIT 1"); err != nil {
		t.Errorf("upgraded file lacks a newer view: %v", err)
	}
}

// TestUpgradeKeepsData upgrades a version-5 file holding reports of one
// government under two spellings, with blank totals: the upgrade derives
// their figures, resolves the two names to one agency, ranks its versions
// again and keeps every cell.
func TestUpgradeKeepsData(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v5.db")
	raw, err := sql.Open("sqlite3", "file:"+p+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	for v := 0; v < 5; v++ {
		if _, err := raw.Exec(migrations[v]()); err != nil {
			t.Fatal(err)
		}
	}
	stmts := []string{"PRAGMA user_version = 5",
		"INSERT INTO documents (id, sha256, size, first_seen) VALUES (1, 'a', 1, 'then'), (2, 'b', 1, 'then')",
		"INSERT INTO agencies (id, name) VALUES (1, '洪泽区人民政府'), (2, '淮安市洪泽区人民政府')",
		"INSERT INTO reports (id, document_id, agency_id, year, template, is_current, extracted_at) VALUES (1, 1, 1, 2023, '2021', 1, 'then'), (2, 2, 2, 2024, '2021', 1, 'then')",
	}
	// report 1: granted printed in parts only, one part blank
	no := func(id string) int { return cellNo[id] }
	stmts = append(stmts,
		fmtSQL("INSERT INTO cell_values (report_id, cell_no, value, semantic) VALUES (1, %d, 5, 'numeric'), (1, %d, NULL, 'empty'), (1, %d, NULL, 'empty'), (1, %d, 20, 'numeric')",
			no("t3.granted.natural_person"), no("t3.granted.commercial_enterprise"), no("t3.granted.total"), no("t3.total.total")),
		fmtSQL("INSERT INTO cell_values (report_id, cell_no, value, semantic) VALUES (2, %d, 7, 'numeric')", no("t3.new_received.total")),
		`INSERT INTO checks (report_id, check_id, scope, status, lhs, rhs, cells) VALUES
			(1, 'T3.BALANCE', 'natural_person', 'pass', 5, 5, NULL),
			(1, 'T3.TOTAL', 'total', 'fail', 20, 25, '["t3.total.total"]'),
			(2, 'T3.BALANCE', 'natural_person', 'incomplete', 0, 7, NULL)`)
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var agencies, names, cells int
	var key, basis string
	var rate float64
	db.sql.QueryRow("SELECT COUNT(*) FROM agencies").Scan(&agencies)
	db.sql.QueryRow("SELECT COUNT(*) FROM agency_names").Scan(&names)
	db.sql.QueryRow("SELECT COUNT(*) FROM cell_values").Scan(&cells)
	db.sql.QueryRow("SELECT agency_key FROM agencies").Scan(&key)
	db.sql.QueryRow("SELECT grant_rate, grant_rate_basis FROM report_summary WHERE year = 2023").Scan(&rate, &basis)
	if agencies != 1 || names != 2 || key != "320813:人民政府" || cells != 5 {
		t.Errorf("%d agencies (key %s), %d names, %d cells; want 1 (320813:人民政府), 2, 5", agencies, key, names, cells)
	}
	if rate != 0.25 || basis != "lower_bound" {
		t.Errorf("grant_rate %v (%s), want 0.25 lower_bound", rate, basis)
	}
	var years int
	db.sql.QueryRow("SELECT COUNT(*) FROM report_summary WHERE region_code = '320813'").Scan(&years)
	if years != 2 {
		t.Errorf("%d years of the merged agency in report_summary, want 2", years)
	}
	// Later migrations: checks through check_kinds (15), semantics derived
	// (14), wide tables (13), check counts (12) — all from the old rows.
	var checks []string
	rows, err := db.sql.Query("SELECT report_id || ' ' || check_id || ' ' || scope || ' ' || status || ' ' || lhs || ' ' || rhs || ' ' || IFNULL(cells, '-') FROM checks ORDER BY report_id, check_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		checks = append(checks, c)
	}
	rows.Close()
	if got := strings.Join(checks, "; "); got != `1 T3.BALANCE natural_person pass 5.0 5.0 -; 1 T3.TOTAL total fail 20.0 25.0 ["t3.total.total"]; 2 T3.BALANCE natural_person incomplete 0.0 7.0 -` {
		t.Errorf("checks after upgrade: %s", got)
	}
	var kinds, failed, stored int
	var sems string
	var part sql.NullFloat64
	var total sql.NullFloat64
	db.sql.QueryRow("SELECT COUNT(*) FROM check_kinds").Scan(&kinds)
	db.sql.QueryRow("SELECT checks_failed FROM report_summary WHERE year = 2023").Scan(&failed)
	db.sql.QueryRow("SELECT COUNT(*) FROM cell_values WHERE semantic <> ''").Scan(&stored)
	db.sql.QueryRow("SELECT group_concat(semantic, ',') FROM (SELECT semantic FROM cells WHERE report_id = 1 ORDER BY cell_id)").Scan(&sems)
	db.sql.QueryRow("SELECT t3_granted_natural_person, t3_granted_total FROM t3_wide WHERE year = 2023").Scan(&part, &total)
	if kinds != 2 || failed != 1 || stored != 0 || sems != "empty,numeric,empty,numeric" || part.Float64 != 5 || total.Valid {
		t.Errorf("after upgrade: %d check kinds (want 2), %d failed (1), %d semantics stored (0), semantics %s, wide granted %v / total %v",
			kinds, failed, stored, sems, part, total)
	}
}

func fmtSQL(format string, args ...any) string { return fmt.Sprintf(format, args...) }
