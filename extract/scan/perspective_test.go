package scan

import (
	"fmt"
	"image"
	"math"
	"testing"
)

// keystoned draws a sheet photographed on a dark table: the sheet's
// pixels (sheet, at u, v from 0 to 1 across and down) where a bilinear
// map of its corners q sends them (close to a keystone for a test).
func keystoned(w, h int, q [4]pt2, sheet func(u, v float64) uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 50
	}
	for j := 0; j < 2*h; j++ {
		v := (float64(j) + 0.5) / float64(2*h)
		for i := 0; i < 2*w; i++ {
			u := (float64(i) + 0.5) / float64(2*w)
			top := pt2{q[0].x + (q[1].x-q[0].x)*u, q[0].y + (q[1].y-q[0].y)*u}
			bot := pt2{q[3].x + (q[2].x-q[3].x)*u, q[3].y + (q[2].y-q[3].y)*u}
			x, y := int(top.x+(bot.x-top.x)*v), int(top.y+(bot.y-top.y)*v)
			if x >= 0 && y >= 0 && x < w && y < h {
				g.Pix[y*g.Stride+x] = sheet(u, v)
			}
		}
	}
	return g
}

// ruledSheet is white, with an upright rule at u = 0.3 and a level one
// at v = 0.4, the light falling off toward the top.
func ruledSheet(u, v float64) uint8 {
	if math.Abs(u-0.3) < 0.002 || math.Abs(v-0.4) < 0.002 {
		return 0
	}
	return uint8(255 - 90*(1-v))
}

// TestPaperQuadAndUnwarp: the sheet's corners are found within a few
// pixels, and after unwarp and flatten its rules are upright and level
// and the paper white at the top as at the bottom.
func TestPaperQuadAndUnwarp(t *testing.T) {
	w, h := 600, 800
	want := [4]pt2{{40, 30}, {560, 45}, {598, 798}, {2, 790}}
	g := keystoned(w, h, want, ruledSheet)
	q, ok := paperQuad(g)
	if !ok {
		t.Fatal("no sheet found")
	}
	for i := range q {
		if math.Hypot(q[i].x-want[i].x, q[i].y-want[i].y) > 6 {
			t.Errorf("corner %d at %.1f,%.1f, want %.0f,%.0f", i, q[i].x, q[i].y, want[i].x, want[i].y)
		}
	}
	u := flatten(unwarp(g, q))
	// the upright rule at u = 0.3: one column of ink, top to bottom
	b := u.Rect
	colOf := func(y int) int {
		for x := 0; x < b.Dx(); x++ {
			if u.Pix[y*u.Stride+x] < 100 {
				return x
			}
		}
		return -1
	}
	top, bot := colOf(b.Dy()/10), colOf(b.Dy()*9/10)
	if top < 0 || bot < 0 || abs(top-bot) > 3 {
		t.Errorf("the upright rule runs from x=%d to x=%d: not upright", top, bot)
	}
	if p := u.Pix[(b.Dy()/20)*u.Stride+b.Dx()*3/4]; p < 230 {
		t.Errorf("paper near the top reads %d after flattening, want white", p)
	}
	// a scan (paper to the image's edges) is left alone
	scan := image.NewGray(image.Rect(0, 0, w, h))
	for i := range scan.Pix {
		scan.Pix[i] = 250
	}
	if _, ok := paperQuad(scan); ok {
		t.Error("a scan taken for a photo")
	}
}

// FuzzPaperQuad: any picture either is not a photo of a sheet or gives
// corners inside it, and unwarp stays about the picture's size.
func FuzzPaperQuad(f *testing.F) {
	f.Add([]byte{50, 250, 8, 3}, uint8(40), uint8(30))
	f.Add([]byte{0, 255}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, pattern []byte, dx, dy uint8) {
		if len(pattern) == 0 {
			return
		}
		w, h := 240, 320
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := pattern[(x*7+y*13)%len(pattern)]
				if x > int(dx)%60 && x < w-int(dy)%60 && y > int(dy)%80 && y < h-int(dx)%80 {
					v = 255 - v/8 // a sheet, with noise
				}
				g.Pix[y*g.Stride+x] = v
			}
		}
		q, ok := paperQuad(g)
		if !ok {
			return
		}
		u := unwarp(g, q)
		if u.Rect.Dx() > 2*w || u.Rect.Dy() > 2*h {
			t.Fatalf("unwarp to %v from a %dx%d picture (corners %v)", u.Rect, w, h, q)
		}
	})
}

// TestPaperQuadOddPictures: the sheet is found when the renderer left a
// line of white paper along the picture's right and bottom edges (a
// page image a pixel short of the page; every photo in a PDF read 0 %
// of its cells), when the sheet runs off the picture's sides (the ring
// around the picture mostly paper), when the picture sits on a white
// page, and when the sheet's top is much narrower than the picture.
func TestPaperQuadOddPictures(t *testing.T) {
	w, h := 600, 800
	for _, tc := range []struct {
		name string
		q    [4]pt2
		draw func(g *image.Gray)
		want [2]pt2 // the top corners
	}{
		{"rendered", [4]pt2{{40, 30}, {560, 45}, {598, 798}, {2, 790}}, func(g *image.Gray) {
			for y := 0; y < h; y++ {
				g.Pix[y*g.Stride+w-1] = 255
			}
			for x := 0; x < w; x++ {
				g.Pix[(h-1)*g.Stride+x] = 255
			}
		}, [2]pt2{{40, 30}, {560, 45}}},
		{"off the sides", [4]pt2{{-20, 40}, {620, 50}, {598, 780}, {2, 770}}, nil, [2]pt2{{0, 40.3}, {599, 49.7}}},
		// the photo centred on an A4 page by img2pdf: white above and below
		{"pasted on a page", [4]pt2{{40, 70}, {560, 85}, {590, 760}, {10, 750}}, func(g *image.Gray) {
			for y := 0; y < h; y++ {
				if y < 40 || y >= h-40 {
					for x := 0; x < w; x++ {
						g.Pix[y*g.Stride+x] = 255
					}
				}
			}
		}, [2]pt2{{40, 70}, {560, 85}}},
		// the top corners well inside: the scans down the columns beyond
		// them meet the sides, far below the top edge
		{"narrow top", [4]pt2{{110, 60}, {500, 40}, {590, 790}, {10, 780}}, nil, [2]pt2{{110, 60}, {500, 40}}},
	} {
		g := keystoned(w, h, tc.q, ruledSheet)
		if tc.draw != nil {
			tc.draw(g)
		}
		q, ok := paperQuad(g)
		if !ok {
			t.Errorf("%s: no sheet found", tc.name)
			continue
		}
		for i, c := range tc.want {
			if math.Hypot(q[i].x-c.x, q[i].y-c.y) > 6 {
				t.Errorf("%s: corner %d at %.1f,%.1f, want %.0f,%.0f", tc.name, i, q[i].x, q[i].y, c.x, c.y)
			}
		}
	}
}

// TestSheetHasNoFrame: a sliver of the table left along the unwarped
// sheet's edges (its corners fitted a few pixels outside it) does not
// frame the page as a table of one cell around the real one.
func TestSheetHasNoFrame(t *testing.T) {
	w, h := 1240, 1754 // A4 at 150 dpi
	q := [4]pt2{{60, 40}, {1180, 55}, {1236, 1750}, {4, 1740}}
	g := keystoned(w, h, q, func(u, v float64) uint8 {
		on := func(x float64, at ...float64) bool {
			for _, a := range at {
				if math.Abs(x-a) < 0.0012 {
					return true
				}
			}
			return false
		}
		if u > 0.2 && u < 0.8 && on(v, 0.3, 0.35, 0.4) || v > 0.3 && v < 0.4 && on(u, 0.2, 0.5, 0.8) {
			return 0
		}
		return 240
	})
	out := [4]pt2{{q[0].x - 4, q[0].y - 4}, {q[1].x + 4, q[1].y - 4}, {q[2].x + 4, q[2].y + 4}, {q[3].x - 4, q[3].y + 4}}
	u := sheetOf(g, out)
	grids := findGrids(binarize(u, otsu(u)), scaleFor(150))
	if len(grids) != 1 || len(grids[0].cells) != 4 {
		for _, gr := range grids {
			t.Logf("grid %v: %d cells", gr.bounds, len(gr.cells))
		}
		t.Fatalf("%d grids, want the table of 4 cells alone", len(grids))
	}
}

// TestFlattenHardShadow: under the hard edge of a shadow across the
// sheet, the paper comes out white right up to the edge and a rule in
// the shadow stays ink (64-pixel blocks smeared the edge: a band of
// shaded paper along it read as ink).
func TestFlattenHardShadow(t *testing.T) {
	w, h := 800, 800
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(240)
			if x+y > 900 { // the shadow, below a diagonal edge
				v = 130
			}
			if y >= 600 && y < 603 {
				v /= 5 // a rule
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	u := flatten(g)
	for _, p := range []image.Point{{460, 460}, {520, 400}, {700, 300}, {300, 700}} {
		if v := u.Pix[p.Y*u.Stride+p.X]; v < 200 {
			t.Errorf("shaded paper at %v reads %d, want white", p, v)
		}
	}
	if v := u.Pix[601*u.Stride+500]; v > 100 {
		t.Errorf("the rule in the shadow reads %d, want ink", v)
	}
}

// BenchmarkClosing: linear in the pixels — the doubled page should take
// twice as long, whatever the window.
func BenchmarkClosing(b *testing.B) {
	for _, h := range []int{1754, 3508} {
		g := image.NewGray(image.Rect(0, 0, 2480, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(i * 7 % 251)
		}
		b.Run(fmt.Sprintf("2480x%d", h), func(b *testing.B) {
			for range b.N {
				closing(g, 20)
			}
		})
	}
}
