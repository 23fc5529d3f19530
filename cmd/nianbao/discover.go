package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

// runDiscover finds the 年报 columns of portals and writes them as a
// sources file for `nianbao crawl`.
func runDiscover(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the sources file here (merged into it when it exists); default: print it")
	merge := fs.String("merge", "", "update this existing sources file: keep the operator's entries, add new columns, comment out gone ones")
	dbPath := fs.String("db", defaultDB, "database file (every page fetched is kept, as the crawl keeps them)")
	maxPages := fs.Int("max-pages", 300, "pages read per portal at most")
	maxDepth := fs.Int("max-depth", 8, "links followed from the start page at most")
	delay := fs.Duration("delay", 2*time.Second, "minimum gap between requests to one host")
	agent := fs.String("user-agent", crawl.DefaultUserAgent, "User-Agent sent")
	quiet := fs.Bool("q", false, "no progress lines")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao discover URL... [--out FILE | --merge FILE] [--db FILE] [--max-pages N] [--max-depth N] [--delay D] [-q]")
		fmt.Fprintln(fs.Output(), "  URL is a portal's home page or its 政府信息公开 platform page.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	starts := fs.Args()
	switch {
	case len(starts) == 0:
		fs.Usage()
		return usageErr("discover needs a portal URL")
	case *out != "" && *merge != "":
		return usageErr("--out and --merge name the file to write: give one")
	case *delay < 0 || *delay > crawl.MaxDelay:
		return usageErr(fmt.Sprintf("--delay %s must be between 0 and %s", *delay, crawl.MaxDelay))
	}
	for _, s := range starts {
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			return usageErr(fmt.Sprintf("%q is not an http(s) URL", s))
		}
	}
	target := *out
	existing := ""
	if *merge != "" {
		target = *merge
		b, err := os.ReadFile(*merge)
		if err != nil {
			return usageErr(fmt.Sprintf("--merge: %v", err))
		}
		existing = string(b)
	} else if *out != "" {
		if b, err := os.ReadFile(*out); err == nil {
			existing = string(b)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if existing != "" {
		if _, err := crawl.ParseConfig(existing, target); err != nil && !errors.Is(err, crawl.ErrNoSources) {
			return usageErr(fmt.Sprintf("%v: fix the file first; nothing was fetched", err))
		}
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := crawl.NewFetcher(db, *agent, *delay)
	opt := crawl.DiscoverOptions{MaxPages: *maxPages, MaxDepth: *maxDepth}
	if !*quiet {
		opt.Progress = stderr
	}
	return discover(ctx, f, starts, opt, existing, target, stdout, stderr)
}

// discover walks each start URL, prints what it found and writes the
// sources file (to target, or stdout when target is "").
func discover(ctx context.Context, f *crawl.Fetcher, starts []string, opt crawl.DiscoverOptions, existing, target string, stdout, stderr io.Writer) error {
	var ds []*crawl.Discovery
	failed := false
	for _, s := range starts {
		d, err := crawl.Discover(ctx, f, s, opt)
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, err: errors.New("discover interrupted: nothing was written")}
		}
		if err != nil {
			failed = true
			fmt.Fprintln(stderr, "error:", quoteName(err.Error()))
		}
		if d == nil {
			continue
		}
		for _, why := range d.Failed {
			fmt.Fprintln(stderr, "error:", quoteName(why))
		}
		if d.Truncated {
			fmt.Fprintf(stderr, "warning: %s: the page budget (%d) ran out: more columns may exist; nothing of this portal is marked gone\n", s, opt.MaxPages)
		}
		failed = failed || !d.OK()
		ds = append(ds, d)
	}
	table := stdout
	if target == "" {
		table = stderr // stdout is the sources file
	}
	printDiscoveries(table, ds)
	text, st := crawl.MergeSources(existing, ds, time.Now())
	if _, err := crawl.ParseConfig(text, "the sources file written"); err != nil {
		if st.Added+st.Kept+st.Own == 0 {
			return fmt.Errorf("no 年报 column found: nothing was written")
		}
		return fmt.Errorf("internal error: the sources file would not parse (%v): nothing was written", err)
	}
	if target == "" {
		fmt.Fprint(stdout, text)
	} else {
		if err := export.WriteFile(target, func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", quoteName(target), st)
	}
	if failed {
		return errPartial
	}
	return nil
}

// maxSkippedShown bounds the links not followed printed per portal.
const maxSkippedShown = 20

// printDiscoveries prints every column found, and the places without one.
func printDiscoveries(w io.Writer, ds []*crawl.Discovery) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AGENCY\tREGION\tPLATFORM\tREPORTS\tCOLUMN\tFOUND THROUGH")
	for _, d := range ds {
		for _, c := range d.Columns {
			n := "script"
			if c.Reports >= 0 {
				n = fmt.Sprint(c.Reports)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", quoteName(c.Agency), c.Region, c.Platform, n, quoteName(c.URL), quoteName(strings.Join(c.Chain, " › ")))
		}
		for _, p := range d.NoColumn {
			fmt.Fprintf(tw, "%s\t\t\t\t(no 年报 column) %s\t%s\n", quoteName(p.Agency), quoteName(p.URL), quoteName(strings.Join(p.Chain, " › ")))
		}
	}
	tw.Flush()
	for _, d := range ds {
		fmt.Fprintf(w, "%s (%s): %d columns, %d places without one, %d pages read\n", quoteName(d.Start), quoteName(d.Site), len(d.Columns), len(d.NoColumn), d.Pages)
		// Links left alone: a platform on another site (a city's shared
		// one) is worth a discover of its own.
		for i, why := range d.Skipped {
			if i == maxSkippedShown {
				fmt.Fprintf(w, "  … and %d more links not followed\n", len(d.Skipped)-i)
				break
			}
			fmt.Fprintf(w, "  not followed: %s\n", quoteName(why))
		}
	}
}
