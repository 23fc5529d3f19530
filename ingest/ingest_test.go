package ingest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// TestMain doubles as a child process that ingests generated reports, so
// tests can kill it mid-transaction or run two at once.
func TestMain(m *testing.M) {
	if db := os.Getenv("NIANBAO_CHILD_DB"); db != "" {
		n, _ := strconv.Atoi(os.Getenv("NIANBAO_CHILD_N"))
		off, _ := strconv.Atoi(os.Getenv("NIANBAO_CHILD_OFFSET"))
		d, err := store.Open(db)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		in := &ingest.Ingester{DB: d}
		docs := variants(nil, off+n)
		for i := off; i < off+n; i++ {
			if r := in.Bytes(context.Background(), fmt.Sprint("doc", i), docs[i], extract.Options{}); r.Err != nil {
				fmt.Fprintln(os.Stderr, r.Err)
				os.Exit(4)
			}
		}
		d.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func child(t *testing.T, db string, offset, n int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NIANBAO_CHILD_DB="+db, "NIANBAO_CHILD_N="+strconv.Itoa(n), "NIANBAO_CHILD_OFFSET="+strconv.Itoa(offset))
	cmd.Stderr = os.Stderr
	return cmd
}

// consistent asserts the invariants a crash must never break.
func consistent(t *testing.T, path string) (reports int) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	db.SQL().QueryRow("PRAGMA integrity_check").Scan(&ok)
	if ok != "ok" {
		t.Fatalf("integrity_check: %s", ok)
	}
	var orphans, empty, docsWithout int
	db.SQL().QueryRow("SELECT COUNT(*) FROM cell_values v LEFT JOIN reports r ON r.id = v.report_id WHERE r.id IS NULL").Scan(&orphans)
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM cell_values v WHERE v.report_id = r.id)").Scan(&empty)
	db.SQL().QueryRow("SELECT COUNT(*) FROM documents d WHERE d.error IS NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.document_id = d.id)").Scan(&docsWithout)
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports").Scan(&reports)
	if orphans+empty+docsWithout > 0 {
		t.Fatalf("inconsistent: %d orphan cells, %d reports without cells, %d documents without report", orphans, empty, docsWithout)
	}
	return reports
}

func TestKilledIngestLeavesConsistentDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	cmd := child(t, path, 0, 400)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	cmd.Process.Kill() // SIGKILL: no deferred cleanup, mid-transaction most likely
	cmd.Wait()
	n := consistent(t, path)
	t.Logf("killed after %d of 400 reports", n)
	// Run again: everything lands, nothing twice.
	if err := child(t, path, 0, 400).Run(); err != nil {
		t.Fatal(err)
	}
	if n := consistent(t, path); n != 400 {
		t.Errorf("after rerun: %d reports, want 400", n)
	}
}

func TestConcurrentIngests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	if db, err := store.Open(path); err == nil { // create the schema first
		db.Close()
	}
	a, b := child(t, path, 0, 150), child(t, path, 100, 150) // overlapping: 100–149 in both
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Fatalf("first ingest: %v", err)
	}
	if err := b.Wait(); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	if n := consistent(t, path); n != 250 {
		t.Errorf("%d reports, want 250", n)
	}
}

// TestCorpusTwice ingests the shared corpus twice: one current report per
// document that could be read, identical counts on the second run, and cell
// values equal to the extractor's.
func TestCorpusTwice(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpus/raw/*")
	if len(files) == 0 {
		t.Skip("shared corpus not found: skipped")
	}
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	var first ingest.Summary
	results := map[string]ingest.Result{}
	for _, f := range files {
		r := in.File(context.Background(), f)
		first.Add(r)
		results[f] = r
	}
	var second ingest.Summary
	for _, f := range files {
		second.Add(in.File(context.Background(), f))
	}
	if second.Unchanged != len(files) || second.Ingested != 0 || second.Failed != 0 {
		t.Errorf("second run: %s, want all %d unchanged", second, len(files))
	}
	var current, docs int
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&current)
	db.SQL().QueryRow("SELECT COUNT(*) FROM documents").Scan(&docs)
	if current != first.Ingested || docs != len(files) {
		t.Errorf("%d current reports for %d ingested, %d documents for %d files", current, first.Ingested, docs, len(files))
	}
	t.Logf("first run: %s", first)
	for f, r := range results {
		if r.Report == nil || r.Report.Report == nil {
			continue
		}
		rows, err := db.SQL().Query("SELECT c.cell_id, c.value, c.raw, c.semantic FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id WHERE d.sha256 = ?", r.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id, raw, sem string
			var v *float64
			rows.Scan(&id, &v, &raw, &sem)
			want := r.Report.Cells[id]
			if (v == nil) != (want.Value == nil) || (v != nil && *v != *want.Value) || raw != want.Raw || sem != string(want.Semantic) {
				t.Errorf("%s %s: db %v %q %s, extractor %v %q %s", filepath.Base(f), id, v, raw, sem, want.Value, want.Raw, want.Semantic)
			}
			n++
		}
		rows.Close()
		if n != len(r.Report.Cells) {
			t.Errorf("%s: %d cells in db, %d extracted", filepath.Base(f), n, len(r.Report.Cells))
		}
	}
	// Re-extracting by the same build changes nothing, also for reports
	// whose printed agency name is stored under its canonical one.
	re, err := in.Reextract(context.Background(), store.Stale{All: true}, nil)
	if err != nil || re.Changed != 0 || re.New != 0 || re.Unchanged != first.Ingested {
		t.Errorf("reextract --all by the same build: %s (err %v), want %d unchanged", re, err, first.Ingested)
	}
}

// A report with one table cut off is stored, but never silently: the
// warning names the table, the completeness figures say how much is
// missing (JSON, reports, report_summary) and the run counts it.
func TestCutTableIsReported(t *testing.T) {
	data, err := os.ReadFile(fixtures.Path("106-tab-text-2021.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	cut := strings.Index(text, "四、政府信息公开行政复议、行政诉讼情况")
	if cut < 0 {
		t.Fatal("table 4 heading not found in the fixture")
	}
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	var sum ingest.Summary
	r := in.Bytes(context.Background(), "cut.txt", []byte(text[:cut]), extract.Options{})
	sum.Add(r)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	c := r.Report.Completeness["t4"]
	if c.Found != 0 || c.Expected != 15 || r.Report.Completeness["t3"].Found != 175 {
		t.Errorf("completeness %+v, want t4 0 of 15 and t3 complete", r.Report.Completeness)
	}
	if !slices.Contains(r.Report.Warnings, "incomplete: t4 missing (0 of its 15 cells found)") {
		t.Errorf("warnings %q do not name the missing table", r.Report.Warnings)
	}
	if sum.Incomplete != 1 || !strings.Contains(sum.String(), "1 reports incomplete") {
		t.Errorf("summary %q", sum)
	}
	var stored, view float64
	db.SQL().QueryRow("SELECT completeness FROM reports").Scan(&stored)
	db.SQL().QueryRow("SELECT completeness FROM report_summary").Scan(&view)
	if stored != 185.0/200 || view != stored {
		t.Errorf("completeness stored %v, in report_summary %v; want %v", stored, view, 185.0/200)
	}
}

// Corpus 001 prints its 总计 column blank: its grant rate comes from the
// printed parts, flagged as a lower bound — never 0 (issue: blanks became
// zeros in report_summary).
func TestBlankTotalsInSummary(t *testing.T) {
	const path = "../../shared/corpus/raw/001-shanghai-bgt-2019.html"
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared corpus not found")
	}
	db := tempDB(t)
	if r := (&ingest.Ingester{DB: db}).File(context.Background(), path); r.Err != nil {
		t.Fatal(r.Err)
	}
	var granted, rate float64
	var gb, rb, tb string
	if err := db.SQL().QueryRow("SELECT granted, granted_basis, grant_rate, grant_rate_basis, total_answered_basis FROM report_summary").Scan(&granted, &gb, &rate, &rb, &tb); err != nil {
		t.Fatal(err)
	}
	if granted != 272 || gb != "lower_bound" || tb != "printed" || rb != "lower_bound" || rate < 0.3416 || rate > 0.3417 {
		t.Errorf("granted %v (%s), grant_rate %v (%s), total %s; want 272 lower_bound, 275/805 lower_bound", granted, gb, rate, rb, tb)
	}
}

// One agency however it is spelled: 003 and 004 (洪泽区人民政府 and
// 淮安市洪泽区人民政府) are one government of region 320813; 006's
// 上海市科委 and a report printed as 上海市科学技术委员会 are one department.
func TestAgencyIdentity(t *testing.T) {
	corpus := "../../shared/corpus/raw/"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("shared corpus not found")
	}
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	for _, f := range []string{"003-hongze-qzf-2023.pdf", "004-hongze-qzf-2024.pdf", "006-shanghai-kewei-2024.md"} {
		if r := in.File(context.Background(), corpus+f); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	data, _ := os.ReadFile(corpus + "006-shanghai-kewei-2024.md")
	renamed := strings.ReplaceAll(strings.ReplaceAll(string(data), "上海市科委", "上海市科学技术委员会"), "2024", "2023")
	if r := in.Bytes(context.Background(), "kewei-2023.md", []byte(renamed), extract.Options{}); r.Err != nil {
		t.Fatal(r.Err)
	}
	count := func(q string) int {
		var n int
		if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT COUNT(DISTINCT agency_id) FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE a.region_code = '320813'"); n != 1 {
		t.Errorf("洪泽区: %d agencies, want 1", n)
	}
	if n := count("SELECT COUNT(*) FROM report_summary WHERE region_code = '320813' AND kind = 'government'"); n != 2 {
		t.Errorf("洪泽区: %d current reports in report_summary, want 2 (2023, 2024)", n)
	}
	if n := count("SELECT COUNT(*) FROM report_summary WHERE agency_key = '310000:科学技术委员会'"); n != 2 {
		t.Errorf("上海市科委: %d reports under one key, want 2", n)
	}
	if n := count("SELECT COUNT(*) FROM agency_names WHERE name IN ('上海市科委', '上海市科学技术委员会', '洪泽区人民政府', '淮安市洪泽区人民政府')"); n != 4 {
		t.Errorf("%d spellings kept in agency_names, want 4", n)
	}
}

// Every check the normalizer writes is explained in check_dictionary.
func TestChecksAreExplained(t *testing.T) {
	db := tempDB(t)
	in := &ingest.Ingester{DB: db}
	files, _ := filepath.Glob(fixtures.Path("10[1-6]-*.*"))
	for _, f := range files {
		in.File(context.Background(), f)
	}
	rows, err := db.SQL().Query("SELECT DISTINCT check_id FROM checks k WHERE NOT EXISTS (SELECT 1 FROM check_dictionary d WHERE d.check_id = k.check_id)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		rows.Scan(&id)
		t.Errorf("check %s is not in check_dictionary", id)
	}
}

// tempDB is a new database in the test's temporary folder, closed at its end.
func tempDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestFilesLeavesPageImagesOut: a saved page's images, in the folder
// walked, are read as its pages, not ingested as reports of their own; an
// image no page shows still is.
func TestFilesLeavesPageImagesOut(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "img"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<p><IMG class=x src="img/p1.jpg?v=2"></p><img src='p2.png'><img src="http://a/b.png">`), 0o644)
	for _, f := range []string{"img/p1.jpg", "p2.png", "scan.png"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	got, err := ingest.Files([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range got {
		r, _ := filepath.Rel(dir, g)
		names = append(names, filepath.ToSlash(r))
	}
	if strings.Join(names, " ") != "index.html scan.png" {
		t.Errorf("files: %v, want index.html and scan.png", names)
	}
}
