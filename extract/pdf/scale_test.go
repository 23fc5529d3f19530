package pdf

import (
	"fmt"
	"github.com/nianbao/nianbao/internal/doctest"
	"strings"
	"testing"
	"time"
)

// manyPagePDF builds an n-page PDF, each page a small ruled table, in a
// balanced page tree of Pages nodes with 10 kids each.
func manyPagePDF(n, fanout int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", helvetica}
	var page strings.Builder
	page.WriteString("0.5 w 100 700 m 400 700 l S 100 680 m 400 680 l S 100 660 m 400 660 l S ")
	for _, x := range []int{100, 250, 400} {
		fmt.Fprintf(&page, "%d 660 m %d 700 l S ", x, x)
	}
	page.WriteString("BT /F1 10 Tf 105 686 Td (Label) Tj ET BT /F1 10 Tf 255 686 Td (12) Tj ET ")
	page.WriteString("BT /F1 10 Tf 105 666 Td (Other) Tj ET BT /F1 10 Tf 255 666 Td (7) Tj ET")
	objs = append(objs, stream("", page.String())) // object 4: shared content
	var leaves []int
	for range n {
		objs = append(objs, "")
		leaves = append(leaves, len(objs))
	}
	// Build Pages nodes bottom up.
	level := leaves
	parentOf := map[int]int{}
	for len(level) > 1 {
		var next []int
		for i := 0; i < len(level); i += fanout {
			kids := level[i:min(i+fanout, len(level))]
			objs = append(objs, "")
			id := len(objs)
			for _, k := range kids {
				parentOf[k] = id
			}
			next = append(next, id)
		}
		level = next
	}
	root := level[0]
	// Renumber: the root must be object 2. Swap the root's slot with 2.
	objs[1] = ""
	count := map[int]int{}
	for _, l := range leaves {
		for p := parentOf[l]; p != 0; p = parentOf[p] {
			count[p]++
		}
	}
	ref := func(id int) int {
		if id == root {
			return 2
		}
		return id
	}
	kids := map[int][]int{}
	for c, p := range parentOf {
		kids[p] = append(kids[p], c)
	}
	for id := 5; id <= len(objs); id++ {
		if _, isLeaf := parentOf[id]; isLeaf && count[id] == 0 && id != root {
			objs[id-1] = fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>", ref(parentOf[id]))
		}
	}
	for p, ks := range kids {
		sortInts(ks)
		var b strings.Builder
		for _, k := range ks {
			fmt.Fprintf(&b, "%d 0 R ", ref(k))
		}
		parent := ""
		if p != root {
			parent = fmt.Sprintf("/Parent %d 0 R ", ref(parentOf[p]))
		}
		objs[ref(p)-1] = fmt.Sprintf("<< /Type /Pages %s/Kids [%s] /Count %d >>", parent, b.String(), count[p])
	}
	if root != 2 {
		objs[root-1] = "null"
	}
	return buildPDF(objs, "")
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func TestManyPagePDF(t *testing.T) {
	doc, err := Read(manyPagePDF(25, 10))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Meta["Pages"] != "25" || len(doctest.Tables(doc)) != 25 {
		t.Errorf("pages %s, %d tables; want 25 and 25", doc.Meta["Pages"], len(doctest.Tables(doc)))
	}
}

// BenchmarkReadPDFPages doubles the page count: time per page must stay
// flat (it grew linearly per page, i.e. quadratically in all, when each
// page was looked up from the root). Flat trees (one Pages node, as many
// producers write) and balanced trees of fan-out 10.
func BenchmarkReadPDFPages(b *testing.B) {
	for _, n := range []int{125, 250, 500, 1000, 2000} {
		for _, fanout := range []int{10, n} {
			data := manyPagePDF(n, fanout)
			b.Run(fmt.Sprintf("%d/fanout=%d", n, fanout), func(b *testing.B) {
				for b.Loop() {
					if _, err := Read(data); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/page")
			})
		}
	}
}

// clipBoxPDF draws k small cells, each clipped to its own rectangle, with a
// digit in each: the WPS way of drawing a table, at hostile scale.
// Cells 4 pt high are read from their clip box; cells 0.4 pt high fall
// back to the clip's edges as rules.
func clipBoxPDF(k int, h float64) []byte {
	var c strings.Builder
	cols := 100
	for i := range k {
		x, y := 20+float64(i%cols)*5.5, 800-float64(i/cols)*(h+0.5)
		fmt.Fprintf(&c, "q %.1f %.2f 5 %.1f re W n BT /F1 1 Tf %.1f %.2f Td (%d) Tj ET Q\n", x, y, h, x+1, y+0.1, i%10)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		helvetica, stream("", c.String()),
	}
	return buildPDF(objs, "")
}

func BenchmarkReadPDFClipBoxes(b *testing.B) {
	for _, k := range []int{5000, 10000, 20000, 40000} {
		for _, h := range []float64{4, 0.4} {
			data := clipBoxPDF(k, h)
			b.Run(fmt.Sprintf("%d/h=%v", k, h), func(b *testing.B) {
				for b.Loop() {
					Read(data)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*k), "µs/box")
			})
		}
	}
}

func TestClipBoxesBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	start := time.Now()
	doc, err := Read(clipBoxPDF(150000, 4))
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 15*time.Second {
		t.Errorf("150k clip boxes took %v", el)
	}
	if len(doctest.Tables(doc)) == 0 {
		t.Errorf("no table found among 150k cells; warnings %q", doc.Warnings)
	}
}
