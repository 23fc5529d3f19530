package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/store"
)

// TestReadOnlyMedium: a WAL database in a folder nothing can be written to
// (a read-only mount, a :ro container volume, another user's folder)
// could not be opened by any read-only command ("attempt to write a
// readonly database", or "no such file" for a file that exists). It is
// now read as an unchanging file, with a notice. The folder is made
// read-only with a read-only bind mount (needs root, as CI has).
func TestReadOnlyMedium(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a read-only bind mount needs root")
	}
	src, ro := t.TempDir(), t.TempDir()
	db, err := store.Open(filepath.Join(src, "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(context.Background(), store.Document{SHA256: "a", Path: "a.txt"}, sampleReport("甲局", 2023, 4)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out, err := exec.Command("mount", "--bind", src, ro).CombinedOutput(); err != nil {
		t.Skipf("mount --bind: %v %s", err, out)
	}
	defer exec.Command("umount", ro).Run()
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", ro).CombinedOutput(); err != nil {
		t.Skipf("remount read-only: %v %s", err, out)
	}
	if f, err := os.Create(filepath.Join(ro, "probe")); err == nil {
		f.Close()
		t.Skip("the mount is writable")
	}
	rdb, err := store.OpenReadOnly(filepath.Join(ro, "n.db"))
	if err != nil {
		t.Fatalf("read-only medium: %v", err)
	}
	defer rdb.Close()
	rows, err := rdb.CompareRows(context.Background(), store.CompareFilter{})
	if err != nil || len(rows) != 1 || rows[0].Agency != "甲局" {
		t.Errorf("rows %+v, %v", rows, err)
	}
	if rdb.Notice == "" {
		t.Error("no notice that the file is read as immutable")
	}
	if _, err := store.Open(filepath.Join(ro, "n.db")); err == nil {
		t.Error("a read-write open on read-only media succeeded")
	}
}
