package extract_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// FuzzFilesBeside: whatever a saved page's src says, only files in the
// page's folder or below it are read.
func FuzzFilesBeside(f *testing.F) {
	root := f.TempDir()
	site := filepath.Join(root, "site")
	os.MkdirAll(filepath.Join(site, "img"), 0o755)
	os.WriteFile(filepath.Join(site, "img", "p1.jpg"), []byte("inside"), 0o644)
	os.WriteFile(filepath.Join(root, "secret.jpg"), []byte("outside"), 0o644)
	read := extract.FilesBeside(filepath.Join(site, "index.html"))
	for _, s := range []string{"img/p1.jpg", "./img/p1.jpg?x=1", "../secret.jpg", "img/../../secret.jpg", "/etc/passwd",
		"file:///etc/passwd", "http://a/b.jpg", `..\secret.jpg`, "img", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		data, err := read(src)
		if err == nil && !bytes.Equal(data, []byte("inside")) {
			t.Fatalf("%q read %q: only img/p1.jpg may be read", src, data)
		}
	})
}

func TestFilesBeside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p1.jpg"), []byte("x"), 0o644)
	outside := filepath.Join(t.TempDir(), "secret.jpg")
	os.WriteFile(outside, []byte("secret"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "link.jpg"))
	read := extract.FilesBeside(filepath.Join(dir, "index.html"))
	if b, err := read("p1.jpg?v=2"); err != nil || string(b) != "x" {
		t.Errorf("a file beside the page: %q %v", b, err)
	}
	for _, bad := range []string{"../p1.jpg", "/p1.jpg", "http://h/p1.jpg", "missing.jpg", ".", "link.jpg"} {
		if _, err := read(bad); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}
