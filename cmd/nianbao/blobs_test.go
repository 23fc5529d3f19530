package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/store"
)

// TestDamagedBlobIsAnError replaces a stored document's bytes with another
// report's (a bad restore): reextract --all said "changed", exited 0 and
// filed the other agency's report under the first document. Now the read
// fails naming the blob, nothing is filed, exit 1; verify finds it.
func TestDamagedBlobIsAnError(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.db")
	quiet(t, func() {
		if code := run("ingest", []string{"-q", "--db", db, "../../fixtures/106-tab-text-2021.txt"}); code != 0 {
			t.Fatalf("ingest exited %d", code)
		}
	})
	d, err := store.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := d.CompareRows(t.Context(), store.CompareFilter{})
	sha := ""
	if vs, _ := d.Versions(t.Context(), mustAgency(t, d, rows[0].Agency), rows[0].Year); len(vs) == 1 {
		sha = vs[0].SHA
	}
	blob := d.Blobs.Path(sha)
	d.Close()
	other, _ := os.ReadFile("../../fixtures/105-wrong-totals-2023.md")
	matches, _ := filepath.Glob(blob + "*")
	if sha == "" || len(matches) != 1 {
		t.Fatalf("stored blob of %q: %v", sha, matches)
	}
	os.Remove(matches[0])
	os.WriteFile(blob, other, 0o644) // raw form, another report's bytes

	var out, errb bytes.Buffer
	if err := runReextract([]string{"--db", db, "--all"}, &out, &errb); err != errPartial {
		t.Errorf("reextract over a damaged blob: %v, want exit 1", err)
	}
	if e := errb.String(); !strings.Contains(e, "failed: ") || !strings.Contains(e, sha) || !strings.Contains(e, "do not match their sha256") {
		t.Errorf("reextract stderr %q does not name the damaged blob", e)
	}
	if !strings.Contains(out.String(), "0 reports changed") {
		t.Errorf("reextract filed something: %s", out.String())
	}
	out.Reset()
	errb.Reset()
	if err := runVerify([]string{"--db", db}, &out, &errb); err != errPartial || !strings.Contains(errb.String(), "damaged: "+sha) || !strings.HasPrefix(out.String(), "1 documents checked, 1 with") {
		t.Errorf("verify: %v, %q, %q", err, out.String(), errb.String())
	}
	// Ingesting the true bytes again heals the store.
	quiet(t, func() { run("ingest", []string{"-q", "--db", db, "../../fixtures/106-tab-text-2021.txt"}) })
	out.Reset()
	if err := runVerify([]string{"--db", db}, &out, &errb); err != nil {
		t.Errorf("verify after re-ingesting the true bytes: %v, %q", err, out.String())
	}
}

func mustAgency(t *testing.T, d *store.DB, name string) int64 {
	a, err := d.FindAgency(t.Context(), "", name)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// TestControlCharactersQuoted: a file name with an ANSI escape and a
// newline was echoed raw to the terminal.
func TestControlCharactersQuoted(t *testing.T) {
	if got := quoteName("a\x1b[31mred\nb\xffc报告"); got != `a\x1b[31mred\nb\xffc报告` {
		t.Errorf("quoteName: %q", got)
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "evil\x1b[2J.txt")
	os.WriteFile(name, nil, 0o644)
	r, w, _ := os.Pipe()
	stderr := os.Stderr
	os.Stderr = w
	code := run("ingest", []string{"-q", "--db", filepath.Join(dir, "n.db"), name})
	w.Close()
	os.Stderr = stderr
	var b bytes.Buffer
	b.ReadFrom(r)
	if code != 1 || strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), `evil\x1b[2J.txt`) {
		t.Errorf("exit %d, stderr %q: want the name escaped", code, b.String())
	}
}

// TestFIFOArgumentRefused: a FIFO given to ingest or extract blocked
// forever; now it is refused as not a regular file, and the run goes on.
func TestFIFOArgumentRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan int, 2)
	go quiet(t, func() {
		done <- run("ingest", []string{"-q", "--db", filepath.Join(dir, "n.db"), fifo, "../../fixtures/106-tab-text-2021.txt"})
		done <- run("extract", []string{fifo})
	})
	for _, cmd := range []string{"ingest", "extract"} {
		select {
		case code := <-done:
			if code != 1 {
				t.Errorf("%s with a FIFO exited %d, want 1", cmd, code)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s blocked on a FIFO", cmd)
		}
	}
}
