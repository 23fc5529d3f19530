package scan

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// table draws a ruled table of rows×cols cells, each w×h pixels, at
// (x0, y0) with rules 3 pixels thick, leaving out the vertical rule
// segments named in skip (row, column index of the rule).
func table(b *bitmap, x0, y0, rows, cols, w, h int, skip map[[2]int]bool) {
	for r := 0; r <= rows; r++ {
		for x := x0; x <= x0+cols*w+2; x++ {
			for t := 0; t < 3; t++ {
				b.ink[(y0+r*h+t)*b.w+x] = true
			}
		}
	}
	for c := 0; c <= cols; c++ {
		for r := 0; r < rows; r++ {
			if skip[[2]int{r, c}] {
				continue
			}
			for y := y0 + r*h; y <= y0+(r+1)*h+2; y++ {
				for t := 0; t < 3; t++ {
					b.ink[y*b.w+x0+c*w+t] = true
				}
			}
		}
	}
}

func newBitmap(w, h int) *bitmap { return &bitmap{w: w, h: h, ink: make([]bool, w*h)} }

// TestFindGrid: a 4×5 table at 300 dpi with one cell merged across two
// columns (its rule left out) comes back with 19 cells and the span.
func TestFindGrid(t *testing.T) {
	b := newBitmap(1400, 900)
	table(b, 100, 100, 4, 5, 220, 120, map[[2]int]bool{{2, 3}: true})
	s := scaleFor(300)
	gs := findGrids(b, s)
	if len(gs) != 1 {
		t.Fatalf("%d grids, want 1", len(gs))
	}
	g := gs[0]
	if len(g.xs) != 6 || len(g.ys) != 5 {
		t.Fatalf("rules %v × %v, want 6 vertical and 5 horizontal", g.xs, g.ys)
	}
	if len(g.cells) != 19 {
		t.Fatalf("%d cells, want 19: %v", len(g.cells), g.cells)
	}
	merged := 0
	for _, c := range g.cells {
		if c.c1 > c.c0 {
			merged++
			if c.r0 != 2 || c.c0 != 2 || c.c1 != 3 {
				t.Errorf("merged cell %+v, want row 2, columns 2–3", c)
			}
		}
	}
	if merged != 1 {
		t.Errorf("%d merged cells, want 1", merged)
	}
}

// TestSplitDropped: a rule lost beside one cell only, with a figure on
// each side of where it runs, is put back; a label across it is not cut.
func TestSplitDropped(t *testing.T) {
	s := scaleFor(300)
	for _, tc := range []struct {
		name  string
		ink   []image.Rectangle
		cells int
	}{
		{"two figures", []image.Rectangle{image.Rect(560, 350, 580, 390), image.Rect(780, 350, 800, 390)}, 20},
		{"a label across the rule", label(600, 350, 160, 40), 19},
		{"empty", nil, 19},
	} {
		b := newBitmap(1400, 900)
		table(b, 100, 100, 4, 5, 220, 120, map[[2]int]bool{{2, 3}: true})
		for _, r := range tc.ink {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					b.ink[y*b.w+x] = true
				}
			}
		}
		gs := findGrids(b, s)
		if len(gs) != 1 {
			t.Fatalf("%s: %d grids", tc.name, len(gs))
		}
		gs[0].splitDropped(b, s)
		if len(gs[0].cells) != tc.cells {
			t.Errorf("%s: %d cells, want %d", tc.name, len(gs[0].cells), tc.cells)
		}
	}
}

// label is the strokes of a line of text in r: upright strokes 4 pixels
// wide every 12, and one across the middle.
func label(x, y, w, h int) []image.Rectangle {
	out := []image.Rectangle{image.Rect(x, y+h/2-2, x+w, y+h/2+2)}
	for i := x; i+4 <= x+w; i += 12 {
		out = append(out, image.Rect(i, y, i+4, y+h))
	}
	return out
}

// TestDespeckle: a lone speck goes, a decimal point beside its digit
// stays.
func TestDespeckle(t *testing.T) {
	b := newBitmap(200, 100)
	g := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	set := func(r image.Rectangle) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				b.ink[y*b.w+x] = true
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	set(image.Rect(20, 20, 34, 60)) // a digit's stroke
	set(image.Rect(37, 55, 41, 59)) // its decimal point
	set(image.Rect(120, 40, 122, 42))
	s := scaleFor(300)
	if n := despeckle(b, g, s.speck, 2*s.pad); n != 1 {
		t.Errorf("removed %d blots, want 1", n)
	}
	if b.at(120, 40) || g.Pix[40*g.Stride+120] != 255 {
		t.Error("the speck stayed")
	}
	if !b.at(38, 56) {
		t.Error("the decimal point was removed")
	}
}

// FuzzFindGrids: any bitmap, with rules drawn into it or not, gives grids
// whose cells lie within their rules, in bounded time.
func FuzzFindGrids(f *testing.F) {
	f.Add([]byte{0xff, 0x0f, 0xf0}, uint8(3), uint8(2))
	f.Add(bytes.Repeat([]byte{0xaa}, 64), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, noise []byte, rows, cols uint8) {
		b := newBitmap(900, 700)
		if rows%6 > 0 && cols%6 > 0 {
			table(b, 40, 40, int(rows%6), int(cols%6), 130, 100, map[[2]int]bool{{int(rows % 3), int(cols % 3)}: true})
		}
		for i, v := range noise {
			for k := 0; k < 8; k++ {
				if v&(1<<k) != 0 {
					p := (i*8 + k) * 7919 % len(b.ink)
					b.ink[p] = true
				}
			}
		}
		s := scaleFor(300)
		for _, g := range findGrids(b, s) {
			g.splitDropped(b, s)
			for _, c := range g.cells {
				if c.r0 < 0 || c.c0 < 0 || c.r1 < c.r0 || c.c1 < c.c0 || c.r1+1 >= len(g.ys) || c.c1+1 >= len(g.xs) {
					t.Fatalf("cell %+v outside rules %v × %v", c, g.xs, g.ys)
				}
			}
		}
	})
}

// FuzzDecodePPM: a malformed page from the rasteriser is an error, never
// a panic or an allocation beyond MaxPixels.
func FuzzDecodePPM(f *testing.F) {
	f.Add([]byte("P6\n2 1\n255\n\x00\x00\x00\xff\xff\xff"))
	f.Add([]byte("P6 99999 99999 255 "))
	f.Add([]byte("P5\n1 1\n255\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodePPM(bufio.NewReader(bytes.NewReader(data)))
		if err == nil && img.Bounds().Dx()*img.Bounds().Dy() > MaxPixels {
			t.Fatal("too large")
		}
	})
}

// BenchmarkFindGrids finds the grid and despeckles on a page and on one
// twice the size: the cost per pixel stays the same (linear).
func BenchmarkFindGrids(b *testing.B) {
	for _, scale := range []int{1, 2} {
		b.Run(fmt.Sprintf("area×%d", scale), func(b *testing.B) {
			w, h := 1240*scale, 1754 // an A4 page at 150 dpi, then two side by side
			bm := newBitmap(w, h)
			for i := 0; i < scale; i++ {
				table(bm, 40+i*1240, 100, 12, 6, 190, 120, map[[2]int]bool{{3, 2}: true})
			}
			g := image.NewGray(image.Rect(0, 0, w, h))
			s := scaleFor(150)
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				c := &bitmap{w: w, h: h, ink: append([]bool(nil), bm.ink...)}
				despeckle(c, g, s.speck, 2*s.pad)
				for _, gr := range findGrids(dropFills(c, c, c, s.fill), s) {
					gr.splitDropped(c, s)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(w*h), "ns/px")
		})
	}
}

// TestRunsInkFraction: a gray rule dithered to dots over two pixel lines
// is a rule; speckle a few pixels apart along a line is not.
func TestRunsInkFraction(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(600, 40)
	for x := 0; x < 500; x++ {
		if x%4 < 2 { // dithered: half the pixels, alternating lines
			b.ink[(10+x%8/4)*b.w+x] = true
		}
		if x%9 == 0 { // speckle every 9 pixels
			b.ink[30*b.w+x] = true
		}
	}
	rs := runs(b, true, s)
	if len(rs) == 0 || rs[0].pos > 11 || rs[0].pos < 9 {
		t.Fatalf("runs %v: want the dithered rule at y 10", rs)
	}
	for _, r := range rs {
		if r.pos >= 29 {
			t.Errorf("speckle taken for a rule: %+v", r)
		}
	}
}

// TestGrayOfDropsSeal: red seal ink reads as paper, black print as ink,
// and print under the seal — the red channel darker there — as ink
// again (a rule lost under the seal merged a row's cells), whichever way
// the page image stores its pixels (RGBA, NRGBA, a decoded JPEG's
// YCbCr).
func TestGrayOfDropsSeal(t *testing.T) {
	// seal ink on paper ×8, black print, print under 75 % seal ink
	px := []byte{10, 10, 10, 255, 161, 19, 22, 255}
	for range 8 {
		px = append(px, 225, 82, 86, 255)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 10, 1))
	copy(rgba.Pix, px)
	nrgba := &image.NRGBA{Pix: rgba.Pix, Stride: rgba.Stride, Rect: rgba.Rect}
	ycc := image.NewYCbCr(rgba.Rect, image.YCbCrSubsampleRatio444)
	for x := range 10 {
		ycc.Y[x], ycc.Cb[x], ycc.Cr[x] = color.RGBToYCbCr(px[4*x], px[4*x+1], px[4*x+2])
	}
	for _, img := range []image.Image{rgba, nrgba, ycc} {
		g := grayOf(img)
		if g.Pix[0] > 40 || g.Pix[1] > 190 || g.Pix[2] < 245 {
			t.Errorf("%T: print %d, print under the seal %d, seal %d: want ink, ink, paper", img, g.Pix[0], g.Pix[1], g.Pix[2])
		}
	}
}

func fill(b *bitmap, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			b.ink[y*b.w+x] = true
		}
	}
}

// TestStrokeShapes: a dash and a slash (not applicable) are told from a 1,
// a 7 and a rule remnant by their shape.
func TestStrokeShapes(t *testing.T) {
	s := scaleFor(300)
	cell := image.Rect(0, 0, 120, 60)
	shape := func(draw func(b *bitmap)) *bitmap {
		b := newBitmap(120, 60)
		draw(b)
		return b
	}
	dash := shape(func(b *bitmap) { fill(b, image.Rect(30, 28, 80, 32)) })
	one := shape(func(b *bitmap) { fill(b, image.Rect(55, 12, 60, 48)); fill(b, image.Rect(50, 45, 65, 48)) })
	seven := shape(func(b *bitmap) {
		fill(b, image.Rect(45, 12, 70, 16))
		for y := 16; y < 48; y++ {
			x := 68 - (y-16)*12/32
			fill(b, image.Rect(x-2, y, x+2, y+1))
		}
	})
	slash := shape(func(b *bitmap) {
		for y := 12; y < 48; y++ {
			x := 70 - (y-12)*16/36
			fill(b, image.Rect(x-2, y, x+1, y+1))
		}
	})
	for name, c := range map[string]struct {
		b           *bitmap
		dash, slash bool
	}{"dash": {dash, true, false}, "one": {one, false, false}, "seven": {seven, false, false}, "slash": {slash, false, true}} {
		if got := dashStroke(c.b, cell, s); got != c.dash {
			t.Errorf("%s: dashStroke %v", name, got)
		}
		if got := slashStroke(c.b, cell, s); got != c.slash {
			t.Errorf("%s: slashStroke %v", name, got)
		}
	}
}

// TestInnerKeepsGlyphByRule: a glyph's upright stroke printed close to the
// left rule is not taken for part of the rule (规 lost its left third).
func TestInnerKeepsGlyphByRule(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(400, 100)
	table(b, 10, 10, 1, 1, 300, 80, nil)
	// a double rule on the left: a second line 3 px inside
	fill(b, image.Rect(14, 10, 16, 90))
	// the glyph's stroke, 12 px from the rule, 45 of the 80 px tall
	fill(b, image.Rect(28, 28, 32, 73))
	g := findGrids(b, s)
	if len(g) != 1 || len(g[0].cells) != 1 {
		t.Fatalf("grid: %+v", g)
	}
	in := g[0].inner(b, g[0].cells[0], s)
	if in.Min.X > 28 || in.Min.X < 16 {
		t.Errorf("inner starts at x=%d: the rules end at 16, the glyph begins at 28", in.Min.X)
	}
}

// TestNotThroughText: a run through a line of characters (ink close above
// and below along it) is not a rule; a rule with text on one side is.
func TestNotThroughText(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(400, 200)
	// characters: upright strokes every 8 px from y 10 to 40, with a
	// horizontal stroke through them all at y 25
	for x := 20; x < 380; x += 8 {
		fill(b, image.Rect(x, 10, x+3, 40))
	}
	fill(b, image.Rect(20, 25, 380, 27))
	// a rule at y 100 with the same characters just above it
	for x := 20; x < 380; x += 8 {
		fill(b, image.Rect(x, 70, x+3, 96))
	}
	fill(b, image.Rect(10, 100, 390, 102))
	got := notThroughText(b, []seg{{25, 20, 380}, {100, 10, 390}}, s)
	if len(got) != 1 || got[0].pos != 100 {
		t.Errorf("kept %v: want only the rule at 100", got)
	}
}

// TestSpecksDoNotMakeRules: on a page of solid rules, text strokes
// strung to the rules by specks (impulse noise) are no columns — the 150
// dpi seal scan had dozens — while a dithered page's dotted rules (no
// solid piece at all) still make its grid.
func TestSpecksDoNotMakeRules(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(1400, 900)
	table(b, 100, 100, 4, 5, 220, 120, nil)
	for r := range 4 {
		for c := range 5 {
			// a 40 px stroke in each cell, specks 8 px apart above and
			// below it up to the rules
			x, y0 := 100+c*220+60+r*7, 100+r*120+40
			fill(b, image.Rect(x, y0, x+4, y0+40))
			for y := 100 + r*120 + 5; y < 100+(r+1)*120; y += 8 {
				if y < y0-4 || y > y0+44 {
					fill(b, image.Rect(x+y%3, y, x+y%3+2, y+2))
				}
			}
		}
	}
	gs := findGrids(b, s)
	if len(gs) != 1 || len(gs[0].xs) != 6 || len(gs[0].ys) != 5 || len(gs[0].cells) != 20 {
		for _, g := range gs {
			t.Logf("grid: xs %v ys %v, %d cells", g.xs, g.ys, len(g.cells))
		}
		t.Fatalf("%d grids: want one of 5 columns, 4 rows, 20 cells", len(gs))
	}

	// the same table's rules dithered: every other pixel
	d := newBitmap(1400, 900)
	table(d, 100, 100, 4, 5, 220, 120, nil)
	for i := range d.ink {
		if (i%d.w+i/d.w)%2 == 1 {
			d.ink[i] = false
		}
	}
	if gs := findGrids(d, s); len(gs) != 1 || len(gs[0].cells) != 20 {
		t.Fatalf("dithered rules: %d grids, want one of 20 cells", len(gs))
	}
}

// TestCellInkLeavesSpecks: a speck beside a rule survives the page's
// despeckling (the table is one large blot) but not the cell's: the
// crop stays on the cell's text.
func TestCellInkLeavesSpecks(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(800, 400)
	table(b, 50, 50, 1, 2, 300, 120, nil)
	fill(b, image.Rect(70, 80, 110, 120))   // a glyph
	fill(b, image.Rect(113, 114, 116, 117)) // a decimal point beside it
	fill(b, image.Rect(342, 100, 345, 103)) // a speck 5 px from the rule at x 350
	despeckle(b, nil, s.speck, 2*s.pad)
	g := findGrids(b, s)[0]
	r := g.inner(b, g.cells[0], s).Inset(s.pad)
	if box, _ := inkBox(b, r); box.Max.X < 342 {
		t.Fatalf("the page kept no speck by the rule (box %v): the test shows nothing", box)
	}
	box, n := cellInk(b, r, s)
	if want := image.Rect(70, 80, 116, 120); box != want || n != 40*40+9 {
		t.Errorf("cell ink %v (%d px), want %v (1609 px)", box, n, want)
	}
}

// TestDropFills: a shaded row (gray 214, speckled by noise, about half of
// it ink at the rules' threshold) is no rule, and the table around it is
// found whole; unfiltered, its columns were rules.
func TestDropFills(t *testing.T) {
	s := scaleFor(300)
	g := image.NewGray(image.Rect(0, 0, 1400, 900))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 221; y < 341; y++ { // row 1, inside its rules
		for x := 100; x < 1203; x++ {
			g.Pix[y*g.Stride+x] = uint8(214 + rng.IntN(13) - 6)
		}
	}
	b := newBitmap(1400, 900)
	table(b, 100, 100, 4, 5, 220, 120, nil)
	for i, ink := range b.ink {
		if ink {
			g.Pix[i] = 60
		}
	}
	t0 := uint8(186) // as on the 150 dpi scans: rules at 215
	rules := binarize(g, ruleThreshold(t0))
	if gs := findGrids(rules, s); len(gs) == 1 && len(gs[0].cells) == 20 {
		t.Fatal("the shade does not disturb the unfiltered grid: the test shows nothing")
	}
	gs := findGrids(dropFills(rules, binarize(g, lightLevel(g, t0)), binarize(g, t0), s.fill), s)
	if len(gs) != 1 || len(gs[0].xs) != 6 || len(gs[0].ys) != 5 || len(gs[0].cells) != 20 {
		for _, g := range gs {
			t.Logf("grid: xs %v ys %v, %d cells", g.xs, g.ys, len(g.cells))
		}
		t.Fatalf("%d grids: want one of 5 columns, 4 rows, 20 cells", len(gs))
	}
}

// TestLineOfText: a one-row "table" whose top rule is the tops of bold
// characters (ink along 60 % of it) is a heading; one with printed rules
// is a table.
func TestLineOfText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		every int // the top line is ink in 3 of every `every` stretches of 10 px; 0: all along
		text  bool
	}{{"printed rules", 0, false}, {"the tops of characters", 5, true}} {
		b := newBitmap(800, 200)
		g := grid{ys: []int{100, 150}, xs: []int{100, 250, 400, 550, 700}, bounds: image.Rect(100, 100, 700, 150)}
		for c := range 4 {
			g.cells = append(g.cells, gridBox{0, 0, c, c})
		}
		for x := 100; x < 700; x++ {
			b.ink[150*b.w+x] = true
			if tc.every == 0 || (x/10)%tc.every < 3 {
				b.ink[100*b.w+x] = true
			}
		}
		if got := lineOfText(b, g); got != tc.text {
			t.Errorf("%s: lineOfText %v, want %v", tc.name, got, tc.text)
		}
	}
}

// TestSpread: growing a dot by 1 px makes a 3×3 square; shrinking keeps
// only pixels whose whole square is ink, so an opening drops a dot and
// keeps a stroke.
func TestSpread(t *testing.T) {
	b := newBitmap(20, 20)
	b.ink[5*20+5] = true               // a dot
	fill(b, image.Rect(10, 2, 13, 18)) // a stroke 3 px wide
	grown := spread(b, 1, false)
	if n := count(grown, image.Rect(4, 4, 7, 7)); n != 9 || grown.at(7, 5) || grown.at(3, 5) {
		t.Errorf("grown dot: %d of its 3×3 square, beyond it %v %v", n, grown.at(7, 5), grown.at(3, 5))
	}
	opened := spread(spread(b, 1, true), 1, false)
	if opened.at(5, 5) {
		t.Error("the opening kept a dot")
	}
	if n := count(opened, image.Rect(10, 2, 13, 18)); n != 3*16 || count(opened, opened.bounds()) != 3*16 {
		t.Errorf("the opening kept %d of the stroke's 48 pixels, %d in all", n, count(opened, opened.bounds()))
	}
}

func count(b *bitmap, r image.Rectangle) int {
	_, n := inkBox(b, r)
	return n
}

func (b *bitmap) bounds() image.Rectangle { return image.Rect(0, 0, b.w, b.h) }

// TestTablesJoinedByHeadingStrokes: two tables with a heading between
// them whose characters' strokes, blurred, run from one table's bottom
// rule to the other's top rule close together are still two tables.
func TestTablesJoinedByHeadingStrokes(t *testing.T) {
	b := newBitmap(1400, 1000)
	table(b, 100, 100, 2, 5, 220, 120, nil)
	table(b, 100, 400, 3, 5, 220, 120, nil)
	for _, x := range []int{500, 545} {
		for y := 340; y < 403; y++ {
			for k := range 3 {
				b.ink[y*b.w+x+k] = true
			}
		}
	}
	gs := findGrids(b, scaleFor(300))
	if len(gs) != 2 {
		t.Fatalf("%d grids, want 2", len(gs))
	}
	for i, rows := range []int{2, 3} {
		if g := gs[i]; len(g.ys)-1 != rows || len(g.xs)-1 != 5 {
			t.Errorf("table %d: %d rows × %d columns, want %d × 5", i+1, len(g.ys)-1, len(g.xs)-1, rows)
		}
	}
}

// TestClosedByTheSides: a table cut off at the top of the page (its side
// rules run on above its first rule) gets its first row back; strokes of
// a heading just above a table, inside its width, do not make a row.
func TestClosedByTheSides(t *testing.T) {
	vline := func(b *bitmap, x, y0, y1 int) {
		for y := y0; y < y1; y++ {
			for k := range 3 {
				b.ink[y*b.w+x+k] = true
			}
		}
	}
	for _, tc := range []struct {
		name string
		draw func(b *bitmap)
		rows int
		top  int
	}{
		{"cut off by the page", func(b *bitmap) {
			for c := 0; c <= 5; c++ {
				vline(b, 100+c*220, 100, 240) // the rows' rules, above the first rule
			}
		}, 4, 100},
		{"a heading's strokes above", func(b *bitmap) {
			for _, x := range []int{400, 445, 610} {
				vline(b, x, 170, 240)
			}
		}, 3, 240},
	} {
		b := newBitmap(1400, 900)
		table(b, 100, 240, 3, 5, 220, 120, nil)
		tc.draw(b)
		gs := findGrids(b, scaleFor(300))
		if len(gs) != 1 {
			t.Errorf("%s: %d grids, want 1", tc.name, len(gs))
			continue
		}
		if g := gs[0]; len(g.ys)-1 != tc.rows || abs(g.ys[0]-tc.top) > 3 {
			t.Errorf("%s: rows at %v, want %d rows from y=%d", tc.name, g.ys, tc.rows, tc.top)
		}
	}
}
