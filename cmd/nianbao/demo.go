package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

// runDemo starts two fake portals on loopback (a Hanweb jcms column and a
// TRS list) publishing the bundled reports as HTML pages and PDF/DOCX
// attachments, crawls them, exports report_summary to CSV and prints a
// short comparison. No network is needed.
func runDemo(args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("demo", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", demoDBPath, "database file")
	out := fset.String("out", "nianbao-data/report_summary.csv", "CSV file for report_summary")
	if err := parseFlags(fset, args, stdout); err != nil {
		return err
	}
	reports, err := crawltest.Sample()
	if err != nil {
		return err
	}
	jcms := &crawltest.Site{Platform: "jcms", Reports: reports[:3], News: 2, PageSize: 2, Robots: "User-agent: *\nDisallow: /private/\n"}
	trs := &crawltest.Site{Platform: "trs", Reports: reports[3:], News: 1, PageSize: 2}
	s1, s2 := httptest.NewServer(jcms), httptest.NewServer(trs)
	defer s1.Close()
	defer s2.Close()
	sources := fmt.Sprintf(`delay = "100ms"

[[source]]
agency = "测试县（jcms 站点）"
url = %q
platform = "auto"

[[source]]
url = %q
platform = "trs"
`, s1.URL+jcms.ListPath(), s2.URL+trs.ListPath())
	fmt.Fprintf(stdout, "fake portals on loopback; sources file:\n\n%s\n", sources)
	cfg, err := crawl.ParseConfig(sources, "demo sources")
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	sum, err := crawl.New(cfg, db).Run(ctx, crawl.Options{Progress: stdout})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "crawl: %s\n", sum)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := db.Export(ctx, "report_summary", store.Filter{})
	if err != nil {
		return err
	}
	n, err := export.CSV(f, rows, export.Options{})
	rows.Close()
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	rows2, err := compare.Query(ctx, db, compare.Filter{})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := compare.WriteTable(stdout, rows2); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ndatabase: %s\nCSV (%d rows, UTF-8 with BOM for Excel/WPS): %s\n", db.Path, n, *out)
	fmt.Fprintf(stdout, "\nsee it in a browser:\n  go run ./cmd/nianbao serve --db %s\n", db.Path)
	return nil
}
