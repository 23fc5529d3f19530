package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/internal/buildinfo"
	"github.com/nianbao/nianbao/store"
)

// runReextract extracts stored documents again with this build.
func runReextract(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reextract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	all := fs.Bool("all", false, "every document, not only those read by another nianbao version")
	quiet := fs.Bool("q", false, "only the summary line")
	class := fs.String("class", "", "only the failed documents of this class (scanned, encrypted, not_a_report, unreadable, too_large, …), whichever build read them")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao reextract [--db FILE] [--all | --class CLASS] [-q]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *class != "" && !slices.Contains(nianbao.ErrorClasses, nianbao.ErrorClass(*class)) {
		return usageErr(fmt.Sprintf("--class must be one of %v, not %q", nianbao.ErrorClasses, *class))
	}
	db, err := openExisting(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed := false
	sum, err := (&ingest.Ingester{DB: db}).Reextract(ctx, store.Stale{All: *all, Class: nianbao.ErrorClass(*class)}, func(d store.StaleDocument, r store.Reextracted, err error) {
		switch {
		case err != nil:
			failed = true
			fmt.Fprintf(stderr, "failed: %s\n", quoteErr(err))
		case !*quiet && r.New:
			fmt.Fprintf(stderr, "new report: %s\n", quoteName(d.Path))
		case !*quiet && r.Changed:
			fmt.Fprintf(stderr, "changed (%d cells): %s\n", r.CellsChanged, quoteName(d.Path))
		}
	})
	fmt.Fprintf(stdout, "%s (extractor %s)\n", sum, buildinfo.Version)
	if err != nil {
		return err
	}
	if failed {
		return errPartial
	}
	return nil
}

// staleNotice tells the user when reports made by another build exist.
func staleNotice(ctx context.Context, db *store.DB, w io.Writer) {
	if n, err := db.CountStale(ctx, buildinfo.Version); err == nil && n > 0 {
		fmt.Fprintf(w, "%d current reports were extracted by another nianbao version: run 'nianbao reextract --db %s'\n", n, db.Path)
	}
}
