package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/eval"
	"github.com/nianbao/nianbao/extract/scan"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/normalize"
	"github.com/nianbao/nianbao/ocr"
)

// requireOCR skips without Tesseract, except in CI, which installs it.
func requireOCR(t *testing.T) {
	t.Helper()
	if _, err := ocr.Default(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI installs tesseract: %v", err)
		}
		t.Skip(err)
	}
}

// articleGold names the article pages of fixtures/scans/108-article as
// the gold of fixture 108 knows them.
var articleGold = strings.NewReplacer("108-article/index.html", "108-t19-blanks-2020-article.html",
	"108-article/links.html", "108-t19-blanks-2020-article.html")

// TestScansGolden reads the image-born versions of fixture 108
// (scripts/mkscans.sh) by OCR. Each variant is held to a floor of cells
// right, as measured when the reader was written, and no wrong number: a
// miss must be a cell left unread.
func TestScansGolden(t *testing.T) {
	requireOCR(t)
	variants := []struct {
		file         string
		floor, wrong int
		only         string // cells of one table (a one-page image)
	}{
		// floors count printed values read right (of 50; the other 148
		// cells of fixture 108 are blank, and a blank read as blank is
		// no achievement); 0 means the variant is not read yet and must
		// fail cleanly, naming the file
		{"108-t19-blanks-2020-scan-300dpi.pdf", 50, 0, ""},
		{"108-t19-blanks-2020-scan-g4.pdf", 50, 0, ""},
		{"108-t19-blanks-2020-scan-200dpi-skew.pdf", 50, 0, ""},
		{"108-t19-blanks-2020-scan-150dpi-seal.pdf", 50, 0, ""},
		{"108-t19-blanks-2020-scan-photo.pdf", 50, 0, ""},
		// page 2 posted alone: Table 3 continued without its header (13
		// of its 25 printed values are on page 2)
		{"108-t19-blanks-2020-scan-page2.png", 13, 0, "t3."},
		// a text title over page images: read by OCR because the verdict
		// says it is titled as a report and its text holds no table
		{"108-t19-blanks-2020-scan-mixed.pdf", 50, 0, ""},
		// an article page whose body is the pages as JPEGs (and a logo):
		// read from the images beside it
		{"108-article/index.html", 50, 0, ""},
		// the same pages attached as links (附件), not shown
		{"108-article/links.html", 50, 0, ""},
	}
	for _, v := range variants {
		t.Run(v.file, func(t *testing.T) {
			path := filepath.Join(fixtures.Path("scans"), v.file)
			start := time.Now()
			g, _, err := eval.FindGold(fixtures.Gold(), articleGold.Replace(path))
			if err != nil {
				t.Fatal(err)
			}
			res := processPath(t, path)
			if res.Error != nil {
				if v.floor > 0 || !strings.Contains(*res.Error, filepath.Base(path)) {
					t.Fatalf("%s", *res.Error)
				}
				t.Logf("not read yet: %s", *res.Error)
				return
			}
			for id, c := range res.Cells {
				if c.At == nil || c.Raw == "" {
					continue // from the narrative, or a blank box
				}
				// a number is taken at MinConfidence or more, or when the
				// text and digits passes read the same (its confidence
				// then stays the engine's, and the review queue lists it)
				if c.Source != "ocr" || c.Value != nil && (c.Confidence == nil || *c.Confidence <= 0 || *c.Confidence > 1) {
					t.Errorf("%s: source %q confidence %v: want ocr, and for a number a confidence in (0, 1]", id, c.Source, deref(c.Confidence))
				}
			}
			s := eval.Compare(res.Report, g)
			miss := map[string]bool{}
			for _, m := range s.Mismatches {
				miss[m.Cell] = true
			}
			right, cells, wrong := 0, 0, 0
			for id, val := range g.Cells {
				if val != nil && strings.HasPrefix(id, v.only) {
					cells++
					if !miss[id] {
						right++
					}
				}
			}
			for _, m := range s.Mismatches {
				switch {
				case m.Kind == "wrong" && m.Got != nil:
					wrong++
					t.Logf("wrong: %s gold %v read %q", m.Cell, deref(m.Gold), m.Raw)
				case m.Kind == "wrong":
					t.Logf("read as a blank box: %s gold %v", m.Cell, deref(m.Gold))
				}
			}
			t.Logf("%s: %d/%d printed values right, %d/%d cells with blanks, %d wrong, %s", v.file, right, cells,
				s.Right, s.Cells, wrong, time.Since(start).Round(time.Millisecond))
			if right < v.floor {
				t.Errorf("%d printed values right, floor %d", right, v.floor)
			}
			if wrong > v.wrong {
				t.Errorf("%d cells read wrong, at most %d", wrong, v.wrong)
			}
		})
	}
}

// TestCorpusScans reads the corpus's real PDF reports as scans: each
// page rendered to a 300 dpi image (the text layer gone) and read by OCR.
// Every printed value must come back, and nothing wrong.
func TestCorpusScans(t *testing.T) {
	requireOCR(t)
	corpusFiles(t)
	eng, _ := ocr.Default()
	for _, name := range []string{"002-huaian-szf-2024.pdf", "003-hongze-qzf-2023.pdf", "004-hongze-qzf-2024.pdf"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(corpusDir, "raw", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			g, _, err := eval.FindGold(filepath.Join(corpusDir, "gold"), path)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			pages := rasterizeAll(t, data, scan.DPI)
			doc, err := scan.Read(context.Background(), pages, eng, nianbao.FormatImage)
			if err != nil {
				t.Fatal(err)
			}
			s := eval.Compare(normalize.Normalize(doc), g)
			for _, m := range s.Mismatches {
				t.Errorf("%s %s: gold %v read %q", m.Kind, m.Cell, deref(m.Gold), m.Raw)
			}
			t.Logf("%s: %d/%d cells, %d pages, %s", name, s.Right, s.Cells, len(pages), time.Since(start).Round(time.Millisecond))
		})
	}
}

// rasterizeAll renders every page of a PDF at dpi.
func rasterizeAll(t *testing.T, data []byte, dpi int) []scan.Page {
	t.Helper()
	var pages []scan.Page
	for n := 1; ; n++ {
		p, err := scan.Rasterize(context.Background(), data, dpi, n)
		if errors.Is(err, scan.ErrNoPage) {
			return pages
		}
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
}
