package scan

import (
	"image"
	"slices"
	"sort"
)

// seg is a stretch of a ruled line: at pos (y of a horizontal line, x of
// a vertical one) from a to b along it.
type seg struct{ pos, a, b int }

// line is one ruled line: the segments printed along it (a double border
// — an HTML table printed with cell spacing — is one line).
type line struct {
	pos  int
	segs []seg // merged, in order
	raw  []seg // as found, each at its own position (rows of one table may put a rule a few pixels apart)
}

func (l *line) lo() int { return l.segs[0].a }
func (l *line) hi() int { return l.segs[len(l.segs)-1].b }

// covered is how much of [a, b] the line's segments cover, 0–1.
func (l *line) covered(a, b int) float64 {
	if b <= a {
		return 0
	}
	n := 0
	for _, s := range l.segs {
		lo, hi := max(s.a, a), min(s.b, b)
		if hi > lo {
			n += hi - lo
		}
	}
	return float64(n) / float64(b-a)
}

// scale holds the page's sizes in pixels, from its resolution.
type scale struct {
	gap     int  // ink gap bridged within a rule (a gray rule dithered to dots)
	minH    int  // shortest horizontal rule
	minV    int  // shortest vertical rule
	merge   int  // rules this close are one (double borders)
	touch   int  // a rule's end this close to another rule meets it
	pad     int  // inside a cell, kept clear of its rules
	piece   int  // the shortest piece of a solid rule (shorter: a speck)
	solid   bool // the page's rules are solid (solidRules): shorter pieces are specks
	fill    int  // half the side of a square of ink that is a filled area, not a rule
	dot     int  // how far a halftone dot is grown to make a shade solid
	minInk  int  // ink pixels a cell needs to be read at all
	upscale float64
	speck   int // the most pixels a speck of dust has
}

func scaleFor(dpi float64) scale {
	u := dpi / 300
	r := func(v float64) int { return max(1, int(v*u+0.5)) }
	up := 1.0
	if u < 0.9 {
		up = 1 / u // text of 150 dpi pages read at the size of 300 dpi ones
	}
	return scale{gap: r(10), piece: r(8), fill: r(7), dot: r(2), minH: r(110), minV: r(50), merge: r(16), touch: r(14), pad: r(3), minInk: r(12), speck: max(4, r(20)), upscale: up}
}

// runs finds the long runs of ink along one direction: horizontal when
// horiz, else vertical; gaps up to s.gap are bridged. When s.solid,
// stretches of ink shorter than it are paper: on a page whose rules
// are solid, a speck is not a rule's piece (specks bridged text strokes
// to the rules of a noisy scan, so every line of text became columns).
func runs(b *bitmap, horiz bool, s scale) []seg {
	outer, inner := b.h, b.w
	minLen := s.minH
	if !horiz {
		outer, inner = b.w, b.h
		minLen = s.minV
	}
	var out []seg
	for o := 0; o < outer; o++ {
		start, last, n := -1, -1, 0
		// a rule is mostly ink: bridged speckle (a run of dots a few
		// pixels apart across a noisy scan) is not
		flush := func() {
			if start >= 0 && last-start+1 >= minLen && 3*n >= last-start+1 {
				out = append(out, seg{o, start, last + 1})
			}
		}
		// a pixel or its neighbour across the rule: a gray rule dithered
		// to black and white (G4 scans) is dots spread over two lines of
		// pixels
		ink := func(i int) bool {
			if horiz {
				return b.ink[o*b.w+i] || o+1 < outer && b.ink[(o+1)*b.w+i] || o > 0 && b.ink[(o-1)*b.w+i]
			}
			return b.ink[i*b.w+o] || o+1 < outer && b.ink[i*b.w+o+1] || o > 0 && b.ink[i*b.w+o-1]
		}
		for i := 0; i < inner; {
			if !ink(i) {
				i++
				continue
			}
			p := i // a piece: ink from p to i-1
			for i < inner && ink(i) {
				i++
			}
			if s.solid && i-p < s.piece {
				continue
			}
			if start < 0 || p-last > s.gap+1 {
				flush()
				start, n = p, 0
			}
			last = i - 1
			n += i - p
		}
		flush()
	}
	return out
}

// solidRules tells whether the page's rules are printed solid — as
// against dithered to dots (black-and-white scans of gray rules) — from
// its longest horizontal runs: paper is under a twentieth of their length
// on a solid page (measured: 0.1–0.5 % on the gray scans, JPEGs and photos
// of fixture 108 and the corpus, up to 2.7 % on Ghostscript's double
// borders, broken at every cell), 10–55 % on a dithered one (the fixture's
// CCITT G4 scan, the corpus's pages dithered by pdftoppm and by error
// diffusion).
func solidRules(b *bitmap, hraw []seg) bool {
	longest := 0
	for _, r := range hraw {
		longest = max(longest, r.b-r.a)
	}
	paper, all := 0, 0
	for _, r := range hraw {
		if 10*(r.b-r.a) < 9*longest {
			continue
		}
		for x := r.a; x < r.b; x++ {
			all++
			if !b.at(x, r.pos) && !b.at(x, r.pos-1) && !b.at(x, r.pos+1) {
				paper++
			}
		}
	}
	return all > 0 && 20*paper < all
}

// notThroughText drops the horizontal runs that go through text: strokes
// of a line of characters lined up (其他对外管理服务事项 at 300 dpi, its
// gaps bridged, made a rule across its cell), which have ink close above
// and below along their length, where a rule has paper on at least one
// side. (Vertical runs are not filtered so: on the 150 dpi seal scan that
// lost column rules and two figures moved a column.)
func notThroughText(b *bitmap, segs []seg, s scale) []seg {
	out := segs[:0:0]
	near, far := s.pad+1, 3*s.pad+1
	for _, g := range segs {
		above := inkShare(b, g.a, g.pos-far, g.b, g.pos-near)
		below := inkShare(b, g.a, g.pos+near+1, g.b, g.pos+far+1)
		if above < 0.3 || below < 0.3 {
			out = append(out, g)
		}
	}
	return out
}

// cluster groups segments at nearby positions into lines (a rule several
// pixels thick, a double border) and merges each line's segments. Near
// positions are not enough: segments that do not overlap along the line
// are apart (the column rules of two tables one above the other, 40 px
// apart in x, were chained by text strokes between them into one line
// between both), unless they lie at the same position (a rule broken).
func cluster(segs []seg, s scale) []*line {
	sort.Slice(segs, func(i, j int) bool { return segs[i].pos < segs[j].pos })
	var out []*line
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j].pos-segs[j-1].pos <= s.merge {
			j++
		}
		// the stretches of the line where its segments overlap
		group := append([]seg(nil), segs[i:j]...)
		sort.Slice(group, func(a, b int) bool { return group[a].a < group[b].a })
		var parts [][]seg
		end := 0
		for k, g := range group {
			if k == 0 || g.a > end+s.merge {
				parts = append(parts, nil)
			}
			parts[len(parts)-1] = append(parts[len(parts)-1], g)
			if k == 0 || g.b > end {
				end = g.b
			}
		}
		// parts at the same position are one rule again
		sort.SliceStable(parts, func(a, b int) bool { return weighted(parts[a]) < weighted(parts[b]) })
		for k := 0; k < len(parts); {
			m := k + 1
			raw := parts[k]
			for m < len(parts) && weighted(parts[m])-weighted(parts[m-1]) <= s.pad {
				raw = append(raw, parts[m]...)
				m++
			}
			out = append(out, lineOf(raw, s))
			k = m
		}
		i = j
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].pos < out[b].pos })
	return out
}

// weighted is the position of segments by their ink: a mean weighted by
// length (strokes of text chained to a rule pull an unweighted mean off
// it).
func weighted(group []seg) int {
	sum, length := 0, 0
	for _, g := range group {
		sum, length = sum+g.pos*(g.b-g.a), length+g.b-g.a
	}
	return sum / max(length, 1)
}

// lineOf is the line of a group of segments: at their weighted position,
// its stretches merged.
func lineOf(group []seg, s scale) *line {
	l := &line{pos: weighted(group), raw: group}
	group = slices.Clone(group)
	sort.Slice(group, func(a, b int) bool { return group[a].a < group[b].a })
	for _, g := range group {
		if n := len(l.segs); n > 0 && g.a <= l.segs[n-1].b+s.merge {
			l.segs[n-1].b = max(l.segs[n-1].b, g.b)
			continue
		}
		l.segs = append(l.segs, seg{l.pos, g.a, g.b})
	}
	return l
}

// grid is one ruled table found on a page: its rule positions and which
// neighbouring grid cells are one printed cell.
type grid struct {
	ys, xs []int     // horizontal and vertical rules, in order
	cells  []gridBox // printed cells, in reading order
	bounds image.Rectangle
}

// gridBox is a printed cell: rows r0..r1 and columns c0..c1 of the grid.
type gridBox struct{ r0, r1, c0, c1 int }

// findGrids finds the ruled tables of a page: long horizontal and vertical
// rules, those that meet others at both ends, grouped into tables by
// crossing; cells of the grid merge where the rule between them is
// missing.
func findGrids(b *bitmap, s scale) []grid {
	hraw := runs(b, true, s)
	if solidRules(b, hraw) {
		s.solid = true
		hraw = runs(b, true, s)
	}
	vraw := runs(b, false, s)
	hraw = notThroughText(b, hraw, s)
	// Vertical strokes of large body text are as long as a short rule:
	// only raw segments with an end at a rule of the other direction are
	// clustered (else a column of text strokes pulls a border's position).
	hs := cluster(hraw, s)
	vs := cluster(touching(vraw, hs, s), s)
	hs = cluster(touching(hraw, vs, s), s)
	// Keep the rules that meet a crossing rule near both ends: text strokes
	// and underlines do not.
	for range 2 {
		hs = meeting(hs, vs, s)
		vs = meeting(vs, hs, s)
	}
	// Tables: rules connected by crossings.
	n := len(hs) + len(vs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if crosses(h, v, s) {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	groups := map[int][2][]*line{}
	var order []int
	for i, h := range hs {
		r := find(i)
		g, ok := groups[r]
		if !ok {
			order = append(order, r)
		}
		g[0] = append(g[0], h)
		groups[r] = g
	}
	for j, v := range vs {
		r := find(len(hs) + j)
		g, ok := groups[r]
		if !ok {
			order = append(order, r)
		}
		g[1] = append(g[1], v)
		groups[r] = g
	}
	var out []grid
	for _, r := range order {
		g := groups[r]
		if len(g[0]) < 2 || len(g[1]) < 2 {
			continue
		}
		for _, part := range splitGaps(g[0], g[1]) {
			if len(part[0]) >= 2 && len(part[1]) >= 2 {
				if g := gridOf(closed(part[0], part[1], s), part[1], s); !lineOfText(b, g) {
					out = append(out, g)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].bounds.Min.Y < out[j].bounds.Min.Y })
	return out
}

// lineOfText tells a "table" of one row whose top or bottom rule is not
// ink along nine tenths of its length: a line of bold text (a heading
// such as 三、收到和处理政府信息公开申请情况), whose strokes' edges, their
// gaps bridged, pass for rules on a noisy page. Read as a table it was a
// row of garbage cells, and the heading was lost. A printed rule is ink
// all along.
func lineOfText(b *bitmap, g grid) bool {
	if len(g.ys) != 2 || len(g.cells) < 3 {
		return false
	}
	for _, y := range g.ys {
		n := 0
		for x := g.bounds.Min.X; x < g.bounds.Max.X; x++ {
			if b.at(x, y-1) || b.at(x, y) || b.at(x, y+1) {
				n++
			}
		}
		if 10*n < 9*g.bounds.Dx() {
			return true
		}
	}
	return false
}

// touching keeps the raw segments with an end near a crossing line.
func touching(segs []seg, cross []*line, s scale) []seg {
	var out []seg
	for _, sg := range segs {
		if endMeets(sg.a, sg.pos, cross, s) || endMeets(sg.b, sg.pos, cross, s) {
			out = append(out, sg)
		}
	}
	return out
}

// meeting keeps the lines at least one of whose ends is near a crossing
// line (both, for a table closed on every side; one, for a table the page
// cuts off, continued on the next).
func meeting(ls, cross []*line, s scale) []*line {
	var out []*line
	for _, l := range ls {
		var kept []seg
		for _, sg := range l.segs {
			if endMeets(sg.a, l.pos, cross, s) || endMeets(sg.b, l.pos, cross, s) {
				kept = append(kept, sg)
			}
		}
		if len(kept) > 0 {
			out = append(out, &line{pos: l.pos, segs: kept, raw: l.raw})
		}
	}
	return out
}

// endMeets tells whether a crossing line passes near at (along it) and
// spans pos (across it).
func endMeets(at, pos int, cross []*line, s scale) bool {
	for _, c := range cross {
		if abs(c.pos-at) <= s.touch && c.lo()-s.touch <= pos && pos <= c.hi()+s.touch {
			for _, sg := range c.segs {
				if sg.a-s.touch <= pos && pos <= sg.b+s.touch {
					return true
				}
			}
		}
	}
	return false
}

func crosses(h, v *line, s scale) bool {
	for _, hs := range h.segs {
		if v.pos < hs.a-s.touch || v.pos > hs.b+s.touch {
			continue
		}
		for _, vs := range v.segs {
			if h.pos >= vs.a-s.touch && h.pos <= vs.b+s.touch {
				return true
			}
		}
	}
	return false
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// splitGaps cuts a group of rules where no two vertical rules half its
// width apart cover the band between consecutive horizontal ones: two
// tables one above the other share their outer borders' x (and so their
// vertical rules' lines), but nothing rules the heading between them.
func splitGaps(hs, vs []*line) [][2][]*line {
	sort.Slice(hs, func(i, j int) bool { return hs[i].pos < hs[j].pos })
	var out [][2][]*line
	start := 0
	flush := func(end int) { // horizontal rules start..end
		if end <= start {
			return
		}
		// the first part keeps the vertical rules above its first rule, the
		// last those below its last (a table the page cuts off)
		y0, y1 := hs[start].pos, hs[end].pos
		if start == 0 {
			y0 = -1 << 30
		}
		if end == len(hs)-1 {
			y1 = 1 << 30
		}
		var part [2][]*line
		part[0] = hs[start : end+1]
		for _, v := range vs {
			var segs []seg
			for _, sg := range v.segs {
				if a, b := max(sg.a, y0-1), min(sg.b, y1+1); b > a {
					segs = append(segs, seg{v.pos, a, b})
				}
			}
			if len(segs) > 0 {
				var raw []seg
				for _, sg := range v.raw {
					if a, b := max(sg.a, y0-1), min(sg.b, y1+1); b > a {
						raw = append(raw, seg{sg.pos, a, b})
					}
				}
				part[1] = append(part[1], &line{pos: v.pos, segs: segs, raw: raw})
			}
		}
		out = append(out, part)
	}
	for i := 0; i+1 < len(hs); i++ {
		// the band is ruled when rules cover it across half its width: the
		// strokes of a heading's characters (申请) between two tables
		// blurred into two short "rules" close together joined them
		n, left, right := 0, 1<<30, -1<<30
		for _, v := range vs {
			if v.covered(hs[i].pos, hs[i+1].pos) >= 0.5 {
				n++
				left, right = min(left, v.pos), max(right, v.pos)
			}
		}
		width := min(hs[i].hi()-hs[i].lo(), hs[i+1].hi()-hs[i+1].lo())
		if n < 2 || 2*(right-left) < width {
			flush(i)
			start = i + 1
		}
	}
	flush(len(hs) - 1)
	if len(out) == 0 {
		return [][2][]*line{{hs, vs}}
	}
	return out
}

// closed adds the rule a page cut off: when the outer vertical rules of a
// table run on past its last (or before its first) horizontal rule — the
// table continues on the next page, or began on the previous one — their
// ends close its last (first) row.
func closed(hs, vs []*line, s scale) []*line {
	top, bottom := hs[0].pos, hs[0].pos
	for _, h := range hs {
		top, bottom = min(top, h.pos), max(bottom, h.pos)
	}
	// the table's sides run on, not only strokes inside it (a bold
	// heading's, just above a table on a blurred photo, made a row of
	// garbage cells whose stroke "columns" split the table's own)
	left, right := vs[0], vs[0]
	for _, v := range vs {
		if v.pos < left.pos {
			left = v
		}
		if v.pos > right.pos {
			right = v
		}
	}
	lo, hi := max(left.lo(), right.lo()), min(left.hi(), right.hi())
	x0, x1 := left.pos, right.pos
	row := 2 * s.merge
	if hi > bottom+row {
		hs = append(hs, &line{pos: hi, segs: []seg{{hi, x0, x1}}})
	}
	if lo < top-row {
		hs = append(hs, &line{pos: lo, segs: []seg{{lo, x0, x1}}})
	}
	return hs
}

// gridOf makes the cells of one table. Rows are the bands between its
// horizontal rules; each band has its own column boundaries (the vertical
// rules covering it: a table made in a word processor need not put a
// column's rule at the same x in every row); the table's columns are all
// rows' boundaries together. A band's cell joins the one below where the
// rule between them is missing.
func gridOf(hs, vs []*line, s scale) grid {
	sort.Slice(hs, func(i, j int) bool { return hs[i].pos < hs[j].pos })
	g := grid{}
	for _, h := range hs {
		g.ys = append(g.ys, h.pos)
	}
	rows := len(g.ys) - 1
	// each band's boundaries, from the rules' raw segments
	bands := make([][]int, rows)
	var all []int
	for r := range rows {
		y0, y1 := g.ys[r], g.ys[r+1]
		var xs []int
		for _, v := range vs {
			for _, sg := range v.raw {
				if lo, hi := max(sg.a, y0), min(sg.b, y1); hi-lo >= (y1-y0)/2 {
					xs = append(xs, sg.pos)
				}
			}
		}
		bands[r] = centres(xs, s.merge)
		all = append(all, bands[r]...)
	}
	g.xs = centres(all, max(2, s.merge/3))
	if len(g.xs) < 2 {
		g.bounds = image.Rect(0, g.ys[0], 0, g.ys[rows])
		return g
	}
	g.bounds = image.Rect(g.xs[0], g.ys[0], g.xs[len(g.xs)-1], g.ys[rows])
	snap := func(x int) int {
		best := 0
		for i, c := range g.xs {
			if abs(c-x) < abs(g.xs[best]-x) {
				best = i
			}
		}
		return best
	}
	// the band cells, then joined down where no rule divides them
	type bandCell struct{ c0, c1 int } // global columns c0..c1-1
	cells := make([][]bandCell, rows)
	for r := range rows {
		b := bands[r]
		for i := 0; i+1 < len(b); i++ {
			c0, c1 := snap(b[i]), snap(b[i+1])
			if c1 > c0 {
				cells[r] = append(cells[r], bandCell{c0, c1})
			}
		}
	}
	used := make([][]bool, rows)
	for r := range rows {
		used[r] = make([]bool, len(cells[r]))
	}
	for r := range rows {
		for i, c := range cells[r] {
			if used[r][i] {
				continue
			}
			used[r][i] = true
			box := gridBox{r, r, c.c0, c.c1 - 1}
			for down := r + 1; down < rows; down++ {
				if hs[down].covered(g.xs[c.c0], g.xs[c.c1]) >= 0.5 {
					break
				}
				j := slices.IndexFunc(cells[down], func(o bandCell) bool { return o == c })
				if j < 0 || used[down][j] {
					break
				}
				used[down][j] = true
				box.r1 = down
			}
			g.cells = append(g.cells, box)
		}
	}
	sort.SliceStable(g.cells, func(i, j int) bool {
		if g.cells[i].r0 != g.cells[j].r0 {
			return g.cells[i].r0 < g.cells[j].r0
		}
		return g.cells[i].c0 < g.cells[j].c0
	})
	return g
}

// centres clusters positions (single linkage within tol) and returns each
// cluster's middle, in order.
func centres(xs []int, tol int) []int {
	if len(xs) == 0 {
		return nil
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	var out []int
	start := 0
	for i := 1; i <= len(xs); i++ {
		if i == len(xs) || xs[i]-xs[i-1] > tol {
			out = append(out, (xs[start]+xs[i-1])/2)
			start = i
		}
	}
	return out
}

// inner is a printed cell's box inside its rules: on each side, past the
// innermost rule-like row or column (mostly ink) within reach of the grid
// line — a double border's inner rule, or a rule printed a few pixels off
// the line the other rows put it at.
func (g *grid) inner(b *bitmap, c gridBox, s scale) image.Rectangle {
	r := image.Rect(g.xs[c.c0], g.ys[c.r0], g.xs[c.c1+1], g.ys[c.r1+1])
	reach := min(s.merge+s.pad, r.Dx()/3, r.Dy()/3)
	// the rules' bands at each edge: top and bottom first, then left and
	// right over the rows between them (a column through a glyph's stroke
	// plus both horizontal rules once looked like a rule, and the left
	// third of 规 was cut off), then top and bottom again between those
	top := ruleBand(reach, s, func(i int) bool { return inkShare(b, r.Min.X, r.Min.Y+i, r.Max.X, r.Min.Y+i+1) >= 0.4 })
	bottom := ruleBand(reach, s, func(i int) bool { return inkShare(b, r.Min.X, r.Max.Y-1-i, r.Max.X, r.Max.Y-i) >= 0.4 })
	y0, y1 := r.Min.Y+top, r.Max.Y-bottom
	left := ruleBand(reach, s, func(i int) bool { return inkShare(b, r.Min.X+i, y0, r.Min.X+i+1, y1) >= 0.4 })
	right := ruleBand(reach, s, func(i int) bool { return inkShare(b, r.Max.X-1-i, y0, r.Max.X-i, y1) >= 0.4 })
	x0, x1 := r.Min.X+left, r.Max.X-right
	top = ruleBand(reach, s, func(i int) bool { return inkShare(b, x0, r.Min.Y+i, x1, r.Min.Y+i+1) >= 0.4 })
	bottom = ruleBand(reach, s, func(i int) bool { return inkShare(b, x0, r.Max.Y-1-i, x1, r.Max.Y-i) >= 0.4 })
	out := image.Rect(x0, r.Min.Y+top, x1, r.Max.Y-bottom)
	if out.Empty() {
		return image.Rectangle{}
	}
	return out
}

// ruleBand is how far in from a cell's edge its rule reaches: the lines
// of ink (inky(i), i from the edge) that start within 2·pad of the edge,
// a double rule's gap of up to pad bridged; at least pad.
func ruleBand(reach int, s scale, inky func(int) bool) int {
	band, seen, gap := s.pad, false, 0
	for i := 0; i < reach; i++ {
		switch {
		case inky(i):
			band, seen, gap = max(band, i+1), true, 0
		case seen:
			if gap++; gap > s.pad {
				return band
			}
		case i > 2*s.pad:
			return band // no rule at this edge: ink further in is the cell's
		}
	}
	return band
}

func inkShare(b *bitmap, x0, y0, x1, y1 int) float64 {
	n, ink := 0, 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			n++
			if b.at(x, y) {
				ink++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(ink) / float64(n)
}

// inkBox is the bounding box of the ink inside r, and its pixel count.
func inkBox(b *bitmap, r image.Rectangle) (image.Rectangle, int) {
	box := image.Rectangle{}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if b.at(x, y) {
				n++
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box, n
}

// oneStroke tells whether the ink in r is a single tall, narrow glyph:
// the shape of a printed 1.
func oneStroke(b *bitmap, r image.Rectangle) bool {
	box, n := inkBox(b, r)
	if n == 0 || box.Dy() < 8 {
		return false
	}
	return float64(box.Dx()) <= 0.65*float64(box.Dy()) && float64(n) >= 0.2*float64(box.Dx()*box.Dy())
}

// dashStroke tells whether the ink in r is one horizontal stroke: a dash
// (—, －), what reports print for "not applicable". Several glyphs side
// by side (一-一) count when they lie on one line.
func dashStroke(b *bitmap, r image.Rectangle, s scale) bool {
	box, n := inkBox(b, r)
	if n == 0 {
		return false
	}
	return box.Dy() <= 3*s.pad && box.Dx() >= 3*box.Dy() && box.Dx() >= 4*s.pad
}

// slashStroke tells whether the ink in r is one thin diagonal stroke
// rising to the right: a slash (/), also printed for "not applicable". A
// 1 or a rule remnant is upright: its top and bottom lie over each other.
func slashStroke(b *bitmap, r image.Rectangle, s scale) bool {
	box, n := inkBox(b, r)
	if n == 0 || box.Dy() < 6*s.pad || box.Dx() > box.Dy() {
		return false
	}
	band := max(1, box.Dy()/6)
	top, _ := inkBox(b, image.Rect(box.Min.X, box.Min.Y, box.Max.X, box.Min.Y+band))
	bottom, _ := inkBox(b, image.Rect(box.Min.X, box.Max.Y-band, box.Max.X, box.Max.Y))
	tx, bx := (top.Min.X+top.Max.X)/2, (bottom.Min.X+bottom.Max.X)/2
	// the ends apart by a quarter of the height or more (a 7's bar and
	// stem: 0.15), and thin: about the ink of one stroke along the
	// diagonal
	return float64(tx-bx) >= 0.25*float64(box.Dy()) && float64(n) <= 0.3*float64(box.Dx()*box.Dy())
}

// splitDropped splits a one-row cell where a vertical rule is missing
// only beside it — present in the rows directly above and below — and its
// ink falls apart on both sides of where the rule runs: a segment the
// scan lost (a thin gray rule dithered away in black and white), not a
// printed merge. Read as one cell, "1" and "9" side by side become 19.
func (g *grid) splitDropped(b *bitmap, s scale) {
	starts := map[[2]int]bool{} // row, column where a cell starts
	for _, c := range g.cells {
		for r := c.r0; r <= c.r1; r++ {
			starts[[2]int{r, c.c0}] = true
		}
	}
	var out []gridBox
	for _, c := range g.cells {
		if c.r0 != c.r1 || c.c0 == c.c1 || c.r0 == 0 || c.r1+1 >= len(g.ys)-1 {
			out = append(out, c)
			continue
		}
		y0, y1 := g.ys[c.r0]+s.pad, g.ys[c.r0+1]-s.pad
		from := c.c0
		for k := c.c0 + 1; k <= c.c1; k++ {
			if !starts[[2]int{c.r0 - 1, k}] || !starts[[2]int{c.r0 + 1, k}] {
				continue
			}
			x := g.xs[k]
			_, across := inkBox(b, image.Rect(x-s.pad, y0, x+s.pad+1, y1))
			_, left := inkBox(b, image.Rect(g.xs[from]+s.pad, y0, x-s.pad, y1))
			_, right := inkBox(b, image.Rect(x+s.pad, y0, g.xs[c.c1+1]-s.pad, y1))
			if across == 0 && (left >= s.minInk || right >= s.minInk) {
				out = append(out, gridBox{c.r0, c.r0, from, k - 1})
				from = k
			}
		}
		out = append(out, gridBox{c.r0, c.r0, from, c.c1})
	}
	g.cells = out
}

// holes are the parts of the grid's rows no cell covers, one box per run
// of uncovered columns: a box whose rule the scan lost entirely. Read as
// nothing, the figures right of it would shift left by a column.
func (g *grid) holes() []gridBox {
	rows, cols := len(g.ys)-1, len(g.xs)-1
	if rows <= 0 || cols <= 0 {
		return nil
	}
	covered := make([]bool, rows*cols)
	for _, c := range g.cells {
		for r := c.r0; r <= c.r1 && r < rows; r++ {
			for k := c.c0; k <= c.c1 && k < cols; k++ {
				covered[r*cols+k] = true
			}
		}
	}
	var out []gridBox
	for r := 0; r < rows; r++ {
		for k := 0; k < cols; k++ {
			if covered[r*cols+k] {
				continue
			}
			e := k
			for e+1 < cols && !covered[r*cols+e+1] {
				e++
			}
			out = append(out, gridBox{r, r, k, e})
			k = e
		}
	}
	return out
}
