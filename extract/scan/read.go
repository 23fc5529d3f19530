// Package scan reads image-born reports — scanned PDFs, page images,
// photographs — into the same Document the text readers produce: each
// page is turned upright, its ruled tables found (grid first: rules,
// crossings, merged cells where a rule is missing), every cell read on its
// own by an OCR engine (a digits-only pass for every cell without Chinese
// text), and the text outside the tables read line by line. A number read
// with low confidence, or not shaped like a number, is never guessed: the
// cell is left unread, with a warning naming it.
package scan

import (
	"context"
	"fmt"
	"image"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/ocr"
)

// Page is one page image with its resolution (0 when unknown: estimated
// from an A4 page's width).
type Page struct {
	Image image.Image
	DPI   float64
}

// MinConfidence is the least confidence a number is accepted with; below
// it the cell is left unread.
const MinConfidence = 0.6

// SureConfidence is the least confidence a number is accepted with when
// the text pass read Chinese in the same cell.
const SureConfidence = 0.75

// digitsOf is a number as read, without its decimal point and plus sign,
// for comparing two readings.
func digitsOf(s string) string {
	return strings.TrimPrefix(strings.ReplaceAll(s, ".", ""), "+")
}

// dashGlyphs is what OCR makes of a dash: 一, -, —, = … alone or in a row.
var dashGlyphs = regexp.MustCompile(`^[-—–一=_－~─]+$`)

// numberRe is a number as reports print them.
var numberRe = regexp.MustCompile(`^[-+]?\d{1,9}(\.\d{1,4})?$`)

// Read reads page images with eng into a Document of format f, pages in
// parallel (PageWorkers).
func Read(ctx context.Context, pages []Page, eng ocr.Engine, f nianbao.Format) (*nianbao.Document, error) {
	doc := newDoc(f, eng)
	_, err := readPages(ctx, doc, len(pages), func(n int) (Page, error) { return pages[n-1], nil }, eng)
	if err != nil {
		return nil, err
	}
	return doc, nil
}

func newDoc(f nianbao.Format, eng ocr.Engine) *nianbao.Document {
	return &nianbao.Document{Format: f, Meta: map[string]string{nianbao.MetaOCR: eng.Name()}}
}

// piece is a table or a text line of a page, at its height.
type piece struct {
	y     int
	table *nianbao.Table
	text  string
}

// deskewed is a page in gray, straightened, with its bitmap and its
// resolution (for an image that does not say it: as if it were A4 wide);
// photo tells a photographed sheet, its keystone undone.
func deskewed(p Page) (gray *image.Gray, bin *bitmap, dpi float64, photo bool) {
	dpi = p.DPI
	if dpi <= 0 {
		dpi = a4DPI(p.Image.Bounds())
	}
	gray = grayOf(p.Image)
	if q, ok := paperQuad(gray); ok {
		photo = true
		// a photo of the sheet: its keystone undone, its light evened
		// (on scans flattening changed nothing measured: not done there).
		// Its resolution stays the picture's: taken as the sheet's (A4),
		// a sheet 70 % of the picture's width read 9 cells of 200, not 75
		gray = sheetOf(gray, q)
	}
	bin = binarize(gray, otsu(gray))
	if a := skew(bin); a != 0 {
		gray = rotate(gray, a)
		bin = binarize(gray, otsu(gray))
	}
	return gray, bin, dpi, photo
}

// a4DPI is the resolution of an image of an A4 sheet as wide as r.
func a4DPI(r image.Rectangle) float64 {
	in := 8.27 // A4 portrait
	if r.Dx() > r.Dy() {
		in = 11.69
	}
	return float64(r.Dx()) / in
}

// Crop is the part of a page a cell was read from, as OCR saw it
// (straightened): box is the cell's Position.Box (x, y of the top-left
// corner from the page's top-left, width, height, in points), widened by
// a margin so the rules around it show.
func Crop(p Page, box [4]float64) (image.Image, error) {
	gray, _, dpi, _ := deskewed(p)
	px := func(v float64) int { return int(v*dpi/72 + 0.5) }
	m := px(6)
	r := image.Rect(px(box[0])-m, px(box[1])-m, px(box[0]+box[2])+m, px(box[1]+box[3])+m).Intersect(gray.Bounds())
	if r.Empty() {
		return nil, fmt.Errorf("box %v is outside the page", box)
	}
	return gray.SubImage(r), nil
}

func readPage(ctx context.Context, p Page, pageNo int, eng ocr.Engine) ([]nianbao.Block, []string, error) {
	gray, bin, dpi, photo := deskewed(p)
	s := scaleFor(dpi)
	t := otsu(gray)
	// Rules are found on a lighter threshold than text: a thin rule is
	// printed (or scanned) gray, and a rule is long enough that specks
	// do not matter. And before despeckling: a gray rule dithered to
	// black and white (CCITT G4 scans) is a row of dots.
	grids := findGrids(withoutFills(gray, bin, t, s), s)
	// speckle goes from the bitmap (which cells are empty, where ink
	// is), not from the crops: a decimal point far from its digits looks
	// like a speck, and 96171.6 was read as 961716 without it
	despeckle(bin, nil, s.speck, 2*s.pad)
	for i := range grids {
		grids[i].splitDropped(bin, s)
	}
	paper := paperLevel(t)

	// Every cell with ink, then every text line outside the tables, read
	// in one batch.
	type job struct {
		grid, cell int
		rect       image.Rectangle // the cell's ink
		area       image.Rectangle // what its crop shows
	}
	var jobs []job
	var crops []image.Image
	margin := max(8, s.pad*3)
	// a phone's lens blurs: a small figure's strokes came out gray and
	// soft, and Tesseract read nothing in a quarter of them (sharpened,
	// in 6 of 173); a scan's crisp or dithered strokes are left as they
	// are (sharpening a 110 dpi page's enlarged figures lost more)
	cut := func(r image.Rectangle, f float64) image.Image {
		c := crop(gray, r, f, margin, paper)
		if photo {
			c = sharpen(c, 4)
		}
		return c
	}
	for gi := range grids {
		g := &grids[gi]
		for ci, c := range g.cells {
			// clear of the rules by a little more, so no stroke of a rule
			// is read as | or 1
			r := g.inner(bin, c, s).Inset(s.pad)
			box, n := cellInk(bin, r, s)
			if n < s.minInk {
				continue // an empty cell
			}
			// a figure printed close to a slanting rule is cut by the
			// cell's inner edge (800 read as 300): widen the cell toward
			// the rule while the glyph goes on
			if wide := widen(bin, r, box, 2*s.pad+2); wide != r {
				r = wide
				box, _ = cellInk(bin, r, s)
			}
			area := box.Inset(-s.pad).Intersect(r)
			jobs = append(jobs, job{gi, ci, box, area})
			crops = append(crops, cut(area, s.upscale))
		}
	}
	lines := textLines(bin, grids, s)
	for _, l := range lines {
		crops = append(crops, cut(l.Inset(-s.pad), s.upscale))
	}
	texts, err := eng.Recognize(ctx, crops, ocr.Text)
	if err != nil {
		return nil, nil, err
	}
	// The digits pass: every cell read without Chinese, short ones too (a
	// lone 1 read as 工 by the Chinese model).
	var digitJobs []int
	var digitCrops []image.Image
	for i := range jobs {
		if !hasHan(texts[i].Text) || len([]rune(clean(texts[i].Text))) <= 2 {
			digitJobs = append(digitJobs, i)
			digitCrops = append(digitCrops, crops[i])
		}
	}
	digits, err := eng.Recognize(ctx, digitCrops, ocr.Digits)
	if err != nil {
		return nil, nil, err
	}
	// The line pass: a cell with ink the block mode read nothing in and
	// the digits pass no number in — a short label (规章) — read again as
	// one line of Chinese.
	var lineJobs []int
	var lineCrops []image.Image
	for k, i := range digitJobs {
		if clean(texts[i].Text) == "" && !numberRe.MatchString(clean(digits[k].Text)) {
			lineJobs = append(lineJobs, i)
			lineCrops = append(lineCrops, crops[i])
		}
	}
	if len(lineCrops) > 0 {
		again, err := eng.Recognize(ctx, lineCrops, ocr.Line)
		if err != nil {
			return nil, nil, err
		}
		for k, i := range lineJobs {
			if hasHan(again[k].Text) {
				texts[i] = again[k]
			}
		}
	}
	cellText := make([]string, len(jobs))
	cellConf := make([]float64, len(jobs))
	for i := range jobs {
		cellText[i] = clean(texts[i].Text)
		cellConf[i] = texts[i].Confidence
		if hasHan(cellText[i]) {
			cellText[i] = correctLabel(cellText[i])
		}
	}
	// The columns of figures: most of the cells the digits pass read there
	// are numbers (decide).
	type column struct{ grid, c0 int }
	figures, read := map[column]int{}, map[column]int{}
	for k, i := range digitJobs {
		col := column{jobs[i].grid, grids[jobs[i].grid].cells[jobs[i].cell].c0}
		read[col]++
		if numberRe.MatchString(strings.ReplaceAll(clean(digits[k].Text), ".", "")) {
			figures[col]++
		}
	}
	// The third reading: where the passes read different numbers, the
	// digits pass again on the crop half as large again (decide).
	third := map[int]ocr.Result{}
	var thirdJobs []int
	var thirdCrops []image.Image
	for k, i := range digitJobs {
		if disputed(readAs(texts[i], digits[k])) {
			thirdJobs = append(thirdJobs, k)
			thirdCrops = append(thirdCrops, cut(jobs[i].area, 1.5*s.upscale))
		}
	}
	if len(thirdCrops) > 0 {
		again, err := eng.Recognize(ctx, thirdCrops, ocr.Digits)
		if err != nil {
			return nil, nil, err
		}
		for n, k := range thirdJobs {
			third[k] = again[n]
		}
	}
	var warns []string
	for k, i := range digitJobs {
		g := grids[jobs[i].grid]
		c := g.cells[jobs[i].cell]
		col := column{jobs[i].grid, c.c0}
		r := reading{text: texts[i], digits: digits[k], label: cellText[i], ink: bin, box: jobs[i].rect,
			figureColumn: figures[col] >= 3 && 2*figures[col] > read[col]}
		if res, ok := third[k]; ok {
			r.third = &res
		}
		var why string
		cellText[i], cellConf[i], why = decide(r, s)
		if why != "" {
			warns = append(warns, fmt.Sprintf("ocr: page %d, table %d, row %d, column %d: %s: left unread", pageNo, jobs[i].grid+1, c.r0+1, c.c0+1, why))
		}
	}

	var pieces []piece
	for gi := range grids {
		g := &grids[gi]
		t := &nianbao.Table{}
		text := map[int]string{}
		conf := map[int]float64{}
		for k, j := range jobs {
			if j.grid == gi {
				text[j.cell], conf[j.cell] = cellText[k], cellConf[k]
			}
		}
		for _, h := range g.holes() {
			g.cells = append(g.cells, h)
			text[len(g.cells)-1] = unreadable
			warns = append(warns, fmt.Sprintf("ocr: page %d, table %d, row %d, columns %d–%d: no printed box found (a rule lost in the scan?): left unread, so no figure moves into another column",
				pageNo, gi+1, h.r0+1, h.c0+1, h.c1+1))
		}
		order := make([]int, len(g.cells))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool {
			a, b := g.cells[order[i]], g.cells[order[j]]
			return a.r0 < b.r0 || a.r0 == b.r0 && a.c0 < b.c0
		})
		row := -1
		for _, ci := range order {
			c := g.cells[ci]
			for row < c.r0 {
				t.Rows = append(t.Rows, nil)
				row++
			}
			x0, y0 := g.xs[c.c0], g.ys[c.r0]
			t.Rows[c.r0] = append(t.Rows[c.r0], nianbao.TableCell{Text: text[ci], RowSpan: c.r1 - c.r0 + 1, ColSpan: c.c1 - c.c0 + 1,
				Page: pageNo, X: pt(x0, dpi), Y: pt(y0, dpi), W: pt(g.xs[c.c1+1]-x0, dpi), H: pt(g.ys[c.r1+1]-y0, dpi),
				OCR: true, Confidence: conf[ci]})
		}
		pieces = append(pieces, piece{y: g.bounds.Min.Y, table: t})
	}
	for k, l := range lines {
		if t := clean(texts[len(jobs)+k].Text); t != "" {
			pieces = append(pieces, piece{y: l.Min.Y, text: t})
		}
	}
	sortPieces(pieces)
	var blocks []nianbao.Block
	for _, p := range pieces {
		if p.table != nil {
			blocks = append(blocks, nianbao.Block{Table: p.table})
		} else {
			blocks = append(blocks, nianbao.Block{Text: p.text})
		}
	}
	return blocks, warns, nil
}

// cellInk is the bounding box of the ink of a cell's inside r and its
// pixel count, specks left out: blots of at most s.speck pixels with no
// larger one within 2·pad in the cell. The page's despeckling keeps a
// speck beside a rule (the table is one large blot); inside the cell it
// is alone, and it stretched the crop of 规章 across the empty cell,
// where Tesseract then read nothing.
func cellInk(b *bitmap, r image.Rectangle, s scale) (image.Rectangle, int) {
	r = r.Intersect(image.Rect(0, 0, b.w, b.h))
	if r.Empty() {
		return image.Rectangle{}, 0
	}
	sub := &bitmap{w: r.Dx(), h: r.Dy(), ink: make([]bool, r.Dx()*r.Dy())}
	for y := range sub.h {
		copy(sub.ink[y*sub.w:(y+1)*sub.w], b.ink[(r.Min.Y+y)*b.w+r.Min.X:(r.Min.Y+y)*b.w+r.Max.X])
	}
	despeckle(sub, nil, s.speck, 2*s.pad)
	box, n := inkBox(sub, image.Rect(0, 0, sub.w, sub.h))
	if n == 0 {
		return image.Rectangle{}, 0
	}
	return box.Add(r.Min), n
}

// reading is what the passes made of a cell read digits-only too (no
// Chinese in it, or little), and where its ink is.
type reading struct {
	text, digits ocr.Result  // the text and the digits pass
	third        *ocr.Result // where they read different numbers: the digits pass on a larger crop
	label        string      // the text pass's reading as a label (correctLabel)
	ink          *bitmap
	box          image.Rectangle // the cell's ink in ink
	figureColumn bool            // most cells of its column read as numbers
}

// readAs is what the text and the digits pass read, cleaned; the digits
// pass's reading takes the decimal point only the text pass saw (96171.6
// read as 961716).
func readAs(text, digits ocr.Result) (t, dt string) {
	t, d := clean(text.Text), clean(digits.Text)
	dt = strings.ReplaceAll(d, ".", "")
	if strings.Contains(d, ".") && numberRe.MatchString(d) {
		dt = d
	} else if strings.Contains(t, ".") && numberRe.MatchString(t) && strings.ReplaceAll(t, ".", "") == dt {
		dt = t
	}
	return t, dt
}

// disputed tells whether the two passes read different numbers.
func disputed(t, dt string) bool {
	return numberRe.MatchString(t) && numberRe.MatchString(dt) && digitsOf(t) != digitsOf(dt)
}

// decide is a cell's text from its readings, with its confidence; or
// unreadable, and why (for the warning). A number is taken only when the
// digits pass is sure enough and nothing contradicts it.
func decide(r reading, s scale) (text string, conf float64, why string) {
	d := r.digits
	t, dt := readAs(r.text, d)
	// a short Chinese reading in a column of figures (了 for a blurred 7,
	// 人小 for speckle) is a figure misread, not a label — unless it is a
	// word of the templates (其他 heads a column of figures)
	misread := r.figureColumn && !templateWord(t)
	lines := inkLines(r.ink, r.box, s)
	switch {
	case lines > 1 && (numberRe.MatchString(dt) || numberRe.MatchString(t)):
		// figures on two lines in one box: two rows' cells where the rule
		// between them was lost (a lens bends it), 1 over 67 read as 167
		return unreadable, d.Confidence, fmt.Sprintf("read %q, but its ink is %d lines (a rule lost between two rows?)", firstNonEmpty(dt, t), lines)
	case dashStroke(r.ink, r.box, s) || dashGlyphs.MatchString(t) && dt == "" || dashGlyphs.MatchString(dt):
		// one horizontal stroke: a dash, not applicable (not 一)
		return "—", max(r.text.Confidence, MinConfidence), ""
	case slashStroke(r.ink, r.box, s) && !numberRe.MatchString(dt):
		return "/", max(r.text.Confidence, MinConfidence), ""
	case hasHan(t) && !numberRe.MatchString(dt) && !misread:
		// Chinese after all (a short label such as 其他)
		return r.label, r.text.Confidence, ""
	case disputed(t, dt):
		// The passes read different numbers: 0 and 6 beside a seal's
		// edge; 7343 and 7945 for 7545 under noise; but also 20 and 26
		// on a clean page, where the Chinese model misreads the figure.
		// The more confident of the two is taken when the third reading
		// (the digits pass on a larger crop) is sure and agrees with it;
		// else neither. (The third is no independent vote: at 110 dpi
		// both digits readings took 53 for 33, the text pass surer.)
		if r.third != nil && r.third.Confidence >= SureConfidence {
			th := digitsOf(clean(r.third.Text))
			switch {
			case d.Confidence >= r.text.Confidence && th == digitsOf(dt):
				return dt, min(d.Confidence, r.third.Confidence), ""
			case r.text.Confidence > d.Confidence && th == digitsOf(t):
				return t, min(r.text.Confidence, r.third.Confidence), ""
			}
		}
		third := ""
		if r.third != nil {
			third = fmt.Sprintf(", then %q", clean(r.third.Text))
		}
		return unreadable, min(d.Confidence, r.text.Confidence), fmt.Sprintf("read as %q and as %q%s", t, dt, third)
	case dt == "1" && r.box.Dx() > r.box.Dy()*9/10:
		// a lone 1 whose ink is as wide as it is tall (a 1 with its
		// serif foot is two thirds): a glyph was missed (11 read as 1
		// beside a speck)
		return unreadable, d.Confidence, `read "1", but the ink is wider than a 1`
	case numberRe.MatchString(dt) && d.Confidence >= MinConfidence && (!hasHan(t) || d.Confidence >= SureConfidence):
		// (where the text pass saw Chinese — a seal's or a speck's
		// strokes beside the figure — the digits pass must be sure)
		return dt, d.Confidence, ""
	case numberRe.MatchString(dt) && dt == t:
		// both passes agree
		return dt, max(d.Confidence, r.text.Confidence), ""
	case (dt == "1" || dt == "" && t == "1") && !strings.ContainsAny(t, "023456789") && oneStroke(r.ink, r.box):
		// Tesseract is never sure of a lone 1 (l? I? |?); its ink is one
		// tall narrow stroke, which no other digit is: accepted at the
		// least confidence a number is
		return "1", MinConfidence, ""
	}
	return unreadable, d.Confidence, fmt.Sprintf("read %q (confidence %.2f), not sure it is a number", firstNonEmpty(clean(d.Text), t), d.Confidence)
}

// widen moves the sides of r that box (its ink) touches outward, one
// pixel column or row at a time up to reach, while the line added holds
// some ink but is not mostly ink (a rule).
func widen(b *bitmap, r, box image.Rectangle, reach int) image.Rectangle {
	grows := func(x0, y0, x1, y1 int) bool {
		share := inkShare(b, x0, y0, x1, y1)
		return share > 0 && share < 0.5
	}
	for k := 0; k < reach && box.Min.X <= r.Min.X; k++ {
		if !grows(r.Min.X-1, r.Min.Y, r.Min.X, r.Max.Y) {
			break
		}
		r.Min.X--
	}
	for k := 0; k < reach && box.Max.X >= r.Max.X; k++ {
		if !grows(r.Max.X, r.Min.Y, r.Max.X+1, r.Max.Y) {
			break
		}
		r.Max.X++
	}
	for k := 0; k < reach && box.Min.Y <= r.Min.Y; k++ {
		if !grows(r.Min.X, r.Min.Y-1, r.Max.X, r.Min.Y) {
			break
		}
		r.Min.Y--
	}
	for k := 0; k < reach && box.Max.Y >= r.Max.Y; k++ {
		if !grows(r.Min.X, r.Max.Y, r.Max.X, r.Max.Y+1) {
			break
		}
		r.Max.Y++
	}
	return r
}

// withoutFills is the page's bitmap for finding rules (ruleThreshold),
// shaded areas taken out (dropFills): a gray shade, found on the page
// thresholded just under its paper; and a shade dithered to dots (a
// black-and-white scanner's halftone), found where ink is dense once every
// dot is grown by 2 px, where what survives an opening (erosion, then
// growth, by 1 px: a stroke, not a dot) is kept.
func withoutFills(gray *image.Gray, bin *bitmap, t uint8, s scale) *bitmap {
	b := dropFills(binarize(gray, ruleThreshold(t)), binarize(gray, lightLevel(gray, t)), bin, s.fill)
	return dropFills(b, spread(bin, s.dot, false), spread(spread(bin, 1, true), 1, false), s.fill)
}

// paperLevel is the gray level from which a crop shows paper.
func paperLevel(t uint8) uint8 { return uint8(min(255, int(t)+25)) }

// ruleThreshold is the gray level below which a pixel may be part of a
// rule: lighter than the text's threshold.
func ruleThreshold(t uint8) uint8 { return uint8(min(int(t)+60, 215)) }

const unreadable = nianbao.Unreadable

// pt converts pixels to points (1/72 inch), as the PDF reader reports boxes.
func pt(px int, dpi float64) float64 { return float64(px) * 72 / dpi }

func sortPieces(ps []piece) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].y < ps[j].y })
}

// textLines finds the lines of text outside the tables: bands of rows
// with ink, split where a run of empty rows separates them.
func textLines(b *bitmap, grids []grid, s scale) []image.Rectangle {
	inTable := func(x, y int) bool {
		for _, g := range grids {
			if image.Pt(x, y).In(g.bounds.Inset(-s.merge)) {
				return true
			}
		}
		return false
	}
	var out []image.Rectangle
	top, x0, x1 := -1, b.w, -1
	flush := func(y int) {
		if top >= 0 && y-top >= s.minInk/2 && x1 > x0 {
			out = append(out, image.Rect(x0, top, x1+1, y))
		}
		top, x0, x1 = -1, b.w, -1
	}
	for y := 0; y < b.h; y++ {
		ink := false
		for x := 0; x < b.w; x++ {
			if b.ink[y*b.w+x] && !inTable(x, y) {
				ink = true
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
		if ink && top < 0 {
			top = y
		}
		if !ink && top >= 0 {
			flush(y)
		}
	}
	flush(b.h)
	return out
}

// clean joins OCR lines and drops the spaces Tesseract puts between Han
// characters.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// inkLines counts the lines of ink in box that are apart by more than
// two lines' height: bands of rows with ink (a band shorter than a third
// of the tallest — a speck, a stroke of a rule — not counted), a band
// joining the one above when the paper between them is at most twice as
// tall as the tallest band. A figure wrapped in a narrow column (4 over
// 3 for 43: paper 1.03 times a line between them) is one line by this
// count, the figures of two rows left in one box (1 over 67, the rule
// between them lost: 7.6 times) two.
func inkLines(b *bitmap, box image.Rectangle, s scale) int {
	box = box.Intersect(image.Rect(0, 0, b.w, b.h))
	type band struct{ y0, y1 int }
	var bands []band
	start := -1
	for y := box.Min.Y; y < box.Max.Y; y++ {
		ink := slices.Contains(b.ink[y*b.w+box.Min.X:y*b.w+box.Max.X], true)
		if ink && start < 0 {
			start = y
		} else if !ink && start >= 0 {
			bands = append(bands, band{start, y})
			start = -1
		}
	}
	if start >= 0 {
		bands = append(bands, band{start, box.Max.Y})
	}
	tallest := 0
	for _, bd := range bands {
		tallest = max(tallest, bd.y1-bd.y0)
	}
	n, last := 0, -1<<30
	for _, bd := range bands {
		if h := bd.y1 - bd.y0; 3*h < tallest || h <= s.pad {
			continue
		}
		if bd.y0-last > 2*tallest {
			n++
		}
		last = bd.y1
	}
	return n
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
