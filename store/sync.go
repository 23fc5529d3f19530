package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nianbao/nianbao"
)

// dictionary is what the store derives from the code rather than from its
// schema history: the canonical cells (cells.tsv), the crosswalk, the
// derived figures and the check dictionary. A database is brought up to
// date with it on every upgrade (syncDictionary): new cells get the next
// free numbers, new wide and figure columns are added, nothing is
// renumbered.
type dictionary struct {
	cells      []nianbao.CellDef
	crosswalks []nianbao.Crosswalk
	figures    []string                               // report_figures columns, in order
	figure     func(*nianbao.Report) []nianbao.Figure // computes them
	checks     []checkDef

	fpOnce sync.Once
	fp     string
}

// defaultDictionary is this build's.
var defaultDictionary = sync.OnceValue(func() *dictionary {
	return &dictionary{
		cells:      nianbao.CellDefs(),
		crosswalks: nianbao.Crosswalks(),
		figures:    nianbao.FigureNames,
		figure:     (*nianbao.Report).Figures,
		checks:     checkDictionary,
	}
})

// ids lists each cell id once, in dictionary order.
func (d *dictionary) ids() []string {
	var ids []string
	seen := map[string]bool{}
	for _, c := range d.cells {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// wideTables are the tables that have a wide_tN table and a tN_wide view.
var wideTables = []string{"t2", "t3", "t4"}

// fingerprint identifies the dictionary and the views made from it: a
// database whose stored fingerprint differs is synced again.
func (d *dictionary) fingerprint() string {
	d.fpOnce.Do(func() {
		h := sha256.New()
		fmt.Fprintln(h, "views", viewsVersion)
		for _, c := range d.cells {
			fmt.Fprintln(h, c.ID, c.Table, c.Template, c.Label, c.Unit)
		}
		for _, c := range d.crosswalks {
			fmt.Fprintln(h, c.T19, c.T21, c.Relation, c.Note)
		}
		fmt.Fprintln(h, d.figures)
		for _, c := range d.checks {
			fmt.Fprintln(h, c)
		}
		d.fp = hex.EncodeToString(h.Sum(nil))
	})
	return d.fp
}

// syncDictionary adds the dictionary's new cells to cell_keys (the next
// free numbers, in dictionary order), their wide columns, and columns for
// new figures; it rewrites the documentation rows (cell_dictionary,
// crosswalk, check_dictionary). It reports whether figure columns were
// added (their values must then be derived for every stored report).
func syncDictionary(ctx context.Context, tx *sql.Tx, d *dictionary) (figuresAdded bool, err error) {
	all, err := cellKeys(ctx, tx)
	if err != nil {
		return false, err
	}
	top := 0
	for _, no := range all.no {
		top = max(top, no)
	}
	for _, id := range d.ids() {
		if _, known := all.no[id]; known {
			continue
		}
		tbl, _, _ := strings.Cut(id, ".")
		if !slices.Contains(wideTables, tbl) {
			return false, fmt.Errorf("cell %s: table %s has no wide table", id, tbl)
		}
		top++
		if _, err := tx.ExecContext(ctx, "INSERT INTO cell_keys (cell_no, cell_id) VALUES (?, ?)", top, id); err != nil {
			return false, err
		}
		all.ids, all.no[id] = append(all.ids, id), top
	}
	// Wide columns for every numbered cell (a newer build's too).
	for _, tbl := range wideTables {
		have, err := tableColumns(ctx, tx, "wide_"+tbl)
		if err != nil {
			return false, err
		}
		for _, id := range all.ids {
			if t, _, _ := strings.Cut(id, "."); t != tbl || have[wideColumn(id)] {
				continue
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE wide_%s ADD COLUMN %s REAL", tbl, wideColumn(id))); err != nil {
				return false, err
			}
		}
	}
	have, err := tableColumns(ctx, tx, "report_figures")
	if err != nil {
		return false, err
	}
	for _, f := range d.figures {
		if have[f] {
			continue
		}
		figuresAdded = true
		for _, q := range []string{
			fmt.Sprintf("ALTER TABLE report_figures ADD COLUMN %s REAL", quoteIdent(f)),
			fmt.Sprintf("ALTER TABLE report_figures ADD COLUMN %s TEXT NOT NULL DEFAULT 'missing'", quoteIdent(f+"_basis")),
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return false, err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM crosswalk"); err != nil {
		return false, err
	}
	for _, c := range d.cells {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO cell_dictionary VALUES (?, ?, ?, ?, ?, ?, ?)",
			c.ID, c.Table, c.Template, c.Label, c.Description(), c.Unit, wideColumn(c.ID)); err != nil {
			return false, err
		}
	}
	for _, c := range d.crosswalks {
		if _, err := tx.ExecContext(ctx, "INSERT INTO crosswalk VALUES (?, ?, ?, ?)", c.T19, c.T21, c.Relation, c.Note); err != nil {
			return false, err
		}
	}
	for _, c := range d.checks {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO check_dictionary VALUES (?, ?, ?, ?, ?, ?, ?)",
			c.ID, c.Formula, c.LHS, c.RHS, c.Severity, c.ZH, c.EN); err != nil {
			return false, err
		}
	}
	return figuresAdded, nil
}

// cellKeyList is cell_keys as read from a database.
type cellKeyList struct {
	ids []string       // in cell_no order
	no  map[string]int // id → cell_no
}

// cellKeys reads the database's own cell numbers.
func cellKeys(ctx context.Context, q querier) (cellKeyList, error) {
	l := cellKeyList{no: map[string]int{}}
	rows, err := q.QueryContext(ctx, "SELECT cell_no, cell_id FROM cell_keys ORDER BY cell_no")
	if err != nil {
		return l, err
	}
	defer rows.Close()
	for rows.Next() {
		var no int
		var id string
		if err := rows.Scan(&no, &id); err != nil {
			return l, err
		}
		l.ids = append(l.ids, id)
		l.no[id] = no
	}
	return l, rows.Err()
}

// tableColumns names a table's columns.
func tableColumns(ctx context.Context, q querier, table string) (map[string]bool, error) {
	cols, err := columnList(ctx, q, table)
	m := map[string]bool{}
	for _, c := range cols {
		m[c] = true
	}
	return m, err
}

// columnList lists a table's (or view's) columns in order.
func columnList(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if len(out) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("no table %s", table)
	}
	return out, rows.Err()
}

// derive fills what an upgrade from version from needs derived in Go from
// the stored data with this build's rules: figures (report_figures came
// with version 6, or a figure column was just added), agency identities
// (version 9) and error classes (version 16).
func derive(ctx context.Context, tx *sql.Tx, d *dictionary, from int, figuresAdded bool) error {
	if from == 0 {
		return nil // a new database holds no data
	}
	if from < 6 || figuresAdded {
		if err := fillFigures(ctx, tx, d); err != nil {
			return fmt.Errorf("figures: %w", err)
		}
	}
	if from < 9 {
		if err := fillAgencies(ctx, tx); err != nil {
			return fmt.Errorf("agencies: %w", err)
		}
	}
	if from < 16 {
		if err := fillErrorClasses(ctx, tx); err != nil {
			return fmt.Errorf("error classes: %w", err)
		}
	}
	return nil
}

// fillErrorClasses classifies the failed documents stored before
// documents.error_class existed, from their messages (the one place a
// message is read: old rows have nothing else).
func fillErrorClasses(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, error FROM documents WHERE error IS NOT NULL AND error_class IS NULL")
	if err != nil {
		return err
	}
	type row struct {
		id  int64
		msg string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.msg); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET error_class = ? WHERE id = ?", string(nianbao.ClassifyMessage(r.msg)), r.id); err != nil {
			return err
		}
	}
	return nil
}
