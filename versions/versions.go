// Package versions decides which stored version of an agency's report for
// a year is current, by publication and not by arrival, and which
// versions are forms of one report (the article page and its PDF, a
// re-upload). It is domain code: no database; the store loads the
// versions, calls Rank and writes what changed.
package versions

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Rule is the rule that decided a version's state (reports.current_by).
type Rule string

// The rules, in the order they are tried between two reports.
const (
	RuleOnly          Rule = "only version"
	RulePublished     Rule = "later published date"
	RuleListed        Rule = "later listing date"
	RuleCorrection    Rule = "marked 更正/修订 (correction)"
	RuleLaterArrival  Rule = "same dates: later arrival"
	RuleFirstArrival  Rule = "same dates: first arrival kept" // between forms of one report
	RuleMostComplete  Rule = "most complete of its forms"
	ruleEquallyPrefix      = "forms equally complete: "
)

// Thresholds of "forms of one report", each with its reason.
const (
	// MinCommonCells: fewer common numeric cells than this say too little
	// (two reports printing only a handful of zeros would look equal).
	MinCommonCells = 10
	// AgreeTenths: this many tenths of the common cells must agree. A
	// re-typed form of one report differs in a few cells (a typo fixed, a
	// cell the other reader missed); two different reports of one agency
	// agree on far fewer.
	AgreeTenths = 9
	// Epsilon: values within it are equal (values are printed decimals).
	Epsilon = 1e-9
)

// State is what ranking decides for a version.
type State struct {
	Current int    // 1 for the current version
	By      string // the rule that decided (reports.current_by)
	FormOf  int64  // the representative of its forms group, 0 for itself
}

// Version is one stored report of an agency-year, as ranking sees it.
type Version struct {
	ID, Doc            int64 // report and document
	Published, Listed  string
	Title, ListedTitle string
	Completeness       float64
	Was                State // as stored
	Now                State // as Rank decided

	cells  map[string]float64 // numeric cells, read when needed
	formOf int64
}

// Correction tells a corrected republication from its title.
func (v *Version) Correction() bool {
	for _, t := range []string{v.Title, v.ListedTitle} {
		if strings.Contains(t, "更正") || strings.Contains(t, "修订") || strings.Contains(t, "修正") {
			return true
		}
	}
	return false
}

// Newer reports whether v supersedes cur, and the rule that decided: the
// later published date (when both print one), else the later listing date
// (when both were listed), else the one marked 更正/修订/修正, else the
// later arrival.
func Newer(v, cur *Version) (bool, Rule) {
	switch {
	case v.Published != "" && cur.Published != "" && v.Published != cur.Published:
		return v.Published > cur.Published, RulePublished
	case v.Listed != "" && cur.Listed != "" && v.Listed != cur.Listed:
		return v.Listed > cur.Listed, RuleListed
	case v.Correction() != cur.Correction():
		return v.Correction(), RuleCorrection
	}
	return v.ID > cur.ID, RuleLaterArrival
}

// NewerForm is Newer between two forms of one report: with the same dates
// and markers the form already standing for the report stays, so an
// identical re-upload moves no other form's pointer.
func NewerForm(v, rep *Version) (bool, Rule) {
	wins, why := Newer(v, rep)
	if why == RuleLaterArrival {
		return false, RuleFirstArrival
	}
	return wins, why
}

// SameCells tells whether two versions print one report's numbers: at
// least MinCommonCells cells in common, AgreeTenths tenths of them equal.
func SameCells(a, b map[string]float64) bool {
	common, equal := 0, 0
	for id, va := range a {
		if vb, ok := b[id]; ok {
			common++
			if math.Abs(va-vb) < Epsilon {
				equal++
			}
		}
	}
	return common >= MinCommonCells && equal*10 >= common*AgreeTenths
}

// Disagreements lists the cells on which two forms differ.
func Disagreements(mine, theirs map[string]float64) []string {
	var out []string
	for id, v := range mine {
		if o, ok := theirs[id]; ok && math.Abs(o-v) > Epsilon {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// CellsFunc returns a version's numeric cells (loaded once, when needed).
type CellsFunc func(*Version) (map[string]float64, error)

// Cells returns v's numeric cells through load, keeping them.
func (v *Version) Cells(load CellsFunc) (map[string]float64, error) {
	if v.cells == nil {
		m, err := load(v)
		if err != nil {
			return nil, err
		}
		v.cells = m
	}
	return v.cells, nil
}

// Rank sets Now on every version of one agency-year (vs in id order).
//
// A document re-extracted by a newer build: its latest report stands for
// it; the older extraction is superseded. The same report published in
// several forms (same published date, SameCells with the group's first
// form) counts once: its most complete form stands for it (among equally
// complete forms NewerForm decides), the others point to it. Between
// reports, Newer decides.
//
// added is the report just saved, or 0 to rank from scratch. When added is
// the newest report and no other report of its document exists, the forms
// groups already stored (Was.FormOf) stand — grouping compares each
// version with the first of each group in arrival order, so a later
// arrival cannot change an earlier one's group — and only added is
// compared: work is linear in the versions, with cells loaded only for
// added and the groups' first forms.
func Rank(vs []*Version, added int64, load CellsFunc) error {
	if len(vs) == 0 {
		return nil
	}
	byID := map[int64]*Version{}
	for _, v := range vs {
		byID[v.ID] = v
		v.Now = State{}
	}
	latest := map[int64]*Version{}
	for _, v := range vs {
		if l := latest[v.Doc]; l == nil || v.ID > l.ID {
			latest[v.Doc] = v
		}
	}
	var kept []*Version
	for _, v := range vs {
		v.formOf = 0
		if latest[v.Doc] == v {
			kept = append(kept, v)
		} else {
			v.Now = State{0, fmt.Sprintf("re-extracted: superseded by report %d of the same document", latest[v.Doc].ID), 0}
		}
	}
	var groups [][]*Version
	var err error
	if incremental(vs, kept, byID, added) {
		at := map[int64]int{} // representative → group
		for _, v := range kept[:len(kept)-1] {
			rep := v.Was.FormOf
			if rep == 0 {
				rep = v.ID
			}
			gi, ok := at[rep]
			if !ok {
				gi = len(groups)
				at[rep] = gi
				groups = append(groups, nil)
			}
			groups[gi] = append(groups[gi], v)
		}
		// Groups in the order of their first forms, as the full pass makes them.
		sort.SliceStable(groups, func(i, j int) bool { return groups[i][0].ID < groups[j][0].ID })
		if groups, err = joinGroup(groups, kept[len(kept)-1], load); err != nil {
			return err
		}
	} else {
		for _, v := range kept {
			if groups, err = joinGroup(groups, v, load); err != nil {
				return err
			}
		}
	}
	var reps []*Version
	formRule := string(RuleMostComplete)
	for _, g := range groups {
		rep := g[0]
		for _, v := range g[1:] {
			wins, why := NewerForm(v, rep)
			if v.Completeness == rep.Completeness {
				formRule = ruleEquallyPrefix + string(why)
			}
			if v.Completeness > rep.Completeness || (v.Completeness == rep.Completeness && wins) {
				rep = v
			}
		}
		for _, v := range g {
			if v != rep {
				v.formOf = rep.ID
			}
		}
		reps = append(reps, rep)
	}
	cur, rule := reps[0], string(RuleOnly)
	for _, v := range reps[1:] {
		wins, why := Newer(v, cur)
		rule = string(why)
		if wins {
			cur = v
		}
	}
	if len(reps) == 1 && len(kept) > 1 {
		rule = formRule
	}
	for _, v := range kept {
		switch {
		case v.formOf != 0:
			v.Now = State{0, fmt.Sprintf("another form of report %d", v.formOf), v.formOf}
		case v == cur:
			v.Now = State{1, rule, 0}
		default:
			v.Now = State{0, "superseded: " + rule, 0}
		}
	}
	return nil
}

// incremental reports whether the stored forms groups can stand and only
// added needs placing: added is the newest report, it makes no other
// report stale, and every stored form_of points to a kept report that is
// its group's representative.
func incremental(vs, kept []*Version, byID map[int64]*Version, added int64) bool {
	if added == 0 || len(kept) == 0 || kept[len(kept)-1].ID != added || vs[len(vs)-1].ID != added {
		return false
	}
	last := kept[len(kept)-1]
	for _, v := range vs[:len(vs)-1] {
		if v.Doc == last.Doc {
			return false // a re-extraction: a report leaves the groups
		}
	}
	for _, v := range kept[:len(kept)-1] {
		if v.Was.FormOf == 0 {
			continue
		}
		rep := byID[v.Was.FormOf]
		if rep == nil || rep.Was.FormOf != 0 || rep.Now.By != "" { // gone, not a representative, or stale
			return false
		}
	}
	return true
}

// joinGroup puts v into the first group whose first form it is a form of,
// else into a new group.
func joinGroup(groups [][]*Version, v *Version, load CellsFunc) ([][]*Version, error) {
	for gi, g := range groups {
		if v.Published == "" || g[0].Published != v.Published {
			continue
		}
		a, err := g[0].Cells(load)
		if err != nil {
			return nil, err
		}
		b, err := v.Cells(load)
		if err != nil {
			return nil, err
		}
		if SameCells(a, b) {
			groups[gi] = append(g, v)
			return groups, nil
		}
	}
	return append(groups, []*Version{v}), nil
}
