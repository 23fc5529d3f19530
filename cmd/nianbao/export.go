package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	table := fs.String("table", "report_summary", "what to export: "+strings.Join(store.ExportTables(), ", "))
	where := fs.String("where", "", "extra SQL condition on the table's columns, e.g. \"grant_rate < 0.5\"")
	year := fs.Int("year", 0, "only this statistics year")
	agency := fs.String("agency", "", "only agencies whose name contains this text")
	out := fs.String("out", "", "output file (default: standard output)")
	format := fs.String("format", "", "csv, tsv or xlsx (default: from --out's extension, else csv)")
	noBOM := fs.Bool("no-bom", false, "omit the UTF-8 byte-order mark (it makes Excel/WPS read Chinese right)")
	lang := fs.String("lang", "en", "column headers: en (column names) or zh (Chinese)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao export [--db FILE] [--table T] [--where SQL] [--year Y] [--agency TEXT] [--out FILE] [--format csv|xlsx] [--lang zh] [--no-bom]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *format == "" {
		switch ext := strings.ToLower(filepath.Ext(*out)); ext {
		case "", ".csv":
			*format = "csv"
		case ".tsv", ".tab":
			*format = "tsv"
		case ".xlsx":
			*format = "xlsx"
		default: // never silently CSV under another name
			return usageErr(fmt.Sprintf("--out %s: unknown extension %s (use .csv, .tsv or .xlsx, or --format)", *out, ext))
		}
	}
	if *format != "csv" && *format != "tsv" && *format != "xlsx" {
		return usageErr(fmt.Sprintf("--format must be csv, tsv or xlsx, not %q", *format))
	}
	opt := export.Options{NoBOM: *noBOM}
	switch *lang {
	case "zh":
		opt.Headers, opt.Values = store.ChineseHeaders(), store.ChineseValues()
	case "en", "":
	default:
		return usageErr(fmt.Sprintf("--lang must be en or zh, not %q", *lang))
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("database %s: %w (run 'nianbao ingest' first)", *dbPath, err)
	}
	// The export runs on a read-only connection: --where is user SQL.
	db, err := store.OpenReadOnly(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Export(context.Background(), *table, store.Filter{Year: *year, Agency: *agency, Where: *where})
	if err != nil {
		return err
	}
	defer rows.Close()
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var n int
	switch *format {
	case "xlsx":
		n, err = export.XLSX(bw, rows, *table, opt)
	case "tsv":
		opt.Comma = '\t'
		n, err = export.CSV(bw, rows, opt)
	default:
		n, err = export.CSV(bw, rows, opt)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", *table, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d rows of %s written to %s\n", n, *table, *out)
	}
	return nil
}
