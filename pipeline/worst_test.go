package pipeline_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/pipeline"
)

// TestWorstCaseInputs bounds the time of inputs built to hit quadratic
// paths: long runs of value lines, continuation lines, cells, rows.
func TestWorstCaseInputs(t *testing.T) {
	const n = 64 << 10
	cases := map[string]string{
		"value lines":        strings.Repeat("1\n", n/2),
		"continuation lines": "\tx\n" + strings.Repeat("y\n", n/2),
		"tab cells":          strings.Repeat("\t1\n", n/3),
		"tab rows":           strings.Repeat("\t1\n\n", n/4),
		"label then values":  strings.Repeat("一、本年新收政府信息公开申请数量\n1\n2\n3\n4\n5\n6\n7\n", n/64),
		"pipe cells":         "|" + strings.Repeat("1|", n/2) + "\n|---|\n|1|\n",
		"pipe rows":          strings.Repeat("| 总计 | 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n", n/32),
		"html cells":         "<table><tr>" + strings.Repeat("<td>1", n/5) + "</table>",
		"html spans":         "<table>" + strings.Repeat(`<tr><td rowspan="1000" colspan="1000">1</td>`, n/44) + "</table>",
		"html nested":        strings.Repeat("<table><tr><td>", n/15),
		"paragraph numbers":  "行政许可 " + strings.Repeat("1 ", n/2),
		"t4 anchors":         strings.Repeat("行政复议\n", n/13),
	}
	for name, in := range cases {
		start := time.Now()
		res := pipeline.Process(name, []byte(in), extract.Options{})
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
		if res.Error != nil && strings.Contains(*res.Error, "internal error") {
			t.Errorf("%s: %s", name, *res.Error)
		}
	}
}

// TestLongNumberRuns: 300k one-number lines took 6.5 s and 192 MB when the
// row joiner concatenated with +=; linear now (about 0.5 s).
func TestLongNumberRuns(t *testing.T) {
	for name, in := range map[string]string{
		"number lines":       "一、本年新收政府信息公开申请数量\n" + strings.Repeat("12\n", 300_000),
		"continuation lines": "\t总计\n" + strings.Repeat("续\n", 300_000) + "\n\t1\n",
	} {
		start := time.Now()
		pipeline.Process(name, []byte(in), extract.Options{})
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("%s: %v for 300k lines", name, d)
		}
	}
}
