package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

const defaultDB = "nianbao-data/nianbao.db"

func runIngest(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file (raw bytes go to a blobs folder beside it)")
	quiet := fs.Bool("q", false, "no progress, only the summary line")
	jobs := fs.Int("jobs", runtime.NumCPU(), "documents read and extracted at once (one writer saves them, in order)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao ingest [--db FILE] [--jobs N] [-q] PATH...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErr("no paths given")
	}
	files, err := ingest.Files(fs.Args())
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	in := &ingest.Ingester{DB: db}
	var sum ingest.Summary
	bar := newProgress(stderr, len(files), *quiet)
	in.FilesParallel(ctx, files, *jobs, func(r ingest.Result) {
		sum.Add(r)
		bar.step(r.Path)
		if r.Err != nil {
			bar.clear()
			fmt.Fprintf(stderr, "failed: %s\n", quoteErr(r.Err))
		}
	})
	bar.clear()
	fmt.Fprintln(stdout, sum.String())
	fmt.Fprintf(stderr, "database: %s\n", quoteName(db.Path))
	staleNotice(ctx, db, stderr)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if sum.Failed > 0 {
		return errPartial // each failure was printed above
	}
	return nil
}

// progress draws a one-line bar on a terminal and nothing otherwise.
type progress struct {
	w     io.Writer
	total int
	done  int
	on    bool
	last  time.Time
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	return &progress{w: w, total: total, on: !quiet && isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) step(name string) {
	p.done++
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && p.done < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * p.done / max(p.total, 1)
	if len(name) > 40 {
		name = "…" + name[len(name)-39:]
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s\033[K", strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.done, p.total, quoteName(name))
}

func (p *progress) clear() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
