package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // page images and attachments
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
// filter scanners use — DCT, Flate, CCITT G4, JBIG2, JPX) and reads them,
// pages in parallel (PageWorkers), each worker holding one page image.
func ReadPDF(ctx context.Context, data []byte, eng ocr.Engine) (*nianbao.Document, error) {
	dir, in, err := pdfFile(data)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	doc := newDoc(nianbao.FormatPDF, eng)
	all, err := readPages(ctx, doc, MaxPages, func(n int) (Page, error) { return rasterizePage(ctx, in, DPI, n) }, eng)
	if err != nil {
		return nil, err
	}
	if !all {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("ocr: only the first %d pages read", MaxPages))
	}
	return doc, nil
}

// Rasterize renders page n (1-based) of a PDF at dpi.
func Rasterize(ctx context.Context, data []byte, dpi, n int) (Page, error) {
	dir, in, err := pdfFile(data)
	if err != nil {
		return Page{}, err
	}
	defer os.RemoveAll(dir)
	return rasterizePage(ctx, in, dpi, n)
}

func pdfFile(data []byte) (dir, file string, err error) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return "", "", ErrNoRasterizer
	}
	dir, err = os.MkdirTemp("", "nianbao-raster-")
	if err != nil {
		return "", "", err
	}
	file = filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, file, nil
}

// ErrNoPage means the PDF has no page of that number.
var ErrNoPage = errors.New("no such page")

// rasterizePage renders one page as PPM: uncompressed, because PNG's
// compression of a noisy scan costs pdftoppm 13 s a page (measured: 40 s
// for the 3 pages of fixtures/scans/108-150dpi-seal.pdf as PNG, 0.6 s as
// PPM).
func rasterizePage(ctx context.Context, in string, dpi, n int) (Page, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out := filepath.Join(filepath.Dir(in), fmt.Sprintf("p%d", n))
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", fmt.Sprint(dpi), "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-singlefile", in, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Page{}, fmt.Errorf("pdftoppm: page %d not rendered in time", n)
		}
		if strings.Contains(stderr.String(), "Wrong page range") {
			return Page{}, ErrNoPage
		}
		first, _, _ := strings.Cut(stderr.String(), "\n")
		return Page{}, fmt.Errorf("pdftoppm: %v: %s", err, first)
	}
	defer os.Remove(out + ".ppm")
	f, err := os.Open(out + ".ppm")
	if err != nil {
		return Page{}, ErrNoPage
	}
	defer f.Close()
	img, err := decodePPM(bufio.NewReader(f))
	if err != nil {
		return Page{}, fmt.Errorf("pdftoppm page %d: %w", n, err)
	}
	return Page{Image: img, DPI: float64(dpi)}, nil
}

// decodePPM reads a binary PPM (P6, 8-bit), as pdftoppm writes it.
func decodePPM(r *bufio.Reader) (*image.RGBA, error) {
	var magic string
	var w, h, maxv int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxv); err != nil {
		return nil, fmt.Errorf("PPM header: %w", err)
	}
	if magic != "P6" || maxv != 255 || w <= 0 || h <= 0 || w*h > MaxPixels {
		return nil, fmt.Errorf("PPM %s %dx%d/%d: not an 8-bit colour page within %d pixels", magic, w, h, maxv, MaxPixels)
	}
	if _, err := r.ReadByte(); err != nil { // the one whitespace after maxval
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	row := make([]byte, 3*w)
	for y := 0; y < h; y++ {
		if _, err := io.ReadFull(r, row); err != nil {
			return nil, fmt.Errorf("PPM row %d: %w", y, err)
		}
		p := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			p[4*x], p[4*x+1], p[4*x+2], p[4*x+3] = row[3*x], row[3*x+1], row[3*x+2], 255
		}
	}
	return img, nil
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
