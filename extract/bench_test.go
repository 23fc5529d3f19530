package extract

import (
	"os"
	"testing"

	"github.com/nianbao/nianbao/fixtures"
)

func benchRead(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(path, data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadHTML36K reads the 36 KB Shanghai 2019 HTML report.
func BenchmarkReadHTML36K(b *testing.B) {
	benchRead(b, "../../shared/corpus/raw/001-shanghai-bgt-2019.html")
}

// BenchmarkReadHTMLGBK70K reads the 70 KB GBK portal-page fixture.
func BenchmarkReadHTMLGBK70K(b *testing.B) { benchRead(b, fixtures.Path("101-gbk-portal-2022.html")) }

// BenchmarkReadTabText reads the seed report.
func BenchmarkReadTabText(b *testing.B) {
	benchRead(b, "../../shared/corpus/raw/000-linping-jiaotong-2023.txt")
}
