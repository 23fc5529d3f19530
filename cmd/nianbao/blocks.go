package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/extract"
)

// runBlocks prints the reader's intermediate form of each file: paragraphs
// and table rows, cells separated by ' ¦ '. It is how to see what the
// normalizer was given when a report reads wrong.
func runBlocks(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("blocks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "usage: nianbao blocks FILE...") }
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageErr("no files given")
	}
	failed := false
	for _, path := range fs.Args() {
		if err := printBlocks(stdout, path); err != nil {
			failed = true
			fmt.Fprintf(stderr, "nianbao blocks: %s\n", quoteErr(err))
		}
	}
	if failed {
		return errSilent
	}
	return nil
}

func printBlocks(w io.Writer, path string) error {
	data, err := extract.ReadFile(path)
	if err != nil {
		return err
	}
	d, err := extract.Read(path, data, extract.Options{})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(w, "== %s (%s) title=%q\n", path, d.Format, d.Title)
	for _, warn := range d.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	for _, b := range d.Blocks {
		if b.Table == nil {
			fmt.Fprintf(w, "P %s\n", b.Text)
			continue
		}
		fmt.Fprintln(w, "TABLE")
		for _, r := range b.Table.Rows {
			cells := make([]string, len(r))
			for i, c := range r {
				cells[i] = strings.ReplaceAll(c.Text, "\n", "⏎")
			}
			fmt.Fprintf(w, "  | %s\n", strings.Join(cells, " ¦ "))
		}
	}
	return nil
}
