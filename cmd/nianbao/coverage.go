package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/nianbao/nianbao/coverage"
	"github.com/nianbao/nianbao/export"
)

// runCoverage prints how much of a region the dataset covers, by year.
func runCoverage(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	regionArg := fs.String("region", "", "the region: a division code (330226) or name (宁海县), required")
	year := fs.Int("year", 0, "one statistics year (default: 2019 to last year)")
	format := fs.String("format", "table", "table, csv or json")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao coverage --region CODE|NAME [--year Y] [--format table|csv|json] [--db FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *regionArg == "" {
		return usageErr("--region is required")
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageErr(fmt.Sprintf("--format must be table, csv or json, not %q", *format))
	}
	now := time.Now()
	var years []int
	if *year != 0 {
		years = []int{*year}
	} else {
		for y := 2019; y < now.Year(); y++ {
			years = append(years, y)
		}
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := coverage.Compute(context.Background(), db, *regionArg, years, now)
	if err != nil {
		return usageErr(err.Error())
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(t)
	case "csv":
		cols := []string{"agency_key", "agency", "kind", "expected_because"}
		for _, y := range years {
			cols = append(cols, strconv.Itoa(y))
		}
		cw, err := export.NewCSV(stdout, cols, export.Options{})
		if err != nil {
			return err
		}
		for _, a := range t.Agencies {
			if err := cw.Write(append([]string{a.Key, a.Name, a.Kind, a.Why}, a.States...)); err != nil {
				return err
			}
		}
		return cw.Flush()
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s %s\n", t.Region, t.RegionName)
	fmt.Fprint(tw, "year")
	for _, y := range years {
		fmt.Fprintf(tw, "\t%d", y)
	}
	fmt.Fprint(tw, "\nfound / expected")
	for i := range years {
		fmt.Fprintf(tw, "\t%d/%d (%.0f%%)", t.Found[i], t.Expected[i], 100*t.Share(i))
	}
	fmt.Fprintln(tw)
	for _, a := range t.Agencies {
		fmt.Fprint(tw, quoteName(a.Name))
		for _, s := range a.States {
			if s == "" {
				s = "·"
			}
			fmt.Fprintf(tw, "\t%s", s)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
