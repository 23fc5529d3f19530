// Package pipeline runs one document through the readers and the
// normalizer and shapes the result as the `nianbao extract` JSON contract.
// The CLI, the evaluator and ingestion all go through Process, so every
// entry point extracts the same way.
package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/extract/pdf"
	"github.com/nianbao/nianbao/normalize"
)

// Source identifies the input of one result.
type Source struct {
	Path   string         `json:"path"`
	SHA256 string         `json:"sha256"`
	Format nianbao.Format `json:"format"`
	Size   int            `json:"size"`
}

// Result is one line of `nianbao extract` output.
type Result struct {
	Source    Source                  `json:"source"`
	Title     string                  `json:"title"`
	Agency    *string                 `json:"agency"`
	Year      *int                    `json:"year"`
	Published *string                 `json:"published"`
	Template  nianbao.Template        `json:"template"`
	Cells     map[string]nianbao.Cell `json:"cells"`
	Checks    []nianbao.Check         `json:"checks"`
	Unmatched []nianbao.Unmatched     `json:"unmatched"`
	Warnings  []string                `json:"warnings"`
	// Completeness is, per table, the template's cells found (t2, t3, t4);
	// {} when the template is unknown.
	Completeness map[string]nianbao.Completeness `json:"completeness"`
	Error        *string                         `json:"error"`
	// ErrorClass is the class of Err (scanned, encrypted, not_a_report …).
	ErrorClass nianbao.ErrorClass `json:"error_class,omitempty"`

	// Err is the failure as a value: errors.Is finds the readers'
	// sentinels (pdf.ErrScanned, extract.ErrBinary …) in it, and
	// nianbao.ClassOf its class. Error is its message, naming the file.
	Err error `json:"-"`

	// Report and Document are the typed results, for callers in Go.
	Report   *nianbao.Report   `json:"-"`
	Document *nianbao.Document `json:"-"`
	// Parts are the page images an article was read from by OCR (page n
	// of its cells is part n), to be kept with it.
	Parts []extract.Part `json:"-"`
}

// Process extracts and normalizes one document. It never panics: a reader
// or normalizer failure becomes Result.Error naming the file.
func Process(path string, data []byte, opt extract.Options) (res Result) {
	sum := sha256.Sum256(data)
	res = empty(Source{Path: path, SHA256: hex.EncodeToString(sum[:]), Size: len(data)})
	defer func() {
		if p := recover(); p != nil {
			res.fail(fmt.Errorf("%s: %w: %v", path, nianbao.ErrInternal, p))
			res.Warnings = append(res.Warnings, string(debug.Stack()))
		}
	}()
	res.Source.Format = extract.Sniff(data)
	doc, err := extract.Read(path, data, opt)
	if err != nil {
		res.fail(fmt.Errorf("%s: %w", path, err))
		return res
	}
	res.Source.Format = doc.Format
	rep := normalize.Normalize(doc)
	switch {
	case doc.Meta[pdf.MetaSuspectGlyphs] != "":
		doc, rep = betterOfOCR(doc, rep, data, opt)
	case doc.Format == nianbao.FormatPDF && doc.Meta[nianbao.MetaOCR] == "" && errors.Is(Verdict(doc, rep, ""), nianbao.ErrNoTables):
		doc, rep = tablesByOCR(doc, rep, data, opt)
	case len(doc.Images) > 0 && opt.Images != nil && errors.Is(Verdict(doc, rep, ""), nianbao.ErrNoTables):
		doc, rep, res.Parts = imagesByOCR(doc, rep, opt)
	}
	res.Document, res.Report = doc, rep
	res.Title = rep.Title
	if rep.Agency != "" {
		res.Agency = &rep.Agency
	}
	if rep.Year != 0 {
		res.Year = &rep.Year
	}
	if rep.Published != "" {
		res.Published = &rep.Published
	}
	res.Template = rep.Template
	res.Cells, res.Checks, res.Unmatched, res.Warnings = rep.Cells, rep.Checks, rep.Unmatched, rep.Warnings
	res.Completeness = rep.Completeness
	if err := Verdict(doc, rep, ""); err != nil {
		res.fail(fmt.Errorf("%s: %w", path, err))
	}
	return res
}

// betterOfOCR reads a PDF whose text layer's character maps are damaged
// (its characters, digits included, may read wrong) by OCR too and keeps
// the read the identities support more: more checks passing (a failed one
// counts against twice), then more cells with a value. The other read is
// named in a warning.
func betterOfOCR(doc *nianbao.Document, rep *nianbao.Report, data []byte, opt extract.Options) (*nianbao.Document, *nianbao.Report) {
	od, err := extract.ReadByOCR(data, opt)
	if err != nil {
		rep.Warnings = append(rep.Warnings, "the text layer's character maps are damaged and OCR could not read it instead: "+err.Error())
		return doc, rep
	}
	orep := normalize.Normalize(od)
	ts, os := support(rep), support(orep)
	if os[0] > ts[0] || os[0] == ts[0] && os[1] > ts[1] {
		// the damage stays reported
		orep.Warnings = append(orep.Warnings, pdf.SuspectGlyphsWarning(doc.Meta[pdf.MetaSuspectGlyphs]))
		orep.Warnings = append(orep.Warnings, fmt.Sprintf("read by OCR: the text layer's character maps are damaged, and OCR's read is the better supported (%d checks net, %d cells; text layer %d, %d)", os[0], os[1], ts[0], ts[1]))
		return od, orep
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("the text layer's character maps are damaged; kept over OCR's read as the better supported (%d checks net, %d cells; OCR %d, %d)", ts[0], ts[1], os[0], os[1]))
	return doc, rep
}

// tablesByOCR reads by OCR a PDF titled as a report whose text layer holds
// no standard table (its tables scanned in) and keeps that read when it
// finds cells.
func tablesByOCR(doc *nianbao.Document, rep *nianbao.Report, data []byte, opt extract.Options) (*nianbao.Document, *nianbao.Report) {
	od, err := extract.ReadByOCR(data, opt)
	if err != nil {
		rep.Warnings = append(rep.Warnings, "no table in the text layer; OCR: "+err.Error())
		return doc, rep
	}
	orep := normalize.Normalize(od)
	if len(orep.Cells) == 0 {
		return doc, rep // no table in the images either
	}
	orep.Warnings = append(orep.Warnings, fmt.Sprintf("read by OCR (%s): the text layer holds no table", od.Meta[nianbao.MetaOCR]))
	return od, orep
}

// imagesByOCR reads by OCR the page images of an article titled as a
// report whose text holds no table, and keeps that read when it finds
// cells.
func imagesByOCR(doc *nianbao.Document, rep *nianbao.Report, opt extract.Options) (*nianbao.Document, *nianbao.Report, []extract.Part) {
	od, parts, err := extract.ReadImages(doc, opt)
	if err != nil {
		rep.Warnings = append(rep.Warnings, "no table in the page's text; its images: "+err.Error())
		return doc, rep, nil
	}
	orep := normalize.Normalize(od)
	if len(orep.Cells) == 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no table in the page's text, nor in its %d page images (OCR)", len(parts)))
		return doc, rep, nil
	}
	orep.Warnings = append(orep.Warnings, fmt.Sprintf("read by OCR (%s) from the page's %d page images: its text holds no table", od.Meta[nianbao.MetaOCR], len(parts)))
	return od, orep, parts
}

// support is how well a report's identities hold: checks passing minus
// twice those failing, and cells with a value.
func support(r *nianbao.Report) [2]int {
	var s [2]int
	for _, c := range r.Checks {
		switch c.Status {
		case nianbao.Pass:
			s[0]++
		case nianbao.Fail:
			s[0] -= 2
		}
	}
	for _, c := range r.Cells {
		if c.Value != nil {
			s[1]++
		}
	}
	return s
}

// Verdict is the one rule of what counts as a report, for extract,
// ingest, reextract and the crawl alike: a read document without a single
// cell of the standard tables is not one — nianbao.ErrNoTables when its
// title says it is a report (its tables may be images), nianbao.ErrNoReport
// when it is not titled as one or is a page about one (its title, a
// heading near the top or listed, the title the list entry gave it, says
// 解读, 图解 …). The document's title, agency and year are still returned
// beside the error.
func Verdict(doc *nianbao.Document, rep *nianbao.Report, listed string) error {
	if len(rep.Cells) > 0 {
		return nil
	}
	if nianbao.AboutReport(listed) || nianbao.AboutReport(doc.Title) || !nianbao.IsReportTitle(rep.Title) {
		return nianbao.ErrNoReport
	}
	n := 0
	for _, b := range doc.Blocks {
		if b.Table != nil {
			continue
		}
		if n++; n > 12 {
			break
		}
		if len(b.Text) < 300 && nianbao.AboutReport(b.Text) {
			return nianbao.ErrNoReport
		}
	}
	if n := len(doc.Images); n > 0 {
		more := ""
		if n == nianbao.MaxImages {
			more = " or more"
		}
		return fmt.Errorf("%w; the page shows %d image%s%s (first %s): if its tables are images, they are read by OCR when the images can be had (crawled, or saved beside the page)",
			nianbao.ErrNoTables, n, plural(n), more, clip(doc.Images[0], 80))
	}
	return nianbao.ErrNoTables
}

// clip cuts s to at most n runes (a data: URI can be megabytes).
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Failed is the result for a file that could not be read at all: its path
// and the error, nothing else (no hash: no bytes were read).
func Failed(path string, err error) Result {
	res := empty(Source{Path: path})
	res.fail(err)
	return res
}

// empty is a result with nothing found: empty lists and maps, not nulls,
// so the JSON keeps its shape.
func empty(src Source) Result {
	return Result{Source: src, Template: nianbao.TemplateUnknown, Cells: map[string]nianbao.Cell{}, Checks: []nianbao.Check{},
		Unmatched: []nianbao.Unmatched{}, Warnings: []string{}, Completeness: map[string]nianbao.Completeness{}}
}

// Listed applies Verdict again with the title the document at path was
// listed under, which extraction does not know: a page listed as a 解读 or
// 图解 of a report is not a report.
func (res *Result) Listed(path, listed string) {
	if errors.Is(res.Err, nianbao.ErrNoTables) && nianbao.AboutReport(listed) {
		res.fail(fmt.Errorf("%s: %w", path, Verdict(res.Document, res.Report, listed)))
	}
}

// fail records err as the result's failure.
func (res *Result) fail(err error) {
	msg := err.Error()
	res.Err, res.Error, res.ErrorClass = err, &msg, nianbao.ClassOf(err)
}
