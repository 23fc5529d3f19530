package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
)

// version is one stored report of an agency-year.
type version struct {
	id, doc            int64 // report and document
	published, listed  string
	title, listedTitle string
	completeness       float64
	cells              map[string]float64 // numeric cells, read when needed
	formOf             int64              // the representative of its group, 0 for itself
	was, now           versionState       // as stored, and as ranked now
}

// versionState is what ranking decides for a version.
type versionState struct {
	current int
	by      string
	formOf  int64
}

func (v *version) set(current int, by string, formOf int64) {
	v.now = versionState{current, by, formOf}
}

// correction tells a corrected republication from its title.
func (v *version) correction() bool {
	for _, t := range []string{v.title, v.listedTitle} {
		if strings.Contains(t, "更正") || strings.Contains(t, "修订") || strings.Contains(t, "修正") {
			return true
		}
	}
	return false
}

// rankVersions decides which version of an agency-year is current, by
// publication and not by arrival: the later published date (when both
// versions print one), else the later listing date (when both were
// listed), else the one marked 更正/修订/修正, else the later arrival. The
// same report published in several forms — the article page and its PDF,
// a re-upload — (same published date, cells mostly equal) counts once: its
// most complete form stands for it (among equally complete forms with the
// same dates the first to arrive stays), the others point to it (form_of)
// and every cell on which they disagree is recorded. The rule that decided
// is kept in current_by.
//
// added is the report just saved, or 0 to rank from scratch. When added is
// the newest report and no other report of its document exists, the forms
// groups already stored stand (grouping compares each version with the
// first of each group, in arrival order, so a later arrival cannot change
// an earlier one's group) and only added is compared; only rows whose
// state changes are written. Work per save is then linear in the number of
// versions' metadata, with cells read only for added and the groups'
// first forms.
func rankVersions(ctx context.Context, tx *sql.Tx, agencyID int64, year int, added int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document_id, IFNULL(r.published, ''), IFNULL(d.listed_date, ''), IFNULL(r.title, ''), IFNULL(d.listed_title, ''),
		IFNULL(r.completeness, 0), r.is_current, IFNULL(r.current_by, ''), IFNULL(r.form_of, 0)
		FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.agency_id = ? AND r.year = ? ORDER BY r.id`, agencyID, year)
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	var vs []*version
	byID := map[int64]*version{}
	for rows.Next() {
		v := &version{}
		if err := rows.Scan(&v.id, &v.doc, &v.published, &v.listed, &v.title, &v.listedTitle, &v.completeness, &v.was.current, &v.was.by, &v.was.formOf); err != nil {
			rows.Close()
			return err
		}
		vs = append(vs, v)
		byID[v.id] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cellsOf := func(v *version) (map[string]float64, error) {
		if v.cells == nil {
			m, err := versionCells(ctx, tx, v.id)
			if err != nil {
				return nil, err
			}
			v.cells = m
		}
		return v.cells, nil
	}
	// A document re-extracted by a newer build: its latest report stands
	// for it; the older extraction stays as a superseded version.
	latest := map[int64]*version{}
	for _, v := range vs {
		if l := latest[v.doc]; l == nil || v.id > l.id {
			latest[v.doc] = v
		}
	}
	var kept []*version
	for _, v := range vs {
		if latest[v.doc] == v {
			kept = append(kept, v)
		} else {
			v.set(0, fmt.Sprintf("re-extracted: superseded by report %d of the same document", latest[v.doc].id), 0)
		}
	}
	// Forms of one report: same printed publication date, cells mostly
	// equal to the group's first form.
	var groups [][]*version
	if incrementalGroups(vs, kept, byID, added) {
		at := map[int64]int{} // representative → group
		for _, v := range kept[:len(kept)-1] {
			rep := v.was.formOf
			if rep == 0 {
				rep = v.id
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
		sort.SliceStable(groups, func(i, j int) bool { return groups[i][0].id < groups[j][0].id })
		if groups, err = joinGroup(groups, kept[len(kept)-1], cellsOf); err != nil {
			return err
		}
	} else {
		for _, v := range kept {
			if groups, err = joinGroup(groups, v, cellsOf); err != nil {
				return err
			}
		}
	}
	var reps []*version
	formRule := "most complete of its forms"
	for _, g := range groups {
		rep := g[0]
		for _, v := range g[1:] {
			wins, why := newerForm(v, rep)
			if v.completeness == rep.completeness {
				formRule = "forms equally complete: " + why
			}
			if v.completeness > rep.completeness || (v.completeness == rep.completeness && wins) {
				rep = v
			}
		}
		for _, v := range g {
			if v != rep {
				v.formOf = rep.id
			}
		}
		reps = append(reps, rep)
	}
	cur, rule := reps[0], "only version"
	for _, v := range reps[1:] {
		var wins bool
		wins, rule = newer(v, cur)
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
			v.set(0, "another form of report "+fmt.Sprint(v.formOf), v.formOf)
		case v == cur:
			v.set(1, rule, 0)
		default:
			v.set(0, "superseded: "+rule, 0)
		}
	}
	for _, v := range vs {
		if v.now == v.was && v.id != added {
			continue // its state and its disagreements stand
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = ?, current_by = ?, form_of = ? WHERE id = ?", v.now.current, v.now.by, nullInt64(v.now.formOf), v.id); err != nil {
			return err
		}
		if v.now.formOf == v.was.formOf && v.id != added {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM form_disagreements WHERE report_id = ?", v.id); err != nil {
			return err
		}
		if v.now.formOf == 0 {
			continue
		}
		mine, err := cellsOf(v)
		if err != nil {
			return err
		}
		theirs, err := cellsOf(byID[v.now.formOf])
		if err != nil {
			return err
		}
		for id, val := range mine {
			if other, ok := theirs[id]; ok && math.Abs(other-val) > 1e-9 {
				if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO form_disagreements (report_id, other_id, cell_id, value, other_value) VALUES (?, ?, ?, ?, ?)", v.id, v.now.formOf, id, val, other); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// incrementalGroups reports whether the stored forms groups of an
// agency-year can stand and only added needs placing: added is the newest
// report, it makes no other report stale, and every stored form_of points
// to a kept report that is its group's representative.
func incrementalGroups(vs, kept []*version, byID map[int64]*version, added int64) bool {
	if added == 0 || len(kept) == 0 || kept[len(kept)-1].id != added || vs[len(vs)-1].id != added {
		return false
	}
	last := kept[len(kept)-1]
	for _, v := range vs[:len(vs)-1] {
		if v.doc == last.doc {
			return false // a re-extraction: a report leaves the groups
		}
	}
	for _, v := range kept[:len(kept)-1] {
		if v.was.formOf == 0 {
			continue
		}
		rep := byID[v.was.formOf]
		if rep == nil || rep.was.formOf != 0 || rep.now.by != "" { // gone, not a representative, or stale
			return false
		}
	}
	return true
}

// joinGroup puts v into the first group whose first form it is a form of,
// else into a new group.
func joinGroup(groups [][]*version, v *version, cellsOf func(*version) (map[string]float64, error)) ([][]*version, error) {
	for gi, g := range groups {
		if v.published == "" || g[0].published != v.published {
			continue
		}
		a, err := cellsOf(g[0])
		if err != nil {
			return nil, err
		}
		b, err := cellsOf(v)
		if err != nil {
			return nil, err
		}
		if sameCells(a, b) {
			groups[gi] = append(g, v)
			return groups, nil
		}
	}
	return append(groups, []*version{v}), nil
}

// versionCells reads a report's numeric cells.
func versionCells(ctx context.Context, tx *sql.Tx, id int64) (map[string]float64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT k.cell_id, v.value FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no WHERE v.report_id = ? AND v.value IS NOT NULL", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]float64{}
	for rows.Next() {
		var id string
		var val float64
		if err := rows.Scan(&id, &val); err != nil {
			return nil, err
		}
		m[id] = val
	}
	return m, rows.Err()
}

// sameCells: at least 90 % of the (at least ten) cells both versions have
// agree.
func sameCells(a, b map[string]float64) bool {
	common, equal := 0, 0
	for id, va := range a {
		if vb, ok := b[id]; ok {
			common++
			if math.Abs(va-vb) < 1e-9 {
				equal++
			}
		}
	}
	return common >= 10 && equal*10 >= common*9
}

// newer reports whether v supersedes cur, and the rule that decided.
func newer(v, cur *version) (bool, string) {
	switch {
	case v.published != "" && cur.published != "" && v.published != cur.published:
		return v.published > cur.published, "later published date"
	case v.listed != "" && cur.listed != "" && v.listed != cur.listed:
		return v.listed > cur.listed, "later listing date"
	case v.correction() != cur.correction():
		return v.correction(), "marked 更正/修订 (correction)"
	}
	return v.id > cur.id, "same dates: later arrival"
}

// newerForm is newer for two forms of one report: with the same dates and
// markers the form already standing for the report stays, so an identical
// re-upload does not move every other form's pointer.
func newerForm(v, rep *version) (bool, string) {
	wins, why := newer(v, rep)
	if why == "same dates: later arrival" {
		return false, "same dates: first arrival kept"
	}
	return wins, why
}
