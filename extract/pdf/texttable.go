package pdf

import (
	"math"
	"sort"
	"strings"

	"github.com/nianbao/nianbao"
)

// Tables without rules. Some producers print a report's tables without
// borders (or lose the rules); their cells are then told by alignment: a
// line with three or more numbers is a row's values, the text fragments
// beside it are its labels, and a label wrapped over several lines (the
// values centred against it) is one cell. Cost: O(C log C + C·R) for C
// text chunks and R value lines, both bounded by the page's glyphs.

// chunk is a run of glyphs on one line without a wide gap: one cell's
// line of text, or a number.
type chunk struct {
	x0, x1, top, bot float64
	base             int // index of its line
	size             float64
	text             string
	glyphs           []glyph
	number           bool
}

// chunkGap: a gap wider than this many font sizes separates two cells of
// text; numbers (which never hold a space) split at a quarter of that.
const chunkGap = 0.9

func splits(prev, g glyph) bool {
	gap := g.x - (prev.x + prev.w)
	size := math.Max(g.size, 1)
	if isDigit(prev.text) || isDigit(g.text) {
		return gap > 0.25*size
	}
	return gap > chunkGap*size
}

func isDigit(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }

func chunks(gs []glyph) []chunk {
	var out []chunk
	for li, l := range lineGlyphs(gs) {
		for k, g := range l {
			if k == 0 || splits(l[k-1], g) {
				out = append(out, chunk{x0: g.x, top: g.y + g.size*0.8, bot: g.y - g.size*0.2, base: li, size: math.Max(g.size, 1)})
			}
			c := &out[len(out)-1]
			c.x1 = g.x + g.w
			c.text += g.text
			c.glyphs = append(c.glyphs, g)
			c.top, c.bot = math.Max(c.top, g.y+g.size*0.8), math.Min(c.bot, g.y-g.size*0.2)
		}
	}
	for i := range out {
		out[i].number = numberLike(out[i].text)
	}
	return out
}

// splitAligned splits off the trailing number of a text chunk when it
// stands in a column of numbers: a label run up against the first value
// ("…不再处理其0") is two cells.
func splitAligned(cs []chunk) []chunk {
	var centers []float64
	for _, c := range cs {
		if c.number {
			centers = append(centers, (c.x0+c.x1)/2)
		}
	}
	if len(centers) < 2 {
		return cs
	}
	sort.Float64s(centers)
	var cols []float64 // x of columns holding three or more numbers
	for i := 0; i < len(centers); {
		j := i
		for j < len(centers) && centers[j]-centers[i] <= 4 {
			j++
		}
		if j-i >= 3 {
			cols = append(cols, (centers[i]+centers[j-1])/2)
		}
		i = j
	}
	out := make([]chunk, 0, len(cs))
	for _, c := range cs {
		k := len(c.glyphs)
		for k > 0 && isDigit(c.glyphs[k-1].text) {
			k--
		}
		if c.number || k == 0 || k == len(c.glyphs) || len(cols) == 0 {
			out = append(out, c)
			continue
		}
		num := c.glyphs[k:]
		x0, x1 := num[0].x, num[len(num)-1].x+num[len(num)-1].w
		if math.Abs(cols[bandIndex(cols, (x0+x1)/2)]-(x0+x1)/2) > 4 && !inStride(cs, c.base, (x0+x1)/2) {
			out = append(out, c)
			continue
		}
		out = append(out, rechunk(c, c.glyphs[:k]), rechunk(c, num))
	}
	return out
}

// inStride reports whether x continues, leftwards, the evenly spaced
// numbers that follow it on line base ("办理0 0 0 0": the first 0 is a
// value, spaced like the others).
func inStride(cs []chunk, base int, x float64) bool {
	var next []float64
	for _, c := range cs {
		if c.base == base && c.number && c.x0 > x {
			next = append(next, (c.x0+c.x1)/2)
		}
	}
	if len(next) < 2 {
		return false
	}
	sort.Float64s(next)
	d1, d2 := next[0]-x, next[1]-next[0]
	return d2 > 0 && math.Abs(d1-d2) < 0.35*d2
}

// rechunk is the chunk of part of c's glyphs.
func rechunk(c chunk, gs []glyph) chunk {
	n := chunk{x0: gs[0].x, x1: gs[len(gs)-1].x + gs[len(gs)-1].w, top: c.top, bot: c.bot, base: c.base, size: c.size, glyphs: gs}
	for _, g := range gs {
		n.text += g.text
	}
	n.number = numberLike(n.text)
	return n
}

// textTables finds rule-less tables among loose glyphs: runs of at least
// three value lines, a new table where the gap between two value lines is
// wider than four of their lines. It returns the tables, each with its
// top, and the glyphs it did not use.
func textTables(gs []glyph, page int) ([]*nianbao.Table, []float64, []glyph) {
	cs := splitAligned(chunks(gs))
	byLine := map[int][]int{}
	for i, c := range cs {
		if c.number {
			byLine[c.base] = append(byLine[c.base], i)
		}
	}
	var vls []valueLine
	for _, idx := range byLine {
		if len(idx) >= 3 {
			c := cs[idx[0]]
			vls = append(vls, valueLine{(c.top + c.bot) / 2, c.size, idx})
		}
	}
	if len(vls) < 3 {
		return nil, nil, gs
	}
	sort.Slice(vls, func(i, j int) bool { return vls[i].y > vls[j].y })
	used := make([]bool, len(cs))
	var tables []*nianbao.Table
	var tops []float64
	var build func(vls []valueLine)
	build = func(vls []valueLine) { // split at gaps, then at stray text lines
		for start := 0; start < len(vls); {
			end := start + 1
			for end < len(vls) && vls[end-1].y-vls[end].y < 4*1.5*vls[end].size {
				end++
			}
			if end-start >= 3 {
				if t, cut := textTable(cs, vls[start:end], used, page); t != nil {
					tables = append(tables, t)
					tops = append(tops, vls[start].y+vls[start].size)
				} else {
					build(vls[start : start+cut])
					build(vls[start+cut : end])
				}
			}
			start = end
		}
	}
	build(vls)
	var rest []glyph
	for i, c := range cs {
		if !used[i] {
			rest = append(rest, c.glyphs...)
		}
	}
	return tables, tops, rest
}

// valueLine is a line holding three or more numbers.
type valueLine struct {
	y, size float64 // where the numbers sit, and their size
	values  []int   // chunk indexes
}

// textTable builds one table from consecutive value lines and the label
// chunks beside them, marking the chunks it uses. Text between two value
// lines that labels no row (a sub-table's heading) means these are not one
// table: it returns nil and the index of the value line after that text.
func textTable(cs []chunk, vls []valueLine, used []bool, page int) (*nianbao.Table, int) {
	var centers []float64
	for _, vl := range vls {
		for _, i := range vl.values {
			centers = append(centers, (cs[i].x0+cs[i].x1)/2)
		}
	}
	// Column anchors, so a blank between two numbers keeps its place.
	sort.Float64s(centers)
	var cols []float64
	for _, x := range centers {
		if n := len(cols); n == 0 || x-cols[n-1] > 8 {
			cols = append(cols, x)
		}
	}
	// Label cells: text chunks from two lines above the first value line to
	// two below the last, joined downwards while one continues another in
	// its column (a new item, "3." or "（四）", starts a new cell).
	top := vls[0].y + 2.5*vls[0].size
	bottom := vls[len(vls)-1].y - 2.5*vls[len(vls)-1].size
	type cell struct {
		x0, x1, top, bot float64
		parts            []string
		chunks           []int
	}
	inGroup := map[int]bool{}
	for _, vl := range vls {
		for _, i := range vl.values {
			inGroup[i] = true
		}
	}
	var order []int
	for i, c := range cs {
		if !used[i] && !inGroup[i] && c.bot <= top && c.top >= bottom {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return cs[order[a]].top > cs[order[b]].top })
	var labels []*cell
	for _, i := range order {
		c := cs[i]
		var into *cell
		for _, l := range labels {
			gap := l.bot - c.top
			overlap := math.Min(l.x1, c.x1) - math.Max(l.x0, c.x0)
			if gap >= -0.3*c.size && gap < 0.6*c.size && overlap > 0.5*math.Min(l.x1-l.x0, c.x1-c.x0) && !startsItem(c.text) {
				into = l
			}
		}
		if into == nil {
			into = &cell{x0: c.x0, x1: c.x1, top: c.top}
			labels = append(labels, into)
		}
		into.parts = append(into.parts, c.text)
		into.chunks = append(into.chunks, i)
		into.bot = c.bot
		into.x0, into.x1 = math.Min(into.x0, c.x0), math.Max(into.x1, c.x1)
	}
	// A label cell belongs to the value line its height holds, when it lies
	// left of the row's values. Any other text between the first and the
	// last value line splits the group.
	rowLabels := make([][]*cell, len(vls))
	for _, l := range labels {
		row := -1
		for k, vl := range vls {
			if vl.y <= l.top && vl.y >= l.bot && l.x1 <= cs[minX(cs, vl.values)].x0 {
				row = k
				break
			}
		}
		if row >= 0 {
			rowLabels[row] = append(rowLabels[row], l)
			continue
		}
		mid := (l.top + l.bot) / 2
		if mid < vls[0].y && mid > vls[len(vls)-1].y {
			cut := sort.Search(len(vls), func(k int) bool { return vls[k].y < mid })
			return nil, cut
		}
	}
	for _, ls := range rowLabels {
		for _, l := range ls {
			for _, i := range l.chunks {
				used[i] = true
			}
		}
	}
	for i := range inGroup {
		used[i] = true
	}
	t := &nianbao.Table{}
	for k, vl := range vls {
		var row []nianbao.TableCell
		ls := rowLabels[k]
		sort.Slice(ls, func(a, b int) bool { return ls[a].x0 < ls[b].x0 })
		for _, l := range ls {
			row = append(row, nianbao.TableCell{Text: strings.Join(l.parts, ""), Page: page, X: l.x0, Y: l.top, W: l.x1 - l.x0, H: l.top - l.bot})
		}
		vs := append([]int(nil), vl.values...)
		sort.Slice(vs, func(a, b int) bool { return cs[vs[a]].x0 < cs[vs[b]].x0 })
		prev := -1
		for _, i := range vs {
			c := bandIndex(cols, (cs[i].x0+cs[i].x1)/2)
			for prev >= 0 && c > prev+1 { // a blank cell between two values
				prev++
				row = append(row, nianbao.TableCell{Page: page})
			}
			row = append(row, nianbao.TableCell{Text: cs[i].text, Page: page, X: cs[i].x0, Y: cs[i].top, W: cs[i].x1 - cs[i].x0, H: cs[i].top - cs[i].bot})
			prev = c
		}
		t.Rows = append(t.Rows, row)
	}
	return t, 0
}

func minX(cs []chunk, idx []int) int {
	best := idx[0]
	for _, i := range idx {
		if cs[i].x0 < cs[best].x0 {
			best = i
		}
	}
	return best
}
