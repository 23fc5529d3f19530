// Package nianbao holds the domain types shared by every stage of the
// pipeline: the format-independent Document that readers produce, the
// Report that the normalizer derives from it, and the canonical cell
// dictionary of the two official annual-report templates.
//
// Data flows one way: crawl → extract (bytes → Document) → normalize
// (Document → Report) → store. Every stage imports this package; this
// package imports none of them.
package nianbao

// Format names the detected input form of a document.
type Format string

// Input forms recognised by the readers.
const (
	FormatTabText  Format = "text"     // the tab-indented one-cell-per-line form
	FormatHTML     Format = "html"     // an HTML page in any charset
	FormatMarkdown Format = "markdown" // converter output with pipe tables
	FormatPlain    Format = "plain"    // plain text without table structure
	FormatPDF      Format = "pdf"      // a PDF with a text layer
	FormatDOCX     Format = "docx"     // an Office Open XML word-processing file
	FormatDOC      Format = "doc"      // a Word 97–2003 binary document (.doc, OLE)
	FormatImage    Format = "image"    // a page image (PNG, JPEG, TIFF), read by OCR
)

// MetaOCR is the Document.Meta key naming the OCR engine (and version)
// that read the document from images; absent for a document read as text.
const MetaOCR = "ocr"

// Unreadable is the text OCR gives a cell whose number it was not sure
// of: not a number, not a blank — a value left unread.
const Unreadable = "[OCR未能识别]"

// Document is what every reader produces: the document's text as an ordered
// list of blocks, plus whatever metadata the container carried. Readers know
// nothing about annual reports.
type Document struct {
	Format Format            // detected input form
	Title  string            // title from the container (HTML <title>, PDF Info), if any
	Meta   map[string]string // container metadata: meta tags, header fields such as 发布日期
	Blocks []Block           // paragraphs and tables in reading order
	// Images are the sources of the images in the body (HTML <img src>, and
	// links to image files: pages attached as 第1页.jpg), in reading order,
	// at most MaxImages: an article of page images has no tables to read
	// but these.
	Images []string
	// Warnings say what the reader had to guess, e.g. an overridden charset.
	Warnings []string
}

// MaxImages bounds Document.Images.
const MaxImages = 200

// Block is one paragraph of text or one table. Exactly one of Text and Table
// is meaningful: a block with a non-nil Table is a table.
type Block struct {
	Text  string
	Table *Table
}

// Table is a table as printed: rows of the cells physically present in each
// row. A cell covered by a rowspan or colspan from elsewhere is not repeated;
// use Grid to expand spans.
type Table struct {
	Rows [][]TableCell
}

// TableCell is one printed cell.
type TableCell struct {
	Text    string
	RowSpan int     // 0 or 1: a single row
	ColSpan int     // 0 or 1: a single column
	Page    int     // 1-based page number when known (PDF), else 0
	X, Y    float64 // position on the page when known: the top-left corner
	W, H    float64 // size of the cell's box when known
	// OCR is set when the cell was read from an image; Confidence is
	// then the engine's certainty of its text, 0–1 (0 for a box with no
	// ink, read as blank).
	OCR        bool
	Confidence float64
}

// GridCell is one position of an expanded table grid.
type GridCell struct {
	Text    string
	Covered bool // true when this position is covered by a span from another cell
	Row     int  // row of the originating cell
	Col     int  // column of the originating cell
}

// Grid expands row and column spans into a rectangular grid. Positions
// covered by a span carry the originating cell's text with Covered set.
// Rows shorter than the widest row are padded with empty cells. Spans stop
// expanding once the grid reaches MaxGridCells positions, so hostile span
// attributes cannot exhaust memory.
func (t *Table) Grid() [][]GridCell {
	const maxSpan = 1000
	budget := MaxGridCells
	var grid [][]GridCell
	for r, row := range t.Rows {
		for len(grid) <= r {
			grid = append(grid, nil)
		}
		c := 0
		for _, cell := range row {
			for c < len(grid[r]) && grid[r][c].Covered {
				c++
			}
			rs, cs := clampSpan(cell.RowSpan, maxSpan), clampSpan(cell.ColSpan, maxSpan)
			if r+rs > len(t.Rows) {
				rs = len(t.Rows) - r
			}
			if rs*cs > budget {
				rs, cs = 1, 1
			}
			budget -= rs * cs
			for dr := 0; dr < rs; dr++ {
				for len(grid) <= r+dr {
					grid = append(grid, nil)
				}
				for dc := 0; dc < cs; dc++ {
					gr := grid[r+dr]
					for len(gr) <= c+dc {
						gr = append(gr, GridCell{Row: r + dr, Col: len(gr)})
					}
					gr[c+dc] = GridCell{Text: cell.Text, Covered: dr > 0 || dc > 0, Row: r, Col: c}
					grid[r+dr] = gr
				}
			}
			c += cs
		}
	}
	width := 0
	for _, gr := range grid {
		width = max(width, len(gr))
	}
	for i, gr := range grid {
		for len(gr) < width {
			gr = append(gr, GridCell{Row: i, Col: len(gr)})
		}
		grid[i] = gr
	}
	return grid
}

// MaxGridCells bounds the positions Grid expands spans into.
const MaxGridCells = 1 << 20

func clampSpan(n, limit int) int {
	if n < 1 {
		return 1
	}
	return min(n, limit)
}
