package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/nianbao/nianbao/sample"
	"github.com/nianbao/nianbao/store"
)

// runSample builds a database of generated reports for trying queries at
// scale (package sample).
func runSample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "nianbao-data/sample.db", "database file to create (must not exist)")
	n := fs.Int("reports", 10000, "how many reports")
	seed := fs.Uint64("seed", 1, "the same seed gives the same database")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao sample [--db FILE] [--reports N] [--seed S]   a database of generated reports (real counties, 2019–2025, blanks and failed checks as in real reports)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *n <= 0 || *n > 5_000_000 {
		return usageErr("--reports must be between 1 and 5,000,000")
	}
	if _, err := os.Stat(*dbPath); err == nil {
		return usageErr(fmt.Sprintf("%s exists: a sample database is built new (remove it or choose another --db)", quoteName(*dbPath)))
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	err = sample.Build(ctx, db, sample.Options{Reports: *n, Seed: *seed}, func(done int) {
		fmt.Fprintf(stderr, "\r%d of %d reports", done, *n)
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d generated reports in %s (%s); try: nianbao serve --db %s\n", *n, db.Path, time.Since(start).Round(time.Second), db.Path)
	return nil
}
