// Package doc reads legacy Word 97–2003 binary documents (.doc, and .wps
// files saved in the same OLE structure) into paragraphs and tables, with no
// external converter: OLE compound file → WordDocument stream → FIB →
// piece table (the CLX in the table stream) → text; paragraph properties
// (PAPX in the FKPs) tell table cells and row ends apart.
//
// Cost is linear in the file: each piece and each FKP is read once, and the
// paragraph mark of each character run is found by binary search.
package doc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/charmap"

	"github.com/nianbao/nianbao"
)

// Errors for .doc files this reader cannot read.
var (
	ErrNotWord   = nianbao.NewError(nianbao.ClassUnsupported, "OLE compound file without a Word 97–2003 document (an old .wps or .xls?): convert to .docx")
	ErrEncrypted = nianbao.NewError(nianbao.ClassEncrypted, "encrypted .doc: cannot be read without its password")
	ErrOldWord   = nianbao.NewError(nianbao.ClassUnsupported, "Word 6/95 .doc (no piece table of Word 97): convert to .docx")
)

// maxStream bounds the bytes read from one OLE stream.
const maxStream = 64 << 20

// Read parses a Word 97–2003 binary document.
func Read(data []byte) (doc *nianbao.Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf(".doc: malformed file (%v)", p)
		}
	}()
	streams, err := oleStreams(data)
	if err != nil {
		return nil, err
	}
	wd := streams["WordDocument"]
	if len(wd) < 0x1AA {
		return nil, ErrNotWord
	}
	le := binary.LittleEndian
	if le.Uint16(wd[0:]) != 0xA5EC {
		return nil, ErrNotWord
	}
	flags := le.Uint16(wd[0x0A:])
	if flags&0x0100 != 0 {
		return nil, ErrEncrypted
	}
	if le.Uint16(wd[0x02:]) < 0x00C1 { // nFib of Word 97
		return nil, ErrOldWord
	}
	table := streams["0Table"]
	if flags&0x0200 != 0 {
		table = streams["1Table"]
	}
	if table == nil {
		return nil, fmt.Errorf(".doc: table stream missing")
	}
	fcLcb := func(i int) (uint32, uint32) { // the i-th (fc, lcb) pair of FibRgFcLcb97
		off := 0x9A + 8*i
		return le.Uint32(wd[off:]), le.Uint32(wd[off+4:])
	}
	ccpText := int(le.Uint32(wd[0x4C:])) // FibRgLw97.ccpText: characters of the main document
	fcClx, lcbClx := fcLcb(33)
	pieces, err := readPieces(table, fcClx, lcbClx)
	if err != nil {
		return nil, err
	}
	fcPapx, lcbPapx := fcLcb(13)
	paras := readPapx(wd, table, streams["Data"], fcPapx, lcbPapx)

	b := &builder{doc: &nianbao.Document{Format: nianbao.FormatDOC, Meta: map[string]string{}}, paras: paras}
	for _, p := range pieces {
		if p.cp >= ccpText {
			break
		}
		n := min(p.n, ccpText-p.cp)
		for i := 0; i < n; i++ {
			var r rune
			var fc uint32
			if p.compressed {
				fc = p.fc + uint32(i)
				if int(fc) >= len(wd) {
					return nil, fmt.Errorf(".doc: piece beyond the WordDocument stream")
				}
				r = cp1252(wd[fc])
			} else {
				fc = p.fc + uint32(2*i)
				if int(fc)+1 >= len(wd) {
					return nil, fmt.Errorf(".doc: piece beyond the WordDocument stream")
				}
				r = rune(le.Uint16(wd[fc:]))
				if utf16.IsSurrogate(r) && i+1 < n && int(fc)+3 < len(wd) {
					r = utf16.DecodeRune(r, rune(le.Uint16(wd[fc+2:])))
					i++
				}
			}
			b.char(r, fc)
		}
	}
	b.endParagraph()
	b.flushTable()
	return b.doc, nil
}

// oleStreams reads the streams of an OLE compound file by name.
func oleStreams(data []byte) (map[string][]byte, error) {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf(".doc: %w", err)
	}
	out := map[string][]byte{}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		switch f.Name {
		case "WordDocument", "0Table", "1Table", "Data":
			b, err := io.ReadAll(io.LimitReader(f, maxStream))
			if err != nil {
				return nil, fmt.Errorf(".doc: stream %s: %w", f.Name, err)
			}
			out[f.Name] = b
		}
	}
	if out["WordDocument"] == nil {
		return nil, ErrNotWord
	}
	return out, nil
}

// piece is a run of characters stored contiguously in the WordDocument
// stream: 8-bit (compressed, Windows-1252) or UTF-16LE.
type piece struct {
	cp, n      int    // first character position and count
	fc         uint32 // byte offset in the WordDocument stream
	compressed bool
}

// readPieces reads the piece table: the CLX is Prc records (skipped) then
// one Pcdt holding the PlcPcd.
func readPieces(table []byte, fc, lcb uint32) ([]piece, error) {
	le := binary.LittleEndian
	if uint64(fc)+uint64(lcb) > uint64(len(table)) {
		return nil, fmt.Errorf(".doc: piece table beyond the table stream")
	}
	clx := table[fc : fc+lcb]
	for len(clx) > 0 && clx[0] == 0x01 { // Prc: property modifiers of complex files
		if len(clx) < 3 {
			return nil, fmt.Errorf(".doc: truncated piece table")
		}
		n := int(le.Uint16(clx[1:]))
		if 3+n > len(clx) {
			return nil, fmt.Errorf(".doc: truncated piece table")
		}
		clx = clx[3+n:]
	}
	if len(clx) < 5 || clx[0] != 0x02 {
		return nil, fmt.Errorf(".doc: piece table not found")
	}
	plc := clx[5:]
	if lcbPlc := int(le.Uint32(clx[1:])); lcbPlc < len(plc) {
		plc = plc[:lcbPlc]
	}
	n := (len(plc) - 4) / 12
	if n <= 0 {
		return nil, fmt.Errorf(".doc: empty piece table")
	}
	out := make([]piece, 0, n)
	for i := 0; i < n; i++ {
		cp, next := int(le.Uint32(plc[4*i:])), int(le.Uint32(plc[4*i+4:]))
		pcd := plc[4*(n+1)+8*i:]
		fcc := le.Uint32(pcd[2:])
		p := piece{cp: cp, n: next - cp, fc: fcc &^ 0x40000000, compressed: fcc&0x40000000 != 0}
		if p.compressed {
			p.fc /= 2
		}
		if p.n < 0 || p.n > maxStream {
			return nil, fmt.Errorf(".doc: bad piece %d", i)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cp < out[j].cp })
	return out, nil
}

// para is the table role of the paragraphs whose text lies in [start, end)
// of the WordDocument stream.
type para struct {
	start, end uint32
	inTable    bool
	rowEnd     bool // the TTP paragraph that ends a table row
}

// readPapx reads the paragraph properties that matter here from the FKP
// pages listed by PlcBtePapx: in-table (sprmPFInTable, sprmPItap) and
// row end (sprmPFTtp, sprmPFInnerTtp).
func readPapx(wd, table, data []byte, fc, lcb uint32) []para {
	le := binary.LittleEndian
	if lcb < 12 || uint64(fc)+uint64(lcb) > uint64(len(table)) {
		return nil
	}
	plc := table[fc : fc+lcb]
	n := (len(plc) - 4) / 8
	var out []para
	for i := 0; i < n; i++ {
		pn := le.Uint32(plc[4*(n+1)+4*i:]) & 0x3FFFFF
		off := int(pn) * 512
		if off+512 > len(wd) {
			continue
		}
		fkp := wd[off : off+512]
		crun := int(fkp[511])
		if 4*(crun+1)+13*crun > 511 {
			continue
		}
		for j := 0; j < crun; j++ {
			p := para{start: le.Uint32(fkp[4*j:]), end: le.Uint32(fkp[4*j+4:])}
			if bx := int(fkp[4*(crun+1)+13*j]) * 2; bx > 0 && bx < 511 {
				var grpprl []byte
				if cb := int(fkp[bx]); cb != 0 {
					if bx+1+2*cb-1 <= 511 {
						grpprl = fkp[bx+1 : bx+1+2*cb-1]
					}
				} else if bx+1 < 511 {
					if cb2 := int(fkp[bx+1]); bx+2+2*cb2 <= 511 {
						grpprl = fkp[bx+2 : bx+2+2*cb2]
					}
				}
				if len(grpprl) >= 2 {
					p.inTable, p.rowEnd = tableFlags(grpprl[2:], data) // after the style index
				}
			}
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// tableFlags scans a grpprl for the paragraph's table flags. A paragraph
// whose properties do not fit its FKP (a table row's end, with its cell
// definitions) keeps them in the Data stream, behind sprmPHugePapx.
func tableFlags(g, data []byte) (inTable, rowEnd bool) {
	le := binary.LittleEndian
	for len(g) >= 2 {
		op := le.Uint16(g)
		g = g[2:]
		var size int
		switch op >> 13 {
		case 0, 1:
			size = 1
		case 2, 4, 5:
			size = 2
		case 3:
			size = 4
		case 7:
			size = 3
		case 6:
			switch {
			case op == 0xD608 || op == 0xD606: // sprmTDefTable(10): a 2-byte size
				if len(g) < 2 {
					return
				}
				size = int(le.Uint16(g)) + 1
			case op == 0xC615 && len(g) > 0 && g[0] == 255: // sprmPChgTabs' long form: stop here
				return
			case len(g) > 0:
				size = int(g[0]) + 1
			default:
				return
			}
		}
		if size > len(g) {
			return
		}
		switch op {
		case 0x2416: // sprmPFInTable
			inTable = inTable || g[0] != 0
		case 0x2417, 0x244C: // sprmPFTtp, sprmPFInnerTtp
			rowEnd = rowEnd || g[0] != 0
		case 0x6649: // sprmPItap: table depth
			inTable = inTable || le.Uint32(g) > 0
		case 0x6646, 0x6645: // sprmPHugePapx(2): the grpprl is in the Data stream
			if off := int(le.Uint32(g)); data != nil && off >= 0 && off+2 <= len(data) {
				if cb := int(le.Uint16(data[off:])); off+2+cb <= len(data) {
					t, r := tableFlags(data[off+2:off+2+cb], nil) // no further indirection
					inTable, rowEnd = inTable || t, rowEnd || r
				}
			}
		}
		g = g[size:]
	}
	return
}

// builder turns the character stream into blocks.
type builder struct {
	doc   *nianbao.Document
	paras []para
	text  strings.Builder // the current paragraph or cell paragraph
	cell  []string        // paragraphs of the current cell
	row   []nianbao.TableCell
	table *nianbao.Table
	field []int // field nesting: 0 inside instructions, 1 inside results
}

// props finds the properties of the paragraph containing byte offset fc.
func (b *builder) props(fc uint32) para {
	i := sort.Search(len(b.paras), func(i int) bool { return b.paras[i].end > fc })
	if i < len(b.paras) && b.paras[i].start <= fc {
		return b.paras[i]
	}
	return para{}
}

func (b *builder) char(r rune, fc uint32) {
	switch r {
	case 0x13: // field begin: instructions follow
		b.field = append(b.field, 0)
		return
	case 0x14: // field separator: the result follows
		if n := len(b.field); n > 0 {
			b.field[n-1] = 1
		}
		return
	case 0x15: // field end
		if n := len(b.field); n > 0 {
			b.field = b.field[:n-1]
		}
		return
	}
	for _, f := range b.field {
		if f == 0 {
			return // field instructions are not text
		}
	}
	switch r {
	case 0x0D, 0x0C: // paragraph end, page break
		p := b.props(fc)
		if p.inTable {
			b.cell = append(b.cell, strings.TrimSpace(b.text.String()))
			b.text.Reset()
			return
		}
		b.endParagraph()
	case 0x07: // cell end, or row end when the paragraph is the row's TTP
		p := b.props(fc)
		b.cell = append(b.cell, strings.TrimSpace(b.text.String()))
		b.text.Reset()
		if p.rowEnd {
			if len(b.row) > 0 {
				if b.table == nil {
					b.table = &nianbao.Table{}
				}
				b.table.Rows = append(b.table.Rows, b.row)
			}
			b.row, b.cell = nil, nil
			return
		}
		b.row = append(b.row, nianbao.TableCell{Text: strings.TrimSpace(strings.Join(nonEmpty(b.cell), "\n"))})
		b.cell = nil
	case 0x0B: // line break
		b.text.WriteByte('\n')
	case 0x09, 0xA0, 0x3000:
		b.text.WriteByte(' ')
	case 0x1E: // non-breaking hyphen
		b.text.WriteByte('-')
	case 0x1F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08: // optional hyphen, objects, notes
	default:
		if r >= 0x20 {
			b.text.WriteRune(r)
		}
	}
}

// endParagraph ends a body paragraph (and the table before it).
func (b *builder) endParagraph() {
	t := strings.TrimSpace(b.text.String())
	b.text.Reset()
	b.flushTable()
	if t != "" {
		b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: t})
	}
}

func (b *builder) flushTable() {
	if len(b.row) > 0 { // a row without its row-end mark (truncated file)
		if b.table == nil {
			b.table = &nianbao.Table{}
		}
		b.table.Rows = append(b.table.Rows, b.row)
		b.row = nil
	}
	if b.table != nil {
		b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Table: b.table})
		b.table = nil
	}
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// cp1252 decodes one byte of a compressed piece.
func cp1252(c byte) rune {
	if c < 0x80 {
		return rune(c)
	}
	return charmap.Windows1252.DecodeByte(c)
}
