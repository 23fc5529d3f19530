package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

// exportPartRows is about how many rows one part of a parallel export
// (CSV, TSV, Parquet) holds: a few MB in memory.
const exportPartRows = 5000

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	table := fs.String("table", "report_summary", "what to export: "+strings.Join(store.ExportTables(), ", "))
	where := fs.String("where", "", "extra SQL condition on the table's columns, e.g. \"grant_rate < 0.5\"")
	year := fs.Int("year", 0, "only this statistics year")
	agency := fs.String("agency", "", "only agencies whose name contains this text")
	out := fs.String("out", "", "output file (default: standard output)")
	format := fs.String("format", "", "csv, tsv, xlsx or parquet (default: from --out's extension, else csv; parquet writes a folder)")
	noBOM := fs.Bool("no-bom", false, "omit the UTF-8 byte-order mark (it makes Excel/WPS read Chinese right)")
	lang := fs.String("lang", "en", "column headers: en (column names) or zh (Chinese)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "CSV, TSV, Parquet: parts of the table read and converted at once (the files are the same for any N)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao export [--db FILE] [--table T] [--where SQL] [--year Y] [--agency TEXT] [--out FILE] [--format csv|xlsx] [--lang zh] [--no-bom] [--jobs N]\n       nianbao export --format parquet --out DIR [--table T] [filters]   # Parquet by year, for DuckDB/Spark/Polars")
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
		case ".parquet":
			*format = "parquet"
		default: // never silently CSV under another name
			return usageErr(fmt.Sprintf("--out %s: unknown extension %s (use .csv, .tsv or .xlsx, or --format)", *out, ext))
		}
	}
	if *format != "csv" && *format != "tsv" && *format != "xlsx" && *format != "parquet" {
		return usageErr(fmt.Sprintf("--format must be csv, tsv, xlsx or parquet, not %q", *format))
	}
	if *format == "parquet" && *out == "" {
		return usageErr("--format parquet writes a folder: give it with --out DIR")
	}
	opt := export.Options{NoBOM: *noBOM}
	switch *lang {
	case "zh":
		opt.Headers, opt.Values = store.ChineseHeaders(), store.ChineseValues()
	case "en", "":
	default:
		return usageErr(fmt.Sprintf("--lang must be en or zh, not %q", *lang))
	}
	if *jobs < 1 {
		return usageErr(fmt.Sprintf("--jobs must be at least 1, not %d", *jobs))
	}
	if err := mustExist(*dbPath); err != nil {
		return err
	}
	// The export runs on a read-only connection: --where is user SQL.
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	filter := store.Filter{Year: *year, Agency: *agency, Where: *where}
	// Ctrl-C or SIGTERM stops the export; the file it was replacing stays.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *format == "parquet" {
		return exportParquet(ctx, db, *table, filter, *out, *jobs, stderr)
	}
	var rows *sql.Rows
	var parts *store.ExportReader
	if *format == "xlsx" {
		if rows, err = db.Export(ctx, *table, filter); err != nil {
			return err
		}
		defer rows.Close()
	} else {
		if parts, err = db.ReadExport(ctx, *table, filter, exportPartRows, *jobs); err != nil {
			return err
		}
		defer parts.Close()
	}
	var n int
	write := func(w io.Writer) error {
		var err error
		switch *format {
		case "xlsx":
			n, err = export.XLSX(w, rows, *table, opt)
		default:
			if *format == "tsv" {
				opt.Comma = '\t'
			}
			n, err = export.CSVParts(ctx, w, parts.Parts(), *jobs, parts.Read, opt)
		}
		if err != nil {
			return fmt.Errorf("export %s: %w", *table, err)
		}
		return nil
	}
	if *out == "" {
		bw := bufio.NewWriterSize(stdout, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := export.WriteFile(*out, write); err != nil { // a failed export leaves the old file whole
		return err
	}
	fmt.Fprintf(stderr, "%d rows of %s written to %s\n", n, *table, *out)
	return nil
}

// exportParquet writes table as Parquet under dir, partitioned by year when
// it has one. It writes a new folder beside dir and then swaps it in, so a
// failed export leaves the previous one whole; it replaces only a folder
// that holds nothing but an earlier Parquet export.
func exportParquet(ctx context.Context, db *store.DB, table string, f store.Filter, dir string, jobs int, stderr io.Writer) error {
	types, err := db.ExportTypes(ctx, table, f)
	if err != nil {
		return err
	}
	parts, err := db.ReadExport(ctx, table, f, exportPartRows, jobs)
	if err != nil {
		return err
	}
	defer parts.Close()
	var n int
	var files []string
	err = export.ReplaceDir(dir, func(tmp string) error {
		n, files, err = export.ParquetParts(ctx, tmp, parts.Parts(), jobs, parts.Read, types, "year")
		if err != nil {
			return fmt.Errorf("export %s: %w", table, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d rows of %s written to %s (%d Parquet files)\n", n, table, dir, len(files))
	return nil
}
