package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/store"
)

func runCrawl(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sources := fs.String("sources", "", "sources file (TOML), required")
	dbPath := fs.String("db", defaultDB, "database file")
	full := fs.Bool("full", false, "walk every list page and re-check known articles (backfill)")
	quiet := fs.Bool("q", false, "no per-source progress, only the summary")
	maxHosts := fs.Int("max-hosts", 64, "hosts crawled at once (each host one request at a time, its sources in turn)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao crawl --sources FILE [--db FILE] [--full] [--max-hosts N] [-q]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *sources == "" {
		fs.Usage()
		return usageErr("--sources is required")
	}
	cfg, err := crawl.LoadConfig(*sources)
	if err != nil {
		return usageErr(err.Error()) // nothing was done: exit 2
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, "warning:", quoteName(w))
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Every line a crawl prints starts with its time: logs of nightly runs
	// are read days later.
	stdout, stderr = stamped(stdout), stamped(stderr)
	opt := crawl.Options{Full: *full, MaxHosts: *maxHosts}
	if !*quiet {
		opt.Progress = stderr
	}
	start := time.Now()
	sum, err := crawl.New(cfg, db).Run(ctx, opt)
	if errors.Is(err, store.ErrLocked) {
		return err // nothing was crawled: no summary of zeros
	}
	fmt.Fprintf(stdout, "%s (%s)\n", sum, time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("crawl interrupted: run it again to finish (recorded in crawl_runs.interrupted)")}
	}
	staleNotice(ctx, db, stderr)
	if err == nil && !sum.OK() {
		return errPartial // the summary says what failed; `nianbao status` says why
	}
	return err
}

// runStatus shows, per source and agency, whether a report for a year is
// in the database and whether its legal deadline has passed.
func runStatus(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	year := fs.Int("year", time.Now().Year()-1, "statistics year to check")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if _, err := os.Stat(*dbPath); err != nil { // status reads: it never creates an empty database
		return fmt.Errorf("no database at %s (%v): pass --db FILE, or crawl or ingest first", quoteName(*dbPath), err)
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	srcs, err := db.Sources(context.Background())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "status\tlast success\tfailures\t%d report\tdeadline\tsource / agency\n", *year)
	now := time.Now()
	for _, s := range srcs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t\t\t%s %s\n", orDash(s.Status), orDash(s.LastSuccess), s.ConsecutiveFailures, s.URL, s.Reason)
	}
	due, err := db.AgencyDue(context.Background(), *year, now)
	if err != nil {
		return err
	}
	for _, d := range due {
		state := "present"
		switch {
		case d.Overdue:
			state = "MISSING (overdue)"
		case !d.Has && now.After(d.Deadline):
			state = "none (no earlier report)"
		case !d.Has:
			state = "not yet"
		}
		fmt.Fprintf(tw, "\t\t\t%s\t%s\t%s\n", state, d.Deadline.Format("2006-01-02"), d.Name)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
