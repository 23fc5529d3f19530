// Package normalize turns a Document into a Report: it finds the three
// standard tables by their anchor phrases, detects the template, matches
// printed labels to canonical cell ids, parses values as printed, and runs
// the accounting identities. It knows everything about annual reports and
// nothing about HTML or PDF.
package normalize

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// Normalize reads the standard tables of one annual report. Cost is linear
// in the document's rows: rows are built once (value runs joined once),
// anchors and labels are matched per row, and the run-together decoder's
// searches are capped per row (splits returns at most limit candidates).
func Normalize(doc *nianbao.Document) *nianbao.Report {
	rep := &nianbao.Report{Cells: make(map[string]nianbao.Cell, 256), Checks: []nianbao.Check{}, Unmatched: []nianbao.Unmatched{}, Warnings: []string{}}
	rep.Warnings = append(rep.Warnings, doc.Warnings...)
	rows := buildRows(doc)
	readMeta(doc, rep)
	if !hasT3Rows(rows) {
		// Cells run together in a text dump: decode them by the table's rules.
		tpl, _ := detectTemplate(rows, nil, rep.Year)
		if extra := runTogetherRows(doc, tpl, rep); len(extra) > 0 {
			rows = extra
		}
	}

	t2Start, t3Start, t4Start := anchors(rows)
	t3End := len(rows)
	if t4Start >= 0 {
		t3End = t4Start
	}
	var t3 *t3Result
	if t3Start >= 0 {
		t3 = readT3(rows, t3Start, t3End, rep)
	}
	tpl, why := detectTemplate(rows, t3, rep.Year)
	rep.Template = tpl
	if why == byT2Headers && rep.Year > 0 {
		if (tpl == nianbao.Template2021 && rep.Year < 2021) || (tpl == nianbao.Template2019 && rep.Year >= 2021) {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("template_year_mismatch: %s template headers in a report on %d", tpl, rep.Year))
		}
	}
	t2End := len(rows)
	switch {
	case t3Start >= 0:
		t2End = t3Start
	case t4Start >= 0:
		t2End = t4Start
	}
	if t2Start >= 0 && t2Start < t2End {
		readT2(rows, t2Start, t2End, tpl, rep, lostCellGuess(doc))
	} else if t2Start < 0 && t3Start > 0 {
		readT2(rows, 0, t3Start, tpl, rep, lostCellGuess(doc))
	}
	if t3 != nil {
		for key, vals := range t3.rows {
			for i, col := range t3Cols {
				setCellAt(rep, "t3."+key+"."+col, vals[i], t3.at[key][i])
			}
		}
	}
	if t4Start >= 0 && !readT4(rows, t4Start, rep) {
		rep.Warnings = append(rep.Warnings, "t4: table not found after its heading")
	}
	if len(rep.Cells) == 0 {
		rep.Warnings = append(rep.Warnings, "no standard table found: not an annual report, or a form this reader cannot align")
	}
	runChecks(rep, t3)
	narrativeChecks(doc, rep)
	measureCompleteness(rep)
	return rep
}

// anchors locates the three tables by their anchor phrases, not by section
// numbers (some reports renumber their sections). Each is -1 when absent.
func anchors(rows []row) (t2, t3, t4 int) {
	t2, t3, t4 = -1, -1, -1
	for i, r := range rows {
		if t2 < 0 && (strings.Contains(r.label, "第二十条") || strings.Contains(r.label, "主动公开政府信息情况")) {
			t2 = i
		}
		if t3 < 0 && len(r.values) >= 7 && t3Label(r.label) == "new_received" {
			t3 = i
		}
	}
	if t3 < 0 {
		// No labelled first row: start at the section heading.
		for i, r := range rows {
			if i > t2 && strings.Contains(r.label, "收到和处理政府信息公开申请") {
				t3 = i
				break
			}
		}
	}
	if t3 < 0 {
		// Neither: the table continued from a page this document lacks (a
		// report's second page posted alone) starts at its first row.
		for i, r := range rows {
			if i > t2 && len(r.values) >= 7 && t3Label(r.label) != "" {
				t3 = i
				break
			}
		}
	}
	from := max(t3, t2, 0)
	for i := from; i < len(rows); i++ {
		if isT4Anchor(rows[i]) {
			t4 = i
			break
		}
	}
	return t2, t3, t4
}

// hasT3Rows reports whether any row reads as a Table-3 row with its values.
func hasT3Rows(rows []row) bool {
	for _, r := range rows {
		if len(r.values) >= 7 && t3Label(r.label) != "" {
			return true
		}
	}
	return false
}

// measureCompleteness counts, per table, the template's cells the report
// shows, and warns about every table that is missing or short: a partial
// extraction is never silent.
func measureCompleteness(rep *nianbao.Report) {
	rep.Completeness = map[string]nianbao.Completeness{}
	if rep.Template == nianbao.TemplateUnknown {
		if len(rep.Cells) > 0 {
			// cells but no template (a report's second page alone): what
			// is missing cannot be counted, and that is said
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("incomplete: template not recognised, %d cells found; completeness not measured", len(rep.Cells)))
		}
		return
	}
	for _, d := range nianbao.CellDefs() {
		if !d.InTemplate(rep.Template) {
			continue
		}
		c := rep.Completeness[d.Table]
		c.Expected++
		if _, ok := rep.Cells[d.ID]; ok {
			c.Found++
		}
		rep.Completeness[d.Table] = c
	}
	for _, t := range []string{"t2", "t3", "t4"} {
		c := rep.Completeness[t]
		if c.Expected == 0 {
			continue
		}
		c.Ratio = float64(c.Found) / float64(c.Expected)
		rep.Completeness[t] = c
		switch {
		case c.Found == 0:
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("incomplete: %s missing (0 of its %d cells found)", t, c.Expected))
		case c.Found < c.Expected:
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("incomplete: %s short, %d of %d cells found", t, c.Found, c.Expected))
		}
	}
}

// lostCellGuess says whether a 3-column row read with 2 values may be
// taken as missing its middle cell: what converters of multi-line cells
// do. Not for OCR: there a box lost in the scan may be any one of the
// three, and a guess would move a figure into another column.
func lostCellGuess(doc *nianbao.Document) bool { return doc.Meta[nianbao.MetaOCR] == "" }
