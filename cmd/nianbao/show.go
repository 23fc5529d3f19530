package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/provenance"
)

// runShow prints where a stored cell was printed: the source row as the
// reader saw it with the cell marked, the page and box for PDFs, and the
// document's URL or path.
func runShow(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", defaultDB, "database file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: nianbao show [--db FILE] REPORT_ID CELL_ID   e.g. nianbao show 12 t3.granted.total")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageErr("a report id and a cell id are required")
	}
	repID, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return usageErr("report id must be a number, not " + strconv.Quote(fs.Arg(0)))
	}
	db, err := openRead(*dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	l, err := provenance.Locate(context.Background(), db, repID, fs.Arg(1))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report %d, %s = %q (%s)\ndocument: %s\n", repID, l.CellID, l.Raw, l.Semantic, l.Document)
	if !l.Known {
		fmt.Fprintln(stdout, "where it was printed is not known (stored before provenance, or decoded from run-together text)")
		return nil
	}
	marked := append([]string(nil), l.Cells...)
	if l.Col >= 0 && l.Col < len(marked) {
		marked[l.Col] = "【" + marked[l.Col] + "】"
	}
	if l.Paragraph {
		fmt.Fprintf(stdout, "paragraph %d:\n  %s\n", l.Block, strings.Join(marked, " "))
		return nil
	}
	if l.Page > 0 {
		fmt.Fprintf(stdout, "page %d, box: top-left x=%.1f y=%.1f, width %.1f, height %.1f (points; y up from the page bottom)\n", l.Page, l.Box[0], l.Box[1], l.Box[2], l.Box[3])
	}
	fmt.Fprintf(stdout, "table block %d, row %d, cell %d:\n  | %s |\n", l.Block, l.Row, l.Col, strings.Join(marked, " | "))
	return nil
}
