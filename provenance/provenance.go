// Package provenance finds where a stored cell was printed: it re-reads the
// document's stored bytes with the reader that made the report and returns
// the printed row (or paragraph) with the cell's place, and for PDFs its
// page and box. `nianbao show` and the web page's cell view use it.
package provenance

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/extract/scan"
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
	// OCR is set when the cell was read from an image: Crop shows it.
	OCR bool
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
	l.Document, l.SHA256, l.Raw, l.Semantic, l.OCR = o.Document, o.SHA256, o.Raw, o.Semantic, o.Source == "ocr"
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

// ErrNoImage means a cell was not read from an image, so there is no crop
// of it to show (its printed row is: Locate).
var ErrNoImage = errors.New("not read from an image")

// Crop is the image of the page area an OCR'd cell was read from,
// straightened as OCR saw it, with the rules around it: what a person
// compares the value with.
func Crop(ctx context.Context, db *store.DB, reportID int64, cellID string) (image.Image, error) {
	o, err := db.CellOrigin(ctx, reportID, cellID)
	if err != nil {
		return nil, err
	}
	var box [4]float64
	if n, _ := fmt.Sscanf(o.Box, "%g %g %g %g", &box[0], &box[1], &box[2], &box[3]); o.Source != "ocr" || o.Page == 0 || n != 4 {
		return nil, fmt.Errorf("report %d: %s: %w", reportID, cellID, ErrNoImage)
	}
	data, err := db.Blobs.Get(o.SHA256)
	if err != nil {
		return nil, fmt.Errorf("stored copy of %s: %w", o.Document, err)
	}
	var page scan.Page
	switch nianbao.Format(o.Format) {
	case nianbao.FormatPDF:
		if page, err = scan.Rasterize(ctx, data, scan.DPI, o.Page); err != nil {
			return nil, fmt.Errorf("%s: page %d: %w", o.Document, o.Page, err)
		}
	case nianbao.FormatImage:
		img, err := scan.DecodeImage(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Document, err)
		}
		page.Image = img
	default: // an article whose body is page images: page n is its nth kept image
		parts, err := db.DocumentParts(ctx, o.SHA256)
		if err != nil {
			return nil, err
		}
		if o.Page > len(parts) {
			return nil, fmt.Errorf("report %d: %s: a %s document without its page image %d: %w", reportID, cellID, o.Format, o.Page, ErrNoImage)
		}
		b, err := db.Blobs.Get(parts[o.Page-1].SHA256)
		if err != nil {
			return nil, fmt.Errorf("stored copy of %s: %w", parts[o.Page-1].Src, err)
		}
		img, err := scan.DecodeImage(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", parts[o.Page-1].Src, err)
		}
		page.Image = img
	}
	img, err := scan.Crop(page, box)
	if err != nil {
		return nil, fmt.Errorf("%s: page %d: %w", o.Document, o.Page, err)
	}
	return img, nil
}
