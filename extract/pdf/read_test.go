package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"github.com/nianbao/nianbao/internal/doctest"
	"github.com/nianbao/nianbao/internal/testlimit"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// makePDF builds a one-page PDF around a content stream, with a Helvetica
// font F1 and, when form is not empty, a form XObject X1 drawing form.
func makePDF(content, form string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths [" + strings.Repeat("556 ", 95) + "] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 -100] /Length %d >>\nstream\n%s\nendstream", len(form), form),
	}
	return buildPDF(objs, "")
}

func TestPDFBorderedTable(t *testing.T) {
	// A 2×3 table drawn with stroked rules; the middle cell of row 2 is blank.
	var c strings.Builder
	c.WriteString("0.5 w\n")
	for _, y := range []int{700, 680, 660} {
		fmt.Fprintf(&c, "100 %d m 400 %d l S\n", y, y)
	}
	for _, x := range []int{100, 200, 300, 400} {
		fmt.Fprintf(&c, "%d 660 m %d 700 l S\n", x, x)
	}
	c.WriteString("BT /F1 10 Tf 1 0 0 1 105 686 Tm (Label) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 205 686 Td [(1) 120 (2)] TJ ET\n") // TJ spacing inside one cell
	c.WriteString("BT /F1 10 Tf 305 686 Td (7) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 105 666 Td (Two) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 305 666 Td (9) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 100 750 Td (Heading above) Tj ET\n")
	doc, err := Read(makePDF(c.String(), ""))
	if err != nil {
		t.Fatal(err)
	}
	ts := doctest.Tables(doc)
	if len(ts) != 1 {
		t.Fatalf("got %d tables, want 1: %+v", len(ts), doc.Blocks)
	}
	got := doctest.RowTexts(ts[0])
	want := [][]string{{"Label", "12", "7"}, {"Two", "", "9"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
	if doc.Blocks[0].Text != "Heading above" {
		t.Errorf("first block = %+v, want the heading above the table", doc.Blocks[0])
	}
}

func TestPDFFormXObject(t *testing.T) {
	// Text drawn only inside a form XObject, moved down 100pt by its Matrix.
	doc, err := Read(makePDF("q 1 0 0 1 0 0 cm /X1 Do Q", "BT /F1 12 Tf 72 800 Td (Inside form 42) Tj ET"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 1 || doc.Blocks[0].Text != "Inside form 42" {
		t.Errorf("blocks = %+v", doc.Blocks)
	}
}

func TestPDFErrors(t *testing.T) {
	noText := makePDF("0 0 m 100 100 l S", "")
	cases := map[string]struct {
		data []byte
		want error
	}{
		"no text layer": {noText, ErrScanned},
		"truncated":     {noText[:len(noText)/2], nil},
		"garbage":       {[]byte("%PDF-1.7\n\x00\x01\x02 garbage"), nil},
	}
	for name, c := range cases {
		_, err := Read(c.data)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", name, err, c.want)
		}
		if !strings.Contains(err.Error(), "PDF") {
			t.Errorf("%s: error %q does not say PDF", name, err)
		}
	}
}

func TestPDFText(t *testing.T) {
	cases := map[string]string{
		"\xfe\xff\x6d\xee\x5b\x89": "淮安",
		"\xff\xfe\xee\x6d\x89\x5b": "淮安",
		"plain":                    "plain",
	}
	for in, want := range cases {
		if got := pdfText(in); got != want {
			t.Errorf("pdfText(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"002-huaian-szf-2024.pdf", "003-hongze-qzf-2023.pdf"} {
		data, err := os.ReadFile("../../shared/corpus/raw/" + name)
		if err != nil {
			b.Skip(err)
		}
		b.Run(name, func(b *testing.B) {
			pages := 0
			for b.Loop() {
				doc, err := Read(data)
				if err != nil {
					b.Fatal(err)
				}
				pages, _ = strconv.Atoi(doc.Meta["Pages"])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages)/1e6, "ms/page")
		})
		// The same file through poppler's pdftotext, side by side in one run
		// (a process per file, as a batch would use it), when installed.
		if path, err := exec.LookPath("pdftotext"); err == nil {
			b.Run(name+"/pdftotext", func(b *testing.B) {
				for b.Loop() {
					if out, err := exec.Command(path, "-layout", "../../shared/corpus/raw/"+name, os.DevNull).CombinedOutput(); err != nil {
						b.Fatal(err, string(out))
					}
				}
				pages := map[string]int{"002-huaian-szf-2024.pdf": 6, "003-hongze-qzf-2023.pdf": 5}[name]
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages)/1e6, "ms/page")
			})
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(makePDF("BT /F1 10 Tf 72 700 Td (1 2 3) Tj ET 100 100 m 200 100 l S", ""))
	f.Add(makePDF("q /X1 Do Q", "BT /F1 12 Tf [(A) -200 (B)] TJ T* (C) ' ET"))
	f.Fuzz(func(t *testing.T, data []byte) {
		testlimit.Run(t, testlimit.PerInput, func() {
			if len(data) > 1<<16 {
				return
			}
			if doc, err := Read(data); err == nil {
				doctest.Check(t, doc)
			}
		})
	})
}

func TestFoldRadicals(t *testing.T) {
	if got := foldRadicals("⾏政处罚⻔户"); got != "行政处罚门户" {
		t.Errorf("foldRadicals = %q", got)
	}
}

func TestPDFOpenSidedTable(t *testing.T) {
	// Two rows; no right border at all (cut at the page edge) and no rule
	// under the last row (the table goes on over a page break).
	var c strings.Builder
	c.WriteString("0.5 w\n100 700 m 400 700 l S\n100 680 m 400 680 l S\n")
	for _, x := range []int{100, 200, 300} {
		fmt.Fprintf(&c, "%d 660 m %d 700 l S\n", x, x)
	}
	c.WriteString("BT /F1 10 Tf 105 686 Td (A) Tj ET BT /F1 10 Tf 205 686 Td (1) Tj ET BT /F1 10 Tf 305 686 Td (7) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 105 666 Td (B) Tj ET BT /F1 10 Tf 205 666 Td (2) Tj ET BT /F1 10 Tf 305 666 Td (8) Tj ET\n")
	c.WriteString("BT /F1 10 Tf 100 600 Td (After the table) Tj ET\n")
	doc, err := Read(makePDF(c.String(), ""))
	if err != nil {
		t.Fatal(err)
	}
	ts := doctest.Tables(doc)
	if len(ts) != 1 || fmt.Sprint(doctest.RowTexts(ts[0])) != "[[A 1 7] [B 2 8]]" {
		t.Fatalf("tables = %v; blocks %+v", len(ts), doc.Blocks)
	}
	if last := doc.Blocks[len(doc.Blocks)-1]; last.Text != "After the table" {
		t.Errorf("text below the table read as %+v", last)
	}
}

func TestPDFDecompressionBomb(t *testing.T) {
	// A content stream that inflates to 40 MiB of "0 " tokens.
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	chunk := bytes.Repeat([]byte("0 "), 1<<19)
	for i := 0; i < 40; i++ {
		zw.Write(chunk)
	}
	zw.Close()
	pdf := makePDF("BT /F1 10 Tf 72 700 Td (ok) Tj ET", "")
	// Replace the page's content stream object with the compressed bomb.
	bomb := fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String())
	s := strings.Replace(string(pdf), "<< /Length 33 >>\nstream\nBT /F1 10 Tf 72 700 Td (ok) Tj ET\nendstream", bomb, 1)
	if !strings.Contains(s, "FlateDecode") {
		t.Fatal("the bomb was not put in place")
	}
	s = fixXref(s)
	// The only page is skipped, so no text is left: refused, not
	// interpreted, and said why (not "scanned").
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Read([]byte(s)); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "inflates beyond") {
		t.Errorf("error %v, want the page skipped and ErrDamaged saying why", err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("reading the bomb allocated %d MiB", alloc>>20)
	}
}

// fixXref rewrites the xref offsets of a PDF built by makePDF after edits.
func fixXref(s string) string {
	var offs []int
	for i := 1; ; i++ {
		j := strings.Index(s, fmt.Sprintf("\n%d 0 obj\n", i))
		if j < 0 {
			break
		}
		offs = append(offs, j+1)
	}
	x := strings.Index(s, "xref\n")
	var b strings.Builder
	b.WriteString(s[:x])
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.String()
}
