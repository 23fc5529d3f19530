package normalize

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

var (
	t4Groups = []string{"review", "suit_direct", "suit_after_review"}
	t4Leaves = []string{"upheld", "corrected", "other", "pending", "total"}
)

// t4IDs lists the 15 Table-4 cell ids in printed order.
func t4IDs() []string {
	var ids []string
	for _, g := range t4Groups {
		for _, l := range t4Leaves {
			ids = append(ids, "t4."+g+"."+l)
		}
	}
	return ids
}

// readT4 collects the 15 values of Table 4 from the value rows that follow
// its anchor at rows[start], whether printed as one row of 15, three rows of
// 5, or one value per line. It returns whether the table was found.
func readT4(rows []row, start int, rep *nianbao.Report) bool {
	var vals []string
	var ats []*nianbao.Position
	for _, r := range rows[start+1:] {
		if len(vals) >= 15 {
			break
		}
		if len(vals) == 0 && len(r.values) == 15 && r.hasValues() {
			// the whole table on one line, joined to the last header line
			// above it (headers wrapped a character at a time)
			vals = r.values
			for i := range vals {
				ats = append(ats, r.posOf(vals, i))
			}
			break
		}
		if !r.valueOnly() {
			if len(vals) > 0 && !r.table && (r.long || len([]rune(r.label)) > 40) {
				break // narrative resumed
			}
			if !isT4Header(r.label) || !r.hasValues() {
				if r.label != "" && len(r.values) > 0 && len(vals) > 0 {
					break
				}
				continue
			}
			// values printed one per line after the last header word
		}
		if !r.hasValues() && len(r.values) < 5 {
			continue
		}
		for i := range r.values {
			ats = append(ats, r.posOf(r.values, i))
		}
		vals = append(vals, r.values...)
	}
	switch {
	case len(vals) == 0:
		return false
	case len(vals) < 15:
		rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t4", Label: "", Raw: vals})
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("t4: found %d value cells, expected 15", len(vals)))
		return false
	case len(vals) > 15:
		if v, ok := trimValues(vals, 15); ok {
			off := 0 // trimValues cuts from both ends: keep positions aligned
			for off < len(vals) && &vals[off] != &v[0] {
				off++
			}
			vals, ats = v, ats[off:off+15]
		} else {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t4: found %d value cells, expected 15; extra ignored", len(vals)))
			vals, ats = vals[:15], ats[:15]
		}
	}
	for i, id := range t4IDs() {
		var at *nianbao.Position
		if i < len(ats) {
			at = ats[i]
		}
		setCellAt(rep, id, vals[i], at)
	}
	return true
}

// isT4Header reports whether a folded label is a Table-4 header word.
func isT4Header(label string) bool {
	for _, w := range []string{"总计", "审结", "结果", "起诉", "复议", "诉讼"} {
		if strings.HasSuffix(label, w) {
			return true
		}
	}
	return false
}

// isT4Anchor reports whether a row starts Table 4: a heading or header row
// naming administrative review (复议).
func isT4Anchor(r row) bool {
	return !r.hasValues() && strings.Contains(r.label, "复议")
}
