package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"text/tabwriter"

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
	dbPath := fset.String("db", "nianbao-data/demo.db", "database file")
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
	// agency last: tabwriter counts runes, and CJK runes are two columns wide
	q := `SELECT year, template, IFNULL(requests_received, ''), IFNULL(total_answered, ''),
		IFNULL(printf('%.1f%%', 100 * grant_rate), ''), IFNULL(reviews, ''), checks_failed, checks_incomplete, agency
		FROM report_summary ORDER BY agency, year`
	res, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer res.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nyear\ttemplate\treceived\tanswered\tgranted (incl. partly)\treviews\tchecks failed\tincomplete\tagency")
	for res.Next() {
		var c [9]any
		ptrs := make([]any, len(c))
		for i := range c {
			ptrs[i] = &c[i]
		}
		if err := res.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintf(tw, "%v\t%s\t%v\t%v\t%s\t%v\t%v\t%v\t%s\n", c[0], c[1], num(c[2]), num(c[3]), c[4], num(c[5]), c[6], c[7], c[8])
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\ndatabase: %s\nCSV (%d rows, UTF-8 with BOM for Excel/WPS): %s\n", db.Path, n, *out)
	return res.Err()
}

func num(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprint(int64(x))
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
