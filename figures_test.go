package nianbao

import (
	"math"
	"testing"
)

func num(v float64) Cell { return Cell{Value: &v, Semantic: Numeric} }
func blank() Cell        { return Cell{Semantic: Empty} }
func dash() Cell         { return Cell{Raw: "-", Semantic: NA} }
func figs(r *Report) map[string]Figure {
	m := map[string]Figure{}
	for _, f := range r.Figures() {
		m[f.Name] = f
	}
	return m
}

func TestFiguresFollowTheBlankRule(t *testing.T) {
	cols := []string{"natural_person", "commercial_enterprise", "research_institution", "public_welfare_org", "legal_service_org", "other_org"}
	row := func(r *Report, prefix string, total Cell, parts ...Cell) {
		r.Cells[prefix+".total"] = total
		for i, p := range parts {
			r.Cells[prefix+"."+cols[i]] = p
		}
	}
	r := &Report{Template: Template2021, Cells: map[string]Cell{}}
	// printed total
	row(r, "t3.new_received", num(42), num(40), num(2), num(0), num(0), num(0), num(0))
	// blank total, all parts printed
	row(r, "t3.carried_over", blank(), num(1), num(1), num(0), num(0), num(0), num(0))
	// blank total, some parts blank: a lower bound
	row(r, "t3.granted", blank(), num(258), num(12), blank(), blank(), blank(), blank())
	// nothing printed at all
	row(r, "t3.partially_granted", blank(), blank(), blank(), blank(), blank(), blank(), blank())
	// a dash is not a zero either
	row(r, "t3.carried_forward", dash(), num(1), dash(), num(0), num(0), num(0), num(0))
	r.Cells["t3.total.total"] = num(805)
	f := figs(r)
	cases := []struct {
		name  string
		value float64
		basis Basis
	}{
		{"requests_received", 42, BasisPrinted},
		{"carried_over", 2, BasisFromParts},
		{"granted", 270, BasisLowerBound},
		{"carried_forward", 1, BasisLowerBound},
		{"grant_rate", 270.0 / 805, BasisLowerBound},
		{"total_answered", 805, BasisPrinted},
	}
	for _, c := range cases {
		g := f[c.name]
		if g.Value == nil || math.Abs(*g.Value-c.value) > 1e-9 || g.Basis != c.basis {
			t.Errorf("%s = %v (%s), want %v (%s)", c.name, deref(g.Value), g.Basis, c.value, c.basis)
		}
	}
	for _, name := range []string{"partially_granted", "refused", "reviews", "suits", "fees_wan_yuan"} {
		if g := f[name]; g.Value != nil || g.Basis != BasisMissing {
			t.Errorf("%s = %v (%s), want NULL and missing: never 0 from blanks", name, deref(g.Value), g.Basis)
		}
	}
	// A denominator that is only a lower bound makes the rate unknown.
	r.Cells["t3.total.total"] = blank()
	r.Cells["t3.total.natural_person"] = num(700)
	r.Cells["t3.total.commercial_enterprise"] = blank()
	if g := figs(r)["grant_rate"]; g.Value != nil {
		t.Errorf("grant_rate over a lower-bound denominator = %v", *g.Value)
	}
}

func TestFiguresGroupsAndTable4(t *testing.T) {
	r := &Report{Template: Template2021, Cells: map[string]Cell{
		"t3.refused.state_secret.total": num(1), "t3.refused.other_law.total": num(2),
		"t4.review.total": num(3), "t4.review.corrected": num(1),
		"t4.suit_direct.total": num(2), "t4.suit_after_review.upheld": num(1), "t4.suit_after_review.corrected": num(0),
		"t4.suit_after_review.other": num(0), "t4.suit_after_review.pending": num(0), "t4.suit_after_review.total": blank(),
	}}
	f := figs(r)
	if g := f["refused"]; *g.Value != 3 || g.Basis != BasisLowerBound { // six refused rows not printed
		t.Errorf("refused = %v (%s)", *g.Value, g.Basis)
	}
	if g := f["suits"]; *g.Value != 3 || g.Basis != BasisFromParts {
		t.Errorf("suits = %v (%s), want 2 printed + 1 from parts", *g.Value, g.Basis)
	}
	if g := f["reviews_corrected"]; *g.Value != 1 || g.Basis != BasisPrinted {
		t.Errorf("reviews_corrected = %v (%s)", *g.Value, g.Basis)
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
