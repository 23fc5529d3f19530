package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/store"
)

// TestFlagsAfterArguments: 'ingest FILE --db x.db' took --db and x.db as
// file names; flags are now read wherever they stand ("--" ends them).
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "after.db")
	quiet(t, func() {
		if code := run("ingest", []string{"../../fixtures/106-tab-text-2021.txt", "--db", db, "-q"}); code != 0 {
			t.Errorf("ingest FILE --db x.db -q exited %d", code)
		}
	})
	if _, err := os.Stat(db); err != nil {
		t.Errorf("--db after the file was not taken: %v", err)
	}
	if _, err := os.Stat("--db"); err == nil {
		t.Error("a file named --db was created")
	}
}

// TestStatusNeverCreatesDatabase: 'status' without --db silently created
// an empty database and reported on it.
func TestStatusNeverCreatesDatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "none.db")
	var out, errb bytes.Buffer
	err := runStatus([]string{"--db", p}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "no database at") {
		t.Errorf("status on a missing file: %v", err)
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("status created the database")
	}
}

// TestServeWithoutDB: serve without --db and no database says which file
// to pass (exit 2) instead of failing on a missing file.
func TestServeWithoutDB(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(t.TempDir())
	var out, errb bytes.Buffer
	err := runServe(nil, &out, &errb)
	if !isUsage(err) || !strings.Contains(err.Error(), "nianbao demo") {
		t.Errorf("serve without a database: %v", err)
	}
}

// TestFailureAgreement: eval --gold /nonexistent passed with "ALL (0
// documents)"; extract printed the hash of empty input for a missing file
// and exited 0 on a non-report. extract, ingest and reextract now agree
// (pipeline.Verdict), and nothing measured is not a pass.
func TestFailureAgreement(t *testing.T) {
	dir := t.TempDir()
	news := filepath.Join(dir, "news.html")
	os.WriteFile(news, []byte("<html><body><h1>新闻</h1><p>今天天气很好。</p></body></html>"), 0o644)
	var out, errb bytes.Buffer
	if err := runExtract([]string{filepath.Join(dir, "missing.pdf")}, &out, &errb); err != errSilent {
		t.Errorf("extract of a missing file: %v", err)
	}
	if s := out.String(); !strings.Contains(s, `"sha256":""`) || !strings.Contains(s, `"error_class":"io"`) || !strings.Contains(s, "missing.pdf") {
		t.Errorf("extract of a missing file printed %s", s)
	}
	out.Reset()
	if err := runExtract([]string{news}, &out, &errb); err != errSilent || !strings.Contains(out.String(), `"error_class":"not_a_report"`) {
		t.Errorf("extract of a non-report: %v, %s", err, out.String())
	}
	quiet(t, func() {
		if code := run("eval", []string{"--gold", filepath.Join(dir, "nogold"), "../../fixtures/106-tab-text-2021.txt"}); code != 2 {
			t.Errorf("eval with a missing gold folder exited %d, want 2", code)
		}
		if code := run("eval", []string{"--gold", dir, news}); code != 1 {
			t.Errorf("eval that measured nothing exited %d, want 1", code)
		}
		if code := run("ingest", []string{"-q", "--db", filepath.Join(dir, "n.db"), news}); code != 1 {
			t.Errorf("ingest of a non-report exited %d, want 1", code)
		}
	})
}

// TestCrawlLogLines: every crawl line carries its time, and a crawl
// refused by the lock prints no all-zero summary first.
func TestCrawlLogLines(t *testing.T) {
	var b bytes.Buffer
	w := stamped(&b).(*stampWriter)
	w.now = func() time.Time { return time.Date(2026, 12, 7, 5, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	fmt.Fprintf(w, "ok       a\nfailed ")
	fmt.Fprintf(w, "b\n")
	if got := b.String(); got != "2026-12-06T21:00:00Z ok       a\n2026-12-06T21:00:00Z failed b\n" {
		t.Errorf("stamped lines %q", got)
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "n.db")
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	release, err := db.LockCrawl(t.Context(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	defer db.Close()
	var out, errb bytes.Buffer
	err = runCrawl([]string{"--db", dbPath, "--sources", writeSources(t, dir, "s.toml", "http://127.0.0.1:1/l.html")}, &out, &errb)
	if !errors.Is(err, store.ErrLocked) || strings.Contains(out.String(), "sources:") {
		t.Errorf("locked: %v, printed %q", err, out.String())
	}
}

// TestCoverageCommand: expected agencies against reports found, by year,
// in every format; an unknown region is a usage error.
func TestCoverageCommand(t *testing.T) {
	_, dbPath, _ := demoDB(t)
	var out, errb bytes.Buffer
	if err := runCoverage([]string{"--db", dbPath, "--region", "宁海县", "--year", "2022"}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "330226 浙江省宁波市宁海县") || !strings.Contains(s, "found / expected") || !strings.Contains(s, "宁海县市场监督管理局") {
		t.Errorf("coverage table:\n%s", s)
	}
	out.Reset()
	if err := runCoverage([]string{"--db", dbPath, "--region", "330226", "--year", "2022", "--format", "csv"}, &out, &errb); err != nil || !strings.Contains(out.String(), "330226:市场监督管理局,宁海县市场监督管理局,department,published here before,found") {
		t.Errorf("coverage csv: %v\n%s", err, out.String())
	}
	if err := runCoverage([]string{"--db", dbPath, "--region", "无此地"}, &out, &errb); !isUsage(err) {
		t.Errorf("unknown region: %v", err)
	}
}
