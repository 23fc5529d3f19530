package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // page images and attachments
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	_ "golang.org/x/image/tiff" // scanners' CCITT G4 TIFFs

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/ocr"
)

// DPI is the resolution PDF pages are rasterised at.
const DPI = 300

// MaxPages bounds the pages of one document read by OCR.
const MaxPages = 40

// ErrNoRasterizer means poppler's pdftoppm is not installed.
var ErrNoRasterizer = errors.New("reading a scanned PDF needs poppler's pdftoppm: apt-get install poppler-utils")

// ReadPDF rasterises a PDF's pages with pdftoppm (poppler: every image
// filter scanners use — DCT, Flate, CCITT G4, JBIG2, JPX) and reads them.
func ReadPDF(ctx context.Context, data []byte, eng ocr.Engine) (*nianbao.Document, error) {
	pages, err := Rasterize(ctx, data, DPI, MaxPages)
	if err != nil {
		return nil, err
	}
	return Read(ctx, pages, eng, nianbao.FormatPDF)
}

// Rasterize renders at most maxPages pages of a PDF at dpi.
func Rasterize(ctx context.Context, data []byte, dpi, maxPages int) ([]Page, error) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoRasterizer
	}
	dir, err := os.MkdirTemp("", "nianbao-raster-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(maxPages)*15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-r", fmt.Sprint(dpi), "-l", fmt.Sprint(maxPages), "-png", in, filepath.Join(dir, "p"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pdftoppm: pages not rendered in time")
		}
		return nil, fmt.Errorf("pdftoppm: %v: %s", err, firstLineOf(stderr.String()))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	sort.Slice(files, func(i, j int) bool {
		if len(files[i]) != len(files[j]) {
			return len(files[i]) < len(files[j]) // p-2 before p-10
		}
		return files[i] < files[j]
	})
	var pages []Page
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("pdftoppm page %s: %w", filepath.Base(f), err)
		}
		pages = append(pages, Page{Image: img, DPI: float64(dpi)})
	}
	if len(pages) == 0 {
		return nil, errors.New("pdftoppm rendered no page")
	}
	return pages, nil
}

// MaxPixels bounds an image's size (a 600 dpi A3 page is 50 Mpx).
const MaxPixels = 60 << 20

// DecodeImage decodes a page image (PNG, JPEG, TIFF), refusing one larger
// than MaxPixels before decoding it.
func DecodeImage(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("image of %d×%d pixels: too large to read", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}

func firstLineOf(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
