package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/store"
)

// TestAlertsFireForNewFailures: a portal known to block us made every
// nightly run exit 1, so an alert cried wolf. A source marked expect =
// "blocked" (or enabled = false) no longer fails the run; anything else
// still does; status --check says so for monitoring; sources dropped from
// the file leave status and can be pruned.
func TestAlertsFireForNewFailures(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	site := &crawltest.Site{Platform: "trs", Reports: mustSample(t)[1:2]}
	ok := httptest.NewServer(site)
	defer ok.Close()
	wall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusPreconditionFailed)
		w.Write([]byte(`<script>$_ts=window['$_ts']||{};</script>`))
	}))
	defer wall.Close()
	write := func(name, extra string) string {
		p := filepath.Join(dir, name)
		text := fmt.Sprintf("delay = \"1ms\"\n[[source]]\nurl = %q\n[[source]]\nurl = %q\n%s", ok.URL+site.ListPath(), wall.URL+"/col/index.html", extra)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	known := write("known.toml", "expect = \"blocked\"\n[[source]]\nurl = \"http://127.0.0.1:1/off.html\"\nenabled = false\n")
	unknown := write("unknown.toml", "")
	var out, errb bytes.Buffer
	crawlWith := func(sources string) error {
		out.Reset()
		errb.Reset()
		return runCrawl([]string{"-q", "--db", db, "--sources", sources}, &out, &errb)
	}
	if err := crawlWith(known); err != nil || !strings.Contains(out.String(), "1 sources in their expected state, 1 disabled") {
		t.Errorf("a known block and a disabled source: %v, %s", err, out.String())
	}
	var check bytes.Buffer
	if err := runStatus([]string{"--db", db, "--check"}, &check, &errb); err != nil || !strings.HasPrefix(check.String(), "OK: ") {
		t.Errorf("status --check after a run with only expected failures: %v, %s", err, check.String())
	}
	var status bytes.Buffer
	runStatus([]string{"--db", db}, &status, &errb)
	if !strings.Contains(status.String(), "blocked (expected)") || !strings.Contains(status.String(), "disabled") {
		t.Errorf("status:\n%s", status.String())
	}
	if err := crawlWith(unknown); err != errPartial {
		t.Errorf("an unexpected block: %v, want exit 1", err)
	}
	check.Reset()
	if err := runStatus([]string{"--db", db, "--check"}, &check, &errb); err != errPartial || !strings.Contains(check.String(), "1 unexpected failures") {
		t.Errorf("status --check after an unexpected failure: %v, %s", err, check.String())
	}
	// The disabled source is no longer in the last file: hidden, then pruned.
	status.Reset()
	runStatus([]string{"--db", db}, &status, &errb)
	if strings.Contains(status.String(), "off.html") || !strings.Contains(status.String(), "1 sources the last run's sources file no longer lists") {
		t.Errorf("status after the file dropped a source:\n%s", status.String())
	}
	out.Reset()
	if err := runSources([]string{"prune", "--db", db}, &out, &errb); err != nil || !strings.Contains(out.String(), "removed: http://127.0.0.1:1/off.html") {
		t.Errorf("prune: %v, %s", err, out.String())
	}
	d, _ := store.OpenReadOnly(db)
	srcs, _ := d.Sources(t.Context())
	d.Close()
	if len(srcs) != 2 {
		t.Errorf("%d sources after prune, want 2", len(srcs))
	}
	// A stale last run fails the check.
	check.Reset()
	sdb, _ := store.OpenReadOnly(db)
	defer sdb.Close()
	if err := healthCheck(t.Context(), sdb, time.Hour, time.Now().Add(3*time.Hour), &check); err != errPartial || !strings.Contains(check.String(), "ago") {
		t.Errorf("an old last run: %v, %s", err, check.String())
	}
}
