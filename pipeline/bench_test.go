package pipeline_test

import (
	"os"
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
