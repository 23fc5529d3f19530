package pipeline_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/nianbao/nianbao/eval"
)

// TestCorpusScanVariants reads the corpus's real PDF reports degraded as
// scanners and portals degrade them — made here from the pages pdftoppm
// renders, like scripts/mkscans.sh makes the fixture's: a 200 dpi colour
// JPEG turned 1.2° (alternately ±), a 150 dpi JPEG with a red seal and
// impulse noise, a 300 dpi black-and-white page dithered as a scanner's
// halftone mode does (shaded rows become dots), and a page as portals
// post it in an article, 910 px wide (110 dpi), a quality-80 JPEG, and
// a phone photo of each page (photographed). Each variant is held to its
// floor of cells right over the three reports, as measured, and no cell
// may be read as a wrong number. KEEP=dir keeps the PDFs made.
func TestCorpusScanVariants(t *testing.T) {
	requireOCR(t)
	corpusFiles(t)
	variants := []struct {
		name  string
		dpi   int
		make  func(img *image.RGBA, page int) pdfImage
		floor int // cells right of 572
	}{
		{"skew", 200, skewedJPEG, 570},
		{"seal", 150, sealedJPEG, 536},
		{"mono", 300, dithered, 568},
		{"portal", 110, portalJPEG, 528},
		{"photo", 200, photographed, 564},
	}
	docs := []string{"002-huaian-szf-2024", "003-hongze-qzf-2023", "004-hongze-qzf-2024"}
	dir := t.TempDir()
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			right, cells, wrong := 0, 0, 0
			for _, doc := range docs {
				data, err := os.ReadFile(filepath.Join(corpusDir, "raw", doc+".pdf"))
				if err != nil {
					t.Fatal(err)
				}
				var pages []pdfImage
				for n, p := range rasterizeAll(t, data, v.dpi) {
					pi := v.make(p.Image.(*image.RGBA), n+1)
					pi.dpi = float64(v.dpi)
					pages = append(pages, pi)
				}
				path := filepath.Join(dir, doc+"-"+v.name+".pdf")
				if k := os.Getenv("KEEP"); k != "" {
					path = filepath.Join(k, doc+"-"+v.name+".pdf")
				}
				if err := os.WriteFile(path, imagesPDF(pages), 0o644); err != nil {
					t.Fatal(err)
				}
				g, _, err := eval.FindGold(filepath.Join(corpusDir, "gold"), path)
				if err != nil {
					t.Fatal(err)
				}
				res := processPath(t, path)
				if res.Error != nil {
					t.Errorf("%s: %s", doc, *res.Error)
					continue
				}
				s := eval.Compare(res.Report, g)
				for _, m := range s.Mismatches {
					if m.Kind == "wrong" && m.Got != nil {
						wrong++
						t.Errorf("%s: %s read as %q, gold %v", doc, m.Cell, m.Raw, deref(m.Gold))
					}
				}
				right, cells = right+s.Right, cells+s.Cells
				t.Logf("%s-%s: %d/%d cells", doc, v.name, s.Right, s.Cells)
			}
			t.Logf("%s: %d/%d cells right (%.1f %%), %d wrong", v.name, right, cells, 100*float64(right)/float64(max(cells, 1)), wrong)
			if right < v.floor {
				t.Errorf("%d cells right, floor %d", right, v.floor)
			}
		})
	}
}

// pdfImage is one page of a scanned PDF: its image, encoded.
type pdfImage struct {
	w, h   int
	dpi    float64
	filter string // DCTDecode (JPEG) or FlateDecode
	space  string // DeviceRGB or DeviceGray
	bits   int
	data   []byte
}

// imagesPDF writes a PDF whose every page is one image, as scanners file
// them.
func imagesPDF(pages []pdfImage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.4\n")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 3+3*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)), nil)
	for i, p := range pages {
		w, h := float64(p.w)*72/p.dpi, float64(p.h)*72/p.dpi
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R /Resources << /XObject << /Im0 %d 0 R >> >> >>", w, h, 4+3*i, 5+3*i), nil)
		content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", w, h)
		obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
		obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d /Filter /%s /Length %d >>",
			p.w, p.h, p.space, p.bits, p.filter, len(p.data)), p.data)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

func jpegPage(img image.Image, quality int) pdfImage {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return pdfImage{w: img.Bounds().Dx(), h: img.Bounds().Dy(), filter: "DCTDecode", space: "DeviceRGB", bits: 8, data: buf.Bytes()}
}

// skewedJPEG turns the page 1.2° (odd pages one way, even the other) on
// white and files it as a quality-70 JPEG.
func skewedJPEG(img *image.RGBA, page int) pdfImage {
	a := 1.2 * math.Pi / 180
	if page%2 == 0 {
		a = -a
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	cx, cy := float64(img.Bounds().Dx())/2, float64(img.Bounds().Dy())/2
	c, s := math.Cos(a), math.Sin(a)
	// source to destination: a turn about the page's centre
	m := f64.Aff3{c, -s, cx - c*cx + s*cy, s, c, cy - s*cx - c*cy}
	draw.BiLinear.Transform(out, m, img, img.Bounds(), draw.Over, nil)
	return jpegPage(out, 70)
}

// portalJPEG files the page as a quality-80 JPEG, as it is.
func portalJPEG(img *image.RGBA, _ int) pdfImage { return jpegPage(img, 80) }

// sealedJPEG stamps a red seal — a ring, a disc and a bar of 75 % ink —
// at the same place on every page (over the tables on some), sprays
// impulse noise (a channel of 1 % of the pixels black or white) and
// files it as a quality-70 JPEG.
func sealedJPEG(img *image.RGBA, page int) pdfImage {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, image.Point{}, draw.Src)
	red := color.RGBA{215, 25, 30, 255}
	stamp := func(x, y int) {
		i := out.PixOffset(x, y)
		for k, v := range []uint8{red.R, red.G, red.B} {
			out.Pix[i+k] = uint8((3*int(v) + int(out.Pix[i+k])) / 4)
		}
	}
	const cx, cy = 760, 560
	for y := cy - 145; y <= cy+145; y++ {
		for x := cx - 145; x <= cx+145; x++ {
			if !(image.Point{x, y}.In(out.Bounds())) {
				continue
			}
			d := math.Hypot(float64(x-cx), float64(y-cy))
			bar := x > cx-70 && x < cx+70 && y > cy+58 && y < cy+63
			if d >= 130 && d <= 138 || d <= 30 || bar {
				stamp(x, y)
			}
		}
	}
	rng := rand.New(rand.NewPCG(uint64(page), 7))
	for i := 0; i < len(out.Pix); i += 4 {
		for k := range 3 {
			if rng.IntN(100) == 0 {
				out.Pix[i+k] = uint8(255 * rng.IntN(2))
			}
		}
	}
	return jpegPage(out, 70)
}

// dithered turns the page black and white by error diffusion (Floyd and
// Steinberg), as a scanner's halftone mode files it: gray rules and
// shaded rows become dots. One bit a pixel, Flate-compressed.
func dithered(img *image.RGBA, _ int) pdfImage {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	lum := make([]float64, w*h)
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			lum[y*w+x] = 0.299*float64(img.Pix[i]) + 0.587*float64(img.Pix[i+1]) + 0.114*float64(img.Pix[i+2])
		}
	}
	stride := (w + 7) / 8
	bits := make([]byte, stride*h)
	for y := range h {
		for x := range w {
			old := lum[y*w+x]
			v := 0.0
			if old >= 128 {
				v = 255
				bits[y*stride+x/8] |= 0x80 >> (x % 8) // 1 is white
			}
			e := old - v
			if x+1 < w {
				lum[y*w+x+1] += e * 7 / 16
			}
			if y+1 < h {
				if x > 0 {
					lum[(y+1)*w+x-1] += e * 3 / 16
				}
				lum[(y+1)*w+x] += e * 5 / 16
				if x+1 < w {
					lum[(y+1)*w+x+1] += e * 1 / 16
				}
			}
		}
	}
	var buf bytes.Buffer
	z := zlib.NewWriter(&buf)
	z.Write(bits)
	z.Close()
	return pdfImage{w: w, h: h, filter: "FlateDecode", space: "DeviceGray", bits: 1, data: buf.Bytes()}
}

// photographed makes a phone photo of the page: the sheet seen in
// perspective on a table, the light falling off, a slight blur, a
// quality-75 JPEG. Odd pages as scripts/mkscans.sh makes the fixture's
// (the top narrower, the bottom corners at the image's corners, the top
// third in shade, a gray table); even pages the whole sheet inside the
// picture on a brown table, turned a little, the bottom-right corner
// nearer, the light falling off to the right.
func photographed(img *image.RGBA, page int) pdfImage {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	fw, fh := float64(w), float64(h)
	corners := [4][2]float64{{0.04, 0.02}, {0.95, 0.03}, {1, 1}, {0, 1}}
	table := [3]float64{90, 90, 90}
	shade := func(x, y float64) float64 { // the light, 0–1, at a point of the picture
		return 1 - 0.22*(1-smoothstep(0.2, 0.45, y/fh))
	}
	if page%2 == 0 {
		corners = [4][2]float64{{0.06, 0.05}, {0.94, 0.03}, {0.96, 0.97}, {0.03, 0.95}}
		table = [3]float64{125, 98, 70}
		shade = func(x, y float64) float64 { return 1 - 0.3*x/fw }
	}
	var q [4][2]float64
	for i, c := range corners {
		q[i] = [2]float64{c[0] * fw, c[1] * fh}
	}
	toSheet := squareToQuad(q).inverse()
	out := image.NewRGBA(img.Bounds())
	rng := rand.New(rand.NewPCG(uint64(page), 11))
	for y := range h {
		for x := range w {
			px, py := float64(x)+0.5, float64(y)+0.5
			u, v := toSheet.apply(px, py)
			var c [3]float64
			if u < 0 || v < 0 || u >= 1 || v >= 1 {
				n := rng.Float64()*12 - 6 // the table's grain
				c = [3]float64{table[0] + n, table[1] + n, table[2] + n}
			} else {
				c = bilinearRGB(img, u*fw-0.5, v*fh-0.5)
			}
			l := shade(px, py)
			i := out.PixOffset(x, y)
			for k := range 3 {
				out.Pix[i+k] = uint8(math.Max(0, math.Min(255, c[k]*l)))
			}
			out.Pix[i+3] = 255
		}
	}
	return jpegPage(blur121(out), 75)
}

func smoothstep(a, b, x float64) float64 {
	t := math.Max(0, math.Min(1, (x-a)/(b-a)))
	return t * t * (3 - 2*t)
}

// homography maps (x, y) to ((m0·x + m1·y + m2) / (m6·x + m7·y + m8), (m3·x + m4·y + m5) / …).
type homography [9]float64

func (m homography) apply(x, y float64) (float64, float64) {
	z := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / z, (m[3]*x + m[4]*y + m[5]) / z
}

func (m homography) inverse() homography {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	return homography{e*i - f*h, c*h - b*i, b*f - c*e, f*g - d*i, a*i - c*g, c*d - a*f, d*h - e*g, b*g - a*h, a*e - b*d}
}

// squareToQuad is the projective map of the unit square onto q (corners
// top-left, top-right, bottom-right, bottom-left; Heckbert's closed form).
func squareToQuad(q [4][2]float64) homography {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	g := (sx*dy2 - dx2*sy) / den
	h := (dx1*sy - sx*dy1) / den
	return homography{x1 - x0 + g*x1, x3 - x0 + h*x3, x0, y1 - y0 + g*y1, y3 - y0 + h*y3, y0, g, h, 1}
}

func bilinearRGB(img *image.RGBA, x, y float64) [3]float64 {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	x, y = math.Max(0, math.Min(float64(w-1), x)), math.Max(0, math.Min(float64(h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	ax, ay := x-float64(x0), y-float64(y0)
	var c [3]float64
	for k := range 3 {
		p := func(x, y int) float64 { return float64(img.Pix[img.PixOffset(x, y)+k]) }
		c[k] = (p(x0, y0)*(1-ax)+p(x1, y0)*ax)*(1-ay) + (p(x0, y1)*(1-ax)+p(x1, y1)*ax)*ay
	}
	return c
}

// blur121 smooths by [1 2 1]/4 across and down: a phone's lens.
func blur121(img *image.RGBA) *image.RGBA {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	pass := func(src *image.RGBA, dx, dy int) *image.RGBA {
		out := image.NewRGBA(src.Bounds())
		for y := range h {
			for x := range w {
				a := src.PixOffset(max(0, x-dx), max(0, y-dy))
				b := src.PixOffset(x, y)
				c := src.PixOffset(min(w-1, x+dx), min(h-1, y+dy))
				for k := range 4 {
					out.Pix[b+k] = uint8((int(src.Pix[a+k]) + 2*int(src.Pix[b+k]) + int(src.Pix[c+k]) + 2) / 4)
				}
			}
		}
		return out
	}
	return pass(pass(img, 1, 0), 0, 1)
}
