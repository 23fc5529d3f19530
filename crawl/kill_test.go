package crawl_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/store"
)

// TestMain doubles as a child process that runs one crawl, so a test can
// kill it with SIGKILL at any moment.
func TestMain(m *testing.M) {
	if dbPath := os.Getenv("NIANBAO_CRAWL_CHILD_DB"); dbPath != "" {
		os.Exit(childCrawl(dbPath, os.Getenv("NIANBAO_CRAWL_CHILD_SOURCES")))
	}
	os.Exit(m.Run())
}

func childCrawl(dbPath, sources string) int {
	cfg, err := crawl.LoadConfig(sources)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	db, err := store.Open(dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer db.Close()
	c := crawl.New(cfg, db)
	c.Fetcher().Backoff = 10 * time.Millisecond
	if _, err := c.Run(context.Background(), crawl.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// killPortals serves the sample reports (HTML pages, a DOCX and a PDF
// attachment) on two platforms, each request slowed a little so a crawl
// lasts about a second.
func killPortals(t *testing.T) []string {
	rs, err := crawltest.Sample()
	if err != nil {
		t.Fatal(err)
	}
	slow := func(w http.ResponseWriter, r *http.Request) bool {
		time.Sleep(25 * time.Millisecond)
		return false
	}
	a := &crawltest.Site{Platform: "jcms", Reports: rs[:3], News: 1, PageSize: 2, Hook: slow}
	b := &crawltest.Site{Platform: "trs", Reports: append(rs[3:5:5], rs[5]), News: 1, PageSize: 2, Hook: slow}
	b.Reports[2].Title = "某县人民政府2020年政府信息公开工作年度报告" // the PDF as a report of its own, not a 更正
	var urls []string
	for _, s := range []*crawltest.Site{a, b} {
		srv := httptest.NewServer(s)
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL+s.ListPath())
	}
	return urls
}

// snapshot dumps what a researcher sees: documents, reports and cells,
// sorted, without ids or times.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var lines []string
	add := func(q string) {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			lines = append(lines, fmt.Sprint(vals...))
		}
	}
	add("SELECT 'doc', sha256, IFNULL(error, '') FROM documents")
	add("SELECT 'report', d.sha256, a.name, r.year, r.template, r.is_current FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id")
	add("SELECT 'cell', d.sha256, v.cell_no, v.value, v.raw, v.semantic FROM cell_values v JOIN reports r ON r.id = v.report_id JOIN documents d ON d.id = r.document_id")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestKill9Crawl kills crawls with SIGKILL at random moments, 10 times,
// then lets one finish: the database is intact, nothing is stored twice,
// and the data equal an uninterrupted run's.
func TestKill9Crawl(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	urls := killPortals(t)
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("delay = \"1ms\"\n")
	for _, u := range urls {
		fmt.Fprintf(&src, "[[source]]\nurl = %q\n", u)
	}
	sources := filepath.Join(dir, "sources.toml")
	os.WriteFile(sources, []byte(src.String()), 0o644)
	child := func(db string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "NIANBAO_CRAWL_CHILD_DB="+db, "NIANBAO_CRAWL_CHILD_SOURCES="+sources)
		cmd.Stderr = os.Stderr
		return cmd
	}
	ref := filepath.Join(dir, "ref", "n.db")
	start := time.Now()
	if err := child(ref).Run(); err != nil {
		t.Fatalf("uninterrupted crawl: %v", err)
	}
	full := time.Since(start)
	want := snapshot(t, ref)
	if !strings.Contains(want, "report") {
		t.Fatal("the reference crawl stored no report")
	}

	killed := filepath.Join(dir, "killed", "n.db")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10 {
		cmd := child(killed)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		at := time.Duration(rng.Int64N(int64(full)))
		time.Sleep(at)
		cmd.Process.Kill()
		cmd.Wait()
		t.Logf("kill %d at %v of %v", i+1, at.Round(time.Millisecond), full.Round(time.Millisecond))
		checkIntact(t, killed)
	}
	if err := child(killed).Run(); err != nil {
		t.Fatalf("final crawl: %v", err)
	}
	checkIntact(t, killed)
	if got := snapshot(t, killed); got != want {
		t.Errorf("after 10 kills and a rerun the data differ from an uninterrupted crawl:\n got %d lines\nwant %d lines", strings.Count(got, "\n"), strings.Count(want, "\n"))
	}
}

func checkIntact(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return // killed before the database was created
	}
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
	for q, what := range map[string]string{
		"SELECT COUNT(*) FROM (SELECT sha256 FROM documents GROUP BY sha256 HAVING COUNT(*) > 1)":                           "duplicate documents",
		"SELECT COUNT(*) FROM (SELECT document_id FROM reports GROUP BY document_id HAVING COUNT(*) > 1)":                   "documents with two reports",
		"SELECT COUNT(*) FROM (SELECT agency_id, year FROM reports WHERE is_current = 1 GROUP BY 1, 2 HAVING COUNT(*) > 1)": "agency-years with two current reports",
		"SELECT COUNT(*) FROM cell_values v LEFT JOIN reports r ON r.id = v.report_id WHERE r.id IS NULL":                   "orphan cells",
	} {
		var n int
		db.SQL().QueryRow(q).Scan(&n)
		if n > 0 {
			t.Errorf("%d %s", n, what)
		}
	}
}
