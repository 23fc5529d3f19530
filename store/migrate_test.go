package store

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestUpgradeOldFile opens a file written by the first schema version and
// checks it is upgraded in place, keeping its rows.
func TestUpgradeOldFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0](), "PRAGMA user_version = 1",
		"INSERT INTO documents (sha256, size, first_seen) VALUES ('abc', 1, 'then')"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v, docs int
	db.sql.QueryRow("PRAGMA user_version").Scan(&v)
	db.sql.QueryRow("SELECT COUNT(*) FROM documents").Scan(&docs)
	if v != len(migrations) || docs != 1 {
		t.Errorf("after upgrade: version %d (want %d), %d documents (want 1)", v, len(migrations), docs)
	}
	if _, err := db.sql.Exec("SELECT * FROM xyear_checks LIMIT 1"); err != nil {
		t.Errorf("upgraded file lacks a newer view: %v", err)
	}
}
