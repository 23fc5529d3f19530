package normalize

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// t2Row names one Table-2 row: its printed labels (folded) and its cell-id
// prefix and columns per template.
type t2Row struct {
	labels []string
	prefix string
	cols21 []string
	cols19 []string
}

var t2Rows = []t2Row{
	{[]string{"规章"}, "t2.art20_1.rules", []string{"issued", "repealed", "in_force"}, []string{"new_made", "new_published", "total_published"}},
	{[]string{"行政规范性文件", "规范性文件"}, "t2.art20_1.normative_docs", []string{"issued", "repealed", "in_force"}, []string{"new_made", "new_published", "total_published"}},
	{[]string{"行政许可"}, "t2.art20_5.admin_licensing", []string{"decisions"}, []string{"prev_year_items", "items_delta", "decisions"}},
	{[]string{"其他对外管理服务事项"}, "t2.art20_5.other_external_services", nil, []string{"prev_year_items", "items_delta", "decisions"}},
	{[]string{"行政处罚"}, "t2.art20_6.admin_penalty", []string{"decisions"}, []string{"prev_year_items", "items_delta", "decisions"}},
	{[]string{"行政强制"}, "t2.art20_6.admin_coercion", []string{"decisions"}, []string{"prev_year_items", "items_delta", "decisions"}},
	{[]string{"行政事业性收费"}, "t2.art20_8.admin_fees", []string{"amount_wan_yuan"}, []string{"prev_year_items", "items_delta"}},
	{[]string{"政府集中采购"}, "t2.art20_9.central_procurement", nil, []string{"projects", "total_amount"}},
}

// t2Match returns the Table-2 row a folded label names, matching the whole
// label once enumerators and parenthetical instructions are removed.
func t2Match(label string) *t2Row {
	l := stripParens(stripEnum(label))
	for i := range t2Rows {
		for _, w := range t2Rows[i].labels {
			if l == w {
				return &t2Rows[i]
			}
		}
	}
	return nil
}

// readT2 maps Table-2 rows in rows[start:end] to cells of template tpl.
func readT2(rows []row, start, end int, tpl nianbao.Template, rep *nianbao.Report, guessMiddle bool) {
	seen := map[string]bool{}
	for _, r := range rows[start:end] {
		if len(r.values) == 0 {
			continue
		}
		def := t2Match(r.label)
		if def == nil {
			if r.table && r.label != "" && r.hasValues() && len([]rune(r.label)) <= 30 {
				rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t2", Label: strings.Join(r.labels, ""), Raw: r.values})
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: row label '%s' matched no known row", shortLabel(r)))
			}
			continue
		}
		cols := def.cols21
		if tpl == nianbao.Template2019 {
			cols = def.cols19
		}
		if cols == nil {
			rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t2", Label: strings.Join(r.labels, ""), Raw: r.values})
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: row '%s' does not belong to the %s template", shortLabel(r), tpl))
			continue
		}
		if seen[def.prefix] {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: second row for %s ignored", def.prefix))
			continue
		}
		seen[def.prefix] = true
		vals, ok := trimValues(r.values, len(cols))
		switch {
		case ok:
			for i, c := range cols {
				setCellAt(rep, def.prefix+"."+c, vals[i], r.posOf(vals, i))
			}
		case len(vals) > len(cols):
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: row '%s' has %d values for %d columns; extra values ignored", shortLabel(r), len(vals), len(cols)))
			for i, c := range cols {
				setCellAt(rep, def.prefix+"."+c, vals[i], r.posOf(vals, i))
			}
		case len(cols) == 3 && len(vals) == 2 && guessMiddle:
			// A lost middle cell (a multi-line cell the converter moved
			// elsewhere): the first value is this year's, the last the total.
			setCellAt(rep, def.prefix+"."+cols[0], vals[0], r.posOf(vals, 0))
			setCellAt(rep, def.prefix+"."+cols[2], vals[1], r.posOf(vals, 1))
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: row '%s' has 2 values for 3 columns; %s taken as missing", shortLabel(r), cols[1]))
		default:
			rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t2", Label: strings.Join(r.labels, ""), Raw: r.values})
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t2: row '%s' has %d values for %d columns", shortLabel(r), len(vals), len(cols)))
		}
	}
}

// setCellAt parses a printed value into the report under a canonical id,
// with where it was printed.
func setCellAt(rep *nianbao.Report, id, raw string, at *nianbao.Position) {
	c := ParseValue(raw)
	c.At = at
	if at != nil {
		c.Source, c.Confidence = at.Source, at.Confidence
	}
	rep.Cells[id] = c
}
