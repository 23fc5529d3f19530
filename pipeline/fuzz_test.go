package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/internal/testlimit"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/pipeline"
)

// FuzzProcess runs arbitrary bytes through reader and normalizer: no panic
// (Process turns one into an "internal error"), and only canonical cell ids.
func FuzzProcess(f *testing.F) {
	// Small seeds only: the mutator slows to a crawl on inputs of tens of KB.
	for _, p := range []string{fixtures.Path("10[345]*"), "../../shared/corpus/raw/00[06]*"} {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) <= 12<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			if len(data) > 64<<10 {
				return // size limits are tested directly in TestBadInputs
			}
			res := pipeline.Process("fuzz", data, extract.Options{})
			if res.Error != nil && strings.Contains(*res.Error, "internal error") {
				t.Fatal(*res.Error)
			}
			for id, c := range res.Cells {
				if _, ok := nianbao.LookupCell(id); !ok {
					t.Fatalf("invented cell id %q", id)
				}
				if (c.Value == nil) != (c.Semantic == nianbao.Empty || c.Semantic == nianbao.NA || c.Semantic == nianbao.Text) {
					t.Fatalf("cell %s: value %v with semantic %s", id, c.Value, c.Semantic)
				}
			}
		})
	})
}
