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

// A table printed without rules: values found by alignment, a label
// wrapped over three lines (values centred against it) read as one cell, a
// label run up against its first value split from it.
func TestTextTable(t *testing.T) {
	var gs []glyph
	put := func(x, y float64, s string) {
		for i, r := range []rune(s) {
			gs = append(gs, glyph{x: x + float64(i)*10, y: y, w: 10, size: 10, text: string(r)})
		}
	}
	for k, y := range []float64{700, 680, 660, 640} {
		label := []string{"一、新收", "二、结转", "（一）予以公开", "三、结转下年度继续办"}[k]
		if k == 3 {
			put(100, y, label) // ends at 200 where its value begins: no gap
			put(200, y, "4")
		} else {
			put(100, y, label)
			put(200, y, fmt.Sprint(k+1))
		}
		put(250, y, "0")
		put(300, y, "7")
	}
	put(100, 630, "（接下页）") // a line after the table stays a line
	tables, _, rest := textTables(gs, 1)
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	got := fmt.Sprint(doctest.RowTexts(tables[0]))
	if got != "[[一、新收 1 0 7] [二、结转 2 0 7] [（一）予以公开 3 0 7] [三、结转下年度继续办 4 0 7]]" {
		t.Errorf("rows %s", got)
	}
	if len(lines(rest)) != 1 {
		t.Errorf("left over %v", lines(rest))
	}
}
