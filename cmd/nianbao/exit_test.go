package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/store"
)

// TestExitCodes: 0 all good, 1 something failed but the rest finished,
// 2 usage — the contract cron and systemd alerts rely on.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	good, bad := fixtures.Path("106-tab-text-2021.txt"), filepath.Join(dir, "empty.txt")
	os.WriteFile(bad, nil, 0o644)

	// A database whose blob folder cannot be written: every ingest fails.
	noBlobs := filepath.Join(dir, "noblobs")
	os.MkdirAll(noBlobs, 0o755)
	os.WriteFile(filepath.Join(noBlobs, "blobs"), []byte("a file, not a folder"), 0o644)

	site := &crawltest.Site{Platform: "trs", Reports: mustSample(t)[1:2]}
	srv := httptest.NewServer(site)
	defer srv.Close()
	okSources := writeSources(t, dir, "ok.toml", srv.URL+site.ListPath())
	// every source failed: its list page is gone (not retried, so quick)
	deadSources := writeSources(t, dir, "dead.toml", srv.URL+"/no-such-list.html")
	negDelay := filepath.Join(dir, "neg.toml")
	os.WriteFile(negDelay, []byte("delay = \"-1s\"\n[[source]]\nurl = \"https://a.gov.cn/\"\n"), 0o644)

	cases := []struct {
		name string
		args []string
		want int
	}{
		{"no command args", []string{"ingest"}, 2},
		{"unknown flag", []string{"export", "--bogus"}, 2},
		{"bad format", []string{"export", "--db", db, "--format", "pdf"}, 2},
		{"help", []string{"ingest", "-h"}, 0},
		{"ingest good", []string{"ingest", "-q", "--db", db, good}, 0},
		{"ingest good and bad", []string{"ingest", "-q", "--db", db, good, bad}, 1},
		{"ingest blob write fails", []string{"ingest", "-q", "--db", filepath.Join(noBlobs, "n.db"), good}, 1},
		{"extract one missing", []string{"extract", good, filepath.Join(dir, "missing.txt")}, 1},
		{"crawl ok", []string{"crawl", "-q", "--db", filepath.Join(dir, "c.db"), "--sources", okSources}, 0},
		{"crawl every source failed", []string{"crawl", "-q", "--db", filepath.Join(dir, "d.db"), "--sources", deadSources}, 1},
		{"crawl missing sources file", []string{"crawl", "-q", "--db", filepath.Join(dir, "e.db"), "--sources", filepath.Join(dir, "none.toml")}, 2},
		{"crawl malformed sources file", []string{"crawl", "-q", "--db", filepath.Join(dir, "e.db"), "--sources", bad}, 2},
		{"crawl negative delay", []string{"crawl", "-q", "--db", filepath.Join(dir, "e.db"), "--sources", negDelay}, 2},
	}
	devnull, _ := os.Open(os.DevNull)
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	for _, c := range cases {
		if got := run(c.args[0], c.args[1:]); got != c.want {
			t.Errorf("%s: nianbao %v exited %d, want %d", c.name, c.args, got, c.want)
		}
	}
}

func writeSources(t *testing.T, dir, name, url string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, fmt.Appendf(nil, "delay = \"1ms\"\n[[source]]\nurl = %q\n", url), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustSample(t *testing.T) []crawltest.Report {
	rs, err := crawltest.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// --version prints what every stored report records.
func TestVersionAgreesWithReports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	devnull, _ := os.Open(os.DevNull)
	stdout, stderr := os.Stdout, os.Stderr
	r, w, _ := os.Pipe()
	os.Stdout, os.Stderr = w, devnull
	code := run("--version", nil)
	w.Close()
	out, _ := io.ReadAll(r)
	os.Stdout = devnull
	run("ingest", []string{"-q", "--db", db, fixtures.Path("106-tab-text-2021.txt")})
	os.Stdout, os.Stderr = stdout, stderr
	if code != 0 {
		t.Fatalf("--version exited %d", code)
	}
	d, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ext string
	d.SQL().QueryRow("SELECT extractor FROM reports").Scan(&ext)
	if got := strings.TrimSpace(strings.TrimPrefix(string(out), "nianbao ")); got != ext || ext == "" {
		t.Errorf("--version says %q, the report records %q", got, ext)
	}
}

// show prints where a stored cell was printed: page and box for a PDF,
// the row as printed for HTML, the cell marked.
func TestShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "n.db")
	devnull, _ := os.Open(os.DevNull)
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	run("ingest", []string{"-q", "--db", db, fixtures.Path("108-t19-blanks-2020.pdf"), fixtures.Path("101-gbk-portal-2022.html")})
	os.Stdout, os.Stderr = stdout, stderr
	var out, errb bytes.Buffer
	if err := runShow([]string{"--db", db, "1", "t3.granted.natural_person"}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if s := out.String(); !strings.Contains(s, "page ") || !strings.Contains(s, "box: top-left") || !strings.Contains(s, "【40】") || !strings.Contains(s, "108-t19-blanks-2020.pdf") {
		t.Errorf("PDF cell:\n%s", s)
	}
	out.Reset()
	if err := runShow([]string{"--db", db, "2", "t4.review.total"}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if s := out.String(); strings.Contains(s, "page ") || !strings.Contains(s, "【5】") || !strings.Contains(s, "101-gbk-portal-2022.html") {
		t.Errorf("HTML cell:\n%s", s)
	}
}

// summary prints the comparison for any database; its CSV is the one the
// web page downloads.
func TestSummary(t *testing.T) {
	db := filepath.Join(t.TempDir(), "n.db")
	devnull, _ := os.Open(os.DevNull)
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	run("ingest", []string{"-q", "--db", db, fixtures.Path("101-gbk-portal-2022.html"), fixtures.Path("104-t19-blanks-2020.html")})
	os.Stdout, os.Stderr = stdout, stderr
	var out, errb bytes.Buffer
	if err := runSummary([]string{"--db", db, "--format", "csv", "--year", "2022"}, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\r\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "宁海县市场监督管理局,浙江省宁波市宁海县,2022,51,51,0.5882,printed") {
		t.Errorf("summary csv:\n%s", out.String())
	}
	out.Reset()
	if err := runSummary([]string{"--db", db, "--region", "330521"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "德清县人民政府办公室") || strings.Contains(s, "宁海县") {
		t.Errorf("summary --region 330521:\n%s", s)
	}
	if code := run("summary", []string{"--db", db, "--format", "pdf"}); code != 2 {
		t.Errorf("bad --format exited %d, want 2", code)
	}
}
