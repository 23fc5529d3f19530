// Package provenance finds where a stored cell was printed: it re-reads the
// document's stored bytes with the reader that made the report and returns
// the printed row (or paragraph) with the cell's place, and for PDFs its
// page and box. `nianbao show` and the web page's cell view use it.
package provenance

import (
	"context"
	"database/sql"
	"errors"
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

// ErrNoCell means the report has no such cell.
var ErrNoCell = errors.New("no such cell")

// Locate finds where the report's cell was printed.
func Locate(ctx context.Context, db *store.DB, reportID int64, cellID string) (*Location, error) {
	l := &Location{ReportID: reportID, CellID: cellID}
	var ctype string
	var block, row, col sql.NullInt64
	err := db.SQL().QueryRowContext(ctx, `SELECT IFNULL(d.path, ''), d.sha256, c.raw, c.semantic, c.at_block, c.at_row, c.at_col,
		IFNULL((SELECT f.content_type FROM fetches f WHERE f.url = d.path AND f.sha256 = d.sha256 ORDER BY f.id DESC LIMIT 1), '')
		FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id
		WHERE c.report_id = ? AND c.cell_id = ?`, reportID, cellID).Scan(&l.Document, &l.SHA256, &l.Raw, &l.Semantic, &block, &row, &col, &ctype)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("report %d: %s: %w", reportID, cellID, ErrNoCell)
	}
	if err != nil {
		return nil, db.Wrap(err)
	}
	if !block.Valid {
		return l, nil
	}
	data, err := db.Blobs.Get(l.SHA256)
	if err != nil {
		return nil, fmt.Errorf("stored copy of %s: %w", l.Document, err)
	}
	doc, err := extract.Read(l.Document, data, extract.Options{ContentType: ctype})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Document, err)
	}
	l.Block, l.Row, l.Col = int(block.Int64), int(row.Int64), int(col.Int64)
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
