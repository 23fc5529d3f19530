package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
)

// version is one stored report of an agency-year.
type version struct {
	id, doc            int64 // report and document
	published, listed  string
	title, listedTitle string
	completeness       float64
	cells              map[string]float64
	group              int   // index of its forms group
	formOf             int64 // the representative of its group, 0 for itself
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
// most complete form stands for it, the others point to it (form_of) and
// every cell on which they disagree is recorded. The rule that decided is
// kept in current_by.
func rankVersions(ctx context.Context, tx *sql.Tx, agencyID int64, year int) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document_id, IFNULL(r.published, ''), IFNULL(d.listed_date, ''), IFNULL(r.title, ''), IFNULL(d.listed_title, ''),
		IFNULL(r.completeness, 0) FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.agency_id = ? AND r.year = ? ORDER BY r.id`, agencyID, year)
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	var vs []*version
	for rows.Next() {
		v := &version{cells: map[string]float64{}}
		if err := rows.Scan(&v.id, &v.doc, &v.published, &v.listed, &v.title, &v.listedTitle, &v.completeness); err != nil {
			rows.Close()
			return err
		}
		vs = append(vs, v)
	}
	rows.Close()
	if len(vs) == 1 {
		_, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = 1, current_by = 'only version', form_of = NULL WHERE id = ?", vs[0].id)
		return err
	}
	for _, v := range vs {
		crows, err := tx.QueryContext(ctx, "SELECT k.cell_id, v.value FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no WHERE v.report_id = ? AND v.value IS NOT NULL", v.id)
		if err != nil {
			return err
		}
		for crows.Next() {
			var id string
			var val float64
			crows.Scan(&id, &val)
			v.cells[id] = val
		}
		crows.Close()
	}
	// A document re-extracted by a newer build: its latest report stands
	// for it; the older extraction stays as a superseded version.
	latest := map[int64]*version{}
	for _, v := range vs {
		if l := latest[v.doc]; l == nil || v.id > l.id {
			latest[v.doc] = v
		}
	}
	var stale []*version
	kept := vs[:0:0]
	for _, v := range vs {
		if latest[v.doc] == v {
			kept = append(kept, v)
		} else {
			stale = append(stale, v)
		}
	}
	for _, v := range stale {
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = 0, current_by = ?, form_of = NULL WHERE id = ?",
			fmt.Sprintf("re-extracted: superseded by report %d of the same document", latest[v.doc].id), v.id); err != nil {
			return err
		}
	}
	vs = kept
	if len(vs) == 1 {
		_, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = 1, current_by = 'only version', form_of = NULL WHERE id = ?", vs[0].id)
		return err
	}
	// Forms of one report: same printed publication date, cells mostly equal.
	groups := [][]*version{}
	for _, v := range vs {
		v.group = -1
		for gi, g := range groups {
			if sameReport(g[0], v) {
				v.group = gi
				groups[gi] = append(g, v)
				break
			}
		}
		if v.group < 0 {
			v.group = len(groups)
			groups = append(groups, []*version{v})
		}
	}
	var reps []*version
	formRule := "most complete of its forms"
	for _, g := range groups {
		rep := g[0]
		for _, v := range g[1:] {
			wins, why := newer(v, rep)
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
	if len(reps) == 1 && len(vs) > 1 {
		rule = formRule
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM form_disagreements WHERE report_id IN (SELECT id FROM reports WHERE agency_id = ? AND year = ?)", agencyID, year); err != nil {
		return err
	}
	for _, v := range vs {
		current, by := 0, "superseded: "+rule
		if v == cur {
			current, by = 1, rule
		}
		var formOf any
		if v.formOf != 0 {
			formOf, by = v.formOf, "another form of report "+fmt.Sprint(v.formOf)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = ?, current_by = ?, form_of = ? WHERE id = ?", current, by, formOf, v.id); err != nil {
			return err
		}
		if v.formOf == 0 {
			continue
		}
		rep := groups[v.group][0]
		for _, g := range groups[v.group] {
			if g.id == v.formOf {
				rep = g
			}
		}
		for id, val := range v.cells {
			if other, ok := rep.cells[id]; ok && math.Abs(other-val) > 1e-9 {
				if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO form_disagreements (report_id, other_id, cell_id, value, other_value) VALUES (?, ?, ?, ?, ?)", v.id, rep.id, id, val, other); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sameReport: two versions are forms of one report when both print the
// same publication date and at least 90 % of the cells both have agree.
func sameReport(a, b *version) bool {
	if a.published == "" || a.published != b.published {
		return false
	}
	common, equal := 0, 0
	for id, va := range a.cells {
		if vb, ok := b.cells[id]; ok {
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
