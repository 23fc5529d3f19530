package normalize

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nianbao/nianbao"
)

// checker evaluates identities over the report's cells. Blank and NA cells
// read as 0; a failing identity that involves one is incomplete, not failed.
type checker struct {
	rep *nianbao.Report
}

func (k checker) has(id string) bool { _, ok := k.rep.Cells[id]; return ok }

// val returns the cell's value with blanks as 0, and whether it was soft
// (absent, blank, NA or text).
func (k checker) val(id string) (float64, bool) {
	c, ok := k.rep.Cells[id]
	if !ok || c.Value == nil {
		return 0, true
	}
	return *c.Value, false
}

// sum checks lhs ids against rhs ids and records the outcome.
func (k checker) sum(id, scope string, lhs, rhs []string, tol float64) *nianbao.Check {
	any := false
	for _, c := range append(append([]string{}, lhs...), rhs...) {
		if k.has(c) {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	soft := false
	add := func(ids []string) float64 {
		t := 0.0
		for _, c := range ids {
			v, s := k.val(c)
			t += v
			soft = soft || s
		}
		return t
	}
	l, r := add(lhs), add(rhs)
	status := nianbao.Pass
	if math.Abs(l-r) > tol {
		status = nianbao.Fail
		if soft {
			status = nianbao.Incomplete
		}
	}
	ch := nianbao.Check{ID: id, Scope: scope, Status: status, LHS: round(l), RHS: round(r), Cells: append(append([]string{}, lhs...), rhs...), Severity: "error"}
	k.rep.Checks = append(k.rep.Checks, ch)
	return &k.rep.Checks[len(k.rep.Checks)-1]
}

func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// runChecks applies the identities of template-spec §6 that the report's
// cells allow, and adds hints for failed row totals.
func runChecks(rep *nianbao.Report, t3 *t3Result) {
	k := checker{rep}
	if t3 != nil && t3.found {
		resultRows := append([]string{"granted", "partially_granted"}, t3Head[4:]...)
		if _, single := t3.rows["other"]; single {
			resultRows = append(resultRows, "other")
		} else {
			resultRows = append(resultRows, "other.no_correction", "other.fee_unpaid", "other.other")
		}
		for _, col := range t3Cols {
			c := func(row string) string { return "t3." + row + "." + col }
			k.sum("T3.BALANCE", col, []string{c("new_received"), c("carried_over")}, []string{c("total"), c("carried_forward")}, 0)
			var parts []string
			for _, r := range resultRows {
				parts = append(parts, c(r))
			}
			k.sum("T3.RESULT_SUM", col, []string{c("total")}, parts, 0)
		}
		for _, r := range t3Order21 {
			rowTotal(k, r)
		}
		if _, single := t3.rows["other"]; single {
			rowTotal(k, "other")
		}
		rangeCheck(k, "T3.RANGE", "t3.")
	}
	if k.has("t4.review.total") {
		for _, g := range t4Groups {
			p := "t4." + g + "."
			k.sum("T4.GROUP_SUM", g, []string{p + "total"}, []string{p + "upheld", p + "corrected", p + "other", p + "pending"}, 0)
		}
		rangeCheck(k, "T4.RANGE", "t4.")
	}
	if hasPrefix(rep, "t2.") {
		rangeCheck(k, "T2.RANGE", "t2.")
		for _, p := range []string{"t2.art20_1.rules", "t2.art20_1.normative_docs"} {
			if k.has(p+".new_published") && k.has(p+".total_published") {
				np, s1 := k.val(p + ".new_published")
				tp, s2 := k.val(p + ".total_published")
				st := nianbao.Pass
				if np > tp {
					st = nianbao.Fail
					if s1 || s2 {
						st = nianbao.Incomplete
					}
				}
				rep.Checks = append(rep.Checks, nianbao.Check{ID: "T19.PUBLISHED", Scope: strings.TrimPrefix(p, "t2.art20_1."), Status: st, LHS: np, RHS: tp, Cells: []string{p + ".new_published", p + ".total_published"}, Severity: "warning"})
			}
		}
		if c, ok := rep.Cells["t2.art20_8.admin_fees.amount_wan_yuan"]; ok && c.Value != nil {
			st := nianbao.Pass
			if *c.Value > 1e6 {
				st = nianbao.Fail
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("T2.FEE_SCALE: 行政事业性收费 %v 万元 looks like 元, not 万元", *c.Value))
			}
			rep.Checks = append(rep.Checks, nianbao.Check{ID: "T2.FEE_SCALE", Scope: "admin_fees", Status: st, LHS: *c.Value, RHS: 1e6, Cells: []string{"t2.art20_8.admin_fees.amount_wan_yuan"}, Severity: "warning"})
		}
	}
}

func hasPrefix(rep *nianbao.Report, p string) bool {
	for id := range rep.Cells {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// rowTotal checks T3.ROW_TOTAL on one row and, when it fails, looks for the
// two hints of template-spec §6: split digits and a shifted column.
func rowTotal(k checker, r string) {
	ids := make([]string, 7)
	for i, col := range t3Cols {
		ids[i] = "t3." + r + "." + col
	}
	ch := k.sum("T3.ROW_TOTAL", r, ids[6:], ids[:6], 0)
	if ch == nil || ch.Status != nianbao.Fail {
		return // hints only for rows that fail with every cell printed
	}
	v := make([]float64, 7)
	for i, id := range ids {
		v[i], _ = k.val(id)
	}
	for i := 0; i+1 < 6; i++ {
		if v[i] >= 0 && v[i] < 10 && v[i+1] >= 0 && v[i+1] < 10 {
			joined := v[i]*10 + v[i+1]
			s := ch.RHS - v[i] - v[i+1] + joined
			if s == v[6] && (v[i] != 0 || v[i+1] != 0) {
				k.rep.Warnings = append(k.rep.Warnings, fmt.Sprintf("X.SPLIT_DIGITS: t3.%s adds up if %s and %s are one number %v (a split cell?)", r, t3Cols[i], t3Cols[i+1], joined))
				break
			}
		}
	}
	// Shift: the row adds up when read one column off (a lost or extra cell).
	if v[5] != 0 && v[0]+v[1]+v[2]+v[3]+v[4] == v[5] {
		k.rep.Warnings = append(k.rep.Warnings, fmt.Sprintf("X.SHIFT: t3.%s adds up if its values are shifted one column right (a lost cell?)", r))
	} else if v[0] != 0 && v[6] != 0 && v[1]+v[2]+v[3]+v[4]+v[5] == v[6] {
		k.rep.Warnings = append(k.rep.Warnings, fmt.Sprintf("X.SHIFT: t3.%s adds up without its first value (an extra cell?)", r))
	}
}

// rangeCheck records one check per table: every value is an integer ≥ 0
// (T2 allows signed items_delta and decimal money).
func rangeCheck(k checker, id, prefix string) {
	var bad []string
	for cid, c := range k.rep.Cells {
		if !strings.HasPrefix(cid, prefix) {
			continue
		}
		def, _ := nianbao.LookupCell(cid)
		switch {
		case c.Semantic == nianbao.Text:
			bad = append(bad, cid)
		case c.Value == nil:
		case *c.Value < 0 && !def.Signed():
			bad = append(bad, cid)
		case *c.Value != math.Trunc(*c.Value) && !def.Decimal():
			bad = append(bad, cid)
		}
	}
	slices.Sort(bad)
	st := nianbao.Pass
	if len(bad) > 0 {
		st = nianbao.Fail
	}
	k.rep.Checks = append(k.rep.Checks, nianbao.Check{ID: id, Scope: "all", Status: st, LHS: float64(len(bad)), RHS: 0, Cells: nonNil(bad), Severity: "error"})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Check computes the checks and completeness of a report built from cells
// (not read from a document): generated sample data, a report whose cells
// were corrected. Checks and warnings it had are replaced.
func Check(rep *nianbao.Report) {
	rep.Checks, rep.Warnings = nil, nil
	runChecks(rep, t3From(rep))
	measureCompleteness(rep)
}

// t3From is what the Table-3 identities need to know of a report built
// from cells: whether it has Table 3, and whether 其他处理 is one row (2019).
func t3From(rep *nianbao.Report) *t3Result {
	t3 := &t3Result{rows: map[string][]string{}}
	for id := range rep.Cells {
		if strings.HasPrefix(id, "t3.") {
			t3.found = true
		}
		if strings.HasPrefix(id, "t3.other.") && strings.Count(id, ".") == 2 {
			t3.rows["other"] = nil // the 2019 single 其他处理 row
		}
	}
	return t3
}
