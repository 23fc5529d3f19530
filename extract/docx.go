package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

// Limits against zip bombs and hostile archives.
const (
	maxDocxEntries = 10000
	maxDocxXML     = 64 << 20
)

// ErrZipBomb refuses an archive that would expand beyond the limits.
var ErrZipBomb = nianbao.NewError(nianbao.ClassTooLarge, "DOCX: document.xml expands beyond 64 MiB (zip bomb?)")

// ReadDOCX reads an Office Open XML word-processing document: paragraphs
// and tables, with w:gridSpan as column spans and w:vMerge as row spans, so
// merged cells are explicit. One streaming pass over document.xml (bounded
// at 64 MiB expanded): linear in the document.
func ReadDOCX(data []byte) (*nianbao.Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("DOCX: %w", err)
	}
	if len(zr.File) > maxDocxEntries {
		return nil, fmt.Errorf("DOCX: %d entries in the archive, more than %d", len(zr.File), maxDocxEntries)
	}
	var main, core *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			main = f
		case "docProps/core.xml":
			core = f
		}
	}
	if main == nil {
		return nil, ErrZip
	}
	body, err := readZipFile(main)
	if err != nil {
		return nil, err
	}
	doc := &nianbao.Document{Format: nianbao.FormatDOCX, Meta: map[string]string{}}
	if core != nil {
		if c, err := readZipFile(core); err == nil {
			readCoreProps(c, doc)
		}
	}
	if err := (&docxBuilder{doc: doc}).run(xml.NewDecoder(bytes.NewReader(body))); err != nil {
		return nil, fmt.Errorf("DOCX: %w", err)
	}
	return doc, nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxDocxXML {
		return nil, ErrZipBomb
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("DOCX: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocxXML+1))
	if err != nil {
		return nil, fmt.Errorf("DOCX: %s: %w", f.Name, err)
	}
	if len(b) > maxDocxXML {
		return nil, ErrZipBomb
	}
	return b, nil
}

func readCoreProps(b []byte, doc *nianbao.Document) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur string
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cur = t.Name.Local
		case xml.CharData:
			switch v := strings.TrimSpace(string(t)); {
			case v == "":
			case cur == "title" && doc.Title == "":
				doc.Title = v
			case cur == "created":
				doc.Meta["created"] = v
			}
		case xml.EndElement:
			cur = ""
		}
	}
}

type docxTable struct {
	rows   [][]nianbao.TableCell
	row    []nianbao.TableCell
	col    int         // grid column of the next cell in the row
	open   map[int]int // grid column → index in rows of the row whose cell a vMerge continues
	openC  map[int]int // grid column → index of that cell in its row
	inCell bool
	span   int
	merge  string // "", "restart" or "continue"
	text   strings.Builder
	layout bool
}

type docxBuilder struct {
	doc    *nianbao.Document
	tables []*docxTable
	para   strings.Builder
	inText bool
	depth  int
}

func (b *docxBuilder) cur() *docxTable {
	if len(b.tables) == 0 {
		return nil
	}
	return b.tables[len(b.tables)-1]
}

func (b *docxBuilder) run(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if b.depth++; b.depth > 10000 {
				return errors.New("XML nested too deeply")
			}
			b.start(t)
		case xml.EndElement:
			b.depth--
			b.end(t.Name.Local)
		case xml.CharData:
			if b.inText {
				b.para.Write(t)
			}
		}
	}
	for len(b.tables) > 0 {
		b.closeTable()
	}
	b.flushPara()
	return nil
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (b *docxBuilder) start(t xml.StartElement) {
	switch t.Name.Local {
	case "t", "delText":
		b.inText = t.Name.Local == "t"
	case "tab":
		b.para.WriteByte(' ')
	case "br", "cr":
		b.para.WriteByte('\n')
	case "tbl":
		if tb := b.cur(); tb != nil && !tb.layout && tb.inCell {
			b.toLayout(tb)
		}
		b.flushPara()
		b.tables = append(b.tables, &docxTable{open: map[int]int{}, openC: map[int]int{}})
	case "tr":
		if tb := b.cur(); tb != nil && !tb.layout {
			tb.row, tb.col = nil, 0
		}
	case "tc":
		if tb := b.cur(); tb != nil && !tb.layout {
			tb.inCell, tb.span, tb.merge = true, 1, ""
			tb.text.Reset()
		}
	case "gridSpan":
		if tb := b.cur(); tb != nil && tb.inCell {
			if n, err := strconv.Atoi(attr(t, "val")); err == nil && n > 1 {
				tb.span = min(n, 1000)
			}
		}
	case "vMerge":
		if tb := b.cur(); tb != nil && tb.inCell {
			if v := attr(t, "val"); v == "restart" {
				tb.merge = "restart"
			} else {
				tb.merge = "continue"
			}
		}
	}
}

func (b *docxBuilder) end(local string) {
	switch local {
	case "t":
		b.inText = false
	case "p":
		if tb := b.cur(); tb != nil && !tb.layout && tb.inCell {
			if tb.text.Len() > 0 {
				tb.text.WriteByte('\n')
			}
			tb.text.WriteString(strings.TrimSpace(b.para.String()))
			b.para.Reset()
			return
		}
		b.flushPara()
	case "tc":
		if tb := b.cur(); tb != nil && !tb.layout && tb.inCell {
			b.endCell(tb)
		}
	case "tr":
		if tb := b.cur(); tb != nil && !tb.layout {
			if len(tb.row) > 0 {
				tb.rows = append(tb.rows, tb.row)
			} else {
				tb.rows = append(tb.rows, nil) // keep row indexes for vMerge
			}
			tb.row = nil
		}
	case "tbl":
		b.closeTable()
	}
}

func (b *docxBuilder) endCell(tb *docxTable) {
	tb.inCell = false
	text := strings.Trim(tb.text.String(), "\n ")
	col := tb.col
	tb.col += tb.span
	if tb.merge == "continue" {
		if r, ok := tb.open[col]; ok && r < len(tb.rows) && tb.openC[col] < len(tb.rows[r]) {
			c := &tb.rows[r][tb.openC[col]]
			c.RowSpan = max(c.RowSpan, 1) + 1
			return
		}
	}
	cell := nianbao.TableCell{Text: text, ColSpan: tb.span, RowSpan: 1}
	if tb.merge == "restart" {
		tb.open[col] = len(tb.rows)
		tb.openC[col] = len(tb.row)
	} else {
		delete(tb.open, col)
	}
	tb.row = append(tb.row, cell)
}

func (b *docxBuilder) toLayout(tb *docxTable) {
	for _, r := range tb.rows {
		for _, c := range r {
			if c.Text != "" {
				b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: c.Text})
			}
		}
	}
	for _, c := range tb.row {
		if c.Text != "" {
			b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: c.Text})
		}
	}
	if s := strings.TrimSpace(tb.text.String()); s != "" {
		b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: s})
	}
	tb.rows, tb.row, tb.layout, tb.inCell = nil, nil, true, false
	tb.text.Reset()
}

func (b *docxBuilder) closeTable() {
	tb := b.cur()
	if tb == nil {
		return
	}
	b.tables = b.tables[:len(b.tables)-1]
	if tb.layout {
		b.flushPara()
		return
	}
	var rows [][]nianbao.TableCell
	for _, r := range tb.rows {
		if len(r) > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) > 0 {
		b.flushPara()
		b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Table: &nianbao.Table{Rows: rows}})
	}
}

func (b *docxBuilder) flushPara() {
	for _, line := range strings.Split(b.para.String(), "\n") {
		if s := strings.TrimSpace(line); s != "" {
			b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: s})
		}
	}
	b.para.Reset()
}
