package sample_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/sample"
	"github.com/nianbao/nianbao/store"
)

func build(t *testing.T, seed uint64) (*store.DB, string) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sample.Build(context.Background(), db, sample.Options{Reports: 700, Seed: seed}, nil); err != nil {
		t.Fatal(err)
	}
	var dump string
	db.SQL().QueryRow("SELECT group_concat(agency || year || IFNULL(requests_received, '-') || IFNULL(grant_rate, '-'), ';') FROM report_summary").Scan(&dump)
	return db, dump
}

// TestSampleDatabase: a documented command for a sample database with
// varied values (scale.sh's reports were copies of six fixtures): real
// county names, every year 2019–2025 with its template, identities that
// hold except where a report's printed total is made wrong, blanks and
// lower bounds; the same seed gives the same database.
func TestSampleDatabase(t *testing.T) {
	db, a := build(t, 3)
	_, b := build(t, 3)
	_, c := build(t, 4)
	if a != b || a == c || a == "" {
		t.Error("the same seed must give the same database, another seed another")
	}
	var reports, failed, blankRates, years, regions, tpl19, distinct int
	db.SQL().QueryRow("SELECT COUNT(*), SUM(checks_failed > 0), SUM(grant_rate IS NULL OR grant_rate_basis = 'lower_bound'), COUNT(DISTINCT year), COUNT(DISTINCT region_code), SUM(template = '2019'), COUNT(DISTINCT requests_received) FROM report_summary").
		Scan(&reports, &failed, &blankRates, &years, &regions, &tpl19, &distinct)
	if reports != 700 || years != 7 || regions < 4 || tpl19 != 200 || distinct < 50 {
		t.Errorf("%d reports, %d years, %d regions, %d on the 2019 template, %d distinct received counts", reports, years, regions, tpl19, distinct)
	}
	if failed == 0 || failed > reports/10 || blankRates == 0 {
		t.Errorf("%d reports with failed checks, %d grant rates blank or a lower bound: want a few of each", failed, blankRates)
	}
	var unresolved int
	db.SQL().QueryRow("SELECT COUNT(*) FROM report_summary WHERE agency_key IS NULL").Scan(&unresolved)
	if unresolved != 0 {
		t.Errorf("%d generated agencies without an agency key", unresolved)
	}
}
