package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/crawl/crawltest"
)

// TestExitCodes: 0 all good, 1 something failed but the rest finished,
// 2 usage — the contract cron and systemd alerts rely on.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	good, bad := "../../fixtures/106-tab-text-2021.txt", filepath.Join(dir, "empty.txt")
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
