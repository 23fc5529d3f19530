package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao"
)

// addSeeds adds the project's fixtures and the shared corpus (when present)
// as seeds, cut to keep each fuzz input small.
func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(data[:min(len(data), 16<<10)])
			}
		}
	}
}

// checkDoc asserts what every reader guarantees for any input.
func checkDoc(t *testing.T, doc *nianbao.Document) {
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			if len(r) == 0 {
				t.Fatal("empty row in table")
			}
		}
		b.Table.Grid()
	}
}

func FuzzReadHTML(f *testing.F) {
	addSeeds(f, "../fixtures/*.html", "../../shared/corpus/raw/*.html")
	f.Add([]byte(`<table><tr><td rowspan="999999999" colspan="-3">x</td></tr></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadHTML(data, "")
		if err == nil {
			checkDoc(t, doc)
		}
	})
}

func FuzzReadTabText(f *testing.F) {
	addSeeds(f, "../../shared/corpus/raw/000-*")
	f.Add([]byte("\t\n\tx\ny\n\n\t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, ReadTabText(string(data)))
	})
}

func FuzzReadMarkdown(f *testing.F) {
	addSeeds(f, "../fixtures/*.md", "../../shared/corpus/raw/*.md")
	f.Add([]byte("|a|b|\n|-|-|\n|\\|1|2|\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDoc(t, ReadMarkdown(string(data)))
	})
}

func FuzzRead(f *testing.F) {
	addSeeds(f, "../fixtures/*.txt", "../../shared/corpus/raw/01*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read("fuzz", data, Options{})
		if err == nil {
			checkDoc(t, doc)
		}
	})
}
