package scan

import (
	"image"
	"image/color"
	"math"
	"slices"
)

// bitmap is a page as ink (true) and paper.
type bitmap struct {
	w, h int
	ink  []bool
}

func (b *bitmap) at(x, y int) bool {
	if x < 0 || y < 0 || x >= b.w || y >= b.h {
		return false
	}
	return b.ink[y*b.w+x]
}

// grayOf converts a page to gray, seeing through red ink: a seal (公章)
// stamped over the tables is red, the print black. Where a pixel's red
// clearly outweighs green and blue, its gray is its red channel — red
// ink is light there, the print under it dark, as a scanner's red
// drop-out sees it — stretched so that the seal's own ink on paper (the
// lightest tenth of such pixels) is white. Making the seal's pixels all
// white lost the rules and figures under it (a row read as one cell);
// thresholding its faint ink adaptively would turn it back into black.
func grayOf(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	var red []uint8 // a red pixel's red channel (at least 1), else 0
	var hist [256]int
	put := func(i int, r, gg, bb uint8) {
		if int(r) > int(gg)+60 && int(r) > int(bb)+60 {
			if red == nil {
				red = make([]uint8, len(g.Pix))
			}
			red[i] = r // > 60
			hist[r]++
			return
		}
		g.Pix[i] = uint8((299*int(r) + 587*int(gg) + 114*int(bb)) / 1000)
	}
	w, h := b.Dx(), b.Dy()
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], src.Pix[y*src.Stride:y*src.Stride+w])
		}
		return g
	case *image.RGBA:
		eachRGB(src.Pix, src.Stride, w, h, g.Stride, put)
	case *image.NRGBA: // opaque scans: the same bytes as RGBA
		eachRGB(src.Pix, src.Stride, w, h, g.Stride, put)
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				put(y*g.Stride+x, uint8(r>>8), uint8(gg>>8), uint8(bb>>8))
			}
		}
	}
	if red == nil {
		return g
	}
	// the seal on paper: the red level under which nine tenths of the
	// red pixels lie
	n, seal := 0, 255
	for _, c := range hist {
		n += c
	}
	for v, k := 255, 0; v > 0; v-- {
		if k += hist[v]; 10*k >= n {
			seal = v
			break
		}
	}
	for i, r := range red {
		if r > 0 {
			g.Pix[i] = uint8(min(255, int(r)*255/seal))
		}
	}
	return g
}

// eachRGB calls put with each pixel of RGBA bytes and its index in a
// gray image of stride gs.
func eachRGB(pix []byte, stride, w, h, gs int, put func(i int, r, g, b uint8)) {
	for y := 0; y < h; y++ {
		row := pix[y*stride:]
		for x := 0; x < w; x++ {
			put(y*gs+x, row[4*x], row[4*x+1], row[4*x+2])
		}
	}
}

// histogram counts the page's pixels of each gray level.
func histogram(g *image.Gray) *[256]int {
	var hist [256]int
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y++ {
		for _, p := range g.Pix[y*g.Stride : y*g.Stride+w] {
			hist[p]++
		}
	}
	return &hist
}

// otsu is the gray level that best separates ink from paper.
func otsu(g *image.Gray) uint8 {
	hist := histogram(g)
	total := g.Rect.Dx() * g.Rect.Dy()
	sum := 0.0
	for i, n := range hist {
		sum += float64(i * n)
	}
	var sumB, wB float64
	best, t := -1.0, 128
	for i := range 256 {
		wB += float64(hist[i])
		if wB == 0 {
			continue
		}
		wF := float64(total) - wB
		if wF == 0 {
			break
		}
		sumB += float64(i * hist[i])
		mB, mF := sumB/wB, (sum-sumB)/wF
		if between := wB * wF * (mB - mF) * (mB - mF); between > best {
			best, t = between, i
		}
	}
	// A page that is nearly all paper has no second class: keep the
	// threshold in the range where print lies.
	return uint8(min(max(t, 60), 200))
}

// binarize marks ink below the threshold.
func binarize(g *image.Gray, t uint8) *bitmap {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	b := &bitmap{w: w, h: h, ink: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, p := range row {
			b.ink[y*w+x] = p <= t
		}
	}
	return b
}

// skew estimates how far the page is turned, in radians, from the rows
// of ink: at the right angle the text lines and rules project onto few
// rows, so the sum of squared row counts peaks. Measured on every fourth
// pixel, for angles within ±4° by 0.1°.
func skew(b *bitmap) float64 {
	type pt struct{ x, y float64 }
	var pts []pt
	step := max(1, b.w/600)
	for y := 0; y < b.h; y += step {
		for x := 0; x < b.w; x += step {
			if b.ink[y*b.w+x] {
				pts = append(pts, pt{float64(x), float64(y)})
			}
		}
	}
	if len(pts) == 0 {
		return 0
	}
	bins := make([]int, b.h/step+b.w/step+8)
	score := func(a float64) float64 {
		clear(bins)
		s := math.Tan(a)
		off := float64(len(bins)) / 2
		for _, p := range pts {
			i := int((p.y-p.x*s)/float64(step) + off/2)
			if i >= 0 && i < len(bins) {
				bins[i]++
			}
		}
		t := 0.0
		for _, n := range bins {
			t += float64(n) * float64(n)
		}
		return t
	}
	best, bestA := -1.0, 0.0
	for i := -40; i <= 40; i++ {
		a := float64(i) * 0.1 * math.Pi / 180
		if s := score(a); s > best {
			best, bestA = s, a
		}
	}
	return bestA
}

// rotate turns a gray page by -a radians about its centre (undoing a skew
// of a), filling with paper.
func rotate(g *image.Gray, a float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	sin, cos := math.Sin(a), math.Cos(a)
	cx, cy := float64(w)/2, float64(h)/2
	return resample(g, w, h, func(x, y int) (float64, float64) {
		// the source point that lands at (x, y) after turning back
		dx, dy := float64(x)-cx, float64(y)-cy
		return cx + dx*cos - dy*sin, cy + dx*sin + dy*cos
	})
}

// resample makes a w×h gray page whose pixel (x, y) is g at src(x, y),
// sampled bilinearly (nearest-pixel sampling made strokes jagged enough at
// 200 dpi for both models to read 8 as 3); outside g it is paper.
func resample(g *image.Gray, w, h int, src func(x, y int) (float64, float64)) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	gw, gh := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := src(x, y)
			x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
			if x0 < 0 || y0 < 0 || x0+1 >= gw || y0+1 >= gh {
				continue
			}
			ax, ay := fx-float64(x0), fy-float64(y0)
			p := g.Pix[y0*g.Stride+x0:]
			q := g.Pix[(y0+1)*g.Stride+x0:]
			top := float64(p[0])*(1-ax) + float64(p[1])*ax
			bot := float64(q[0])*(1-ax) + float64(q[1])*ax
			out.Pix[y*out.Stride+x] = uint8(top*(1-ay) + bot*ay + 0.5)
		}
	}
	return out
}

// crop copies a rectangle of a gray page, scaled by f, with a margin of
// paper around it: Tesseract reads best with text about 30–40 pixels high
// and space around it.
func crop(g *image.Gray, r image.Rectangle, f float64, margin int, paper uint8) *image.Gray {
	r = r.Intersect(g.Rect)
	w, h := int(float64(r.Dx())*f), int(float64(r.Dy())*f)
	out := image.NewGray(image.Rect(0, 0, w+2*margin, h+2*margin))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := 0; y < h; y++ {
		sy := r.Min.Y + int(float64(y)/f)
		for x := 0; x < w; x++ {
			sx := r.Min.X + int(float64(x)/f)
			v := g.Pix[sy*g.Stride+sx]
			if v >= paper {
				v = 255 // haze, bleed-through and light speckle read as paper
			}
			out.SetGray(x+margin, y+margin, color.Gray{Y: v})
		}
	}
	return out
}

// despeckle removes speckle — dust, impulse noise, the dots a JPEG
// scanner sprays — from b, and whitens it in g too when g is not nil: a
// connected blot of at most maxArea pixels with no larger blot within
// reach pixels. A decimal point or the dot of a 。 sits beside its
// characters and stays; a speck in an empty cell made Tesseract read 。
// or 1 there. Linear: one labelling pass, then a bounded look around
// each small blot. It returns how many blots it removed.
func despeckle(b *bitmap, g *image.Gray, maxArea, reach int) int {
	label := make([]int32, len(b.ink))
	type blot struct {
		x0, y0, x1, y1, area int
		first                int
	}
	blots := []blot{{}} // label 0 is paper
	var stack []int
	for i, ink := range b.ink {
		if !ink || label[i] != 0 {
			continue
		}
		id := int32(len(blots))
		bl := blot{x0: b.w, y0: b.h, x1: -1, y1: -1, first: i}
		label[i] = id
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%b.w, p/b.w
			bl.area++
			bl.x0, bl.y0, bl.x1, bl.y1 = min(bl.x0, x), min(bl.y0, y), max(bl.x1, x), max(bl.y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= b.w || ny >= b.h {
						continue
					}
					if q := ny*b.w + nx; b.ink[q] && label[q] == 0 {
						label[q] = id
						stack = append(stack, q)
					}
				}
			}
		}
		blots = append(blots, bl)
	}
	big := func(id int32) bool { return id != 0 && blots[id].area > maxArea }
	removed := 0
	for id := 1; id < len(blots); id++ {
		bl := blots[id]
		if bl.area > maxArea {
			continue
		}
		near := false
		for y := max(0, bl.y0-reach); y <= min(b.h-1, bl.y1+reach) && !near; y++ {
			for x := max(0, bl.x0-reach); x <= min(b.w-1, bl.x1+reach); x++ {
				if big(label[y*b.w+x]) {
					near = true
					break
				}
			}
		}
		if near {
			continue
		}
		removed++
		for y := bl.y0; y <= bl.y1; y++ {
			for x := bl.x0; x <= bl.x1; x++ {
				if i := y*b.w + x; label[i] == int32(id) {
					b.ink[i] = false
					if g == nil {
						continue
					}
					for dy := -1; dy <= 1; dy++ { // and the JPEG halo around it
						for dx := -1; dx <= 1; dx++ {
							if gx, gy := x+dx, y+dy; gx >= 0 && gy >= 0 && gx < b.w && gy < b.h {
								g.Pix[gy*g.Stride+gx] = 255
							}
						}
					}
				}
			}
		}
	}
	return removed
}

// dropFills takes out of b the ink of filled areas — a shaded header row,
// a gray cell background — and returns the rest. What is dark (ink at the
// text's threshold: a rule or text printed on the shade) stays; another
// pixel goes where the square of side 2·half+1 around it is nearly all
// ink in light, the page thresholded just under its paper (lightLevel).
// A rule, however bold, is thinner than that square, a crossing of rules
// leaves its corners paper, and text leaves paper between its strokes.
// At the rules' threshold a cell shaded 214 was ink, its every column a
// vertical rule; with JPEG noise it was ink only in part, so the square
// is measured on light, where the shade is ink throughout. The fill's
// outline stays in b: it runs along the rules that bound it. Linear:
// running sums over columns, then along each row.
func dropFills(b, light, dark *bitmap, half int) *bitmap {
	side := 2*half + 1
	limit := side * side * 19 / 20
	out := &bitmap{w: b.w, h: b.h, ink: slices.Clone(b.ink)}
	col := make([]int, b.w) // ink of light in column x over rows y-half..y+half
	add := func(y, d int) {
		if y < 0 || y >= b.h {
			return
		}
		for x, ink := range light.ink[y*b.w : (y+1)*b.w] {
			if ink {
				col[x] += d
			}
		}
	}
	for y := -half; y < half; y++ {
		add(y, 1)
	}
	for y := 0; y < b.h; y++ {
		add(y+half, 1)
		sum := 0
		for x := 0; x < min(half, b.w); x++ {
			sum += col[x]
		}
		for x := 0; x < b.w; x++ {
			if x+half < b.w {
				sum += col[x+half]
			}
			if sum >= limit && !dark.ink[y*b.w+x] {
				out.ink[y*b.w+x] = false
			}
			if x-half >= 0 {
				sum -= col[x-half]
			}
		}
		add(y-half, -1)
	}
	return out
}

// lightLevel is the gray level just under the page's paper (the most
// common level lighter than the ink threshold t): what is darker is ink
// or a shade.
func lightLevel(g *image.Gray, t uint8) uint8 {
	hist := histogram(g)
	paper := 255
	for v := 255; v > int(t); v-- {
		if hist[v] > hist[paper] {
			paper = v
		}
	}
	return uint8(max(int(t), paper-20))
}

// spread is b with each pixel set by the ink in the square of side 2r+1
// around it: any ink (dilation) or all of it (erosion; outside the page
// is paper). Separable, and row by row in memory order: a sliding count
// along each row, then sliding counts per column down the rows.
func spread(b *bitmap, r int, all bool) *bitmap {
	w, h, full := b.w, b.h, 2*r+1
	keep := func(count, side int) bool { return count > 0 && (!all || count == side && side == full) }
	across := &bitmap{w: w, h: h, ink: make([]bool, len(b.ink))}
	for y := range h {
		row, out, count := b.ink[y*w:(y+1)*w], across.ink[y*w:(y+1)*w], 0
		for x := -r; x < w; x++ {
			if j := x + r; j < w && row[j] {
				count++
			}
			if x < 0 {
				continue
			}
			out[x] = keep(count, min(x+r, w-1)-max(x-r, 0)+1)
			if j := x - r; j >= 0 && row[j] {
				count--
			}
		}
	}
	out := &bitmap{w: w, h: h, ink: make([]bool, len(b.ink))}
	col := make([]int, w) // ink of across in column x, rows y-r..y+r
	for y := -r; y < h; y++ {
		if j := y + r; j < h {
			for x, ink := range across.ink[j*w : (j+1)*w] {
				if ink {
					col[x]++
				}
			}
		}
		if y < 0 {
			continue
		}
		side := min(y+r, h-1) - max(y-r, 0) + 1
		for x, n := range col {
			out.ink[y*w+x] = keep(n, side)
		}
		if j := y - r; j >= 0 {
			for x, ink := range across.ink[j*w : (j+1)*w] {
				if ink {
					col[x]--
				}
			}
		}
	}
	return out
}

// sharpen is an unsharp mask: each pixel moved away from the Gaussian
// blur (σ one pixel) of its neighbourhood by amount times the
// difference, so soft strokes get edges back.
func sharpen(g *image.Gray, amount float64) *image.Gray {
	k := [...]float64{0.006, 0.061, 0.242, 0.382, 0.242, 0.061, 0.006}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(x, y int) float64 {
		x, y = max(0, min(w-1, x)), max(0, min(h-1, y))
		return float64(g.Pix[y*g.Stride+x])
	}
	across := make([]float64, w*h)
	for y := range h {
		for x := range w {
			v := 0.0
			for i, c := range k {
				v += c * at(x+i-3, y)
			}
			across[y*w+x] = v
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			blur := 0.0
			for i, c := range k {
				blur += c * across[max(0, min(h-1, y+i-3))*w+x]
			}
			v := at(x, y)
			out.Pix[y*out.Stride+x] = uint8(math.Max(0, math.Min(255, v+amount*(v-blur)+0.5)))
		}
	}
	return out
}
