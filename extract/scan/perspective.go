package scan

import (
	"image"
	"math"
	"sort"
)

// A photo of a page shows the sheet on a darker background, as a
// quadrilateral (keystone: the far edge narrower). Its rules are not
// upright, so no grid is found; the sheet is mapped back to a rectangle
// first.

// pt2 is a point of the image, in pixels.
type pt2 struct{ x, y float64 }

// paperQuad finds the sheet of a photographed page: the corners (top-left,
// top-right, bottom-right, bottom-left) of the bright region on a darker
// background, each edge fitted as a line through the rows (or columns)
// where paper begins. ok is false for a scan (paper to the image's edges)
// or when the edges are not straight enough to trust.
func paperQuad(g *image.Gray) (q [4]pt2, ok bool) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 200 || h < 200 {
		return q, false
	}
	at := func(x, y int) uint8 { return g.Pix[y*g.Stride+x] }
	// the background: the darker pixels of a ring just inside the
	// image's edges (not on them: a renderer leaves a line of white
	// paper where the image falls short of the page by a pixel; and not
	// all of it: where the sheet runs off the picture the ring is paper);
	// the paper: the centre
	var ring [256]int
	n := 0
	in := max(2, min(w, h)/100)
	for x := in; x < w-in; x += 4 {
		ring[at(x, in)]++
		ring[at(x, h-1-in)]++
		n += 2
	}
	for y := in; y < h-in; y += 4 {
		ring[at(in, y)]++
		ring[at(w-1-in, y)]++
		n += 2
	}
	// the mean of its darkest tenth
	var border, centre float64
	k := n / 10
	for v := 0; v < 256 && k > 0; v++ {
		c := min(k, ring[v])
		border += float64(v * c)
		k -= c
	}
	border /= float64(n / 10)
	n = 0
	for y := h / 3; y < 2*h/3; y += 8 {
		for x := w / 3; x < 2*w/3; x += 8 {
			centre += float64(at(x, y))
			n++
		}
	}
	centre /= float64(n)
	if centre-border < 60 {
		return q, false // no dark background: a scan
	}
	// nearer the background than the paper: a photo's light falls off
	// (paper at the far edge 162, in the middle 253, background 52)
	thr := uint8(border + 0.35*(centre-border))
	// where paper begins along a line of pixels: the first run of 8
	// bright pixels (text and rules near the edge are not the edge) after
	// the background. Paper at the picture's edge is either the sheet
	// running off it (no edge here) or the white page a photo was pasted
	// on (img2pdf centres it on A4): then a long dark run follows.
	long := max(16, min(w, h)/60)
	first := func(n int, bright func(i int) bool) int {
		i := 0
		for i < n && bright(i) {
			i++
		}
		if i > 0 {
			dark := 0
			for ; i < n && !bright(i); i++ {
				dark++
			}
			if dark < long {
				return -1
			}
		}
		run := 0
		for ; i < n; i++ {
			if bright(i) {
				if run++; run == 8 {
					return i - 7
				}
			} else {
				run = 0
			}
		}
		return -1
	}
	var left, right, top, bottom []pt2
	for y := h / 10; y < h*9/10; y += 4 {
		if x := first(w, func(i int) bool { return at(i, y) > thr }); x > 0 {
			left = append(left, pt2{float64(x), float64(y)})
		}
		if x := first(w, func(i int) bool { return at(w-1-i, y) > thr }); x > 0 {
			right = append(right, pt2{float64(w - 1 - x), float64(y)})
		}
	}
	for x := w / 10; x < w*9/10; x += 4 {
		if y := first(h, func(i int) bool { return at(x, i) > thr }); y > 0 {
			top = append(top, pt2{float64(x), float64(y)})
		}
		if y := first(h, func(i int) bool { return at(x, h-1-i) > thr }); y > 0 {
			bottom = append(bottom, pt2{float64(x), float64(h - 1 - y)})
		}
	}
	// an edge the sheet does not show (paper to the image's edge there)
	// is the image's edge
	l, okl := fitEdge(left, true, h)
	r, okr := fitEdge(right, true, h)
	t, okt := fitEdge(top, false, w)
	b, okb := fitEdge(bottom, false, w)
	if !okl {
		l = line2{0, 0}
	}
	if !okr {
		r = line2{0, float64(w - 1)}
	}
	if !okt {
		t = line2{0, 0}
	}
	if !okb {
		b = line2{0, float64(h - 1)}
	}
	if !okl && !okr && !okt && !okb {
		return q, false
	}
	// x = l(y) meets y = t(x) …
	meet := func(v, hz line2) pt2 {
		// x = v.a*y + v.b, y = hz.a*x + hz.b
		y := (hz.a*v.b + hz.b) / (1 - hz.a*v.a)
		return pt2{v.a*y + v.b, y}
	}
	q = [4]pt2{meet(l, t), meet(r, t), meet(r, b), meet(l, b)}
	// a sheet at least half the image, not turned over, inside it (a
	// corner far outside would make unwarp's image as large)
	if q[1].x-q[0].x < float64(w)/2 || q[3].y-q[0].y < float64(h)/2 {
		return q, false
	}
	for _, c := range q {
		if math.IsNaN(c.x) || math.IsNaN(c.y) || c.x < -0.1*float64(w) || c.x > 1.1*float64(w) || c.y < -0.1*float64(h) || c.y > 1.1*float64(h) {
			return q, false
		}
	}
	return q, true
}

// line2 is x = a·y + b for an upright edge, y = a·x + b for a level one.
type line2 struct{ a, b float64 }

// fitEdge fits a line through an edge's points by least squares, after
// dropping the points far from a first fit (where text, a shadow or a
// finger broke the edge). ok is false with too few points or a poor fit.
func fitEdge(ps []pt2, upright bool, span int) (line2, bool) {
	if len(ps) < 20 {
		return line2{}, false
	}
	uv := func(p pt2) (u, v float64) { // v = a·u + b
		if upright {
			return p.y, p.x
		}
		return p.x, p.y
	}
	fit := func(ps []pt2) line2 {
		var su, sv, suu, suv float64
		for _, p := range ps {
			u, v := uv(p)
			su, sv, suu, suv = su+u, sv+v, suu+u*u, suv+u*v
		}
		n := float64(len(ps))
		d := n*suu - su*su
		if d == 0 {
			return line2{0, sv / n}
		}
		a := (n*suv - su*sv) / d
		return line2{a, (sv - a*su) / n}
	}
	// trimmed least squares: the quarter of points farthest from the fit
	// dropped, three times over (one fit through all of them was pulled
	// hundreds of pixels by the columns beyond the sheet's corners, where
	// the top edge's scan meets a side instead, and the edge was lost)
	l := fit(ps)
	kept := ps
	for range 3 {
		res := make([]float64, len(kept))
		for i, p := range kept {
			u, v := uv(p)
			res[i] = math.Abs(l.a*u + l.b - v)
		}
		cut := append([]float64(nil), res...)
		sort.Float64s(cut)
		limit := cut[len(cut)*3/4]
		var next []pt2
		for i, p := range kept {
			if res[i] <= limit {
				next = append(next, p)
			}
		}
		if len(next) < 10 {
			break
		}
		kept = next
		l = fit(kept)
	}
	tol := float64(span) / 200
	var near []pt2
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		u, v := uv(p)
		if math.Abs(l.a*u+l.b-v) <= tol {
			near = append(near, p)
			lo, hi = math.Min(lo, u), math.Max(hi, u)
		}
	}
	// most points on the line, along most of the edge's length
	if 3*len(near) < 2*len(ps) || math.Abs(l.a) > 0.2 || hi-lo < float64(span)/2 {
		return line2{}, false
	}
	return fit(near), true
}

// unwarp maps the quadrilateral q of g onto an upright rectangle as wide
// as its longer horizontal edge and as tall as its longer upright one
// (resample; the projective map of the unit square onto q,
// Heckbert's closed form).
func unwarp(g *image.Gray, q [4]pt2) *image.Gray {
	d := func(a, b pt2) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }
	w := int(math.Max(d(q[0], q[1]), d(q[3], q[2])) + 0.5)
	h := int(math.Max(d(q[0], q[3]), d(q[1], q[2])) + 0.5)
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0].x, q[0].y, q[1].x, q[1].y, q[2].x, q[2].y, q[3].x, q[3].y
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	var a, b, c, dd, e, f, gg, hh float64
	if sx == 0 && sy == 0 { // affine
		a, b, c = x1-x0, x3-x0, x0
		dd, e, f = y1-y0, y3-y0, y0
	} else {
		dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
		den := dx1*dy2 - dx2*dy1
		gg = (sx*dy2 - dx2*sy) / den
		hh = (dx1*sy - sx*dy1) / den
		a, b, c = x1-x0+gg*x1, x3-x0+hh*x3, x0
		dd, e, f = y1-y0+gg*y1, y3-y0+hh*y3, y0
	}
	return resample(g, w, h, func(x, y int) (float64, float64) {
		u, v := (float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h)
		z := gg*u + hh*v + 1
		return (a*u + b*v + c) / z, (dd*u + e*v + f) / z
	})
}

// flatten evens out the light of a page: each pixel is divided by the
// paper's level around it (the brightest tenth of each 64-pixel block,
// the greatest of a block and its neighbours, interpolated), so paper is
// white everywhere and ink keeps its contrast. A photo's light falls off
// across the sheet (paper 160 at the far edge, 250 in the middle): one
// threshold for the page took its far third for ink.
func flatten(g *image.Gray) *image.Gray {
	const B = 64
	w, h := g.Rect.Dx(), g.Rect.Dy()
	bw, bh := (w+B-1)/B, (h+B-1)/B
	level := make([]float64, bw*bh)
	var hist [256]int
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			hist = [256]int{}
			n := 0
			for y := by * B; y < min(h, by*B+B); y++ {
				row := g.Pix[y*g.Stride:]
				for x := bx * B; x < min(w, bx*B+B); x++ {
					hist[row[x]]++
					n++
				}
			}
			k, v := n/10, 255
			for ; v > 0; v-- {
				if k -= hist[v]; k < 0 {
					break
				}
			}
			level[by*bw+bx] = float64(v)
		}
	}
	// a block all ink (a thick rule, a seal) takes its neighbours' paper
	grown := make([]float64, len(level))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			m := 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if x, y := bx+dx, by+dy; x >= 0 && y >= 0 && x < bw && y < bh {
						m = math.Max(m, level[y*bw+x])
					}
				}
			}
			grown[by*bw+bx] = math.Max(m, 32)
		}
	}
	near := closing(g, max(4, min(w, h)/120))
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		fy := math.Max(0, math.Min(float64(bh-1), (float64(y)-B/2)/B))
		y0 := int(fy)
		y1, ay := min(y0+1, bh-1), fy-float64(y0)
		for x := 0; x < w; x++ {
			fx := math.Max(0, math.Min(float64(bw-1), (float64(x)-B/2)/B))
			x0 := int(fx)
			x1, ax := min(x0+1, bw-1), fx-float64(x0)
			p := (grown[y0*bw+x0]*(1-ax)+grown[y0*bw+x1]*ax)*(1-ay) + (grown[y1*bw+x0]*(1-ax)+grown[y1*bw+x1]*ax)*ay
			p = math.Max(32, math.Min(p, float64(near(x, y))))
			v := float64(g.Pix[y*g.Stride+x]) * 255 / p
			out.Pix[y*out.Stride+x] = uint8(math.Min(255, v+0.5))
		}
	}
	return out
}

// sheetOf is the sheet of a photo whose corners are q: upright, its
// light evened, its edges clear.
func sheetOf(g *image.Gray, q [4]pt2) *image.Gray {
	u := flatten(unwarp(g, q))
	clearEdges(u)
	return u
}

// clearEdges whitens a band along the edges of an unwarped sheet, 1/60
// of its width (3.5 mm of A4; printed margins are 20 mm and more): the
// sheet's edge is fitted to a few pixels, and the sliver of table left
// along it framed the whole page as a table of one cell.
func clearEdges(g *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	m := max(3, min(w, h)/60)
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		if y < m || y >= h-m {
			for x := range row {
				row[x] = 255
			}
			continue
		}
		for x := 0; x < m; x++ {
			row[x], row[w-1-x] = 255, 255
		}
	}
}

// closing is the paper around each pixel, as a hard shadow (the
// phone's, across a corner) leaves it: the page's closing (the
// brightest pixel within r, then the darkest of those) drops strokes
// thinner than 2r+1 and keeps the shadow's edge where it is, which
// 64-pixel blocks smear across it. Worked at half resolution (the
// brightest of each 2×2): a paper level needs no finer grain; the level
// at (x, y) is at(x, y).
func closing(g *image.Gray, r int) (at func(x, y int) uint8) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	hw, hh := (w+1)/2, (h+1)/2
	a := make([]uint8, hw*hh)
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			if i := (y/2)*hw + x/2; v > a[i] {
				a[i] = v
			}
		}
	}
	b := make([]uint8, hw*hh)
	r = max(1, r/2)
	slideMax(a, b, hw, hh, 1, hw, r) // along rows
	slideMax(b, a, hh, hw, hw, 1, r) // down columns
	// the least as the greatest of the inverted page
	for i := range a {
		a[i] = 255 - a[i]
	}
	slideMax(a, b, hw, hh, 1, hw, r)
	slideMax(b, a, hh, hw, hw, 1, r)
	return func(x, y int) uint8 { return 255 - a[(y/2)*hw+x/2] }
}

// slideMax writes to dst the greatest of src within r along lines of n
// pixels step apart, lines start apart: a monotone queue, linear in the
// pixels whatever r is.
func slideMax(src, dst []uint8, n, lines, step, start, r int) {
	q := make([]int, 0, n)
	for l := range lines {
		base := l * start
		q = q[:0]
		head, next := 0, 0
		for i := range n {
			for ; next < n && next <= i+r; next++ {
				v := src[base+next*step]
				for len(q) > head && v >= src[base+q[len(q)-1]*step] {
					q = q[:len(q)-1]
				}
				q = append(q, next)
			}
			for q[head] < i-r {
				head++
			}
			dst[base+i*step] = src[base+q[head]*step]
		}
	}
}
