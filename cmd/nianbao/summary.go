package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/nianbao/nianbao/compare"
)

// runSummary prints the comparison table for any database.
func runSummary(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	year := fs.Int("year", 0, "only this statistics year")
	region := fs.String("region", "", "a division code (3301 or 330113) or a name within the region, e.g. 临平区")
	agency := fs.String("agency", "", "only agencies whose name contains this text")
	format := fs.String("format", "table", "table, csv or json")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao summary [--db FILE] [--year Y] [--region R] [--agency TEXT] [--format table|csv|json]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usageErr(fmt.Sprintf("--format must be table, csv or json, not %q", *format))
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := compare.Query(context.Background(), db, compare.Filter{Year: *year, Region: *region, Agency: *agency})
	if err != nil {
		return err
	}
	switch *format {
	case "csv":
		return compare.WriteCSV(stdout, rows)
	case "json":
		return compare.WriteJSON(stdout, rows)
	}
	return compare.WriteTable(stdout, rows)
}
