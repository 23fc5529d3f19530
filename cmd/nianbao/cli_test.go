package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
