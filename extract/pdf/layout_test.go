package pdf

import (
	"fmt"
	"testing"

	"github.com/nianbao/nianbao/internal/doctest"
)

// The layout step on its own: geometry in, table out, no PDF involved.
func TestLayoutFromGeometry(t *testing.T) {
	text := func(x, y float64, s string) []glyph {
		var gs []glyph
		for i, r := range []rune(s) {
			gs = append(gs, glyph{x: x + float64(i)*10, y: y, w: 10, size: 10, text: string(r)})
		}
		return gs
	}
	pg := &pdfPage{num: 1, box: rect{0, 0, 595, 842}}
	// A 2×3 grid drawn as rules, one cell left blank, a heading above.
	for _, y := range []float64{700, 680, 660} {
		pg.segments = append(pg.segments, segment{true, y, 100, 400})
	}
	for _, x := range []float64{100, 200, 300, 400} {
		pg.segments = append(pg.segments, segment{false, x, 660, 700})
	}
	pg.glyphs = append(pg.glyphs, text(105, 686, "项目")...)
	pg.glyphs = append(pg.glyphs, text(205, 686, "12")...)
	pg.glyphs = append(pg.glyphs, text(305, 686, "7")...)
	pg.glyphs = append(pg.glyphs, text(105, 666, "其他")...)
	pg.glyphs = append(pg.glyphs, text(305, 666, "9")...)
	pg.glyphs = append(pg.glyphs, text(100, 750, "标题")...)
	blocks, err := layoutPage(pg)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || blocks[0].Text != "标题" {
		t.Fatalf("blocks %+v", blocks)
	}
	if got := fmt.Sprint(doctest.RowTexts(blocks[1].Table)); got != "[[项目 12 7] [其他  9]]" {
		t.Errorf("table %s", got)
	}
}
