package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/nianbao/nianbao"
)

// backfills run Go after the SQL step of a migration (key: the version it
// reaches), for data SQL alone cannot derive.
var backfills = map[int]func(context.Context, *sql.Tx) error{
	6: fillFigures,
	9: fillAgencies,
}

// saveFigures stores a report's derived figures and check counts.
func saveFigures(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report) error {
	return writeFigures(ctx, tx, reportID, rep, true)
}

// writeFigures stores the figures; withCounts also the check counts, a
// column the schema has from version 12 on (the version-6 backfill runs
// before it exists).
func writeFigures(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report, withCounts bool) error {
	figs := rep.Figures()
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
		cols = append(cols, "checks_failed", "checks_incomplete")
		args = append(args, failed, incomplete)
	}
	for _, f := range figs {
		cols = append(cols, f.Name, f.Name+"_basis")
		var v any
		if f.Value != nil {
			v = *f.Value
		}
		args = append(args, v, string(f.Basis))
	}
	q := fmt.Sprintf("INSERT OR REPLACE INTO report_figures (%s) VALUES (?%s)", strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}

// fillFigures derives the figures of reports stored before report_figures
// existed, from their stored cells.
func fillFigures(ctx context.Context, tx *sql.Tx) error {
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
		if err := writeFigures(ctx, tx, id, reps[id], false); err != nil {
			return err
		}
	}
	return nil
}

// saveWide writes the report's row of wide_t2, wide_t3 and wide_t4 (only
// for the tables it has cells of): its numeric values, NULL for the rest.
func saveWide(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report) error {
	for _, tbl := range []string{"t2", "t3", "t4"} {
		ids := wideCells(tbl)
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
		if _, err := tx.ExecContext(ctx, wideInsert()[tbl], args...); err != nil {
			return fmt.Errorf("store: wide %s: %w", tbl, err)
		}
	}
	return nil
}

// wideInsert is, per table, the one INSERT of a wide row naming every
// column, so the driver prepares it once.
var wideInsert = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, tbl := range []string{"t2", "t3", "t4"} {
		cols := []string{"report_id"}
		for _, id := range wideCells(tbl) {
			cols = append(cols, wideColumn(id))
		}
		m[tbl] = fmt.Sprintf("INSERT OR REPLACE INTO wide_%s (%s) VALUES (?%s)", tbl, strings.Join(cols, ", "), strings.Repeat(", ?", len(cols)-1))
	}
	return m
})
