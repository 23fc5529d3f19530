// Package extract turns the bytes of a published document into the
// format-independent nianbao.Document: an ordered list of paragraphs and
// tables. One reader per input form (tab-indented text, HTML, Markdown,
// plain text); the form is detected from the bytes, not the file name.
// Readers know nothing about annual reports.
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract/doc"
	"github.com/nianbao/nianbao/extract/pdf"
	"github.com/nianbao/nianbao/extract/scan"
	"github.com/nianbao/nianbao/ocr"
)

// MaxSize is the largest input Read accepts. Published reports are well under
// a few megabytes; anything larger is refused rather than parsed.
const MaxSize = 64 << 20

// Errors returned for inputs that no reader can handle.
var (
	ErrEmpty    = nianbao.NewError(nianbao.ClassEmpty, "empty file")
	ErrTooLarge = nianbao.NewError(nianbao.ClassTooLarge, fmt.Sprintf("file larger than %d MiB", MaxSize>>20))
	ErrBinary   = nianbao.NewError(nianbao.ClassUnsupported, "binary data: not a text, HTML, PDF or DOCX document")
	ErrZip      = nianbao.NewError(nianbao.ClassUnsupported, "zip archive that is not a Word document")
	// ErrImage is a page image that could not be read by OCR (none is
	// installed, or the engine failed).
	ErrImage = nianbao.NewError(nianbao.ClassScanned, "page image: not read")
	// ErrNotFile refuses a folder, FIFO, device or socket given as a file:
	// checked before it is opened, so a FIFO cannot block the run.
	ErrNotFile = nianbao.NewError(nianbao.ClassNotFile, "not a regular file")
)

// ReadFile reads the file at path for Read, refusing a folder and anything
// over MaxSize (checked before reading, and bounded while reading in case
// the file grows), with errors naming the path.
func ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		what := "a " + st.Mode().Type().String()
		if st.IsDir() {
			what = "a directory"
		}
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotFile, what)
	}
	if st.Size() > MaxSize {
		return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	// O_NONBLOCK: should the path become a FIFO between the check and the
	// open, opening it does not wait for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFile)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err == nil && len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	return data, err
}

// Options tunes Read. The zero value is ready to use.
type Options struct {
	// ContentType is the HTTP Content-Type the bytes were served with, if
	// any; its charset parameter is honoured for HTML and text.
	ContentType string
	// OCR reads image-born documents (scanned PDFs, PDFs whose text layer
	// is unreadable or holds no table, page images); nil uses Tesseract
	// when it is installed (ocr.Default).
	OCR ocr.Engine
	// NoOCR leaves image-born documents unread: they fail as scanned.
	NoOCR bool
	// OCRTimeout bounds the OCR of one document; 0 means OCRTimeout.
	OCRTimeout time.Duration
	// Images, when set, gives the images an HTML page shows, so an
	// article whose body is page images is read by OCR (ReadImages).
	Images ImageSource
}

// OCRTimeout is the default time one document may take to be read by OCR
// (40 pages at ≈3 s each, with room).
const OCRTimeout = 5 * time.Minute

// engine is the OCR engine to use, or the reason there is none.
func (o Options) engine() (ocr.Engine, error) {
	if o.NoOCR {
		return nil, errors.New("OCR switched off")
	}
	if o.OCR != nil {
		return o.OCR, nil
	}
	t, err := ocr.Default()
	if err != nil {
		return nil, err
	}
	return t, nil
}

// byOCR reads an image-born document: a PDF's rendered pages, or one
// page image.
func byOCR(data []byte, f nianbao.Format, opt Options) (*nianbao.Document, error) {
	eng, err := opt.engine()
	if err != nil {
		return nil, err
	}
	return opt.withinTimeout(func(ctx context.Context) (*nianbao.Document, error) {
		if f == nianbao.FormatPDF {
			return scan.ReadPDF(ctx, data, eng)
		}
		img, err := scan.DecodeImage(data)
		if err != nil {
			return nil, nianbao.NewError(nianbao.ClassUnreadable, "image: "+err.Error())
		}
		return scan.Read(ctx, []scan.Page{{Image: img}}, eng, f)
	})
}

// withinTimeout runs one document's OCR within OCRTimeout: one that does
// not finish is too large, whatever error its cancellation caused.
func (o Options) withinTimeout(read func(context.Context) (*nianbao.Document, error)) (*nianbao.Document, error) {
	timeout := o.OCRTimeout
	if timeout <= 0 {
		timeout = OCRTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	d, err := read(ctx)
	if ctx.Err() != nil {
		return nil, nianbao.NewError(nianbao.ClassTooLarge, fmt.Sprintf("OCR did not finish in %s", timeout))
	}
	return d, err
}

// letters counts the letters and digits of a document's paragraphs.
func letters(d *nianbao.Document) int {
	n := 0
	for _, b := range d.Blocks {
		for _, r := range b.Text {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
	}
	return n
}

// ReadByOCR reads a PDF's rendered pages by OCR, whatever its text layer
// holds: for a text layer whose character maps are damaged
// (pdf.MetaSuspectGlyphs), to compare the two reads.
func ReadByOCR(data []byte, opt Options) (*nianbao.Document, error) {
	if Sniff(data) != nianbao.FormatPDF {
		return nil, errors.New("not a PDF")
	}
	return byOCR(data, nianbao.FormatPDF, opt)
}

// hasTable reports whether a document has a table block.
func hasTable(d *nianbao.Document) bool {
	for _, b := range d.Blocks {
		if b.Table != nil {
			return true
		}
	}
	return false
}

// readPDF reads a PDF's text layer, and by OCR a PDF that has none or
// whose text is unreadable. (A text layer without tables — a report with
// its tables scanned in — is read by OCR in pipeline, once the verdict
// says the document is titled as a report: not for every PDF.)
func readPDF(data []byte, opt Options) (*nianbao.Document, error) {
	d, err := pdf.Read(data)
	if !errors.Is(err, pdf.ErrScanned) && !errors.Is(err, pdf.ErrNoText) {
		return d, err
	}
	od, oerr := byOCR(data, nianbao.FormatPDF, opt)
	switch {
	case oerr != nil && opt.NoOCR:
		return nil, err
	case oerr != nil:
		return nil, fmt.Errorf("%w; %v", err, oerr)
	case !hasTable(od) && letters(od) < 10:
		return nil, fmt.Errorf("%w (OCR found no text either)", err) // a blank scan, a drawing
	}
	od.Warnings = append(od.Warnings, fmt.Sprintf("read by OCR (%s): %v", od.Meta[nianbao.MetaOCR], err))
	return od, nil
}

// Read detects the form of data and parses it into a Document. name is used
// only as a hint and in error messages' context by callers. Sniffing and
// decoding are linear; each reader states its own bound (all linear; PDF
// under a work budget, see pdf.Read).
func Read(name string, data []byte, opt Options) (*nianbao.Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrEmpty
	}
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	switch f := Sniff(data); f {
	case nianbao.FormatPDF:
		return readPDF(data, opt)
	case nianbao.FormatImage:
		d, err := byOCR(data, f, opt)
		var c interface{ Class() nianbao.ErrorClass }
		if err != nil && !errors.As(err, &c) {
			return nil, fmt.Errorf("%w: %v", ErrImage, err)
		}
		return d, err
	case nianbao.FormatDOCX:
		return ReadDOCX(data)
	case formatOLE:
		return doc.Read(data)
	case formatZip:
		return nil, ErrZip
	case formatBinary:
		return nil, ErrBinary
	case nianbao.FormatHTML:
		return ReadHTML(data, opt.ContentType)
	default:
		text, warn := decodeText(data, charsetParam(opt.ContentType))
		if looksBinary(text) {
			return nil, ErrBinary
		}
		var doc *nianbao.Document
		switch sniffText(text) {
		case nianbao.FormatTabText:
			doc = ReadTabText(text)
		case nianbao.FormatMarkdown:
			doc = ReadMarkdown(text)
		default:
			doc = ReadPlain(text)
		}
		if warn != "" {
			doc.Warnings = append(doc.Warnings, warn)
		}
		return doc, nil
	}
}

// Internal sniffing results for forms no reader handles.
const (
	formatOLE    nianbao.Format = "ole"
	formatZip    nianbao.Format = "zip"
	formatBinary nianbao.Format = "binary"
)

// Sniff reports the form of data from its leading bytes and content.
// Text forms are refined further by the text readers.
func Sniff(data []byte) nianbao.Format {
	head := data[:min(len(data), 8192)]
	switch {
	case bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("%PDF")):
		return nianbao.FormatPDF
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}),
		bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return nianbao.FormatImage
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return formatOLE
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if bytes.Contains(data[:min(len(data), 1<<20)], []byte("word/")) {
			return nianbao.FormatDOCX
		}
		return formatZip
	}
	if isHTML(head) {
		return nianbao.FormatHTML
	}
	if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return formatBinary
	}
	return nianbao.FormatPlain
}

var htmlMarkers = []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<table", "<p", "<div", "<title", "<span", "<br"}

func isHTML(head []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(s) == 0 || s[0] != '<' {
		return false
	}
	low := strings.ToLower(string(s[:min(len(s), 2048)]))
	for _, m := range htmlMarkers {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// looksBinary reports whether decoded text is mostly control characters or
// replacement characters, i.e. the bytes were not text in any charset.
func looksBinary(s string) bool {
	if s == "" {
		return false
	}
	bad, total := 0, 0
	for i, r := range s {
		if i > 1<<16 {
			break
		}
		total++
		if r == utf8.RuneError || r == 0 || (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f') {
			bad++
		}
	}
	return bad*10 > total
}

// sniffText tells the tab-indented form and Markdown from plain text.
func sniffText(s string) nianbao.Format {
	tabLines, pipeLines, lines := 0, 0, 0
	for line := range strings.Lines(s) {
		lines++
		if strings.HasPrefix(line, "\t") {
			tabLines++
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 2 {
			pipeLines++
		}
	}
	switch {
	case tabLines >= 8 && tabLines >= pipeLines:
		return nianbao.FormatTabText
	case pipeLines >= 3:
		return nianbao.FormatMarkdown
	}
	return nianbao.FormatPlain
}
