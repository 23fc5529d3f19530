package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/normalize"
)

// correctionsOf reads a document's corrections, oldest first: by when
// they were made (a file imported later may hold older ones), then as
// stored.
func correctionsOf(ctx context.Context, q querier, sha string) ([]nianbao.Correction, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+correctionColumns+" FROM corrections x WHERE x.sha256 = ? ORDER BY x.at, x.id", sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nianbao.Correction
	for rows.Next() {
		c, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// correctionColumns are a correction's columns, of corrections x.
const correctionColumns = "x.id, x.sha256, x.cell_id, x.action, x.value, x.extracted, x.replaces, x.who, x.at, x.why, x.state"

// scanCorrection reads correctionColumns, then the row's extra columns.
func scanCorrection(rows *sql.Rows, extra ...any) (nianbao.Correction, error) {
	var c nianbao.Correction
	var action string
	var ext, rep sql.NullString
	if err := rows.Scan(append([]any{&c.ID, &c.SHA256, &c.Cell, &action, &c.Value, &ext, &rep, &c.Who, &c.At, &c.Why, &c.State}, extra...)...); err != nil {
		return c, err
	}
	c.Accept = action == "accept"
	if ext.Valid {
		c.Extracted = &ext.String
	}
	if rep.Valid {
		c.Replaces = &rep.String
	}
	return c, nil
}

// applyCorrections applies the document's corrections to a report about
// to be stored (normalize.Correct) and returns them with their states.
func applyCorrections(ctx context.Context, tx *sql.Tx, sha string, rep *nianbao.Report) ([]nianbao.Correction, error) {
	cs, err := correctionsOf(ctx, tx, sha)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	return normalize.Correct(rep, cs), nil
}

// setStates records what became of the corrections in force.
func setStates(ctx context.Context, tx *sql.Tx, cs []nianbao.Correction) error {
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, "UPDATE corrections SET state = ? WHERE id = ?", c.State, c.ID); err != nil {
			return fmt.Errorf("store: correction state: %w", err)
		}
	}
	return nil
}

// ErrNoReport is returned for a report id the database does not hold.
var ErrNoReport = errors.New("no such report")

// Correct records a person's correction of one cell of a stored report —
// value as it should read ("" for blank), or with accept the extracted
// value confirmed — and applies it: the report's cells, checks, derived
// figures and wide rows are rewritten in place, in one transaction. It
// returns the correction as recorded, with its state.
func (db *DB) Correct(ctx context.Context, reportID int64, cell, value string, accept bool, who, why string) (c nianbao.Correction, err error) {
	defer func() { err = db.wrap(err) }()
	if _, ok := db.keys.no[cell]; !ok {
		return c, fmt.Errorf("%q is not a cell id (see cell_dictionary)", cell)
	}
	if strings.TrimSpace(who) == "" || strings.TrimSpace(why) == "" {
		return c, errors.New("a correction needs who made it and why")
	}
	db.w.Lock()
	defer db.w.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return c, err
	}
	defer tx.Rollback()
	rep, sha, err := loadReport(ctx, tx, reportID)
	if err != nil {
		return c, err
	}
	if d, ok := nianbao.LookupCell(cell); ok && rep.Template != nianbao.TemplateUnknown && !d.InTemplate(rep.Template) {
		return c, fmt.Errorf("%s is not a cell of report %d's template (%s)", cell, reportID, rep.Template)
	}
	c = nianbao.Correction{SHA256: sha, Cell: cell, Accept: accept, Value: strings.TrimSpace(value), Who: ValidText(who), Why: ValidText(why),
		At: stamp(time.Now())}
	if ext, ok := rep.Cells[cell]; ok {
		c.Extracted = &ext.Raw
	}
	var shown sql.NullString
	if err := tx.QueryRowContext(ctx, "SELECT raw FROM cells WHERE report_id = ? AND cell_id = ?", reportID, cell).Scan(&shown); err != nil && err != sql.ErrNoRows {
		return c, err
	}
	if shown.Valid {
		c.Replaces = &shown.String
	}
	if accept {
		if c.Extracted == nil {
			return c, fmt.Errorf("report %d has no %s to accept: give its value instead", reportID, cell)
		}
		c.Value = *c.Extracted
	}
	c.Value = ValidText(c.Value)
	if c.ID, err = insertCorrection(ctx, tx, c); err != nil {
		return c, err
	}
	states, err := db.rewriteCorrected(ctx, tx, reportID, sha, rep)
	if err != nil {
		return c, err
	}
	for _, s := range states {
		if s.ID == c.ID {
			c.State = s.State
		}
	}
	return c, tx.Commit()
}

// atLayout is how corrections record when they were made: RFC 3339 in
// UTC at a fixed width, so the text sorts as the times do.
const atLayout = "2006-01-02T15:04:05.000000000Z"

func stamp(t time.Time) string { return t.UTC().Format(atLayout) }

// insertCorrection stores one correction; the same one twice (imported
// again) is stored once: it returns 0 then.
func insertCorrection(ctx context.Context, tx *sql.Tx, c nianbao.Correction) (int64, error) {
	action := "correct"
	if c.Accept {
		action = "accept"
	}
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO corrections (sha256, cell_id, action, value, extracted, replaces, who, at, why)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.SHA256, c.Cell, action, ValidText(c.Value), textPtr(c.Extracted), textPtr(c.Replaces),
		ValidText(c.Who), ValidText(c.At), ValidText(c.Why))
	if err != nil {
		return 0, fmt.Errorf("store: correction: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil
	}
	return res.LastInsertId()
}

func textPtr(s *string) any {
	if s == nil {
		return nil
	}
	return ValidText(*s)
}

// rewriteCorrected applies the document's corrections to rep (the report
// as extracted) and rewrites the stored report in place.
func (db *DB) rewriteCorrected(ctx context.Context, tx *sql.Tx, reportID int64, sha string, rep *nianbao.Report) ([]nianbao.Correction, error) {
	states, err := applyCorrections(ctx, tx, sha, rep)
	if err != nil {
		return nil, err
	}
	if err := db.rewriteReport(ctx, tx, reportID, rep); err != nil {
		return nil, err
	}
	return states, setStates(ctx, tx, states)
}

// rewriteReport replaces a stored report's cells, wide rows, figures,
// checks, warnings and completeness, keeping its id and version.
func (db *DB) rewriteReport(ctx context.Context, tx *sql.Tx, reportID int64, rep *nianbao.Report) error {
	for _, q := range []string{"DELETE FROM cell_values WHERE report_id = ?", "DELETE FROM wide_t2 WHERE report_id = ?",
		"DELETE FROM wide_t3 WHERE report_id = ?", "DELETE FROM wide_t4 WHERE report_id = ?"} {
		if _, err := tx.ExecContext(ctx, q, reportID); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	if err := db.saveCells(ctx, tx, reportID, rep); err != nil {
		return err
	}
	if err := db.saveWide(ctx, tx, reportID, rep); err != nil {
		return err
	}
	if err := db.saveFigures(ctx, tx, reportID, rep); err != nil {
		return err
	}
	if err := saveChecks(ctx, tx, reportID, rep); err != nil {
		return err
	}
	warnings, _ := json.Marshal(rep.Warnings)
	var completeness, detail any
	if c, ok := rep.Overall(); ok {
		b, _ := json.Marshal(rep.Completeness)
		completeness, detail = c.Ratio, string(b)
	}
	_, err := tx.ExecContext(ctx, "UPDATE reports SET warnings = ?, completeness = ?, completeness_detail = ? WHERE id = ?",
		ValidText(string(warnings)), completeness, detail, reportID)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	var agencyID sql.NullInt64
	var year int
	if err := tx.QueryRowContext(ctx, "SELECT agency_id, IFNULL(year, 0) FROM reports WHERE id = ?", reportID).Scan(&agencyID, &year); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if agencyID.Valid && year != 0 { // completeness takes part in ranking
		return rankVersions(ctx, tx, agencyID.Int64, year, 0)
	}
	return nil
}

// loadReport reads a stored report back as it was extracted: a cell
// holding a correction reads as its extracted text again (a cell the
// extraction did not have is left out), with its checks (the narrative
// ones keep the figure the text stated), warnings and template. It returns
// the document's sha256 too.
func loadReport(ctx context.Context, tx *sql.Tx, reportID int64) (*nianbao.Report, string, error) {
	rep := &nianbao.Report{Cells: map[string]nianbao.Cell{}, Checks: []nianbao.Check{}, Unmatched: []nianbao.Unmatched{}}
	var sha, template, warnings string
	var year sql.NullInt64
	var published, agency sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT d.sha256, r.template, IFNULL(r.warnings, '[]'), r.year, r.published, r.title, a.name
		FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.id = ?`, reportID).
		Scan(&sha, &template, &warnings, &year, &published, &rep.Title, &agency)
	if err == sql.ErrNoRows {
		return nil, "", fmt.Errorf("report %d: %w", reportID, ErrNoReport)
	}
	if err != nil {
		return nil, "", err
	}
	rep.Template, rep.Year, rep.Published, rep.Agency = nianbao.Template(template), int(year.Int64), published.String, agency.String
	if err := json.Unmarshal([]byte(warnings), &rep.Warnings); err != nil {
		rep.Warnings = []string{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.cell_id, c.value, c.raw, c.semantic, c.unit, c.note, c.at_block, c.at_row, c.at_col, c.at_page, c.at_box,
		c.source, c.confidence, x.action, x.extracted
		FROM cells c LEFT JOIN corrections x ON x.id = c.correction_id WHERE c.report_id = ?`, reportID)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw, sem string
		var v, conf sql.NullFloat64
		var unit, note, src, action, ext, box sql.NullString
		var block, row, col, page sql.NullInt64
		if err := rows.Scan(&id, &v, &raw, &sem, &unit, &note, &block, &row, &col, &page, &box, &src, &conf, &action, &ext); err != nil {
			return nil, "", err
		}
		c := nianbao.Cell{Raw: raw, Semantic: nianbao.Semantic(sem), Unit: unit.String, Note: note.String, Source: src.String}
		if v.Valid {
			f := v.Float64
			c.Value = &f
		}
		if action.String == "correct" {
			if !ext.Valid {
				continue // the extraction had no such cell
			}
			c = normalize.ParseValue(ext.String)
			c.Source = src.String
		}
		if conf.Valid {
			f := conf.Float64
			c.Confidence = &f
		}
		if block.Valid {
			c.At = &nianbao.Position{Block: int(block.Int64), Row: int(row.Int64), Col: int(col.Int64), Page: int(page.Int64)}
			var b [4]float64
			if n, _ := fmt.Sscanf(box.String, "%g %g %g %g", &b[0], &b[1], &b[2], &b[3]); n == 4 {
				c.At.Box = &b
			}
		}
		rep.Cells[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	checks, err := tx.QueryContext(ctx, "SELECT check_id, scope, status, lhs, rhs, IFNULL(cells, '[]') FROM checks WHERE report_id = ?", reportID)
	if err != nil {
		return nil, "", err
	}
	defer checks.Close()
	for checks.Next() {
		var k nianbao.Check
		var cells string
		if err := checks.Scan(&k.ID, &k.Scope, &k.Status, &k.LHS, &k.RHS, &cells); err != nil {
			return nil, "", err
		}
		_ = json.Unmarshal([]byte(cells), &k.Cells)
		k.Severity = "warning"
		rep.Checks = append(rep.Checks, k)
	}
	return rep, sha, checks.Err()
}

// CorrectionRecord is a stored correction with the report it applies to
// now, for people reading an exported file (agency, year, report id).
type CorrectionRecord struct {
	nianbao.Correction
	ReportID int64  `json:"report_id,omitempty"`
	Agency   string `json:"agency,omitempty"`
	Year     int    `json:"year,omitempty"`
}

// Corrections lists every stored correction, oldest first, with the
// latest report of its document when one is stored.
func (db *DB) Corrections(ctx context.Context) ([]CorrectionRecord, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+correctionColumns+`, IFNULL(r.id, 0), IFNULL(a.name, ''), IFNULL(r.year, 0)
		FROM corrections x
		LEFT JOIN reports r ON r.id = (SELECT MAX(r2.id) FROM reports r2 JOIN documents d ON d.id = r2.document_id WHERE d.sha256 = x.sha256)
		LEFT JOIN agencies a ON a.id = r.agency_id ORDER BY x.id`)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer rows.Close()
	var out []CorrectionRecord
	for rows.Next() {
		var r CorrectionRecord
		if r.Correction, err = scanCorrection(rows, &r.ReportID, &r.Agency, &r.Year); err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, r)
	}
	return out, db.wrap(rows.Err())
}

// Imported says what importing corrections did.
type Imported struct {
	Added   int // corrections new to this database
	Known   int // already here (the same cell, time, person and value)
	Reports int // stored reports rewritten with them
	Pending int // added for documents this database does not hold yet
}

// ImportCorrections adds corrections made in another database (or read
// from a shared file) and applies them to the stored reports of their
// documents, in one transaction: all of them or none. A document not
// stored yet keeps them pending until it is ingested or crawled.
func (db *DB) ImportCorrections(ctx context.Context, cs []nianbao.Correction) (im Imported, err error) {
	defer func() { err = db.wrap(err) }()
	for i, c := range cs {
		if err := validCorrection(c); err != nil {
			return im, fmt.Errorf("correction %d (%s %s): %w", i+1, c.SHA256, c.Cell, err)
		}
		t, _ := time.Parse(time.RFC3339Nano, c.At)
		cs[i].At = stamp(t) // one format, so that the times sort
		if _, ok := db.keys.no[c.Cell]; !ok {
			return im, fmt.Errorf("correction %d: %q is not a cell id", i+1, c.Cell)
		}
	}
	db.w.Lock()
	defer db.w.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return im, err
	}
	defer tx.Rollback()
	var docs []string
	seen := map[string]bool{}
	for _, c := range cs {
		id, err := insertCorrection(ctx, tx, c)
		if err != nil {
			return im, err
		}
		if id == 0 {
			im.Known++
			continue
		}
		im.Added++
		if !seen[c.SHA256] {
			seen[c.SHA256] = true
			docs = append(docs, c.SHA256)
		}
	}
	for _, sha := range docs {
		var reportID int64
		err := tx.QueryRowContext(ctx, "SELECT IFNULL(MAX(r.id), 0) FROM reports r JOIN documents d ON d.id = r.document_id WHERE d.sha256 = ?", sha).Scan(&reportID)
		if err != nil {
			return im, err
		}
		if reportID == 0 {
			im.Pending++
			continue
		}
		rep, _, err := loadReport(ctx, tx, reportID)
		if err != nil {
			return im, err
		}
		if _, err := db.rewriteCorrected(ctx, tx, reportID, sha, rep); err != nil {
			return im, err
		}
		im.Reports++
	}
	return im, tx.Commit()
}

// validCorrection checks a correction read from a file.
func validCorrection(c nianbao.Correction) error {
	switch {
	case len(c.SHA256) != 64 || strings.Trim(c.SHA256, "0123456789abcdef") != "":
		return errors.New("sha256 is not a document's 64 hex digits")
	case strings.TrimSpace(c.Who) == "" || strings.TrimSpace(c.Why) == "":
		return errors.New("who and why are required")
	}
	if _, err := time.Parse(time.RFC3339Nano, c.At); err != nil {
		return fmt.Errorf("at: %w", err)
	}
	return nil
}
