package pipeline_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/pipeline"
)

func benchProcess(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if res := pipeline.Process(path, data, extract.Options{}); res.Error != nil {
			b.Fatal(*res.Error)
		}
	}
}

// BenchmarkProcessHTML36K is the target case: a typical ~40 KB HTML
// report, read, normalized and checked (target < 1 ms on one core).
func BenchmarkProcessHTML36K(b *testing.B) {
	benchProcess(b, "../../shared/corpus/raw/001-shanghai-bgt-2019.html")
}

// BenchmarkProcessPortal111K is a 111 KB saved portal page with Word markup.
func BenchmarkProcessPortal111K(b *testing.B) {
	benchProcess(b, "../../shared/corpus/raw/015-shuyang-fgj-2023.html")
}

// BenchmarkProcessTabText is the seed report.
func BenchmarkProcessTabText(b *testing.B) {
	benchProcess(b, "../../shared/corpus/raw/000-linping-jiaotong-2023.txt")
}

// BenchmarkProcessMarkdown is a messy converter output with gap placement.
func BenchmarkProcessMarkdown(b *testing.B) {
	benchProcess(b, "../../shared/corpus/raw/006-shanghai-kewei-2024.md")
}

// BenchmarkNumberLines grows text of one number per line 4× per step; time
// per line must stay flat (the row joiner's += made 300k lines take 6.5 s).
// Complexity: every stage is linear (readers one pass; normalizer rows
// joined once; anchors and label matching per row).
func BenchmarkNumberLines(b *testing.B) {
	for _, n := range []int{16 << 10, 64 << 10, 256 << 10, 1 << 20} {
		data := []byte("一、本年新收政府信息公开申请数量\n" + strings.Repeat("12\n", n))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				pipeline.Process("lines.txt", data, extract.Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
		})
	}
}

// BenchmarkContinuationLines is the tab-text form's worst case: one cell
// continued over n lines.
func BenchmarkContinuationLines(b *testing.B) {
	for _, n := range []int{16 << 10, 64 << 10, 256 << 10, 1 << 20} {
		data := []byte("\t总计\n" + strings.Repeat("续\n", n) + "\n\t1\n")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				pipeline.Process("cont.txt", data, extract.Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
		})
	}
}
