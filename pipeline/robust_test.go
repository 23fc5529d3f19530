package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/eval"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/pipeline"
)

// One bad byte in a UTF-8 report, or a truncated last character, must not
// flip the whole file to GB18030: every cell stays right, with a warning.
func TestOneBadByteKeepsUTF8(t *testing.T) {
	files := corpusFiles(t)
	for _, name := range []string{"000", "005"} { // tab text, Markdown
		var path string
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), name) {
				path = f
			}
		}
		clean := processPath(t, path)
		g, _, err := eval.FindGold(filepath.Join(corpusDir, "gold"), path)
		if err != nil {
			t.Fatal(err)
		}
		want := eval.Compare(clean.Report, g).Right
		data := readFile(t, path)
		mid := bytes.IndexByte(data[len(data)/3:], '\n') + len(data)/3
		variants := map[string][]byte{
			"invalid byte":        append(append(append([]byte{}, data[:mid]...), 0xFF), data[mid:]...),
			"truncated last char": append(append([]byte{}, bytes.TrimRight(data, "\n")...), "共计"[:4]...),
		}
		for v, d := range variants {
			res := pipeline.Process(path, d, extract.Options{})
			if res.Error != nil {
				t.Fatalf("%s %s: %s", name, v, *res.Error)
			}
			if got := eval.Compare(res.Report, g).Right; got != want {
				t.Errorf("%s %s: %d cells right, want %d as without the bad byte", name, v, got, want)
			}
			if !strings.Contains(strings.Join(res.Warnings, "|"), "invalid UTF-8") {
				t.Errorf("%s %s: warnings %q do not report the replaced byte", name, v, res.Warnings)
			}
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
