package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/nianbao/nianbao/store"
)

// runVerify reads every stored document's bytes back and checks them
// against their hash: one line per damaged or missing blob, exit 1 if any.
func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao verify [--db FILE]   check every stored document's bytes against its sha256")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("verify takes no arguments")
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bad := 0
	n, err := db.VerifyBlobs(ctx, func(p store.BlobProblem) {
		bad++
		fmt.Fprintf(stderr, "damaged: %s (%s): %s\n", p.SHA256, quoteName(p.Path), quoteErr(p.Err))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d documents checked, %d with missing or damaged stored bytes\n", n, bad)
	if bad > 0 {
		return errPartial
	}
	return nil
}
