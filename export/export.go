// Package export writes query results as CSV that Excel and WPS open
// correctly on Chinese Windows (UTF-8 with BOM, CRLF, formula-safe) or as
// XLSX. Rows are streamed: memory stays constant however large the table.
package export

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/internal/ordered"
)

// Options control the output.
type Options struct {
	NoBOM   bool              // omit the UTF-8 byte-order mark
	Headers map[string]string // column name → printed header (e.g. Chinese); missing names print as is
	Values  map[string]string // coded text values → printed (e.g. pass → 通过); others print as is
	Comma   rune              // field separator of CSV; 0 means ','
}

// CSV streams rows to w as RFC 4180 CSV and returns the number of data rows.
func CSV(w io.Writer, rows *sql.Rows, opt Options) (int, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	cw, err := csvHead(w, cols, opt)
	if err != nil {
		return 0, err
	}
	n, err := csvBody(cw, rows, opt)
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// CSVWriter is the one CSV writer of the project (exports, the
// comparison, the web page's downloads): RFC 4180 with CRLF, and every
// field through SafeCell, so a crawled title is never run as a formula.
type CSVWriter struct {
	cw  *csv.Writer
	rec []string
}

// NewCSV starts a CSV on w: the UTF-8 byte-order mark (unless opt.NoBOM,
// so Excel and WPS read it as UTF-8) and the header row, printed through
// opt.Headers.
func NewCSV(w io.Writer, cols []string, opt Options) (*CSVWriter, error) {
	if !opt.NoBOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csvWriter(w, opt)
	return cw, cw.Write(headers(cols, opt))
}

// csvHead is NewCSV for this package's exports.
func csvHead(w io.Writer, cols []string, opt Options) (*CSVWriter, error) {
	return NewCSV(w, cols, opt)
}

func csvWriter(w io.Writer, opt Options) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if opt.Comma != 0 {
		cw.Comma = opt.Comma
	}
	return &CSVWriter{cw: cw}
}

// Write writes one record, each field made safe for spreadsheets.
func (c *CSVWriter) Write(rec []string) error {
	c.rec = c.rec[:0]
	for _, f := range rec {
		c.rec = append(c.rec, SafeCell(f))
	}
	return c.cw.Write(c.rec)
}

// Flush writes what is buffered and returns the first error so far.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// Error is the first error of a Write or Flush.
func (c *CSVWriter) Error() error { return c.cw.Error() }

// csvBody writes every row as a record.
func csvBody(cw *CSVWriter, rows *sql.Rows, opt Options) (int, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals, ptrs := scanTargets(len(cols))
	rec := make([]string, len(cols))
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			rec[i] = opt.value(format(v))
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// CSVParts writes the rows of n consecutive parts as one CSV — the same
// bytes CSV writes for their concatenation — reading and formatting up to
// jobs parts at once. part(ctx, i, read) runs the i-th part's query and
// hands its rows to read (n ≥ 1). Memory holds at most about 3×jobs parts'
// text. It returns the number of data rows.
func CSVParts(ctx context.Context, w io.Writer, n, jobs int, part func(ctx context.Context, i int, read func(*sql.Rows) error) error, opt Options) (int, error) {
	type chunk struct {
		cols []string
		text bytes.Buffer
		rows int
	}
	var (
		cw    *CSVWriter
		total int
	)
	err := inParts(ctx, n, jobs, func(ctx context.Context, i int) (*chunk, error) {
		c := &chunk{}
		return c, part(ctx, i, func(rows *sql.Rows) error {
			var err error
			if c.cols, err = rows.Columns(); err != nil {
				return err
			}
			body := csvWriter(&c.text, opt)
			c.rows, err = csvBody(body, rows, opt)
			body.Flush()
			return err
		})
	}, func(i int, c *chunk) error {
		if cw == nil {
			var err error
			if cw, err = csvHead(w, c.cols, opt); err != nil {
				return err
			}
			cw.Flush()
		}
		if _, err := w.Write(c.text.Bytes()); err != nil {
			return err
		}
		total += c.rows
		return nil
	})
	if err != nil {
		return total, err
	}
	if cw != nil {
		return total, cw.Error()
	}
	return total, nil
}

// inParts converts n parts on up to jobs goroutines and emits the results
// in order on the calling one. The first error, from either, stops the
// rest; a context cancelled before the end is an error too (what was
// emitted is not all).
func inParts[T any](ctx context.Context, n, jobs int, convert func(ctx context.Context, i int) (T, error), emit func(i int, r T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		r   T
		err error
	}
	var first error
	ordered.Map(ctx, n, jobs, func(i int) result {
		r, err := convert(ctx, i)
		return result{r, err}
	}, func(i int, x result) {
		if first != nil {
			return
		}
		if x.err == nil {
			x.err = emit(i, x.r)
		}
		if x.err != nil {
			first = x.err
			cancel()
		}
	})
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// XLSX streams rows into one sheet of a workbook written to w: the header
// row frozen and filtered, columns sized to their header, fractions
// (rates, shares, completeness) formatted as percentages, and a Notes sheet
// saying how blanks, NA and failed checks read.
func XLSX(w io.Writer, rows *sql.Rows, sheet string, opt Options) (int, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals, ptrs := scanTargets(len(cols))
	n, err := writeXLSX(w, sheet, cols, opt, func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		return vals, rows.Scan(ptrs...)
	})
	return n, err
}

// XLSXValues writes rows already in memory (text, float64, int or nil
// for blank) as XLSX, exactly as XLSX writes a query's rows: headers
// through opt, fractions as percentages, widths, filter, frozen header and
// the Notes sheet.
func XLSXValues(w io.Writer, sheet string, cols []string, rows [][]any, opt Options) (int, error) {
	i := 0
	return writeXLSX(w, sheet, cols, opt, func() ([]any, error) {
		if i == len(rows) {
			return nil, nil
		}
		i++
		return rows[i-1], nil
	})
}

// writeXLSX streams the rows next returns (nil at the end) into sheets.
func writeXLSX(w io.Writer, sheet string, cols []string, opt Options, next func() ([]any, error)) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return 0, err
	}
	head := headers(cols, opt)
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return 0, err
	}
	percent := make([]bool, len(cols))
	for i, c := range cols {
		percent[i] = isFraction(c)
	}
	// A sheet holds at most SheetRows data rows (Excel's limit less the
	// header); more rows continue on "name (2)", "name (3)" …
	name := sheet
	sw, err := startSheet(f, name, head)
	if err != nil {
		return 0, err
	}
	row := make([]any, len(cols))
	n, inSheet, sheets := 0, 0, 1
	for {
		vals, err := next()
		if err != nil {
			return n, err
		}
		if vals == nil {
			break
		}
		if inSheet == SheetRows {
			if err := finishSheet(f, sw, name, len(cols), inSheet); err != nil {
				return n, err
			}
			sheets++
			name = fmt.Sprintf("%.25s (%d)", sheet, sheets)
			if _, err := f.NewSheet(name); err != nil {
				return n, err
			}
			if sw, err = startSheet(f, name, head); err != nil {
				return n, err
			}
			inSheet = 0
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				row[i] = opt.value(string(x))
			case string:
				row[i] = opt.value(x)
			case float64:
				if percent[i] {
					row[i] = excelize.Cell{StyleID: pct, Value: x}
				} else {
					row[i] = x
				}
			default:
				row[i] = x
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, inSheet+2)
		if err := sw.SetRow(cell, row); err != nil {
			return n, err
		}
		n++
		inSheet++
	}
	if err := finishSheet(f, sw, name, len(cols), inSheet); err != nil {
		return n, err
	}
	if err := notesSheet(f); err != nil {
		return n, err
	}
	return n, f.Write(w)
}

// SheetRows is how many data rows one sheet takes: Excel's 1,048,576
// rows less the header. A variable so tests can split small tables.
var SheetRows = 1<<20 - 1

// startSheet opens a sheet for streaming: column widths from the headers,
// the header row frozen and written.
func startSheet(f *excelize.File, name string, head []string) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, h := range head {
		width := min(max(float64(len([]rune(h)))*2+2, 8), 40)
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	row := make([]any, len(head))
	for i, h := range head {
		row[i] = h
	}
	return sw, sw.SetRow("A1", row)
}

// finishSheet flushes a streamed sheet and filters its header row.
func finishSheet(f *excelize.File, sw *excelize.StreamWriter, name string, cols, rows int) error {
	if err := sw.Flush(); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(cols, rows+1)
	return f.AutoFilter(name, "A1:"+last, nil)
}

// isFraction tells the columns that hold a fraction (shown as a percent).
func isFraction(col string) bool {
	return strings.HasSuffix(col, "_rate") || strings.HasSuffix(col, "_share") || col == "completeness" ||
		strings.HasSuffix(col, "_rate_previous") || strings.HasSuffix(col, "_rate_change")
}

// notes explain the workbook's conventions.
var notes = [][2]string{
	{"空白 Blank", "A blank cell is a cell the report printed blank, or a figure nothing was printed to compute from. It is never 0. 空白不等于0。"},
	{"不适用 NA", "A dash, slash, 无 or 不适用 printed in the report (semantic na)."},
	{"…_basis", "How a derived figure was obtained: printed (the report prints it), from_parts (sum of printed parts), lower_bound (some parts blank: the true figure is at least this), missing (nothing printed)."},
	{"grant_rate", "(granted + partially granted) / total answered, a fraction shown as a percentage."},
	{"checks_failed", "Accounting identities (勾稽关系) the report's own numbers break; see the checks and check_dictionary tables. Values are kept as printed, not corrected."},
	{"Source", "nianbao, from the published 政府信息公开工作年度报告; every value can be traced to its printed cell (nianbao show)."},
}

func notesSheet(f *excelize.File) error {
	if _, err := f.NewSheet("Notes"); err != nil {
		return err
	}
	f.SetColWidth("Notes", "A", "A", 18)
	f.SetColWidth("Notes", "B", "B", 100)
	for i, n := range notes {
		f.SetCellValue("Notes", fmt.Sprintf("A%d", i+1), n[0])
		f.SetCellValue("Notes", fmt.Sprintf("B%d", i+1), n[1])
	}
	return nil
}

func headers(cols []string, opt Options) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if h, ok := opt.Headers[c]; ok && h != "" {
			out[i] = h
		} else {
			out[i] = c
		}
	}
	return out
}

func scanTargets(n int) ([]any, []any) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, ptrs
}

// value translates a coded text value when Values has it.
func (o Options) value(s string) string {
	if t, ok := o.Values[s]; ok {
		return t
	}
	return s
}

func format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 && (x != 0 || !math.Signbit(x)) {
			return strconv.FormatInt(int64(x), 10) // the same digits, faster
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// SafeCell defuses spreadsheet formula injection: text that starts with
// = + - @ (or a tab or CR) gets a leading apostrophe. Numbers, including
// negative ones, are left alone.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}
