package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
)

// TestReadAPI exercises the typed reads on a small database: a report
// without a recognised agency (which once failed the whole comparison),
// two versions of one agency-year, a failed check and the not-found
// sentinels.
func TestReadAPI(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(sha string, rep *nianbao.Report) {
		t.Helper()
		if _, err := db.Save(ctx, store.Document{SHA256: sha, Path: sha + ".txt", Format: "text", Agency: store.Identity(rep.Agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	save("a", sampleReport("杭州市临平区交通运输局", 2022, 4))
	save("b", sampleReport("杭州市临平区交通运输局", 2023, 5))
	nameless := sampleReport("", 2023, 6) // no agency printed or hinted
	save("c", nameless)
	rows, err := db.CompareRows(ctx, store.CompareFilter{})
	if err != nil {
		t.Fatalf("a report without an agency fails the comparison: %v", err)
	}
	if len(rows) != 3 || rows[0].Agency != "杭州市临平区交通运输局" || rows[2].Agency != "" || *rows[2].GrantRate != 0.6 {
		t.Errorf("comparison rows %+v", rows)
	}
	if rows, _ := db.CompareRows(ctx, store.CompareFilter{Agency: "%"}); len(rows) != 0 {
		t.Errorf("a %% in the agency filter matched %d rows: LIKE wildcards must be literal", len(rows))
	}
	found, err := db.SearchAgencies(ctx, "临平区交通", 10)
	if err != nil || len(found) != 1 || found[0].Key != "330113:交通运输局" {
		t.Fatalf("search: %+v, %v", found, err)
	}
	a, err := db.FindAgency(ctx, found[0].Key, "")
	if err != nil || a.Name != "杭州市临平区交通运输局" {
		t.Errorf("FindAgency by key: %+v, %v", a, err)
	}
	if _, err := db.FindAgency(ctx, "000000:无", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindAgency of an unknown key: %v, want ErrNotFound", err)
	}
	vs, err := db.Versions(ctx, a.ID, 2023)
	if err != nil || len(vs) != 1 || !vs[0].Current || vs[0].CurrentBy != "only version" {
		t.Errorf("versions %+v, %v", vs, err)
	}
	checks, err := db.ReportChecks(ctx, rows[0].ReportID)
	if err != nil || len(checks) != 1 || checks[0].Status != nianbao.Fail || *checks[0].RHS != 2 || len(checks[0].Cells) != 1 || checks[0].Formula == "" {
		t.Errorf("checks %+v, %v", checks, err)
	}
	cells, err := db.ReportCells(ctx, rows[0].ReportID)
	if err != nil || len(cells) != 3 {
		t.Errorf("cells %+v, %v", cells, err)
	}
	if _, err := db.CellOrigin(ctx, rows[0].ReportID, "t3.nope.total"); !errors.Is(err, store.ErrNoCell) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CellOrigin of a missing cell: %v, want ErrNoCell", err)
	}
	if _, err := db.Report(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Report 999: %v, want ErrNotFound", err)
	}
	years, err := db.Years(ctx)
	if err != nil || len(years) != 2 || years[0] != 2023 {
		t.Errorf("years %v, %v", years, err)
	}
	// Overdue: a department that published 2022 but not 2024, after 31 Jan 2025.
	due, err := db.AgencyDue(ctx, 2024, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(due) != 1 || !due[0].Overdue || due[0].Kind != nianbao.KindDepartment || due[0].LastYear != 2023 {
		t.Errorf("due %+v, %v", due, err)
	}
	due, _ = db.AgencyDue(ctx, 2024, time.Date(2025, 1, 30, 0, 0, 0, 0, time.UTC))
	if due[0].Overdue {
		t.Error("overdue before the deadline")
	}
	// A failed query is returned, naming the database.
	db.Close()
	if _, err := db.ProblemReports(ctx, 10); err == nil {
		t.Error("a query on a closed database returned no error")
	}
}

// TestCrawlLockSentinel: a second crawl on one file gets ErrLocked.
func TestCrawlLockSentinel(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	unlock, err := db.LockCrawl(context.Background(), "first")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := db.LockCrawl(context.Background(), "second"); !errors.Is(err, store.ErrLocked) {
		t.Errorf("second lock: %v, want ErrLocked", err)
	}
}

// TestSearchAnySpelling: 临平交通 found nothing; abbreviations and spaced
// words now find the agency, names containing the text as typed first.
func TestSearchAnySpelling(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, name := range []string{"杭州市临平区交通运输局", "宁海县市场监督管理局", "临平区人民政府"} {
		rep := sampleReport(name, 2023, 1)
		if _, err := db.Save(ctx, store.Document{SHA256: fmt.Sprint(i), Path: "x", Agency: store.Identity(name)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]string{
		"临平交通": "杭州市临平区交通运输局", "临平 交通局": "杭州市临平区交通运输局", "市监局": "宁海县市场监督管理局",
		"临平区": "临平区人民政府", "100%": "",
	} {
		got, err := db.SearchAgencies(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		first := ""
		if len(got) > 0 {
			first = got[0].Name
		}
		if first != want {
			t.Errorf("search %q: first %q of %d, want %q", q, first, len(got), want)
		}
	}
}

// TestCreditCodeIsIdentity: the 索引号 many pages print begins with the
// agency's 统一社会信用代码. Two spellings with one code are one agency
// (even one the names alone could not join); another code is another
// agency.
func TestCreditCodeIsIdentity(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(sha, agency, code string, year int) {
		rep := sampleReport(agency, year, 1)
		rep.CreditCode = code
		if _, err := db.Save(ctx, store.Document{SHA256: sha, Path: "x", Agency: store.Identity(agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	save("a", "宁海县市场监督管理局", "11330226MB12345679", 2022)
	save("b", "宁海县市监局（宁海县知识产权局）", "11330226MB12345679", 2023) // a spelling no rule joins
	save("c", "宁海县交通运输局", "11330226002500000M", 2023)
	var agencies, withCode int
	db.SQL().QueryRow("SELECT COUNT(DISTINCT agency_id) FROM reports").Scan(&agencies)
	db.SQL().QueryRow("SELECT COUNT(*) FROM agencies WHERE credit_code IS NOT NULL").Scan(&withCode)
	if agencies != 2 || withCode != 2 {
		t.Errorf("%d agencies for 3 reports of 2 credit codes (want 2), %d with a code", agencies, withCode)
	}
	var how string
	db.SQL().QueryRow("SELECT how FROM agency_names WHERE name = '宁海县市监局（宁海县知识产权局）'").Scan(&how)
	if how != "credit code" {
		t.Errorf("the second spelling joined by %q", how)
	}
}

// BenchmarkSearchIndex: one search over 150,000 agencies (a national
// dataset's), each with a spelling, in memory.
func BenchmarkSearchIndex(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, _ := db.SQL().Begin()
	for i := range 150000 {
		tx.Exec("INSERT INTO agencies (id, name, canonical_name) VALUES (?, ?, ?)", i+1, fmt.Sprintf("测试%05d县第%02d局", i/40, i%40), fmt.Sprintf("某省测试%05d县第%02d局", i/40, i%40))
		tx.Exec("INSERT INTO agency_names (name, agency_id) VALUES (?, ?)", fmt.Sprintf("测试%05d县%02d局", i/40, i%40), i+1)
	}
	tx.Commit()
	idx, err := db.AgencyIndex(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r := idx.Search("测试01234第07", 50); len(r) == 0 {
			b.Fatal("not found")
		}
	}
}
