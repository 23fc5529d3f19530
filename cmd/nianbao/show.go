package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/store"
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
	db, err := store.OpenReadOnly(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	var path, sha, raw, sem, ctype string
	var block, rowi, col sql.NullInt64
	err = db.SQL().QueryRowContext(context.Background(), `SELECT IFNULL(d.path, ''), d.sha256, c.raw, c.semantic, c.at_block, c.at_row, c.at_col,
		IFNULL((SELECT f.content_type FROM fetches f WHERE f.url = d.path AND f.sha256 = d.sha256 ORDER BY f.id DESC LIMIT 1), '')
		FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id
		WHERE c.report_id = ? AND c.cell_id = ?`, repID, fs.Arg(1)).Scan(&path, &sha, &raw, &sem, &block, &rowi, &col, &ctype)
	if err == sql.ErrNoRows {
		return fmt.Errorf("report %d has no cell %s", repID, fs.Arg(1))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report %d, %s = %q (%s)\ndocument: %s\n", repID, fs.Arg(1), raw, sem, path)
	if !block.Valid {
		fmt.Fprintln(stdout, "where it was printed is not known (stored before provenance, or decoded from run-together text)")
		return nil
	}
	data, err := db.Blobs.Get(sha)
	if err != nil {
		return fmt.Errorf("stored copy of %s: %w", path, err)
	}
	doc, err := extract.Read(path, data, extract.Options{ContentType: ctype})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := int(block.Int64)
	if b < 0 || b >= len(doc.Blocks) {
		return fmt.Errorf("%s: block %d not found (the document reads differently with this version: run nianbao reextract)", path, b)
	}
	blk := doc.Blocks[b]
	if blk.Table == nil {
		words := strings.Fields(blk.Text)
		if c := int(col.Int64); c >= 0 && c < len(words) {
			words[c] = "【" + words[c] + "】"
		}
		fmt.Fprintf(stdout, "paragraph %d:\n  %s\n", b, strings.Join(words, " "))
		return nil
	}
	r, c := int(rowi.Int64), int(col.Int64)
	if r < 0 || r >= len(blk.Table.Rows) || c < 0 || c >= len(blk.Table.Rows[r]) {
		return fmt.Errorf("%s: row %d, cell %d not found in table block %d", path, r, c, b)
	}
	row := blk.Table.Rows[r]
	cell := row[c]
	if cell.Page > 0 {
		fmt.Fprintf(stdout, "page %d, box: top-left x=%.1f y=%.1f, width %.1f, height %.1f (points; y up from the page bottom)\n", cell.Page, cell.X, cell.Y, cell.W, cell.H)
	}
	var parts []string
	for i, tc := range row {
		t := strings.ReplaceAll(tc.Text, "\n", " ")
		if i == c {
			t = "【" + t + "】"
		}
		parts = append(parts, t)
	}
	fmt.Fprintf(stdout, "table block %d, row %d, cell %d:\n  | %s |\n", b, r, c, strings.Join(parts, " | "))
	return nil
}
