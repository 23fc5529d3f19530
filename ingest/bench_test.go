package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// variants makes n distinct reports by renaming the agency of the UTF-8
// fixtures (HTML, one-cell-per-line text, Markdown) n ways.
func variants(tb testing.TB, n int) [][]byte {
	fatal := func(err error) {
		if tb == nil {
			panic(err)
		}
		tb.Fatal(err)
	}
	srcs := [][2]string{ // a slice, not a map: every process must build the same documents
		{fixtures.Path("103-one-cell-per-line-2024.txt"), "余姚市梨洲街道办事处"},
		{fixtures.Path("104-t19-blanks-2020.html"), "德清县人民政府办公室"},
		{fixtures.Path("105-wrong-totals-2023.md"), "慈溪市教育局"},
		{fixtures.Path("106-tab-text-2021.txt"), "象山县交通运输局"},
	}
	var bases [][2][]byte
	for _, src := range srcs {
		p, agency := src[0], src[1]
		data, err := os.ReadFile(p)
		if err != nil {
			fatal(err)
		}
		bases = append(bases, [2][]byte{data, []byte(agency)})
	}
	out := make([][]byte, n)
	for i := range out {
		b := bases[i%len(bases)]
		out[i] = bytes.ReplaceAll(b[0], b[1], []byte(fmt.Sprintf("第%d号%s", i, b[1])))
	}
	return out
}

// BenchmarkIngest1000 ingests 1,000 generated reports into a fresh database
// and reports documents per second and database bytes per report.
func BenchmarkIngest1000(b *testing.B) {
	docs := variants(b, 1000)
	for b.Loop() {
		dir := b.TempDir()
		db, err := store.Open(filepath.Join(dir, "n.db"))
		if err != nil {
			b.Fatal(err)
		}
		in := &ingest.Ingester{DB: db}
		start := time.Now()
		for i, d := range docs {
			if r := in.Bytes(context.Background(), fmt.Sprintf("doc%d", i), d, extract.Options{}); r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		elapsed := time.Since(start)
		db.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		var pages, size int64
		db.SQL().QueryRow("PRAGMA page_count").Scan(&pages)
		db.SQL().QueryRow("PRAGMA page_size").Scan(&size)
		empty := emptySize(b)
		b.ReportMetric(float64(len(docs))/elapsed.Seconds(), "docs/s")
		b.ReportMetric(float64(pages*size-empty)/float64(len(docs)), "dbbytes/report")
		db.Close()
	}
}

func emptySize(b *testing.B) int64 {
	db, err := store.Open(filepath.Join(b.TempDir(), "e.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var pages, size int64
	db.SQL().QueryRow("PRAGMA page_count").Scan(&pages)
	db.SQL().QueryRow("PRAGMA page_size").Scan(&size)
	return pages * size
}
