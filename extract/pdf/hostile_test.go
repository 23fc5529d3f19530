package pdf

import (
	"errors"
	"fmt"
	"github.com/nianbao/nianbao/internal/doctest"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/internal/testlimit"
)

// buildPDF writes objects 1..n (object 1 is the catalog) with a classic
// xref table; extraTrailer is added to the trailer dictionary.
func buildPDF(objs []string, extraTrailer string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	extra := strings.ReplaceAll(extraTrailer, "XREF", fmt.Sprint(xref))
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, extra, xref)
	return []byte(b.String())
}

func stream(dict, content string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(content), content)
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

// readBounded runs ReadPDF and fails the test if it does not return in time.
func readBounded(t *testing.T, data []byte, limit time.Duration) (*nianbao.Document, error) {
	t.Helper()
	type result struct {
		doc *nianbao.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := Read(data)
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		return r.doc, r.err
	case <-time.After(limit):
		t.Fatalf("ReadPDF did not return within %v", limit)
		return nil, nil
	}
}

func TestPDFCycles(t *testing.T) {
	text := stream("", "BT /F1 10 Tf 72 700 Td (Report42) Tj ET")
	cases := map[string]struct {
		objs        []string
		wantText    bool   // the real page is still read
		wantProblem string // in the error or a warning
	}{
		"Pages node listing itself as a kid": {[]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
			helvetica, text}, true, "cycle"},
		"page whose Parent is itself": {[]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 4 0 R >> >> >>",
			"<< /Type /Page /Parent 3 0 R /Contents 5 0 R >>",
			helvetica, text}, true, ""},
		"two Pages nodes listing each other": {[]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [6 0 R 3 0 R] /Count 2 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
			helvetica, text,
			"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}, true, "cycle"},
		"form XObject drawing itself": {[]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>",
			helvetica,
			stream("", "BT /F1 10 Tf 72 700 Td (Report42) Tj ET /X1 Do"),
			stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 6 0 R >> >>",
				strings.Repeat("/X1 Do ", 40))}, true, "form"},
		"content stream Length referring to itself": {[]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
			helvetica,
			"<< /Length 5 0 R >>\nstream\nBT /F1 10 Tf 72 700 Td (Report42) Tj ET\nendstream"}, false, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := readBounded(t, buildPDF(c.objs, ""), 10*time.Second)
			if c.wantText {
				if err != nil {
					t.Fatalf("error %v, want the page read", err)
				}
				if !strings.Contains(fmt.Sprint(doc.Blocks), "Report42") {
					t.Errorf("blocks %+v lack the page's text", doc.Blocks)
				}
				if c.wantProblem != "" && !strings.Contains(strings.Join(doc.Warnings, "|"), c.wantProblem) {
					t.Errorf("warnings %q do not mention %q", doc.Warnings, c.wantProblem)
				}
			}
		})
	}
}

func TestPDFChainCycles(t *testing.T) {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		helvetica, stream("", "BT /F1 10 Tf 72 700 Td (Report42) Tj ET"),
	}
	// The xref's /Prev points at the xref itself.
	_, err := readBounded(t, buildPDF(objs, "/Prev XREF"), 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "loops") {
		t.Errorf("Prev loop: error %v, want one saying the chain loops", err)
	}
}

func TestPDFFormFanOutBudget(t *testing.T) {
	// Ten forms, each drawing the next 30 times: 30^9 draws if followed.
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >> /Contents 5 0 R >>",
		helvetica, stream("", "BT /F1 10 Tf 72 700 Td (Report42) Tj ET /X Do"),
	}
	for i := range 10 {
		objs = append(objs, stream(fmt.Sprintf("/Subtype /Form /Resources << /XObject << /X %d 0 R >> >>", 7+i), strings.Repeat("/X Do ", 30)))
	}
	defer func(n int) { maxOperators = n }(maxOperators)
	maxOperators = 1_000_000
	start := time.Now()
	_, err := readBounded(t, buildPDF(objs, ""), 60*time.Second)
	if err == nil || !strings.Contains(err.Error(), "budget") {
		t.Errorf("error %v, want a work budget error", err)
	}
	t.Logf("stopped after %v", time.Since(start))
}

func TestPDFBytesAfterEOF(t *testing.T) {
	pdf := makePDF("BT /F1 10 Tf 72 700 Td (Report42) Tj ET", "")
	for _, tail := range []string{"\x00\x00\x00\x00", "\r\n<html><body>upload ok</body></html>\r\n", strings.Repeat(" ", 2000)} {
		doc, err := readBounded(t, append(append([]byte{}, pdf...), tail...), 10*time.Second)
		if err != nil {
			t.Errorf("tail %q: %v", tail[:min(len(tail), 12)], err)
			continue
		}
		if !strings.Contains(fmt.Sprint(doc.Blocks), "Report42") {
			t.Errorf("tail %q: text not read", tail[:min(len(tail), 12)])
		}
	}
	if _, err := Read(pdf[:len(pdf)-7]); err == nil || errors.Is(err, ErrScanned) {
		t.Errorf("cut before %%%%EOF: error %v, want a clear refusal", err)
	}
}

func TestPDFLayoutBudget(t *testing.T) {
	defer func(n int) { maxLayoutWork = n }(maxLayoutWork)
	maxLayoutWork = 50
	doc, err := Read(manyPagePDF(2, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(doctest.Tables(doc)) != 0 || !strings.Contains(fmt.Sprint(doc.Blocks), "Label") {
		t.Errorf("over budget: blocks %+v, want the text as lines", doc.Blocks)
	}
	if !strings.Contains(strings.Join(doc.Warnings, "|"), "too complex") {
		t.Errorf("warnings %q do not say the layout was given up", doc.Warnings)
	}
}

// graphPDF builds a PDF whose object graph is chosen by spec: each byte
// pair makes one object (a Pages node, a Page, a form XObject or a content
// stream) and picks the objects it refers to, so cycles through Kids,
// Parent, Resources/XObject and Contents arise freely.
func graphPDF(spec []byte) []byte {
	n := 3 + len(spec)/2
	if n > 40 {
		n = 40
	}
	ref := func(b byte) int { return 2 + int(b)%(n-1) } // objects 2..n
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>"}
	for i := 2; i <= n; i++ {
		var kind, r byte
		if 2*(i-2)+1 < len(spec) {
			kind, r = spec[2*(i-2)], spec[2*(i-2)+1]
		}
		a, b := ref(r), ref(r/7+kind)
		switch kind % 4 {
		case 0:
			objs = append(objs, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 /Parent %d 0 R >>", a, b, b))
		case 1:
			objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Resources << /Font << /F1 %d 0 R >> /XObject << /X %d 0 R >> >> /Contents %d 0 R >>", a, n+1, b, b))
		case 2:
			objs = append(objs, stream(fmt.Sprintf("/Type /XObject /Subtype /Form /Resources << /XObject << /X %d 0 R >> /Font << /F1 %d 0 R >> >>", a, n+1),
				"BT /F1 9 Tf 10 10 Td (x1) Tj ET /X Do /X Do"))
		default:
			objs = append(objs, stream("", fmt.Sprintf("/X Do BT /F1 9 Tf 20 20 Td (p%d) Tj ET /X Do", i)))
		}
	}
	objs = append(objs, helvetica)
	return buildPDF(objs, "")
}

// FuzzPDFGraph reads PDFs whose page tree, parents, resources and form
// XObjects refer to each other arbitrarily, cycles included: every input
// must end within the per-input limit with a document or an error.
func FuzzPDFGraph(f *testing.F) {
	f.Add([]byte{0, 2, 1, 3, 2, 4})          // pages → page → form
	f.Add([]byte{0, 0, 0, 0})                // Pages nodes listing themselves
	f.Add([]byte{1, 1, 2, 2, 2, 3, 2, 4, 3}) // a page drawing forms that draw each other
	f.Add([]byte{1, 0, 3, 1, 0, 1})          // content streams as kids
	f.Fuzz(func(t *testing.T, spec []byte) {
		if len(spec) > 80 {
			return
		}
		testlimit.Run(t, testlimit.PerInput, func() {
			if doc, err := Read(graphPDF(spec)); err == nil {
				doctest.Check(t, doc)
			}
		})
	})
}

func TestJoinSplitRow(t *testing.T) {
	row := func(cells ...string) []nianbao.TableCell {
		var r []nianbao.TableCell
		for _, c := range cells {
			r = append(r, nianbao.TableCell{Text: c})
		}
		return r
	}
	prev := &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "1.其他", "0", "0"), row("", "2.逾期未按要求缴纳费", "", "")}}
	next := &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "用、不再处理", "1", "1"), row("", "3.其他", "0", "0")}}
	if !joinSplitRow(prev, next) {
		t.Fatal("a row cut by the page break was not joined")
	}
	if got := fmt.Sprint(doctest.RowTexts(prev)[1]); got != "[ 2.逾期未按要求缴纳费用、不再处理 1 1]" || len(next.Rows) != 1 {
		t.Errorf("joined row %s, next table %d rows", got, len(next.Rows))
	}
	// A blank row followed by a new item, or a row with values, is no split.
	blank := &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "2.逾期", "", "")}}
	if joinSplitRow(blank, &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "3.其他", "0", "0")}}) {
		t.Error("joined a new numbered item onto a blank row")
	}
	full := &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "2.逾期", "1", "1")}}
	if joinSplitRow(full, &nianbao.Table{Rows: [][]nianbao.TableCell{row("", "续", "0", "0")}}) {
		t.Error("joined onto a row that has its values")
	}
}

// A page-size content clip (Chromium with @page margins) around a ruled
// table is no cell; the table is read from its rules.
func TestPageClipIsNoCell(t *testing.T) {
	var c strings.Builder
	c.WriteString("q 70 60 460 700 re W n 0.5 w\n")
	for _, y := range []int{700, 680, 660} {
		fmt.Fprintf(&c, "100 %d m 400 %d l S\n", y, y)
	}
	for _, x := range []int{100, 250, 400} {
		fmt.Fprintf(&c, "%d 660 m %d 700 l S\n", x, x)
	}
	c.WriteString("BT /F1 10 Tf 105 686 Td (Label) Tj ET BT /F1 10 Tf 255 686 Td (12) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 105 666 Td (Other) Tj ET BT /F1 10 Tf 255 666 Td (7) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 100 720 Td (Heading) Tj ET Q\n")
	doc, err := Read(makePDF(c.String(), ""))
	if err != nil {
		t.Fatal(err)
	}
	ts := doctest.Tables(doc)
	if len(ts) != 1 || fmt.Sprint(doctest.RowTexts(ts[0])) != "[[Label 12] [Other 7]]" {
		t.Errorf("tables %v; blocks %+v", len(ts), doc.Blocks)
	}
}

// "Scanned" is said only when no page shows text; text in fonts without a
// character map is a different, named failure.
func TestPDFTextWithoutMeaning(t *testing.T) {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X >>] >>",
		stream("", "BT /F1 10 Tf 72 700 Td <00410042> Tj ET"),
	}
	_, err := Read(buildPDF(objs, ""))
	if !errors.Is(err, ErrNoText) || errors.Is(err, ErrScanned) {
		t.Errorf("error %v, want ErrNoText, not a scanned PDF", err)
	}
}
