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
	check := fs.Bool("check", false, "health check for monitoring: exit 0 when the last crawl finished within --max-age with no unexpected failure, else 1, saying why in one line")
	maxAge := fs.Duration("max-age", 36*time.Hour, "with --check: how long ago the last crawl may have finished")
	all := fs.Bool("all", false, "also list sources the last run's sources file no longer has (see 'nianbao sources prune')")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	db, err := openExisting(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if *check {
		return healthCheck(context.Background(), db, *maxAge, time.Now(), stdout)
	}
	srcs, err := db.Sources(context.Background())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "status\tlast success\tfailures\t%d report\tdeadline\tsource / agency\n", *year)
	now := time.Now()
	stale := 0
	for _, s := range srcs {
		state := orDash(s.Status)
		switch {
		case !s.Current:
			stale++
			if !*all {
				continue
			}
			state = "(not in the sources file)"
		case !s.Enabled:
			state = "disabled"
		case s.Expect != "" && s.Status == s.Expect:
			state += " (expected)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t\t\t%s %s\n", state, orDash(s.LastSuccess), s.ConsecutiveFailures, s.URL, quoteName(s.Reason))
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
	if err := tw.Flush(); err != nil {
		return err
	}
	if n, next, err := db.Waiting(context.Background(), now); err == nil && n > 0 {
		fmt.Fprintf(stdout, "%d documents waiting to retry (the first at %s)\n", n, next)
	}
	if stale > 0 && !*all {
		fmt.Fprintf(stdout, "%d sources the last run's sources file no longer lists are not shown (--all shows them; 'nianbao sources prune' removes them)\n", stale)
	}
	return nil
}

// healthCheck says in one line whether the crawl is healthy: the last run
// finished within maxAge, was not interrupted and met no failure nobody
// expected. It returns errPartial (exit 1) when not.
func healthCheck(ctx context.Context, db *store.DB, maxAge time.Duration, now time.Time, w io.Writer) error {
	r, ok, err := db.LastRun(ctx)
	if err != nil {
		return err
	}
	fail := func(format string, a ...any) error {
		fmt.Fprintf(w, "CRITICAL: "+format+"\n", a...)
		return errPartial
	}
	if !ok {
		return fail("no crawl has run on %s", db.Path)
	}
	if r.Finished == "" {
		started, _ := time.Parse(time.RFC3339, r.Started)
		if now.Sub(started) > maxAge {
			return fail("the crawl started %s has not finished (killed, or still running after %s)", r.Started, now.Sub(started).Round(time.Minute))
		}
		fmt.Fprintf(w, "OK: a crawl is running since %s\n", r.Started)
		return nil
	}
	finished, _ := time.Parse(time.RFC3339, r.Finished)
	switch {
	case now.Sub(finished) > maxAge:
		return fail("the last crawl finished %s, %s ago (more than %s)", r.Finished, now.Sub(finished).Round(time.Minute), maxAge)
	case r.Interrupted:
		return fail("the last crawl (%s) was interrupted", r.Finished)
	case r.Unexpected > 0:
		return fail("the last crawl (%s) met %d unexpected failures: %s", r.Finished, r.Unexpected, r.Summary)
	}
	fmt.Fprintf(w, "OK: the last crawl finished %s: %s\n", r.Finished, r.Summary)
	return nil
}

// runSources manages the sources the database knows: 'nianbao sources
// prune' removes those the last run's sources file no longer lists.
func runSources(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao sources prune [--db FILE]   remove the sources the last crawl's sources file no longer lists (their documents stay)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "prune" {
		return usageErr("the only sources command is 'prune'")
	}
	db, err := openExisting(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	gone, err := db.PruneSources(context.Background())
	for _, u := range gone {
		fmt.Fprintln(stdout, "removed:", quoteName(u))
	}
	fmt.Fprintf(stdout, "%d sources removed\n", len(gone))
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
