package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
)

// printedTable is one of a report's three tables laid out as printed:
// rows of labelled cells under column headers.
type printedTable struct {
	Title           string
	Columns         []string
	Rows            []printedRow
	Found, Expected int // the template's cells extracted, of all it has
}

type printedRow struct {
	Section, Label string
	Cells          []printedCell
}

type printedCell struct {
	ID, Raw, Semantic string
	Present           bool // the report shows this cell
	Failed            bool // a failed check involves it
	OCR               bool // read from an image
	Confidence        *float64
	// Corrected is set when a person's value replaces the extracted one,
	// Accepted when a person checked the extracted one; Note says who,
	// why and what was extracted.
	Corrected, Accepted bool
	Note                string
}

// tables lays a report's cells out as its three printed tables, from the
// cell dictionary of its template; cells in failed checks are marked.
func (s *Server) tables(ctx context.Context, reportID int64, template string, checks []store.StoredCheck) ([]printedTable, error) {
	cells := map[string]printedCell{}
	stored, err := s.DB.ReportCells(ctx, reportID)
	if err != nil {
		return nil, err
	}
	for _, c := range stored {
		p := printedCell{ID: c.ID, Raw: c.Raw, Semantic: c.Semantic, Present: true, OCR: c.Source == "ocr", Confidence: c.Confidence}
		switch c.Correction {
		case "correct":
			was := "nothing"
			if c.Extracted != nil {
				was = strconv.Quote(*c.Extracted)
			}
			p.Corrected, p.Note = true, fmt.Sprintf("更正 corrected by %s: %s (extracted: %s)", c.Who, c.Why, was)
		case "accept":
			p.Accepted, p.Note = true, fmt.Sprintf("已核对 checked by %s: %s", c.Who, c.Why)
		}
		if p.OCR && c.Confidence != nil {
			p.Note = strings.TrimSpace(fmt.Sprintf("OCR %.0f%% · %s", *c.Confidence*100, p.Note))
		}
		cells[c.ID] = p
	}
	failed := map[string]bool{}
	for _, k := range checks {
		if k.Status == nianbao.Fail && !k.Narrative() {
			for _, id := range k.Cells {
				failed[id] = true
			}
		}
	}
	var out []printedTable
	for _, tbl := range []struct{ id, title string }{{"t2", "二、主动公开政府信息情况"}, {"t3", "三、收到和处理政府信息公开申请情况"}, {"t4", "四、政府信息公开行政复议、行政诉讼情况"}} {
		t := printedTable{Title: tbl.title}
		colIndex := map[string]int{}
		rowIndex := map[string]int{}
		for _, d := range nianbao.CellDefs() {
			if d.Table != tbl.id || !d.InTemplate(nianbao.Template(template)) {
				continue
			}
			section, row, col := splitLabel(d)
			if _, ok := colIndex[col]; !ok && tbl.id != "t2" {
				colIndex[col] = len(t.Columns)
				t.Columns = append(t.Columns, col)
			}
			key := section + "|" + row
			ri, ok := rowIndex[key]
			if !ok {
				ri = len(t.Rows)
				rowIndex[key] = ri
				t.Rows = append(t.Rows, printedRow{Section: section, Label: row})
			}
			c := cells[d.ID]
			c.ID = d.ID
			t.Expected++
			if c.Present {
				t.Found++
			}
			c.Failed = failed[d.ID]
			if tbl.id == "t2" { // Table 2's columns differ by section: label each cell
				c.Semantic = col + "：" + c.Semantic
			}
			t.Rows[ri].Cells = append(t.Rows[ri].Cells, c)
		}
		out = append(out, t)
	}
	return out, nil
}

// splitLabel reads a dictionary label path as section, row and column.
func splitLabel(d nianbao.CellDef) (section, row, col string) {
	if i := strings.LastIndex(d.Label, " × "); i >= 0 {
		row, col = d.Label[:i], d.Label[i+len(" × "):]
	} else if i := strings.LastIndex(d.Label, "/"); i >= 0 {
		row, col = d.Label[:i], d.Label[i+1:]
	} else {
		row = d.Label
	}
	if i := strings.Index(row, "/"); i >= 0 && d.Table == "t2" {
		section, row = row[:i], row[i+1:]
	}
	return section, row, col
}
