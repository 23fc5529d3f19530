package nianbao

import "strings"

// Basis says how a derived figure was obtained from the printed cells.
type Basis string

// Bases of derived figures, from most to least certain.
const (
	BasisPrinted    Basis = "printed"     // the report prints the figure itself
	BasisFromParts  Basis = "from_parts"  // the sum of printed parts, every part printed
	BasisLowerBound Basis = "lower_bound" // the sum of the printed parts; some parts are blank or NA
	BasisMissing    Basis = "missing"     // nothing printed to compute it from: NULL, never 0
)

// Figure is one derived figure of a report (report_summary's columns).
type Figure struct {
	Name  string
	Value *float64 // nil when Basis is missing
	Basis Basis
	// Corrected is set when a cell it was derived from holds a person's
	// correction, not the extracted value.
	Corrected bool
}

// FigureNames lists the derived figures in column order.
var FigureNames = []string{
	"requests_received", "carried_over", "granted", "partially_granted", "refused", "unavailable",
	"not_processed", "other_handling", "total_answered", "carried_forward", "grant_rate",
	"reviews", "reviews_corrected", "suits", "suits_corrected",
	"licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_wan_yuan",
}

// Figures derives the summary figures of a report under the blank rule:
// the printed total when there is one, else the sum of the printed parts
// (a lower bound when some parts are blank or NA), else missing. A blank is
// never read as 0. grant_rate is a fraction, (granted + partially granted)
// / total answered; it is missing when the denominator is unknown, zero or
// only a lower bound.
func (r *Report) Figures() []Figure {
	f := figurer{r: r}
	rows := func(group string) figure { // every Table-3 row of a group, e.g. refused
		var parts []figure
		for _, d := range allCells() {
			if strings.HasPrefix(d.ID, "t3."+group+".") && strings.HasSuffix(d.ID, ".total") && f.inTemplate(d) {
				parts = append(parts, f.row(strings.TrimSuffix(d.ID, ".total")))
			}
		}
		return sum(parts...)
	}
	granted, partly, answered := f.row("t3.granted"), f.row("t3.partially_granted"), f.row("t3.total")
	figs := map[string]figure{
		"requests_received":   f.row("t3.new_received"),
		"carried_over":        f.row("t3.carried_over"),
		"granted":             granted,
		"partially_granted":   partly,
		"refused":             rows("refused"),
		"unavailable":         rows("unavailable"),
		"not_processed":       rows("not_processed"),
		"other_handling":      rows("other"),
		"total_answered":      answered,
		"carried_forward":     f.row("t3.carried_forward"),
		"grant_rate":          ratio(sum(granted, partly), answered),
		"reviews":             f.row("t4.review"),
		"reviews_corrected":   f.cell("t4.review.corrected"),
		"suits":               sum(f.row("t4.suit_direct"), f.row("t4.suit_after_review")),
		"suits_corrected":     sum(f.cell("t4.suit_direct.corrected"), f.cell("t4.suit_after_review.corrected")),
		"licensing_decisions": f.cell("t2.art20_5.admin_licensing.decisions"),
		"penalty_decisions":   f.cell("t2.art20_6.admin_penalty.decisions"),
		"coercion_decisions":  f.cell("t2.art20_6.admin_coercion.decisions"),
		"fees_wan_yuan":       f.cell("t2.art20_8.admin_fees.amount_wan_yuan"),
	}
	out := make([]Figure, len(FigureNames))
	for i, n := range FigureNames {
		g := figs[n]
		out[i] = Figure{Name: n, Basis: g.basis, Corrected: g.corrected}
		if g.basis != BasisMissing {
			v := g.value
			out[i].Value = &v
		}
	}
	return out
}

type figure struct {
	value     float64
	basis     Basis
	corrected bool // a cell it reads holds a correction
}

type figurer struct{ r *Report }

func (f figurer) inTemplate(d CellDef) bool {
	return d.InTemplate(f.r.Template)
}

// cell is one printed cell as a figure.
func (f figurer) cell(id string) figure {
	c, ok := f.r.Cells[id]
	corrected := ok && c.Correction != nil && !c.Correction.Accept
	if ok && c.Value != nil {
		return figure{*c.Value, BasisPrinted, corrected}
	}
	return figure{basis: BasisMissing, corrected: corrected}
}

// row is a row's (or Table-4 group's) total: printed, else from its parts.
func (f figurer) row(prefix string) figure {
	t := f.cell(prefix + ".total")
	if t.basis == BasisPrinted {
		return t
	}
	var parts []figure
	seen := false
	for _, d := range allCells() {
		if !strings.HasPrefix(d.ID, prefix+".") || d.ID == prefix+".total" || strings.Count(d.ID, ".") != strings.Count(prefix, ".")+1 || !f.inTemplate(d) {
			continue
		}
		if _, ok := f.r.Cells[d.ID]; ok {
			seen = true
		}
		parts = append(parts, f.cell(d.ID))
	}
	if !seen {
		return figure{basis: BasisMissing, corrected: t.corrected}
	}
	s := sum(parts...)
	s.corrected = s.corrected || t.corrected
	if s.basis == BasisPrinted {
		s.basis = BasisFromParts
	}
	return s
}

// sum adds figures: exact only when every part is; a lower bound when some
// are missing but not all.
func sum(parts ...figure) figure {
	out := figure{basis: BasisPrinted}
	present, missing := 0, 0
	for _, p := range parts {
		out.corrected = out.corrected || p.corrected
		if p.basis == BasisMissing {
			missing++
			continue
		}
		present++
		out.value += p.value
		out.basis = worse(out.basis, p.basis)
	}
	switch {
	case present == 0:
		return figure{basis: BasisMissing, corrected: out.corrected}
	case missing > 0:
		out.basis = BasisLowerBound
	}
	return out
}

// ratio divides two figures; unknown unless the denominator is exact and
// not zero.
func ratio(num, den figure) figure {
	corrected := num.corrected || den.corrected
	if num.basis == BasisMissing || den.basis == BasisMissing || den.basis == BasisLowerBound || den.value == 0 {
		return figure{basis: BasisMissing, corrected: corrected}
	}
	return figure{num.value / den.value, worse(num.basis, den.basis), corrected}
}

func worse(a, b Basis) Basis {
	rank := map[Basis]int{BasisPrinted: 0, BasisFromParts: 1, BasisLowerBound: 2, BasisMissing: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
