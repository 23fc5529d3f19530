package pdf

import (
	"math"
	"sort"
	"strings"

	"github.com/nianbao/nianbao"
)

const tol = 2.0 // points: how far apart two rules or edges may be and still be one

// layoutPage turns a page's glyphs and rules into blocks in reading order:
// glyphs inside cell boxes become table cells, the rest paragraph lines.
// Cost is O(G log G + R log R + B·k) for G glyphs, R rules and B boxes with
// k neighbours each (spatial indexes); a page whose geometry exceeds
// maxLayoutWork is read as lines with a warning instead.
func layoutPage(pg *pdfPage) (blocks []nianbao.Block, warning error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errLayoutBudget {
				panic(r)
			}
			blocks, warning = nil, errLayoutBudget
			for _, l := range lines(pg.glyphs) {
				blocks = append(blocks, nianbao.Block{Text: l.text})
			}
		}
	}()
	budget := &layoutBudget{maxLayoutWork}
	cellClips := gridClips(pg, budget)
	segs := pg.segments
	for c := range cellClips {
		segs = append(segs, rectEdges(c)...)
	}
	hs, vs := mergeSegments(segs)
	hIdx, vIdx := newRuleIndex(hs, budget), newRuleIndex(vs, budget)
	boxOf := make([]int, len(pg.glyphs))
	var boxes []rect
	index := map[rect]int{}
	for i, g := range pg.glyphs {
		boxOf[i] = -1
		b, ok := cellBox(g, cellClips[g.clip], hIdx, vIdx, pg.box)
		if !ok {
			continue
		}
		b = snap(b)
		j, seen := index[b]
		if !seen {
			j = len(boxes)
			index[b] = j
			boxes = append(boxes, b)
		}
		boxOf[i] = j
	}
	// A box that contains another box is a frame, not a cell.
	grid := newBoxGrid(boxes, nil, budget)
	frame := make([]bool, len(boxes))
	for i, a := range boxes {
		grid.near(a, func(j int) bool {
			b := boxes[j]
			if i != j && a.x0 <= b.x0+tol && a.y0 <= b.y0+tol && a.x1 >= b.x1-tol && a.y1 >= b.y1-tol && a != b {
				frame[i] = true
				return false
			}
			return true
		})
	}
	cellGlyphs := make([][]glyph, len(boxes))
	var loose []glyph
	for i, g := range pg.glyphs {
		if j := boxOf[i]; j >= 0 && !frame[j] {
			cellGlyphs[j] = append(cellGlyphs[j], g)
		} else {
			loose = append(loose, g)
		}
	}
	type item struct {
		top   float64
		block nianbao.Block
	}
	var items []item
	for _, t := range groupTables(boxes, frame, hs, budget) {
		tbl, top := buildTable(t, boxes, cellGlyphs, hIdx, vIdx, pg.num)
		if tbl != nil {
			items = append(items, item{top, nianbao.Block{Table: tbl}})
			continue
		}
		for _, i := range t { // no grid: the boxes' text is kept as lines
			loose = append(loose, cellGlyphs[i]...)
		}
	}
	tts, tops, rest := textTables(loose, pg.num)
	for k, tbl := range tts {
		items = append(items, item{tops[k], nianbao.Block{Table: tbl}})
	}
	loose = rest
	for _, l := range lines(loose) {
		items = append(items, item{l.y, nianbao.Block{Text: l.text}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].top > items[j].top })
	out := make([]nianbao.Block, len(items))
	for i, it := range items {
		out[i] = it.block
	}
	return out, nil
}

// gridClips picks the clip rectangles that are table cells. Producers clip
// for many reasons: WPS clips every cell, Chromium clips each page to its
// content box, others clip text blocks or single glyph runs. A clip is a
// cell when no ruling line runs through its inside (a page or block clip
// holding a table has the table's rules inside it), it is not the whole
// page, and it touches the grid: another such clip or a rule along one of
// its edges (a lone clip around a paragraph or a page number is no cell).
func gridClips(pg *pdfPage, budget *layoutBudget) map[rect]bool {
	if len(pg.clips) == 0 {
		return nil
	}
	hs, vs := mergeSegments(pg.segments)
	hIdx, vIdx := newRuleIndex(hs, budget), newRuleIndex(vs, budget)
	seen := map[rect]bool{}
	var cand []rect
	for _, c := range pg.clips {
		if seen[c] || c.empty() || covers(c, pg.box) {
			continue
		}
		seen[c] = true
		if !rulesInside(c, hIdx, vIdx) {
			cand = append(cand, c)
		}
	}
	grid := newBoxGrid(cand, nil, budget)
	out := make(map[rect]bool, len(cand))
	for i, c := range cand {
		touches := false
		grown := rect{c.x0 - tol, c.y0 - tol, c.x1 + tol, c.y1 + tol}
		grid.near(grown, func(j int) bool {
			o := cand[j]
			touches = j != i && o.x0 <= grown.x1 && o.x1 >= grown.x0 && o.y0 <= grown.y1 && o.y1 >= grown.y0
			return !touches
		})
		my, mx := (c.y0+c.y1)/2, (c.x0+c.x1)/2
		if touches || hIdx.at(c.y0, mx) || hIdx.at(c.y1, mx) || vIdx.at(c.x0, my) || vIdx.at(c.x1, my) {
			out[c] = true
		}
	}
	return out
}

// rulesInside reports whether a ruling line crosses the inside of r (more
// than tol from its edges, over more than 2·tol of its extent).
func rulesInside(r rect, hIdx, vIdx ruleIndex) bool {
	found := false
	hIdx.each(r.y0+tol, r.y1-tol, func(s segment) {
		found = found || math.Min(s.hi, r.x1)-math.Max(s.lo, r.x0) > 2*tol
	})
	vIdx.each(r.x0+tol, r.x1-tol, func(s segment) {
		found = found || math.Min(s.hi, r.y1)-math.Max(s.lo, r.y0) > 2*tol
	})
	return found
}

// cellBox finds the box a glyph sits in: its clip rectangle when the
// producer clips each cell (WPS), else the nearest rules on all four sides.
func cellBox(g glyph, clipIsCell bool, hIdx, vIdx ruleIndex, page rect) (rect, bool) {
	cx, cy := g.center()
	if clipIsCell && g.clip.x1-g.clip.x0 > 3 && g.clip.y1-g.clip.y0 > 3 && g.clip.contains(cx, cy) {
		return g.clip, true
	}
	above, below, left, right := math.Inf(1), math.Inf(-1), math.Inf(-1), math.Inf(1)
	aboveSeg, okA := hIdx.nearest(cy, cx, true)
	if okA {
		above = aboveSeg.at
	}
	belowSeg, okB := hIdx.nearest(cy, cx, false)
	if okB {
		below = belowSeg.at
	}
	leftSeg, okL := vIdx.nearest(cx, cy, false)
	if okL {
		left = leftSeg.at
	}
	rightSeg, okR := vIdx.nearest(cx, cy, true)
	if okR {
		right = rightSeg.at
	}
	// A table drawn without an outer border, cut at the page edge, or broken
	// over a page (no rule along the cut): the sides that were found end
	// where the cell does. One real horizontal and one real vertical rule
	// are still required, so text between two tables is no cell.
	hasH := !math.IsInf(above, 0) || !math.IsInf(below, 0)
	hasV := !math.IsInf(left, 0) || !math.IsInf(right, 0)
	if !hasH || !hasV {
		return rect{}, false
	}
	if math.IsInf(right, 0) {
		right = segEnd(true, aboveSeg, belowSeg)
	}
	if math.IsInf(left, 0) {
		left = segEnd(false, aboveSeg, belowSeg)
	}
	if math.IsInf(below, 0) {
		below = segEnd(false, leftSeg, rightSeg)
	}
	if math.IsInf(above, 0) {
		above = segEnd(true, leftSeg, rightSeg)
	}
	if math.IsInf(above+below+left+right, 0) || above <= cy || below >= cy || right <= cx || left >= cx {
		return rect{}, false
	}
	r := rect{left, below, right, above}
	if covers(r, page) {
		return rect{}, false
	}
	return r, true
}

// segEnd is where the found rules among segs end: the nearest high end
// (hi) or low end; a zero segment is one that was not found.
func segEnd(hi bool, segs ...segment) float64 {
	v := math.Inf(1)
	if !hi {
		v = math.Inf(-1)
	}
	for _, sg := range segs {
		switch {
		case sg.hi == 0 && sg.lo == 0:
		case hi:
			v = math.Min(v, sg.hi)
		default:
			v = math.Max(v, sg.lo)
		}
	}
	return v
}

func snap(r rect) rect {
	q := func(v float64) float64 { return math.Round(v*2) / 2 }
	return rect{q(r.x0), q(r.y0), q(r.x1), q(r.y1)}
}

// mergeSegments splits rules into horizontal and vertical ones and joins
// collinear pieces that touch.
func mergeSegments(segs []segment) (hs, vs []segment) {
	for _, s := range segs {
		if s.hi-s.lo < 1 {
			continue
		}
		if s.horizontal {
			hs = append(hs, s)
		} else {
			vs = append(vs, s)
		}
	}
	return joinRules(hs), joinRules(vs)
}

func joinRules(s []segment) []segment {
	sort.Slice(s, func(i, j int) bool {
		if math.Abs(s[i].at-s[j].at) > tol/2 {
			return s[i].at < s[j].at
		}
		return s[i].lo < s[j].lo
	})
	var out []segment
	for _, x := range s {
		if n := len(out); n > 0 && math.Abs(out[n-1].at-x.at) <= tol/2 && x.lo <= out[n-1].hi+tol {
			out[n-1].hi = math.Max(out[n-1].hi, x.hi)
			continue
		}
		out = append(out, x)
	}
	return out
}

// groupTables clusters cell boxes into tables: boxes that touch, and boxes
// whose top or bottom lies on one horizontal rule (a row whose middle cells
// are blank has no boxes between its filled ones).
func groupTables(boxes []rect, frame []bool, hs []segment, budget *layoutBudget) [][]int {
	parent := make([]int, len(boxes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	grid := newBoxGrid(boxes, frame, budget)
	for i, a := range boxes {
		if frame[i] {
			continue
		}
		grown := rect{a.x0 - 2*tol, a.y0 - 2*tol, a.x1 + 2*tol, a.y1 + 2*tol}
		grid.near(grown, func(j int) bool {
			b := boxes[j]
			if j != i && a.x0 <= b.x1+2*tol && b.x0 <= a.x1+2*tol && a.y0 <= b.y1+2*tol && b.y0 <= a.y1+2*tol {
				parent[find(i)] = find(j)
			}
			return true
		})
	}
	// Boxes whose top or bottom edge lies on one rule: sorted edges, so
	// each rule looks only at the boxes near its height.
	type edge struct {
		y float64
		i int
	}
	var edges []edge
	for i, b := range boxes {
		if !frame[i] {
			edges = append(edges, edge{b.y0, i}, edge{b.y1, i})
		}
	}
	sort.Slice(edges, func(a, b int) bool { return edges[a].y < edges[b].y })
	for _, h := range hs {
		first := -1
		k := sort.Search(len(edges), func(k int) bool { return edges[k].y >= h.at-bandTol })
		for ; k < len(edges) && edges[k].y <= h.at+bandTol; k++ {
			budget.spend(1)
			i := edges[k].i
			if b := boxes[i]; b.x0 < h.lo-tol || b.x1 > h.hi+tol {
				continue
			}
			if first < 0 {
				first = i
			} else {
				parent[find(i)] = find(first)
			}
		}
	}
	groups := map[int][]int{}
	var order []int
	for i := range boxes {
		if frame[i] {
			continue
		}
		r := find(i)
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, 0, len(order))
	for _, r := range order {
		out = append(out, groups[r])
	}
	return out
}

// bandTol merges cell edges closer than this into one grid line: the gap
// between two cells' own borders (HTML cellspacing printed by a browser) is
// no column or row of its own.
const bandTol = 4.5

// bands merges edge coordinates into sorted boundaries (descending when
// desc, for rows from the top).
func bands(vals []float64, desc bool) []float64 {
	sort.Float64s(vals)
	var out []float64
	for _, v := range vals {
		if n := len(out); n > 0 && v-out[n-1] <= bandTol {
			continue
		}
		out = append(out, v)
	}
	if desc {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// bandIndex returns the index of the boundary nearest v in sorted bs
// (ascending or descending).
func bandIndex(bs []float64, v float64) int {
	n := len(bs)
	if n == 0 {
		return 0
	}
	desc := bs[0] > bs[n-1]
	i := sort.Search(n, func(i int) bool {
		if desc {
			return bs[i] <= v
		}
		return bs[i] >= v
	})
	best := min(i, n-1)
	if i > 0 && (i == n || math.Abs(bs[i-1]-v) <= math.Abs(bs[i]-v)) {
		best = i - 1
	}
	return best
}

// buildTable lays one cluster of cell boxes on a grid. Grid positions no
// box covers become empty cells, split where a vertical rule separates
// them, so blank cells keep their place in the row.
func buildTable(ids []int, boxes []rect, cellGlyphs [][]glyph, hIdx, vIdx ruleIndex, page int) (*nianbao.Table, float64) {
	var ys, xs []float64
	bb := boxes[ids[0]]
	for _, i := range ids {
		b := boxes[i]
		ys = append(ys, b.y0, b.y1)
		xs = append(xs, b.x0, b.x1)
		bb = rect{math.Min(bb.x0, b.x0), math.Min(bb.y0, b.y0), math.Max(bb.x1, b.x1), math.Max(bb.y1, b.y1)}
	}
	// Rules inside the table add the columns and rows of blank cells.
	vIdx.each(bb.x0+tol, bb.x1-tol, func(v segment) {
		if v.lo < bb.y1-tol && v.hi > bb.y0+tol {
			xs = append(xs, v.at)
		}
	})
	hIdx.each(bb.y0+tol, bb.y1-tol, func(h segment) {
		if h.lo < bb.x1-tol && h.hi > bb.x0+tol {
			ys = append(ys, h.at)
		}
	})
	rowB, colB := bands(ys, true), bands(xs, false)
	if len(rowB) < 2 || len(colB) < 2 {
		return nil, 0
	}
	nr, nc := len(rowB)-1, len(colB)-1
	hIdx.b.spend(nr * nc)
	type placed struct {
		r, c, rs, cs int
		text         string
		x, y, w, h   float64
	}
	covered := make([][]bool, nr)
	for i := range covered {
		covered[i] = make([]bool, nc)
	}
	var cells []placed
	for _, i := range ids {
		b := boxes[i]
		r0, r1 := bandIndex(rowB, b.y1), bandIndex(rowB, b.y0)
		c0, c1 := bandIndex(colB, b.x0), bandIndex(colB, b.x1)
		if r1 <= r0 || c1 <= c0 {
			continue
		}
		for r := r0; r < r1; r++ {
			for c := c0; c < c1; c++ {
				covered[r][c] = true
			}
		}
		cells = append(cells, placed{r0, c0, r1 - r0, c1 - c0, cellText(cellGlyphs[i]), b.x0, b.y1, b.x1 - b.x0, b.y1 - b.y0})
	}
	for r := 0; r < nr; r++ {
		midY := (rowB[r] + rowB[r+1]) / 2
		for c := 0; c < nc; {
			if covered[r][c] {
				c++
				continue
			}
			start := c
			c++
			for c < nc && !covered[r][c] && !vIdx.at(colB[c], midY) {
				c++
			}
			// only gaps inside the row's extent are cells; a gap with no rule
			// on its left edge is outside the drawn table
			if start > 0 || vIdx.at(colB[start], midY) {
				cells = append(cells, placed{r, start, 1, c - start, "", colB[start], rowB[r], colB[c] - colB[start], rowB[r] - rowB[r+1]})
			}
		}
	}
	sort.Slice(cells, func(i, j int) bool {
		if cells[i].r != cells[j].r {
			return cells[i].r < cells[j].r
		}
		return cells[i].c < cells[j].c
	})
	t := &nianbao.Table{}
	for k := 0; k < len(cells); {
		var row []nianbao.TableCell
		for r := cells[k].r; k < len(cells) && cells[k].r == r; k++ {
			c := cells[k]
			row = append(row, nianbao.TableCell{Text: c.text, RowSpan: c.rs, ColSpan: c.cs, Page: page, X: c.x, Y: c.y, W: c.w, H: c.h})
		}
		if !allEmpty(row) {
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		return nil, 0
	}
	return t, rowB[0]
}

func allEmpty(row []nianbao.TableCell) bool {
	for _, c := range row {
		if c.Text != "" {
			return false
		}
	}
	return true
}

// cellText joins a cell's glyphs line by line.
func cellText(gs []glyph) string {
	var parts []string
	for _, l := range lines(gs) {
		parts = append(parts, l.text)
	}
	return strings.Join(parts, "\n")
}

type textLine struct {
	y    float64
	text string
}

// lines groups glyphs by baseline, top to bottom, and joins each line left
// to right, with a space where the gap is wider than half a character.
func lines(gs []glyph) []textLine {
	var out []textLine
	for _, line := range lineGlyphs(gs) {
		var b strings.Builder
		for k, gl := range line {
			if k > 0 {
				prev := line[k-1]
				if gap := gl.x - (prev.x + prev.w); gap > 0.5*math.Max(gl.size, 1) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(gl.text)
		}
		_, y := line[0].center()
		out = append(out, textLine{y, b.String()})
	}
	return out
}

// lineGlyphs groups glyphs by baseline, top to bottom, each line sorted
// left to right.
func lineGlyphs(gs []glyph) [][]glyph {
	if len(gs) == 0 {
		return nil
	}
	g := append([]glyph(nil), gs...)
	sort.SliceStable(g, func(i, j int) bool {
		_, yi := g[i].center()
		_, yj := g[j].center()
		return yi > yj
	})
	var out [][]glyph
	start := 0
	for i := 1; i <= len(g); i++ {
		if i < len(g) {
			_, y0 := g[start].center()
			_, yi := g[i].center()
			if math.Abs(y0-yi) <= 0.5*math.Max(g[start].size, 1) {
				continue
			}
		}
		line := g[start:i]
		sort.SliceStable(line, func(a, b int) bool { return line[a].x < line[b].x })
		out = append(out, line)
		start = i
	}
	return out
}

// firstTable returns the page's first table when only short lines (running
// headers, page numbers) come before it.
func firstTable(blocks []nianbao.Block) *nianbao.Table {
	for _, b := range blocks {
		if b.Table != nil {
			return b.Table
		}
		if len([]rune(b.Text)) > 40 {
			return nil
		}
	}
	return nil
}

// lastTableOf returns the page's last table when only short lines (page
// numbers, footers) follow it.
func lastTableOf(blocks []nianbao.Block) *nianbao.Table {
	for i := len(blocks) - 1; i >= 0; i-- {
		if blocks[i].Table != nil {
			return blocks[i].Table
		}
		if len([]rune(blocks[i].Text)) > 40 {
			return nil
		}
	}
	return nil
}

// joinSplitRow mends a row that a page break cut in two (wkhtmltopdf and
// Word do this): the previous page's last row has its label but only blank
// values, and the next page's first row, of the same cells, carries the
// rest of the label and the values. The halves are joined into the first
// table's last row. A next row whose label starts a new item ("3.", "（七）",
// "四、") is a row of its own and is left alone.
func joinSplitRow(prev, next *nianbao.Table) bool {
	if len(prev.Rows) == 0 || len(next.Rows) == 0 {
		return false
	}
	a, b := prev.Rows[len(prev.Rows)-1], next.Rows[0]
	if len(a) != len(b) {
		return false
	}
	aLabel, aValues, bValues := false, false, false
	for i := range a {
		if a[i].ColSpan != b[i].ColSpan {
			return false
		}
		switch {
		case numberLike(a[i].Text):
			aValues = true
		case a[i].Text != "":
			aLabel = true
		}
		bValues = bValues || numberLike(b[i].Text)
	}
	if !aLabel || aValues || !bValues || startsItem(firstText(b)) {
		return false
	}
	for i := range a {
		a[i].Text += b[i].Text
	}
	next.Rows = next.Rows[1:]
	return true
}

func firstText(row []nianbao.TableCell) string {
	for _, c := range row {
		if c.Text != "" {
			return c.Text
		}
	}
	return ""
}

// numberLike: digits with separators, a sign or a decimal point.
func numberLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == ',' || r == '.' || (i == 0 && (r == '-' || r == '+'))) {
			return false
		}
	}
	return true
}

// startsItem reports whether a label begins a new numbered item.
func startsItem(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	r := []rune(s)
	switch {
	case r[0] == '（' || r[0] == '(':
		return true
	case r[0] >= '0' && r[0] <= '9':
		return true
	case strings.ContainsRune("一二三四五六七八九十", r[0]) && len(r) > 1 && (r[1] == '、' || strings.ContainsRune("一二三四五六七八九十", r[1])):
		return true
	}
	return false
}
