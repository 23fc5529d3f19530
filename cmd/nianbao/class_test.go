package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
)

// TestReextractByClassNamesFailures stores a scanned PDF, a binary file
// and a report: failures are kept with their class, `reextract --class
// scanned` re-reads only the scan, and every failed document gets a
// `failed:` line and exit status 1 (it printed "1 failed" and exited 0).
func TestReextractByClassNamesFailures(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	bin := filepath.Join(dir, "blob.bin")
	os.WriteFile(bin, []byte("\x00\x01\x02binary"), 0o644)
	quiet(t, func() {
		if code := run("ingest", []string{"-q", "--db", db, fixtures.Path("106-tab-text-2021.txt"), fixtures.Path("errors/scan.pdf"), bin}); code != 1 {
			t.Errorf("ingest with two failures exited %d, want 1", code)
		}
	})
	var out, errb bytes.Buffer
	err := runReextract([]string{"--db", db, "--class", "scanned"}, &out, &errb)
	if err != errPartial {
		t.Errorf("reextract --class scanned: %v, want a partial failure", err)
	}
	if s := out.String(); !strings.HasPrefix(s, "1 documents re-extracted") || !strings.Contains(s, "1 failed") {
		t.Errorf("summary %q, want exactly the one scanned document", s)
	}
	if e := errb.String(); !strings.Contains(e, "failed: ") || !strings.Contains(e, "scan.pdf") || !strings.Contains(e, "no text layer") {
		t.Errorf("stderr %q does not name the failed document", e)
	}
	out.Reset()
	errb.Reset()
	if err := runReextract([]string{"--db", db, "--class", "nonsense"}, &out, &errb); !isUsage(err) {
		t.Errorf("an unknown class: %v, want a usage error", err)
	}
	out.Reset()
	if err := runReextract([]string{"--db", db, "--class", "not_a_report"}, &out, &errb); err != nil || !strings.HasPrefix(out.String(), "0 documents") {
		t.Errorf("no document of class not_a_report: %v, %q", err, out.String())
	}
}

func quiet(t *testing.T, fn func()) {
	t.Helper()
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	fn()
}

func isUsage(err error) bool {
	_, ok := err.(*usageError)
	return ok
}
