// Package export writes query results as CSV that Excel and WPS open
// correctly on Chinese Windows (UTF-8 with BOM, CRLF, formula-safe) or as
// XLSX. Rows are streamed: memory stays constant however large the table.
package export

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Options control the output.
type Options struct {
	NoBOM   bool              // omit the UTF-8 byte-order mark
	Headers map[string]string // column name → printed header (e.g. Chinese); missing names print as is
	Values  map[string]string // coded text values → printed (e.g. pass → 通过); others print as is
}

// CSV streams rows to w as RFC 4180 CSV and returns the number of data rows.
func CSV(w io.Writer, rows *sql.Rows, opt Options) (int, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if !opt.NoBOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return 0, err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(headers(cols, opt)); err != nil {
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
			rec[i] = SafeCell(opt.value(format(v)))
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, rows.Err()
}

// XLSX streams rows into one sheet of a workbook written to w.
func XLSX(w io.Writer, rows *sql.Rows, sheet string, opt Options) (int, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	f := excelize.NewFile()
	defer f.Close()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return 0, err
	}
	head := headers(cols, opt)
	row := make([]any, len(cols))
	for i, h := range head {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return 0, err
	}
	vals, ptrs := scanTargets(len(cols))
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				row[i] = opt.value(string(x))
			case string:
				row[i] = opt.value(x)
			default:
				row[i] = x
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := sw.Flush(); err != nil {
		return n, err
	}
	return n, f.Write(w)
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
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// SafeCell defuses spreadsheet formula injection: text that starts with
// = + - @ (or a tab or CR) gets a leading apostrophe. Numbers, including
// negative ones, are left alone.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsAny(s[:1], "=+-@\t\r") {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}
