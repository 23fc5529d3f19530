// Package pdf reads PDFs with a text layer into nianbao Documents: an own
// content-stream walker (text state, ToUnicode and CID fonts, form
// XObjects) over the object layer of internal/pdfobj, and a layout step
// that rebuilds tables from geometry (rules, cell clips) in layout.go.
// Every document is read under a work budget (see Budget and Read).
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/internal/pdfobj"
)

// Limits that keep hostile PDFs bounded.
const (
	maxPDFPages      = 2000
	maxGlyphsPerPage = 200000
	maxFormDepth     = 8
	maxContentBytes  = 32 << 20 // a page's decompressed content stream
)

// MetaSuspectGlyphs is the Document.Meta key counting characters drawn
// with an implausible character map (CJK glyphs sent to Latin letters):
// the text layer, digits included, may read wrong.
const MetaSuspectGlyphs = "suspect_glyphs"

// SuspectGlyphsWarning is the warning of a text layer with n such
// characters, also kept on a read that replaces it (OCR's).
func SuspectGlyphsWarning(n string) string {
	return n + " characters come from fonts whose character map sends CJK glyphs to Latin letters or symbols (Ghostscript re-distilling does this): those characters, digits included, may read wrong"
}

// Errors for PDFs that cannot be read.
var (
	ErrScanned   = nianbao.NewError(nianbao.ClassScanned, "scanned PDF: no text layer")
	ErrNoText    = nianbao.NewError(nianbao.ClassUnreadable, "PDF text unreadable")
	ErrEncrypted = nianbao.NewError(nianbao.ClassEncrypted, "encrypted PDF: cannot be decrypted without a password")
	// ErrDamaged: no page's content could be read (a broken stream, an
	// impossible filter parameter); a scan is ErrScanned.
	ErrDamaged = nianbao.NewError(nianbao.ClassUnreadable, "damaged PDF: no page content could be read")
)

// glyph is one shown character placed in default user space.
type glyph struct {
	x, y     float64 // origin (baseline, left) for horizontal text; top centre for vertical
	w, size  float64 // advance width and font size, in user space
	text     string
	vertical bool
	clip     rect // the innermost clip rectangle in force, if smaller than the page
}

func (g glyph) center() (float64, float64) {
	if g.vertical {
		return g.x, g.y - g.size/2
	}
	return g.x + g.w/2, g.y + g.size*0.3
}

type rect struct{ x0, y0, x1, y1 float64 } // x0<x1, y0<y1; zero value = none

func (r rect) empty() bool { return r.x1 <= r.x0 || r.y1 <= r.y0 }

func (r rect) contains(x, y float64) bool {
	return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1
}

// segment is a horizontal or vertical rule: a stroked line, a thin filled
// rectangle, or an edge of a cell's clip rectangle.
type segment struct {
	horizontal bool
	at         float64 // y for horizontal, x for vertical
	lo, hi     float64 // extent along the other axis
}

// pdfPage is what the walker collects from one page.
type pdfPage struct {
	num      int
	box      rect
	glyphs   []glyph
	segments []segment
	clips    []rect // rectangular clip paths, in drawing order
	problems int    // form XObjects that drew themselves, skipped
}

type matrix [6]float64 // a b c d e f

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix { // m × n
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm                        matrix
	clip                       rect
	font                       *pdfFont
	size, tc, tw, th, tl, rise float64
}

// Budget bounds the work of one ReadPDF call; see pdfobj.Budget. Its
// Timeout is the per-file time limit.
var Budget = pdfobj.Budget{Objects: 2_000_000, Bytes: 1 << 30, Timeout: 30 * time.Second}

// maxOperators bounds the content-stream operators interpreted per document,
// form XObjects included (a 300-page report has a few million). A variable
// so tests can lower it.
var maxOperators = 20_000_000

// Read reads a PDF with a text layer into paragraphs and tables. Tables
// are rebuilt from geometry: each glyph is placed by the full text state,
// cell boxes come from the ruling lines and cell clip rectangles, and text
// outside any box becomes paragraphs, line by line.
//
// Work is bounded by Budget: objects resolved, bytes decoded, operators
// interpreted and a deadline; the page tree and form XObjects are walked
// with cycle detection. Cost is linear in the file's size and its pages'
// content (objects are resolved once, pages enumerated in one walk).
func Read(data []byte) (doc *nianbao.Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			if be, ok := p.(*pdfobj.BudgetError); ok {
				doc, err = nil, be
				return
			}
			doc, err = nil, fmt.Errorf("PDF: malformed file (%v)", p)
		}
	}()
	r, err := pdfobj.NewReaderBudget(bytes.NewReader(data), int64(len(data)), Budget)
	if err != nil {
		if bytes.Contains(data, []byte("/Encrypt")) {
			return nil, fmt.Errorf("%w (%v)", ErrEncrypted, err)
		}
		return nil, fmt.Errorf("PDF: %w", err)
	}
	doc = &nianbao.Document{Format: nianbao.FormatPDF, Meta: map[string]string{}}
	info := r.Trailer().Key("Info")
	doc.Title = strings.TrimSpace(pdfText(info.Key("Title").RawString()))
	if d := pdfText(info.Key("CreationDate").RawString()); d != "" {
		doc.Meta["CreationDate"] = d
	}
	pages, perr := pageList(r.Trailer().Key("Root").Key("Pages"))
	if perr != nil {
		if len(pages) == 0 {
			return nil, perr
		}
		doc.Warnings = append(doc.Warnings, perr.Error())
	}
	glyphs := 0
	var pageErrs []string // what went wrong on pages, to say when nothing could be read
	w := &walker{fonts: map[string]*pdfFont{}, reader: r}
	var lastTable *nianbao.Table // the last table of the previous page, if it ended the page
	for i, p := range pages {
		pg, perr := w.walkPage(p, i+1)
		if perr != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("page %d: %v", i+1, perr))
			if len(pageErrs) < 3 {
				pageErrs = append(pageErrs, fmt.Sprintf("page %d: %v", i+1, perr))
			}
		}
		glyphs += len(pg.glyphs)
		blocks, lerr := layoutPage(pg)
		if lerr != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("page %d: %v", i+1, lerr))
		}
		if first := firstTable(blocks); lastTable != nil && first != nil && joinSplitRow(lastTable, first) {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("page %d: a table row split over the page break was joined", i+1))
		}
		lastTable = lastTableOf(blocks)
		doc.Blocks = append(doc.Blocks, blocks...)
		r.CheckDeadline()
	}
	if glyphs == 0 && w.shows > 0 {
		return nil, fmt.Errorf("%w: %d text operators drew no character with a known meaning (fonts without a character map)", ErrNoText, w.shows)
	}
	if glyphs == 0 && len(pageErrs) > 0 { // not a scan: the pages could not be read
		return nil, fmt.Errorf("%w: %s", ErrDamaged, strings.Join(pageErrs, "; "))
	}
	if glyphs == 0 {
		return nil, ErrScanned
	}
	if w.suspect > 0 {
		doc.Meta[MetaSuspectGlyphs] = fmt.Sprint(w.suspect)
		doc.Warnings = append(doc.Warnings, SuspectGlyphsWarning(doc.Meta[MetaSuspectGlyphs]))
	}
	doc.Meta["Pages"] = fmt.Sprint(len(pages))
	return doc, nil
}

// pageNode is a page with the attributes it inherits from its ancestors.
type pageNode struct {
	v                  pdfobj.Value
	resources, mediaBx pdfobj.Value
}

// pageList enumerates the page tree depth first in one walk, carrying
// inherited Resources and MediaBox down. A node met again on its own path
// (a Kids or Parent cycle) is skipped with an error; the walk never follows
// /Parent. Nodes without /Type are told apart by /Kids.
func pageList(root pdfobj.Value) ([]pageNode, error) {
	var pages []pageNode
	var problem error
	onPath := map[pdfobj.Ref]bool{}
	visited := 0
	var walk func(v, res, mb pdfobj.Value, depth int)
	walk = func(v, res, mb pdfobj.Value, depth int) {
		if v.Kind() != pdfobj.Dict || len(pages) > maxPDFPages {
			return
		}
		if visited++; visited > 4*maxPDFPages || depth > 64 {
			problem = fmt.Errorf("PDF: page tree deeper than 64 levels or larger than %d nodes", 4*maxPDFPages)
			return
		}
		if ref, ok := v.Ref(); ok {
			if onPath[ref] {
				problem = fmt.Errorf("PDF: page tree cycle at object %d: skipped", ref.ID)
				return
			}
			onPath[ref] = true
			defer delete(onPath, ref)
		}
		if r := v.Key("Resources"); !r.IsNull() {
			res = r
		}
		if m := v.Key("MediaBox"); m.Len() == 4 {
			mb = m
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || kids.Kind() != pdfobj.Array {
			pages = append(pages, pageNode{v, res, mb})
			return
		}
		for i := range kids.Len() {
			walk(kids.Index(i), res, mb, depth+1)
		}
	}
	walk(root, pdfobj.Value{}, pdfobj.Value{}, 0)
	if len(pages) > maxPDFPages {
		return nil, fmt.Errorf("PDF: more than the %d pages a report can have", maxPDFPages)
	}
	return pages, problem
}

// walkPage interprets one page's content stream, following form XObjects.
func (w *walker) walkPage(p pageNode, num int) (pg *pdfPage, err error) {
	pg = &pdfPage{num: num}
	if mb := p.mediaBx; mb.Len() == 4 {
		pg.box = normRect(mb.Index(0).Float64(), mb.Index(1).Float64(), mb.Index(2).Float64(), mb.Index(3).Float64())
	} else {
		pg.box = rect{0, 0, 595, 842}
	}
	w.page = pg
	defer func() {
		if r := recover(); r != nil {
			if be, ok := r.(*pdfobj.BudgetError); ok {
				panic(be) // the whole document is over budget
			}
			err = fmt.Errorf("content stream stopped early: %v", r)
		}
	}()
	contents := p.v.Key("Contents")
	if err := checkStreamSize(contents); err != nil {
		return pg, err
	}
	w.run(contents, p.resources, gstate{ctm: identity, th: 1}, 0)
	if pg.problems > 0 {
		return pg, fmt.Errorf("%d form XObject calls would draw a form inside itself: skipped", pg.problems)
	}
	return pg, nil
}

// frameSides reads two rectangles, one inside the other with less than
// 2.5 points between them on every side, as a frame's four sides.
func frameSides(a, b rect) ([4]rect, bool) {
	out, in := a, b
	if in.x0 < out.x0 {
		out, in = in, out
	}
	const thin = 2.5
	gaps := [4]float64{in.x0 - out.x0, out.x1 - in.x1, in.y0 - out.y0, out.y1 - in.y1}
	for _, g := range gaps {
		if g < 0 || g >= thin {
			return [4]rect{}, false
		}
	}
	if in.x1-in.x0 < thin || in.y1-in.y0 < thin {
		return [4]rect{}, false
	}
	return [4]rect{
		{out.x0, out.y0, in.x0, out.y1}, // left
		{in.x1, out.y0, out.x1, out.y1}, // right
		{out.x0, out.y0, out.x1, in.y0}, // bottom
		{out.x0, in.y1, out.x1, out.y1}, // top
	}, true
}

// checkStreamSize inflates a content stream (or array of them) once into
// the void to refuse decompression bombs before the interpreter, which
// holds whole tokens and operand stacks in memory, sees them.
func checkStreamSize(v pdfobj.Value) error {
	var total int64
	streams := []pdfobj.Value{v}
	if v.Kind() == pdfobj.Array {
		streams = streams[:0]
		for i := 0; i < v.Len() && i < 10000; i++ {
			streams = append(streams, v.Index(i))
		}
	}
	for _, s := range streams {
		if s.Kind() != pdfobj.Stream {
			continue
		}
		rd := s.Reader()
		n, err := io.Copy(io.Discard, io.LimitReader(rd, maxContentBytes+1-total))
		rd.Close()
		if err != nil {
			return fmt.Errorf("content stream cannot be decoded: %v", err)
		}
		if total += n; total > maxContentBytes {
			return fmt.Errorf("content stream inflates beyond %d MiB: skipped", maxContentBytes>>20)
		}
	}
	return nil
}

type walker struct {
	page      *pdfPage
	fonts     map[string]*pdfFont // by resource name and font object identity
	reader    *pdfobj.Reader
	operators int                 // interpreted so far in the document
	suspect   int                 // glyphs drawn whose character map is implausible
	shows     int                 // text-showing operators met (Tj, TJ, ', ")
	forms     map[pdfobj.Ref]bool // form XObjects being drawn (cycle detection)
}

// font loads a font once per document. The key is cheap to build: the
// resource name with the font's own names (subset fonts carry a unique tag
// in BaseFont), since the library exposes no object identity.
func (w *walker) font(res pdfobj.Value, name string) *pdfFont {
	v := res.Key("Font").Key(name)
	key := name + "|" + v.Key("BaseFont").Name() + "|" + v.Key("Subtype").Name() + "|" + v.Key("Encoding").Name()
	if f, ok := w.fonts[key]; ok {
		return f
	}
	f := loadFont(v)
	w.fonts[key] = f
	return f
}

func (w *walker) run(strm, res pdfobj.Value, gs gstate, depth int) {
	var stack []gstate
	var tm, tlm matrix
	var path []segment
	var pathRects []rect
	var polys []rect           // bounding boxes of m/l subpaths, for rules drawn as thin filled polygons
	var cx, cy, sx, sy float64 // current point and subpath start, in user space
	var pendingClip bool
	local := map[string]*pdfFont{} // fonts of this resource dictionary, by name
	addLine := func(x0, y0, x1, y1 float64) {
		switch {
		case math.Abs(y0-y1) < 0.5:
			path = append(path, segment{true, (y0 + y1) / 2, math.Min(x0, x1), math.Max(x0, x1)})
		case math.Abs(x0-x1) < 0.5:
			path = append(path, segment{false, (x0 + x1) / 2, math.Min(y0, y1), math.Max(y0, y1)})
		}
	}
	endPath := func(stroke, fill bool) {
		if pendingClip && len(pathRects) == 1 {
			c := pathRects[0]
			if !gs.clip.empty() {
				c = intersect(c, gs.clip)
			}
			if !covers(c, w.page.box) {
				gs.clip = c
				w.page.clips = append(w.page.clips, c) // a cell only if the layout agrees
			}
		}
		if stroke {
			w.page.segments = append(w.page.segments, path...)
		}
		if fill && len(pathRects) == 2 && len(polys) == 0 {
			// A border drawn as a frame: an outer and an inner rectangle
			// filled even-odd (WeasyPrint, each cell's border in one fill,
			// clipped to one side at a time): its four thin sides are rules.
			if sides, ok := frameSides(pathRects[0], pathRects[1]); ok {
				pathRects = append(pathRects[:0], sides[:]...)
			}
		}
		if fill {
			for _, r := range append(pathRects, polys...) {
				switch wd, ht := r.x1-r.x0, r.y1-r.y0; {
				case wd < 2.5 && ht >= 2.5: // a vertical rule drawn as a thin box or polygon (Chrome)
					w.page.segments = append(w.page.segments, segment{false, (r.x0 + r.x1) / 2, r.y0, r.y1})
				case ht < 2.5 && wd >= 2.5:
					w.page.segments = append(w.page.segments, segment{true, (r.y0 + r.y1) / 2, r.x0, r.x1})
				}
			}
		}
		path, pathRects, polys, pendingClip = path[:0], pathRects[:0], polys[:0], false
	}
	show := func(s string) {
		f := gs.font
		if f == nil {
			f = &pdfFont{codeLen: 1, scale: 0.001, cache: map[string]string{}}
		}
		for _, code := range f.codes(s) {
			if len(w.page.glyphs) >= maxGlyphsPerPage {
				panic("too many glyphs on the page")
			}
			trm := matrix{gs.size * gs.th, 0, 0, gs.size, 0, gs.rise}.mul(tm).mul(gs.ctm)
			x, y := trm[4], trm[5]
			size := math.Hypot(trm[2], trm[3])
			adv := f.width(code) * f.scale
			if f.suspect[code] {
				w.suspect++
			}
			if t := f.text(code); t != "" && t != " " && t != "\u3000" {
				g := glyph{x: x, y: y, size: size, text: t, vertical: f.vertical, clip: gs.clip}
				g.w = adv * math.Hypot(trm[0], trm[1])
				w.page.glyphs = append(w.page.glyphs, g)
			}
			spacing := gs.tc
			if len(code) == 1 && code == " " {
				spacing += gs.tw
			}
			if f.vertical {
				tm = matrix{1, 0, 0, 1, 0, -(1.0*gs.size + spacing)}.mul(tm)
			} else {
				tm = matrix{1, 0, 0, 1, (adv*gs.size + spacing) * gs.th, 0}.mul(tm)
			}
		}
	}
	pdfobj.Interpret(strm, func(stk *pdfobj.Stack, op string) {
		if w.operators++; w.operators > maxOperators {
			panic(&pdfobj.BudgetError{What: fmt.Sprintf("more than %d content operators: work budget exceeded", maxOperators)})
		}
		if w.operators&0xFFF == 0 {
			w.reader.CheckDeadline()
		}
		args := make([]pdfobj.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				gs.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := local[name]
				if !ok {
					f = w.font(res, name)
					local[name] = f
				}
				gs.font = f
				gs.size = num(1)
			}
		case "Tc":
			gs.tc = num(0)
		case "Tw":
			gs.tw = num(0)
		case "Tz":
			gs.th = num(0) / 100
		case "TL":
			gs.tl = num(0)
		case "Ts":
			gs.rise = num(0)
		case "Td", "TD":
			if op == "TD" {
				gs.tl = -num(1)
			}
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
		case "Tj":
			w.shows++
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'", "\"":
			w.shows++
			if op == "\"" && len(args) == 3 {
				gs.tw, gs.tc = num(0), num(1)
			}
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
			if len(args) > 0 {
				show(args[len(args)-1].RawString())
			}
		case "TJ":
			w.shows++
			if len(args) != 1 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				e := a.Index(i)
				if e.Kind() == pdfobj.String {
					show(e.RawString())
					continue
				}
				d := -e.Float64() / 1000 * gs.size
				if gs.font != nil && gs.font.vertical {
					tm = matrix{1, 0, 0, 1, 0, d}.mul(tm)
				} else {
					tm = matrix{1, 0, 0, 1, d * gs.th, 0}.mul(tm)
				}
			}
		case "m":
			cx, cy = gs.ctm.apply(num(0), num(1))
			sx, sy = cx, cy
			polys = append(polys, rect{cx, cy, cx, cy})
		case "l":
			x, y := gs.ctm.apply(num(0), num(1))
			addLine(cx, cy, x, y)
			cx, cy = x, y
			if n := len(polys); n > 0 {
				p := &polys[n-1]
				p.x0, p.y0, p.x1, p.y1 = math.Min(p.x0, x), math.Min(p.y0, y), math.Max(p.x1, x), math.Max(p.y1, y)
			}
		case "h":
			addLine(cx, cy, sx, sy)
			cx, cy = sx, sy
		case "re":
			x0, y0 := gs.ctm.apply(num(0), num(1))
			x1, y1 := gs.ctm.apply(num(0)+num(2), num(1)+num(3))
			r := normRect(x0, y0, x1, y1)
			pathRects = append(pathRects, r)
			path = append(path, rectEdges(r)...)
		case "W", "W*":
			pendingClip = true
		case "n":
			endPath(false, false)
		case "S", "s":
			endPath(true, false)
		case "f", "F", "f*":
			endPath(false, true)
		case "B", "B*", "b", "b*":
			endPath(true, true)
		case "Do":
			if len(args) != 1 || depth >= maxFormDepth {
				return
			}
			x := res.Key("XObject").Key(args[0].Name())
			if x.Key("Subtype").Name() != "Form" {
				return
			}
			fgs := gs
			if m := x.Key("Matrix"); m.Len() == 6 {
				fgs.ctm = matrix{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(), m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.mul(gs.ctm)
			}
			fres := x.Key("Resources")
			if fres.IsNull() {
				fres = res
			}
			ref, indirect := x.Ref()
			if indirect && w.forms[ref] {
				w.page.problems++ // a form that draws itself: drawn once
				return
			}
			if checkStreamSize(x) != nil {
				return
			}
			if indirect {
				if w.forms == nil {
					w.forms = map[pdfobj.Ref]bool{}
				}
				w.forms[ref] = true
				defer delete(w.forms, ref)
			}
			w.run(x, fres, fgs, depth+1)
		}
	})
}

func normRect(x0, y0, x1, y1 float64) rect {
	return rect{math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1)}
}

func intersect(a, b rect) rect {
	return rect{math.Max(a.x0, b.x0), math.Max(a.y0, b.y0), math.Min(a.x1, b.x1), math.Min(a.y1, b.y1)}
}

// covers reports whether r is (nearly) the whole page.
func covers(r, page rect) bool {
	return r.x1-r.x0 >= 0.9*(page.x1-page.x0) && r.y1-r.y0 >= 0.9*(page.y1-page.y0)
}

func rectEdges(r rect) []segment {
	return []segment{
		{true, r.y0, r.x0, r.x1}, {true, r.y1, r.x0, r.x1},
		{false, r.x0, r.y0, r.y1}, {false, r.x1, r.y0, r.y1},
	}
}

// pdfText decodes a PDF text string: UTF-16 with either byte-order mark
// (WPS writes little-endian), UTF-8, or else GB18030 bytes.
func pdfText(s string) string {
	switch {
	case strings.HasPrefix(s, "\xfe\xff"):
		return utf16BE(s[2:])
	case strings.HasPrefix(s, "\xff\xfe"):
		b := []byte(s[2:])
		for i := 0; i+1 < len(b); i += 2 {
			b[i], b[i+1] = b[i+1], b[i]
		}
		return utf16BE(string(b))
	case utf8.ValidString(s):
		return s
	}
	if b, err := simplifiedchinese.GB18030.NewDecoder().String(s); err == nil {
		return b
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
