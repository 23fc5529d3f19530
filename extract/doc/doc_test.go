package doc_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/extract/doc"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/internal/testlimit"
	"github.com/nianbao/nianbao/normalize"
)

func cells(t *testing.T, path string) map[string]nianbao.Cell {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := extract.Read(path, data, extract.Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return normalize.Normalize(d).Cells
}

// Every .doc fixture (LibreOffice's Word 97 export) reads to the same cells
// as the DOCX of the same report.
func TestSameCellsAsDOCX(t *testing.T) {
	docs, _ := filepath.Glob(fixtures.Path("*.doc"))
	if len(docs) < 3 {
		t.Fatalf("%d .doc fixtures, want at least 3", len(docs))
	}
	for _, d := range docs {
		x := strings.TrimSuffix(d, ".doc") + ".docx"
		if _, err := os.Stat(x); err != nil {
			x = strings.TrimSuffix(d, "-lo.doc") + ".docx" // 107: the DOCX is the original
		}
		a, b := cells(t, d), cells(t, x)
		if len(a) < 190 {
			t.Errorf("%s: %d cells", filepath.Base(d), len(a))
		}
		for id, c := range b {
			if got, ok := a[id]; !ok || got.Raw != c.Raw || got.Semantic != c.Semantic {
				t.Errorf("%s: %s = %+v, DOCX has %+v", filepath.Base(d), id, a[id], c)
			}
		}
		for id := range a {
			if _, ok := b[id]; !ok {
				t.Errorf("%s: %s not in the DOCX", filepath.Base(d), id)
			}
		}
	}
}

// An OLE file that is not a Word 97 document keeps a clear error.
func TestNotWord(t *testing.T) {
	data, err := os.ReadFile(fixtures.Path("107-t19-blanks-2020-lo.doc"))
	if err != nil {
		t.Fatal(err)
	}
	// Break the FIB's magic number where the WordDocument stream starts.
	bad := bytes.Clone(data)
	found := false
	for off := 512; off+2 < len(bad); off += 512 {
		if bad[off] == 0xEC && bad[off+1] == 0xA5 {
			bad[off], bad[off+1] = 0, 0
			found = true
			break
		}
	}
	if !found {
		t.Fatal("WordDocument stream not found")
	}
	if _, err := doc.Read(bad); !errors.Is(err, doc.ErrNotWord) {
		t.Errorf("error %v, want ErrNotWord", err)
	}
	if _, err := doc.Read(data[:len(data)/3]); err == nil {
		t.Error("a truncated .doc was read without error")
	}
}

func FuzzReadDOC(f *testing.F) {
	for _, p := range []string{fixtures.Path("107-t19-blanks-2020-lo.doc")} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 256<<10 {
			return
		}
		testlimit.Run(t, testlimit.PerInput, func() {
			if d, err := doc.Read(data); err == nil {
				for _, b := range d.Blocks {
					if b.Table != nil {
						b.Table.Grid()
					}
				}
			}
		})
	})
}
