package versions

import (
	"fmt"
	"testing"
)

func cells(n, differ int) map[string]float64 {
	m := map[string]float64{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("t3.c%d", i)] = float64(i)
		if i < differ {
			m[fmt.Sprintf("t3.c%d", i)] = float64(i) + 1
		}
	}
	return m
}

func TestSameCellsThresholds(t *testing.T) {
	for _, c := range []struct {
		common, differ int
		want           bool
	}{
		{10, 0, true}, {10, 1, true}, {10, 2, false}, // 9 of 10 agree, 8 do not
		{9, 0, false}, // too few in common to say
		{20, 2, true}, {20, 3, false},
	} {
		if got := SameCells(cells(c.common, 0), cells(c.common, c.differ)); got != c.want {
			t.Errorf("%d common, %d differ: SameCells %v, want %v", c.common, c.differ, got, c.want)
		}
	}
}

func TestNewerRules(t *testing.T) {
	for _, c := range []struct {
		name string
		v    Version
		cur  Version
		wins bool
		rule Rule
	}{
		{"later published wins over arrival", Version{ID: 1, Published: "2024-03-01"}, Version{ID: 2, Published: "2024-01-10"}, true, RulePublished},
		{"earlier published loses", Version{ID: 2, Published: "2024-01-10"}, Version{ID: 1, Published: "2024-03-01"}, false, RulePublished},
		{"listing date when one date is missing", Version{ID: 1, Published: "2024-03-01", Listed: "2024-03-05"}, Version{ID: 2, Listed: "2024-03-04"}, true, RuleListed},
		{"correction marker", Version{ID: 1, Title: "某局2023年政府信息公开工作年度报告（更正）"}, Version{ID: 2}, true, RuleCorrection},
		{"correction in the listed title", Version{ID: 1, ListedTitle: "…（修订版）"}, Version{ID: 2}, true, RuleCorrection},
		{"otherwise the later arrival", Version{ID: 3}, Version{ID: 2}, true, RuleLaterArrival},
	} {
		wins, rule := Newer(&c.v, &c.cur)
		if wins != c.wins || rule != c.rule {
			t.Errorf("%s: %v %q, want %v %q", c.name, wins, rule, c.wins, c.rule)
		}
	}
	// Between forms of one report the standing form stays on a tie.
	if wins, rule := NewerForm(&Version{ID: 3}, &Version{ID: 2}); wins || rule != RuleFirstArrival {
		t.Errorf("NewerForm on a tie: %v %q", wins, rule)
	}
}

func TestRank(t *testing.T) {
	data := map[int64]map[string]float64{1: cells(12, 0), 2: cells(12, 1), 3: cells(12, 6), 4: cells(12, 6)}
	load := func(v *Version) (map[string]float64, error) { return data[v.ID], nil }
	vs := []*Version{
		{ID: 1, Doc: 10, Published: "2024-01-20", Completeness: 0.8}, // the page
		{ID: 2, Doc: 11, Published: "2024-01-20", Completeness: 1.0}, // its PDF: a form, more complete
		{ID: 3, Doc: 12, Published: "2024-02-01", Completeness: 1.0}, // a later, different report
		{ID: 4, Doc: 12, Published: "2024-02-01", Completeness: 1.0}, // the same document re-extracted
	}
	if err := Rank(vs, 0, load); err != nil {
		t.Fatal(err)
	}
	want := []State{
		{0, "another form of report 2", 2},
		{0, "superseded: " + string(RulePublished), 0},
		{0, "re-extracted: superseded by report 4 of the same document", 0},
		{1, string(RulePublished), 0},
	}
	for i, v := range vs {
		if v.Now != want[i] {
			t.Errorf("report %d: %+v, want %+v", v.ID, v.Now, want[i])
		}
	}
	// Only forms of one report: the most complete stands for it.
	two := []*Version{{ID: 1, Doc: 1, Published: "2024-01-20", Completeness: 0.8}, {ID: 2, Doc: 2, Published: "2024-01-20", Completeness: 1}}
	if err := Rank(two, 0, load); err != nil {
		t.Fatal(err)
	}
	if two[1].Now != (State{1, string(RuleMostComplete), 0}) || two[0].Now.FormOf != 2 {
		t.Errorf("two forms: %+v, %+v", two[0].Now, two[1].Now)
	}
	if d := Disagreements(data[1], data[2]); fmt.Sprint(d) != "[t3.c0]" {
		t.Errorf("disagreements %v, want [t3.c0]", d)
	}
}
