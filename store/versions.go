package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/nianbao/nianbao/versions"
)

// rankVersions decides which version of an agency-year is current and
// which are forms of one report (package versions), and writes the rows
// whose state changed and the cells on which forms disagree. added is the
// report just saved, or 0 to rank from scratch.
func rankVersions(ctx context.Context, tx *sql.Tx, agencyID int64, year int, added int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document_id, IFNULL(r.published, ''), IFNULL(d.listed_date, ''), IFNULL(r.title, ''), IFNULL(d.listed_title, ''),
		IFNULL(r.completeness, 0), r.is_current, IFNULL(r.current_by, ''), IFNULL(r.form_of, 0)
		FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.agency_id = ? AND r.year = ? ORDER BY r.id`, agencyID, year)
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	var vs []*versions.Version
	byID := map[int64]*versions.Version{}
	for rows.Next() {
		v := &versions.Version{}
		if err := rows.Scan(&v.ID, &v.Doc, &v.Published, &v.Listed, &v.Title, &v.ListedTitle, &v.Completeness, &v.Was.Current, &v.Was.By, &v.Was.FormOf); err != nil {
			rows.Close()
			return err
		}
		vs = append(vs, v)
		byID[v.ID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	load := func(v *versions.Version) (map[string]float64, error) { return versionCells(ctx, tx, v.ID) }
	if err := versions.Rank(vs, added, load); err != nil {
		return err
	}
	for _, v := range vs {
		if v.Now == v.Was && v.ID != added {
			continue // its state and its disagreements stand
		}
		if _, err := tx.ExecContext(ctx, "UPDATE reports SET is_current = ?, current_by = ?, form_of = ? WHERE id = ?", v.Now.Current, v.Now.By, nullInt64(v.Now.FormOf), v.ID); err != nil {
			return err
		}
		if v.Now.FormOf == v.Was.FormOf && v.ID != added {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM form_disagreements WHERE report_id = ?", v.ID); err != nil {
			return err
		}
		if v.Now.FormOf == 0 {
			continue
		}
		mine, err := v.Cells(load)
		if err != nil {
			return err
		}
		theirs, err := byID[v.Now.FormOf].Cells(load)
		if err != nil {
			return err
		}
		for _, id := range versions.Disagreements(mine, theirs) {
			if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO form_disagreements (report_id, other_id, cell_id, value, other_value) VALUES (?, ?, ?, ?, ?)", v.ID, v.Now.FormOf, id, mine[id], theirs[id]); err != nil {
				return err
			}
		}
	}
	return nil
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
