package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// saveFigures stores a report's derived figures and check counts.
func (db *DB) saveFigures(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report) error {
	return writeFigures(ctx, tx, db.dict, reportID, rep, true)
}

// correctedCells counts the cells holding a person's value (not an
// acceptance of the extracted one).
func correctedCells(rep *nianbao.Report) int {
	n := 0
	for _, c := range rep.Cells {
		if c.Correction != nil && !c.Correction.Accept {
			n++
		}
	}
	return n
}

// writeFigures stores the figures; withCounts also the check counts
// (else a stored row keeps its counts).
func writeFigures(ctx context.Context, tx *sql.Tx, d *dictionary, reportID int64, rep *nianbao.Report, withCounts bool) error {
	figs := d.figure(rep)
	failed, incomplete := 0, 0
	for _, c := range rep.Checks {
		switch c.Status {
		case nianbao.Fail:
			failed++
		case nianbao.Incomplete:
			incomplete++
		}
	}
	cols := []string{"report_id"}
	args := []any{reportID}
	if withCounts {
		cols = append(cols, "checks_failed", "checks_incomplete", "corrected_cells", "corrected_figures")
		var names []string
		for _, f := range figs {
			if f.Corrected {
				names = append(names, f.Name)
			}
		}
		args = append(args, failed, incomplete, correctedCells(rep), nullString(strings.Join(names, ",")))
	}
	for _, f := range figs {
		cols = append(cols, quoteIdent(f.Name), quoteIdent(f.Name+"_basis"))
		var v any
		if f.Value != nil {
			v = *f.Value
		}
		args = append(args, v, string(f.Basis))
	}
	q := fmt.Sprintf("INSERT OR REPLACE INTO report_figures (%s) VALUES (?%s)", strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
	if !withCounts {
		var set []string
		for _, c := range cols[1:] {
			set = append(set, c+" = excluded."+c)
		}
		q = fmt.Sprintf("INSERT INTO report_figures (%s) VALUES (?%s) ON CONFLICT (report_id) DO UPDATE SET %s",
			strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1), strings.Join(set, ", "))
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}

// fillFigures derives the figures of every stored report from its stored
// cells (an upgrade from before report_figures, or a new figure column),
// then counts each report's failed and incomplete checks.
func fillFigures(ctx context.Context, tx *sql.Tx, d *dictionary) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.template, k.cell_id, v.value, v.semantic FROM reports r
		LEFT JOIN cell_values v ON v.report_id = r.id LEFT JOIN cell_keys k ON k.cell_no = v.cell_no ORDER BY r.id`)
	if err != nil {
		return err
	}
	reps := map[int64]*nianbao.Report{}
	var order []int64
	for rows.Next() {
		var id int64
		var tpl string
		var cell, sem sql.NullString
		var val sql.NullFloat64
		if err := rows.Scan(&id, &tpl, &cell, &val, &sem); err != nil {
			rows.Close()
			return err
		}
		r := reps[id]
		if r == nil {
			r = &nianbao.Report{Template: nianbao.Template(tpl), Cells: map[string]nianbao.Cell{}}
			reps[id] = r
			order = append(order, id)
		}
		if cell.Valid {
			c := nianbao.Cell{Semantic: nianbao.Semantic(sem.String)}
			if val.Valid {
				v := val.Float64
				c.Value = &v
			}
			r.Cells[cell.String] = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range order {
		if err := writeFigures(ctx, tx, d, id, reps[id], false); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE report_figures SET
	checks_failed = (SELECT COUNT(*) FROM check_values k WHERE k.report_id = report_figures.report_id AND k.status = 'fail'),
	checks_incomplete = (SELECT COUNT(*) FROM check_values k WHERE k.report_id = report_figures.report_id AND k.status = 'incomplete')`)
	return err
}

// saveWide writes the report's row of wide_t2, wide_t3 and wide_t4 (only
// for the tables it has cells of): its numeric values, NULL for the rest.
func (db *DB) saveWide(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report) error {
	w := db.wide()
	for _, tbl := range wideTables {
		ids := w.cells[tbl]
		args := make([]any, 1+len(ids)) // absent, blank, NA and text cells stay NULL
		args[0] = reportID
		has := false
		for i, id := range ids {
			c, ok := rep.Cells[id]
			if !ok {
				continue
			}
			has = true
			if c.Value != nil {
				args[1+i] = *c.Value
			}
		}
		if !has {
			continue
		}
		if _, err := tx.ExecContext(ctx, w.insert[tbl], args...); err != nil {
			return fmt.Errorf("store: wide %s: %w", tbl, err)
		}
	}
	return nil
}

// wideRows is, per table, the cells of its wide row (the database's
// numbered cells, in number order) and the one INSERT naming every column,
// so the driver prepares it once.
type wideRows struct {
	cells  map[string][]string
	insert map[string]string
}

// wide builds the wide rows' statements once per database.
func (db *DB) wide() *wideRows {
	db.wideOnce.Do(func() {
		w := &wideRows{cells: map[string][]string{}, insert: map[string]string{}}
		for _, id := range db.keys.ids {
			tbl, _, _ := strings.Cut(id, ".")
			w.cells[tbl] = append(w.cells[tbl], id)
		}
		for _, tbl := range wideTables {
			cols := []string{"report_id"}
			for _, id := range w.cells[tbl] {
				cols = append(cols, wideColumn(id))
			}
			w.insert[tbl] = fmt.Sprintf("INSERT OR REPLACE INTO wide_%s (%s) VALUES (?%s)", tbl, strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
		}
		db.wideRows = w
	})
	return db.wideRows
}
