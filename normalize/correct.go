package normalize

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// Correct applies people's corrections to a report extracted from their
// document and re-runs the identities on the corrected values. cs are the
// document's corrections, oldest first (by when they were made); the
// latest of a cell is in force.
// A correction holds while extraction still reads what it was made
// against (its Extracted): the cell then takes the corrected value (an
// acceptance keeps the value) and carries the correction. When extraction
// changed underneath, the extracted value stands and the correction is
// stale, or agrees when extraction now reads the corrected value itself.
// It returns the corrections in force, each with its State.
func Correct(rep *nianbao.Report, cs []nianbao.Correction) []nianbao.Correction {
	last := map[string]int{}
	var order []string
	for i, c := range cs {
		if _, ok := last[c.Cell]; !ok {
			order = append(order, c.Cell)
		}
		last[c.Cell] = i
	}
	out := make([]nianbao.Correction, 0, len(order))
	changed := false
	for _, id := range order {
		c := cs[last[id]]
		cell, ok := rep.Cells[id]
		d, known := nianbao.LookupCell(id)
		switch {
		case !known || rep.Template != nianbao.TemplateUnknown && !d.InTemplate(rep.Template):
			// not a cell of the template read now (the report was read
			// as the other template): the extraction changed underneath
			c.State = nianbao.CorrectionStale
		case sameExtraction(c.Extracted, cell, ok):
			c.State = nianbao.CorrectionApplied
			corr := c
			if !c.Accept {
				v := ParseValue(c.Value)
				v.At, v.Source, v.Confidence = cell.At, cell.Source, cell.Confidence
				if c.Value == "" {
					v.Semantic = nianbao.Empty
				}
				cell, changed = v, true
			}
			cell.Correction = &corr
			rep.Cells[id] = cell
		case ok && sameValue(ParseValue(c.Value), cell):
			c.State = nianbao.CorrectionAgrees
		default:
			c.State = nianbao.CorrectionStale
		}
		out = append(out, c)
	}
	if changed {
		Recheck(rep)
	}
	return out
}

// sameExtraction says whether a cell extracted now (present or not) is
// the one a correction was made against.
func sameExtraction(was *string, now nianbao.Cell, present bool) bool {
	if was == nil {
		return !present
	}
	return present && strings.TrimSpace(*was) == strings.TrimSpace(now.Raw)
}

// sameValue says whether two cells hold the same reading.
func sameValue(a, b nianbao.Cell) bool {
	if a.Semantic != b.Semantic || (a.Value == nil) != (b.Value == nil) {
		return false
	}
	return a.Value == nil || *a.Value == *b.Value
}

// checkWarnings start the warnings the identities write, which Recheck
// writes again.
var checkWarnings = []string{"T2.FEE_SCALE:", "X.SPLIT_DIGITS:", "X.SHIFT:", "T3.TEXT:", "T4.TEXT:", "T2.TEXT:"}

// Recheck runs the identities and completeness again on a report whose
// cells changed after extraction (corrections). The narrative checks keep
// the figure the text states and compare it with the cells again; the
// other warnings are kept.
func Recheck(rep *nianbao.Report) {
	var narrative []nianbao.Check
	for _, c := range rep.Checks {
		if strings.HasSuffix(c.ID, ".TEXT") {
			narrative = append(narrative, c)
		}
	}
	warnings := rep.Warnings[:0:0]
	for _, w := range rep.Warnings {
		keep := true
		for _, p := range checkWarnings {
			if strings.HasPrefix(w, p) {
				keep = false
				break
			}
		}
		if keep {
			warnings = append(warnings, w)
		}
	}
	rep.Checks, rep.Warnings = []nianbao.Check{}, warnings
	runChecks(rep, t3From(rep))
	for _, c := range narrative {
		table, blank := 0.0, false
		for _, id := range c.Cells {
			if v := rep.Cells[id].Value; v != nil {
				table += *v
			} else {
				blank = true
			}
		}
		c.RHS, c.Status = table, nianbao.Pass
		switch {
		case c.LHS != table && blank:
			c.Status = nianbao.Incomplete
		case c.LHS != table:
			c.Status = nianbao.Fail
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: the text says %q but the table has %g", c.ID, c.Scope, table))
		}
		rep.Checks = append(rep.Checks, c)
	}
	measureCompleteness(rep)
}
