package extract

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/internal/doctest"
	"github.com/nianbao/nianbao/internal/testlimit"

	"github.com/nianbao/nianbao"
)

// addSeeds adds the project's fixtures and the shared corpus (when present)
// as seeds, cut to keep each fuzz input small.
func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			// Small seeds only: the mutator slows to a crawl on large inputs.
			if data, err := os.ReadFile(file); err == nil && len(data) <= 12<<10 {
				f.Add(data)
			}
		}
	}
}

// checkDoc asserts what every reader guarantees for any input.
func checkDoc(t *testing.T, doc *nianbao.Document) { doctest.Check(t, doc) }

func FuzzReadHTML(f *testing.F) {
	addSeeds(f, fixtures.Path("*.html"))
	f.Add([]byte(`<html><head><meta charset="gbk"><title>t</title></head><body><table><tr><td rowspan="2">a<br>b</td><td>1</td></tr><tr><td>2</td></tr></table><table><tr><td><table><tr><td>x</td></tr></table></td></tr></table></body></html>`))
	f.Add([]byte(`<table><tr><td rowspan="999999999" colspan="-3">x</td></tr></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			if len(data) > 64<<10 {
				return
			}
			doc, err := ReadHTML(data, "")
			if err == nil {
				checkDoc(t, doc)
			}
		})
	})
}

func FuzzReadTabText(f *testing.F) {
	addSeeds(f, "../../shared/corpus/raw/000-*")
	f.Add([]byte("\t\n\tx\ny\n\n\t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			checkDoc(t, ReadTabText(string(data)))
		})
	})
}

func FuzzReadMarkdown(f *testing.F) {
	addSeeds(f, fixtures.Path("*.md"), "../../shared/corpus/raw/*.md")
	f.Add([]byte("|a|b|\n|-|-|\n|\\|1|2|\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			checkDoc(t, ReadMarkdown(string(data)))
		})
	})
}

func FuzzRead(f *testing.F) {
	addSeeds(f, fixtures.Path("*.txt"), fixtures.Path("*.md"), "../../shared/corpus/raw/01[1-4]*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			doc, err := Read("fuzz", data, Options{})
			if err == nil {
				checkDoc(t, doc)
			}
		})
	})
}
