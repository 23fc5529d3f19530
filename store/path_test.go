package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nianbao/nianbao/store"
)

// TestDBPathIsThatFile: --db names were pasted into an SQLite URI
// unescaped — 'x#1.db' created 'x', so x#1.db and x#2.db shared one file;
// '%41' was decoded; '?' broke the options. Any name means that file.
func TestDBPathIsThatFile(t *testing.T) {
	dir := t.TempDir()
	names := []string{"x#1.db", "x#2.db", "a%41.db", "q?mode=memory.db", "sp ace.db", "数据.db"}
	for i, n := range names {
		db, err := store.Open(filepath.Join(dir, n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		rep := sampleReport("甲局", 2020+i, 1)
		if _, err := db.Save(context.Background(), store.Document{SHA256: n, Path: n}, rep); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		db.Close()
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".db" {
			got = append(got, e.Name())
		}
	}
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("files %v, want exactly %v", got, want)
	}
	for i, n := range names {
		db, err := store.OpenReadOnly(filepath.Join(dir, n))
		if err != nil {
			t.Fatalf("%s read-only: %v", n, err)
		}
		years, err := db.Years(context.Background())
		db.Close()
		if err != nil || len(years) != 1 || years[0] != 2020+i {
			t.Errorf("%s holds years %v (%v), want only %d: datasets mixed", n, years, err, 2020+i)
		}
	}
}
