package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/eval"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
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

// Narrative checks: the prose restates figures; a table pasted from the
// wrong year disagrees with it.
func TestNarrativeChecks(t *testing.T) {
	data := readFile(t, fixtures.Path("106-tab-text-2021.txt")) // table: 11 new, 1 carried over, 12 answered, 0 forward; 1 review
	check := func(prose string) map[string]nianbao.Check {
		res := pipeline.Process("n.txt", []byte(prose+"\n\n"+string(data)), extract.Options{})
		out := map[string]nianbao.Check{}
		for _, c := range res.Checks {
			if strings.HasSuffix(c.ID, ".TEXT") {
				out[c.ID+" "+c.Scope] = c
			}
		}
		return out
	}
	got := check("2021年，我局共收到政府信息公开申请11件，同比增加10件，上年结转1件，共办结12件。发生行政复议1件，未发生行政诉讼。")
	want := map[string]string{
		"T3.TEXT 收到政府信息公开申请11件": "pass", "T3.TEXT 上年结转1件": "pass", "T3.TEXT 共办结12件": "pass",
		"T4.TEXT 发生行政复议1件": "pass", "T4.TEXT 未发生行政诉讼": "pass",
	}
	for k, st := range want {
		if c, ok := got[k]; !ok || c.Status != st {
			t.Errorf("%s: %+v, want %s (all: %v)", k, c, st, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d narrative checks, want %d (同比增加10件 is a change, not a figure): %v", len(got), len(want), got)
	}
	// Last year's prose over this year's table.
	got = check("全年新收政府信息公开申请42件，结转下年度继续办理3件。")
	if c := got["T3.TEXT 新收政府信息公开申请42件"]; c.Status != nianbao.Fail || c.LHS != 42 || c.RHS != 11 || c.Severity != "warning" {
		t.Errorf("wrong-year prose: %+v", c)
	}
	if c := got["T3.TEXT 结转下年度继续办理3件"]; c.Status != nianbao.Fail {
		t.Errorf("carried forward: %+v", c)
	}
}
