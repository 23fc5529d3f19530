package normalize

import (
	"testing"

	"github.com/nianbao/nianbao"
)

// t3Report is a 2021 report whose Table-3 totals balance: 10 new + 2
// carried over = 9 answered + 3 carried forward; 9 answered = 6 granted
// + 3 refused.
func t3Report() *nianbao.Report {
	rep := &nianbao.Report{Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
	for id, raw := range map[string]string{"t3.new_received.total": "10", "t3.carried_over.total": "2", "t3.total.total": "9",
		"t3.carried_forward.total": "3", "t3.granted.total": "6", "t3.refused.state_secret.total": "3"} {
		rep.Cells[id] = ParseValue(raw)
	}
	Check(rep)
	rep.Checks = append(rep.Checks, nianbao.Check{ID: "T3.TEXT", Scope: "办结申请9件", Status: nianbao.Pass, LHS: 9, RHS: 9, Cells: []string{"t3.total.total"}, Severity: "warning"})
	return rep
}

func status(rep *nianbao.Report, id, scope string) string {
	for _, c := range rep.Checks {
		if c.ID == id && c.Scope == scope {
			return c.Status
		}
	}
	return "absent"
}

func str(s string) *string { return &s }

func TestCorrect(t *testing.T) {
	rep := t3Report()
	if s := status(rep, "T3.BALANCE", "total"); s != nianbao.Pass {
		t.Fatalf("fixture: T3.BALANCE %s", s)
	}
	cs := Correct(rep, []nianbao.Correction{
		{ID: 1, Cell: "t3.total.total", Value: "8", Extracted: str("9")},
		{ID: 2, Cell: "t3.total.total", Value: "11", Extracted: str("9")}, // the latest of a cell is in force
		{ID: 3, Cell: "t3.granted.total", Accept: true, Value: "6", Extracted: str("6")},
		{ID: 4, Cell: "t3.carried_forward.total", Value: "4", Extracted: str("1")}, // made against another extraction
		{ID: 5, Cell: "t3.carried_over.total", Value: "2", Extracted: str("5")},    // … which now reads the corrected value
		{ID: 6, Cell: "t3.other.other.total", Value: "", Extracted: nil},           // a cell not extracted, said blank
		{ID: 7, Cell: "t3.other.total", Value: "2", Extracted: nil},                // a 2019 cell, the report read as 2021
	})
	want := map[int64]string{2: nianbao.CorrectionApplied, 3: nianbao.CorrectionApplied, 4: nianbao.CorrectionStale, 5: nianbao.CorrectionAgrees, 6: nianbao.CorrectionApplied, 7: nianbao.CorrectionStale}
	if len(cs) != len(want) {
		t.Fatalf("%d corrections in force, want %d: %+v", len(cs), len(want), cs)
	}
	for _, c := range cs {
		if c.State != want[c.ID] {
			t.Errorf("correction %d (%s): %s, want %s", c.ID, c.Cell, c.State, want[c.ID])
		}
	}
	if c := rep.Cells["t3.total.total"]; c.Value == nil || *c.Value != 11 || c.Correction == nil || c.Correction.ID != 2 {
		t.Errorf("corrected cell: %+v", c)
	}
	if c := rep.Cells["t3.carried_forward.total"]; *c.Value != 3 || c.Correction != nil {
		t.Errorf("a stale correction changed the cell: %+v", c)
	}
	if c := rep.Cells["t3.granted.total"]; *c.Value != 6 || c.Correction == nil || !c.Correction.Accept {
		t.Errorf("accepted cell: %+v", c)
	}
	if _, ok := rep.Cells["t3.other.total"]; ok {
		t.Error("a correction of a cell outside the template added it")
	}
	if c, ok := rep.Cells["t3.other.other.total"]; !ok || c.Semantic != nianbao.Empty || c.Value != nil {
		t.Errorf("a cell corrected to blank: %+v", c)
	}
	// identities ran again on the corrected value: 10 + 2 ≠ 11 + 3
	if s := status(rep, "T3.BALANCE", "total"); s != nianbao.Fail {
		t.Errorf("T3.BALANCE after the correction: %s", s)
	}
	if s := status(rep, "T3.TEXT", "办结申请9件"); s != nianbao.Fail {
		t.Errorf("narrative check after the correction: %s (the text says 9, the table now 11)", s)
	}
	figs := map[string]nianbao.Figure{}
	for _, f := range rep.Figures() {
		figs[f.Name] = f
	}
	if !figs["total_answered"].Corrected || !figs["grant_rate"].Corrected || figs["granted"].Corrected || figs["requests_received"].Corrected {
		t.Errorf("figures marked corrected: total_answered %v grant_rate %v granted %v requests_received %v",
			figs["total_answered"].Corrected, figs["grant_rate"].Corrected, figs["granted"].Corrected, figs["requests_received"].Corrected)
	}
}

// TestCorrectNothing: no correction leaves the report as it was.
func TestCorrectNothing(t *testing.T) {
	rep := t3Report()
	n := len(rep.Checks)
	if cs := Correct(rep, nil); len(cs) != 0 || len(rep.Checks) != n {
		t.Errorf("no corrections: %v, %d checks (was %d)", cs, len(rep.Checks), n)
	}
}
