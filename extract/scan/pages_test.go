package scan

import (
	"context"
	"errors"
	"image"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/ocr"
)

// slowEngine reads every image as "页" and its width, slowly, counting the pages read
// at once.
type slowEngine struct{ now, most atomic.Int32 }

func (e *slowEngine) Recognize(ctx context.Context, imgs []image.Image, _ ocr.Mode) ([]ocr.Result, error) {
	n := e.now.Add(1)
	defer e.now.Add(-1)
	for {
		m := e.most.Load()
		if n <= m || e.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	out := make([]ocr.Result, len(imgs))
	for i, img := range imgs {
		out[i] = ocr.Result{Text: "页" + strconv.Itoa(img.Bounds().Dx()), Confidence: 0.9}
	}
	return out, nil
}

func (e *slowEngine) Name() string { return "slow" }

// textPage is a blank page with a line of ink, longer on later pages:
// one text line.
func textPage(i int) Page {
	g := image.NewGray(image.Rect(0, 0, 600, 800))
	for j := range g.Pix {
		g.Pix[j] = 255
	}
	y := 100 + 10*i
	for x := 100; x < 200+40*i; x++ {
		for dy := 0; dy < 20; dy++ {
			if x%7 < 3 {
				g.Pix[(y+dy)*g.Stride+x] = 0
			}
		}
	}
	return Page{Image: g, DPI: 72}
}

// TestReadPagesInOrder: pages read in parallel come out in page order, no
// more at once than PageWorkers, and the first failure stops the others
// and is returned.
func TestReadPagesInOrder(t *testing.T) {
	if PageWorkers < 2 {
		t.Skip("one worker on this machine")
	}
	eng := &slowEngine{}
	doc := &nianbao.Document{}
	all, err := readPages(context.Background(), doc, 10, func(n int) (Page, error) {
		if n > 6 {
			return Page{}, ErrNoPage
		}
		return textPage(n), nil
	}, eng)
	if err != nil || !all {
		t.Fatalf("readPages: %v, all %v", err, all)
	}
	if got := int(eng.most.Load()); got < 2 || got > PageWorkers {
		t.Errorf("%d pages read at once, want 2..%d", got, PageWorkers)
	}
	if len(doc.Blocks) != 6 {
		t.Fatalf("%d blocks from 6 pages", len(doc.Blocks))
	}
	// one text line per page, in page order: longer lines later
	for i := 1; i < len(doc.Blocks); i++ {
		if len(doc.Blocks[i].Text) < len(doc.Blocks[i-1].Text) || doc.Blocks[i].Text <= doc.Blocks[i-1].Text && len(doc.Blocks[i].Text) == len(doc.Blocks[i-1].Text) {
			t.Errorf("page order: %q after %q", doc.Blocks[i].Text, doc.Blocks[i-1].Text)
		}
	}
	boom := errors.New("page 3 is damaged")
	_, err = readPages(context.Background(), &nianbao.Document{}, 10, func(n int) (Page, error) {
		if n == 3 {
			return Page{}, boom
		}
		return textPage(n), nil
	}, eng)
	if !errors.Is(err, boom) {
		t.Errorf("a failing page: %v", err)
	}
}

// BenchmarkReadPDFWorkers reads the 3-page clean scan with one page at a
// time and with two (go test -bench ReadPDFWorkers ./extract/scan; needs
// tesseract).
func BenchmarkReadPDFWorkers(b *testing.B) {
	eng, err := ocr.Default()
	if err != nil {
		b.Skip(err)
	}
	data, err := os.ReadFile("../../fixtures/scans/108-t19-blanks-2020-scan-300dpi.pdf")
	if err != nil {
		b.Fatal(err)
	}
	saved, savedSlots := PageWorkers, slots
	defer func() { PageWorkers, slots = saved, savedSlots }()
	for _, w := range []int{1, 2} {
		b.Run(strings.Repeat("w", w), func(b *testing.B) {
			sem := make(chan struct{}, w)
			slots = func() chan struct{} { return sem }
			PageWorkers = w
			for b.Loop() {
				if _, err := ReadPDF(context.Background(), data, eng); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
