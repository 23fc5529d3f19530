package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract/scan"
)

// ImageSource returns the bytes of an image a page references by its src
// attribute (relative to the page, as printed). The crawl fetches it,
// ingest of a saved page reads it from beside the page, re-extraction
// reads the copy stored with the page.
type ImageSource func(src string) ([]byte, error)

// Part is an image of a page read by OCR as one of its pages: Page n of
// the document's OCR'd cells is the nth part.
type Part struct {
	Src  string // as the page referenced it
	Data []byte
}

// MaxImageBytes bounds one page image.
const MaxImageBytes = 20 << 20

// minPagePixels is the smaller side, in pixels, below which an image is a
// logo, an icon or a banner, not a page of a report.
const minPagePixels = 400

// ReadImages reads by OCR the images an article page shows (an article
// whose body is page images): each image big enough to be a page, in the
// page's order, at most scan.MaxPages, becomes a page of the returned
// document, which keeps the page's title, metadata and paragraphs. It
// returns the images read, to be kept with the page.
func ReadImages(doc *nianbao.Document, opt Options) (*nianbao.Document, []Part, error) {
	if opt.Images == nil {
		return nil, nil, errors.New("no source for the page's images")
	}
	eng, err := opt.engine()
	if err != nil {
		return nil, nil, err
	}
	var parts []Part
	var pages []scan.Page
	var skipped []string
	seen := map[string]bool{}
	for _, src := range doc.Images {
		if len(pages) == scan.MaxPages {
			skipped = append(skipped, fmt.Sprintf("only the first %d page images read", scan.MaxPages))
			break
		}
		if seen[src] || strings.HasPrefix(src, "data:") {
			continue
		}
		seen[src] = true
		data, err := opt.Images(src)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", clipSrc(src), err))
			continue
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: not an image (%v)", clipSrc(src), err))
			continue
		}
		if min(cfg.Width, cfg.Height) < minPagePixels {
			continue // a logo or an icon
		}
		img, err := scan.DecodeImage(data)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", clipSrc(src), err))
			continue
		}
		pages = append(pages, scan.Page{Image: img})
		parts = append(parts, Part{Src: src, Data: data})
	}
	if len(pages) == 0 {
		return nil, nil, fmt.Errorf("no page image among the page's %d images%s", len(doc.Images), joinFirst(skipped))
	}
	od, err := opt.withinTimeout(func(ctx context.Context) (*nianbao.Document, error) {
		return scan.Read(ctx, pages, eng, doc.Format)
	})
	if err != nil {
		return nil, nil, err
	}
	out := *doc
	out.Blocks = append(append([]nianbao.Block(nil), doc.Blocks...), od.Blocks...)
	out.Meta = map[string]string{}
	for k, v := range doc.Meta {
		out.Meta[k] = v
	}
	out.Meta[nianbao.MetaOCR] = od.Meta[nianbao.MetaOCR]
	out.Warnings = append(append(append([]string(nil), doc.Warnings...), od.Warnings...), skipped...)
	return &out, parts, nil
}

func clipSrc(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

func joinFirst(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return " (" + s[0] + ")"
}

// FilesBeside is the ImageSource of a page saved as a file: an image it
// references by a relative path is read from the page's folder or below
// it (never above it, never a URL), at most MaxImageBytes.
func FilesBeside(page string) ImageSource {
	dir := filepath.Dir(page)
	return func(src string) ([]byte, error) {
		if i := strings.IndexAny(src, "?#"); i >= 0 {
			src = src[:i]
		}
		if strings.Contains(src, ":") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, `\`) {
			return nil, errors.New("not a file beside the page")
		}
		rel := filepath.Clean(filepath.FromSlash(src))
		if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, errors.New("outside the page's folder")
		}
		path := filepath.Join(dir, rel)
		// a link out of the folder is not beside the page either
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, err
		}
		realDir, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return nil, err
		}
		if r, err := filepath.Rel(realDir, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return nil, errors.New("a link out of the page's folder")
		}
		f, err := os.Open(real)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil, errors.New("not a regular file")
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxImageBytes+1))
		if err != nil {
			return nil, err
		}
		if len(data) > MaxImageBytes {
			return nil, fmt.Errorf("larger than %d MB", MaxImageBytes>>20)
		}
		return data, nil
	}
}
