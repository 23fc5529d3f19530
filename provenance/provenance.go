// Package provenance finds where a stored cell was printed: it re-reads the
// document's stored bytes with the reader that made the report and returns
// the printed row (or paragraph) with the cell's place, and for PDFs its
// page and box. `nianbao show` and the web page's cell view use it.
package provenance

import (
	"context"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/store"
)

// Location is where one cell was printed.
type Location struct {
	ReportID  int64
	CellID    string
	Raw       string // the cell as printed
	Semantic  string
	Document  string // the document's path or URL
	SHA256    string // of its stored copy
	Known     bool   // false when the cell's place was not recorded
	Paragraph bool   // printed in a paragraph, not a table
	Block     int    // the reader's block
	Row       int    // the table row (-1 for a paragraph)
	Col       int    // the cell within the row, or the word within the paragraph
	Cells     []string
	Page      int
	Box       [4]float64 // x, y of the top-left corner, width, height (points; y up)
}

// ErrNoCell means the report has no such cell (store.ErrNoCell).
var ErrNoCell = store.ErrNoCell

// Locate finds where the report's cell was printed.
func Locate(ctx context.Context, db *store.DB, reportID int64, cellID string) (*Location, error) {
	l := &Location{ReportID: reportID, CellID: cellID}
	o, err := db.CellOrigin(ctx, reportID, cellID)
	if err != nil {
		return nil, err
	}
	l.Document, l.SHA256, l.Raw, l.Semantic = o.Document, o.SHA256, o.Raw, o.Semantic
	if o.Block == nil {
		return l, nil
	}
	data, err := db.Blobs.Get(l.SHA256)
	if err != nil {
		return nil, fmt.Errorf("stored copy of %s: %w", l.Document, err)
	}
	doc, err := extract.Read(l.Document, data, extract.Options{ContentType: o.ContentType})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Document, err)
	}
	l.Block, l.Row, l.Col = *o.Block, *o.Row, *o.Col
	if l.Block < 0 || l.Block >= len(doc.Blocks) {
		return nil, fmt.Errorf("%s: block %d not found (the document reads differently with this version: run nianbao reextract)", l.Document, l.Block)
	}
	blk := doc.Blocks[l.Block]
	if blk.Table == nil {
		l.Paragraph, l.Known, l.Cells = true, true, strings.Fields(blk.Text)
		return l, nil
	}
	if l.Row < 0 || l.Row >= len(blk.Table.Rows) || l.Col < 0 || l.Col >= len(blk.Table.Rows[l.Row]) {
		return nil, fmt.Errorf("%s: row %d, cell %d not found in table block %d", l.Document, l.Row, l.Col, l.Block)
	}
	r := blk.Table.Rows[l.Row]
	for _, c := range r {
		l.Cells = append(l.Cells, strings.ReplaceAll(c.Text, "\n", " "))
	}
	c := r[l.Col]
	l.Known, l.Page, l.Box = true, c.Page, [4]float64{c.X, c.Y, c.W, c.H}
	return l, nil
}
