package store_test

import (
	"context"
	"database/sql"
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

// Versions are ranked by publication, not arrival; forms of one report are
// recognised and their disagreements recorded.
func TestVersionsByPublication(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(sha, published, listedTitle, listedDate string, granted float64) {
		rep := sampleReport("乙局", 2023, granted)
		rep.Published = published
		for i := 0; i < 12; i++ { // enough shared cells to compare forms
			rep.Cells[fmt.Sprintf("t3.refused.state_secret.%s", []string{"natural_person", "commercial_enterprise", "research_institution", "public_welfare_org", "legal_service_org", "other_org", "total"}[i%7])] = nianbao.Cell{Value: f(float64(i % 7)), Semantic: nianbao.Numeric}
			rep.Cells[fmt.Sprintf("t3.refused.other_law.%s", []string{"natural_person", "commercial_enterprise", "research_institution", "public_welfare_org", "legal_service_org", "other_org", "total"}[i%7])] = nianbao.Cell{Value: f(1), Semantic: nianbao.Numeric}
		}
		if _, err := db.Save(ctx, store.Document{SHA256: sha, Path: sha, Format: "html", ListedTitle: listedTitle, ListedDate: listedDate}, rep); err != nil {
			t.Fatal(err)
		}
	}
	current := func() (string, string) {
		var sha, by string
		db.SQL().QueryRow("SELECT d.sha256, r.current_by FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.is_current = 1").Scan(&sha, &by)
		return sha, by
	}
	// The corrected version arrives first, the original after it.
	save("corr", "", "乙局2023年报（更正）", "2024-02-10", 5)
	save("orig", "", "乙局2023年报", "2024-01-20", 4)
	if sha, by := current(); sha != "corr" || by != "later listing date" {
		t.Errorf("current %s (%s), want the later-listed correction", sha, by)
	}
	// A later printed publication date wins over listing dates.
	save("late", "2024-03-01", "", "", 6)
	save("early", "2024-01-01", "", "", 7)
	var n int
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&n)
	if n != 1 {
		t.Fatalf("%d current versions", n)
	}
	// The same report as a page and as a PDF (same published date, cells
	// mostly equal): one report, the disagreeing cell recorded.
	save("pdf", "2024-03-01", "", "", 6.5)
	var formOf sql.NullInt64
	db.SQL().QueryRow("SELECT r.form_of FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.sha256 = 'late'").Scan(&formOf)
	var pdfOf sql.NullInt64
	db.SQL().QueryRow("SELECT r.form_of FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.sha256 = 'pdf'").Scan(&pdfOf)
	if formOf.Valid == pdfOf.Valid {
		t.Errorf("page and PDF not recognised as forms of one report (form_of %v, %v)", formOf, pdfOf)
	}
	var cell string
	var a, b float64
	if err := db.SQL().QueryRow("SELECT cell_id, value, other_value FROM form_disagreements").Scan(&cell, &a, &b); err != nil || cell != "t3.granted.total" {
		t.Errorf("disagreement %s %v/%v (%v), want t3.granted.total", cell, a, b, err)
	}
}
