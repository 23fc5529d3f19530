package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
)

func f(v float64) *float64 { return &v }

func sampleReport(agency string, year int, granted float64) *nianbao.Report {
	return &nianbao.Report{
		Agency: agency, Year: year, Template: nianbao.Template2021, Title: agency + "年度报告",
		Cells: map[string]nianbao.Cell{
			"t3.granted.total":      {Value: f(granted), Raw: "x", Semantic: nianbao.Numeric},
			"t3.total.total":        {Value: f(10), Raw: "10", Semantic: nianbao.Numeric},
			"t3.carried_over.total": {Raw: "", Semantic: nianbao.Empty},
		},
		Checks: []nianbao.Check{{ID: "T3.BALANCE", Scope: "total", Status: nianbao.Fail, LHS: 1, RHS: 2, Cells: []string{"t3.total.total"}}},
	}
}

func TestSaveVersions(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "x", "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []struct {
		sha  string
		rep  *nianbao.Report
		want store.Outcome
	}{
		{"a1", sampleReport("甲局", 2023, 4), store.Added},
		{"a1", sampleReport("甲局", 2023, 4), store.Unchanged},
		{"a2", sampleReport("甲局", 2023, 5), store.Replaced},
		{"b1", sampleReport("甲局", 2022, 3), store.Added},
	}
	for _, s := range steps {
		got, err := db.Save(ctx, store.Document{SHA256: s.sha, Path: s.sha, Format: "html", Size: 1}, s.rep)
		if err != nil || got != s.want {
			t.Fatalf("save %s: %v, %v; want %v", s.sha, got, err, s.want)
		}
	}
	if got, _ := db.Save(ctx, store.Document{SHA256: "c1", Error: "bad"}, nil); got != store.Failed {
		t.Errorf("failed document: outcome %v", got)
	}
	var reports, current int
	var granted float64
	db.SQL().QueryRow("SELECT COUNT(*), SUM(is_current) FROM reports").Scan(&reports, &current)
	if reports != 3 || current != 2 {
		t.Errorf("reports %d current %d, want 3 and 2", reports, current)
	}
	db.SQL().QueryRow("SELECT granted FROM report_summary WHERE year = 2023").Scan(&granted)
	if granted != 5 {
		t.Errorf("current 2023 report has granted %v, want the new version's 5", granted)
	}
	var failed, incomplete int
	db.SQL().QueryRow("SELECT checks_failed, checks_incomplete FROM report_summary WHERE year = 2022").Scan(&failed, &incomplete)
	if failed != 1 || incomplete != 0 {
		t.Errorf("checks failed/incomplete = %d/%d", failed, incomplete)
	}
	var sem string
	var val any
	db.SQL().QueryRow("SELECT semantic, value FROM cells WHERE cell_id = 't3.carried_over.total' LIMIT 1").Scan(&sem, &val)
	if sem != "empty" || val != nil {
		t.Errorf("blank cell stored as %s/%v", sem, val)
	}
	var wide float64
	db.SQL().QueryRow("SELECT t3_granted_total FROM t3_wide WHERE year = 2023").Scan(&wide)
	if wide != 5 {
		t.Errorf("t3_wide.t3_granted_total = %v", wide)
	}
	var dict, cross int
	db.SQL().QueryRow("SELECT COUNT(*) FROM cell_dictionary").Scan(&dict)
	db.SQL().QueryRow("SELECT COUNT(*) FROM crosswalk WHERE relation = 'not_comparable'").Scan(&cross)
	if dict != len(nianbao.CellDefs()) || cross < 3 {
		t.Errorf("dictionary %d rows (want %d), %d not_comparable crosswalk rows", dict, len(nianbao.CellDefs()), cross)
	}
}

func TestReopenKeepsVersion(t *testing.T) {
	p := filepath.Join(t.TempDir(), "n.db")
	for i := 0; i < 2; i++ {
		db, err := store.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		db.SQL().QueryRow("PRAGMA user_version").Scan(&v)
		if v != store.Version() {
			t.Errorf("user_version %d, want %d", v, store.Version())
		}
		db.Close()
	}
}

func TestXYearChecks(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mk := func(year int, over, forward float64) *nianbao.Report {
		r := sampleReport("乙局", year, 1)
		r.Cells["t3.carried_over.total"] = nianbao.Cell{Value: f(over), Raw: "x", Semantic: nianbao.Numeric}
		r.Cells["t3.carried_forward.total"] = nianbao.Cell{Value: f(forward), Raw: "x", Semantic: nianbao.Numeric}
		return r
	}
	db.Save(ctx, store.Document{SHA256: "y1"}, mk(2022, 0, 4))
	db.Save(ctx, store.Document{SHA256: "y2"}, mk(2023, 4, 2))
	db.Save(ctx, store.Document{SHA256: "y3"}, mk(2024, 3, 0))
	rows, err := db.SQL().Query("SELECT year, status FROM xyear_checks WHERE check_id = 'T3.XYEAR' AND scope = 'total' ORDER BY year")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var y int
		var s string
		rows.Scan(&y, &s)
		got = append(got, fmt.Sprint(y, " ", s))
	}
	if fmt.Sprint(got) != "[2023 pass 2024 fail]" {
		t.Errorf("xyear_checks = %v", got)
	}
}
