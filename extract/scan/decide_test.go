package scan

import (
	"image"
	"testing"

	"github.com/nianbao/nianbao/ocr"
)

// TestDecide: what a cell read by both passes becomes — every case a
// scan of the corpus or the fixtures produced; a number is taken only
// when nothing contradicts it.
func TestDecide(t *testing.T) {
	s := scaleFor(300)
	b := newBitmap(400, 100)
	glyph := image.Rect(10, 10, 30, 45) // 20×35: one digit
	fill(b, glyph)
	one := image.Rect(110, 10, 118, 45) // a 1: one narrow stroke
	fill(b, one)
	wide := image.Rect(210, 10, 265, 45) // 55×35: two glyphs
	fill(b, image.Rect(210, 10, 220, 45))
	fill(b, image.Rect(255, 10, 265, 45))
	twoLines := image.Rect(310, 0, 345, 100) // a figure over two, far apart
	fill(b, image.Rect(310, 0, 320, 20))
	fill(b, image.Rect(310, 80, 345, 100))
	wrapped := image.Rect(350, 0, 370, 90) // one figure wrapped: 4 over 3
	fill(b, image.Rect(350, 0, 370, 30))
	fill(b, image.Rect(350, 60, 370, 90))
	res := func(text string, conf float64) ocr.Result { return ocr.Result{Text: text, Confidence: conf} }
	third26, third0, third7545, third33, unsure0 := res("26", 0.95), res("0", 0.9), res("7545", 0.8), res("33", 0.8), res("0", 0.5)
	for _, tc := range []struct {
		name         string
		text, digits ocr.Result
		box          image.Rectangle
		figureColumn bool
		want         string
		unreadable   bool
		third        *ocr.Result
	}{
		{"both passes agree", res("47", 0.9), res("47", 0.95), glyph, true, "47", false, nil},
		{"the Chinese model misreads a figure; the third reading agrees with the digits pass", res("20", 0.93), res("26", 0.97), glyph, true, "26", false, &third26},
		{"another number and no third reading", res("20", 0.93), res("26", 0.97), glyph, true, "", true, nil},
		{"another number; the third reading agrees with the text pass (0 beside a seal's edge)", res("0", 0.82), res("6", 0.67), glyph, true, "0", false, &third0},
		{"three readings, three numbers (7545 under noise)", res("7343", 0.3), res("7945", 0.78), wide, true, "", true, &third7545},
		{"the digits passes agree, the text pass surer (53 at 110 dpi)", res("53", 0.82), res("33", 0.68), glyph, true, "", true, &third33},
		{"the third reading unsure", res("0", 0.82), res("6", 0.67), glyph, true, "", true, &unsure0},
		{"Chinese beside the figure, the digits pass unsure", res("作", 0), res("6", 0.64), glyph, true, "", true, nil},
		{"Chinese beside the figure, the digits pass sure", res("作", 0), res("6", 0.9), glyph, true, "6", false, nil},
		{"a short label", res("其他", 0.8), res("", 0), glyph, true, "其他", false, nil},
		{"a label outside a column of figures", res("规章", 0.9), res("", 0), glyph, false, "规章", false, nil},
		{"a figure read as Chinese in a column of figures", res("了", 0.5), res("", 0), glyph, true, "", true, nil},
		{"none", res("无", 0.9), res("", 0), glyph, true, "无", false, nil},
		{"11 read as 1", res("1", 0.37), res("1", 0.72), wide, true, "", true, nil},
		{"a lone 1 the engine is not sure of", res("1", 0.3), res("1", 0.2), one, true, "1", false, nil},
		{"a 0 the digits pass calls 1", res("人0", 0.57), res("1", 0), one, true, "", true, nil},
		{"speckle", res("", 0), res("4-", 0.1), glyph, true, "", true, nil},
		{"a decimal point only the text pass saw", res("96171.6", 0.8), res("961716", 0.9), glyph, true, "96171.6", false, nil},
		{"two rows' figures in one box (a rule lost), read as one", res("1\n67", 0.9), res("167", 0.93), twoLines, true, "", true, nil},
		{"one figure wrapped in a narrow column", res("4\n3", 0.6), res("43", 0.93), wrapped, true, "43", false, nil},
		{"a two-line label is not two figures", res("其他\n处理", 0.8), res("", 0), twoLines, false, "其他\n处理", false, nil},
	} {
		got, conf, why := decide(reading{text: tc.text, digits: tc.digits, third: tc.third, label: tc.text.Text, ink: b, box: tc.box, figureColumn: tc.figureColumn}, s)
		switch {
		case tc.unreadable && (got != unreadable || why == ""):
			t.Errorf("%s: %q (confidence %.2f), want it left unread with a reason", tc.name, got, conf)
		case !tc.unreadable && (got != tc.want || why != ""):
			t.Errorf("%s: %q (%s), want %q", tc.name, got, why, tc.want)
		}
	}
}
