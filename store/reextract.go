package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/nianbao/nianbao"
)

// saveChecks stores a report's checks and unmatched rows (replacing any).
func saveChecks(ctx context.Context, tx *sql.Tx, repID int64, rep *nianbao.Report) error {
	for _, q := range []string{"DELETE FROM check_values WHERE report_id = ?", "DELETE FROM unmatched WHERE report_id = ?"} {
		if _, err := tx.ExecContext(ctx, q, repID); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	kindStmt, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO check_kinds (check_id, scope) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer kindStmt.Close()
	checkStmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO check_values (report_id, kind_no, status, lhs, rhs, cells)
		VALUES (?, (SELECT kind_no FROM check_kinds WHERE check_id = ? AND scope = ?), ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer checkStmt.Close()
	for _, c := range rep.Checks {
		var cells any
		if c.Status != nianbao.Pass || strings.HasSuffix(c.ID, ".TEXT") { // a narrative check's cells: to check it again after a correction
			b, _ := json.Marshal(c.Cells)
			cells = string(b)
		}
		// Almost every kind is known: insert it only when the row could
		// not find it (kind_no NULL fails NOT NULL; the statement alone is
		// undone, not the transaction).
		_, err := checkStmt.ExecContext(ctx, repID, c.ID, c.Scope, c.Status, c.LHS, c.RHS, cells)
		if err != nil {
			if _, kerr := kindStmt.ExecContext(ctx, c.ID, c.Scope); kerr != nil {
				return fmt.Errorf("store: check %s: %w", c.ID, kerr)
			}
			_, err = checkStmt.ExecContext(ctx, repID, c.ID, c.Scope, c.Status, c.LHS, c.RHS, cells)
		}
		if err != nil {
			return fmt.Errorf("store: check %s: %w", c.ID, err)
		}
	}
	for _, u := range rep.Unmatched {
		raw, _ := json.Marshal(u.Raw)
		if _, err := tx.ExecContext(ctx, "INSERT INTO unmatched (report_id, tbl, label, raw) VALUES (?, ?, ?, ?)", repID, u.Table, ValidText(u.Label), ValidText(string(raw))); err != nil {
			return fmt.Errorf("store: unmatched: %w", err)
		}
	}
	return nil
}

// StaleDocument is a stored document to extract again.
type StaleDocument struct {
	ID          int64
	SHA256      string
	Path        string
	ContentType string // as last served, for crawled documents
	RegionCode  string // the region of the agency of its latest report, when known
	ListedTitle string // the list entry's title, for crawled documents
}

// Stale selects the documents to extract again.
type Stale struct {
	All   bool               // every document, not only those read by another build
	Class nianbao.ErrorClass // only failed documents of this class (any build)
}

// StaleDocuments lists the documents last read by a build other than
// version, failed ones included; sel widens or narrows that.
func (db *DB) StaleDocuments(ctx context.Context, version string, sel Stale) ([]StaleDocument, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT d.id, d.sha256, IFNULL(d.path, ''),
		IFNULL((SELECT f.content_type FROM fetches f WHERE f.url = d.path AND f.sha256 = d.sha256 ORDER BY f.id DESC LIMIT 1), ''),
		IFNULL((SELECT a.region_code FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.document_id = d.id ORDER BY r.id DESC LIMIT 1), ''),
		IFNULL(d.listed_title, '')
		FROM documents d WHERE CASE WHEN ? != '' THEN d.error_class = ? ELSE ? OR d.extractor IS NULL OR d.extractor != ? END ORDER BY d.id`,
		string(sel.Class), string(sel.Class), sel.All, version)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer rows.Close()
	var out []StaleDocument
	for rows.Next() {
		var s StaleDocument
		if err := rows.Scan(&s.ID, &s.SHA256, &s.Path, &s.ContentType, &s.RegionCode, &s.ListedTitle); err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, s)
	}
	return out, db.wrap(rows.Err())
}

// CountStale counts current reports made by a build other than version.
func (db *DB) CountStale(ctx context.Context, version string) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM reports WHERE is_current = 1 AND (extractor IS NULL OR extractor != ?)", version).Scan(&n)
	return n, db.wrap(err)
}

// Reextracted says what re-extracting one document did.
type Reextracted struct {
	Changed      bool // a new version was stored beside the old one
	New          bool // the document had no report before
	CellsChanged int  // cells added, removed or read differently
}

// Reextract stores a new extraction of a stored document, in one
// transaction. When its cells (value, text as printed, meaning), agency,
// year or publication date differ from the document's latest report, the
// new report is stored as a new version and the old one is kept, not
// current; when they are equal, the report is updated in place (checks,
// warnings, completeness, figures and the extractor's version). fail is
// the new extraction's failure, if it failed: the old report is then kept,
// and a document without one records the failure and its class.
func (db *DB) Reextract(ctx context.Context, docID int64, extractor string, ident *AgencyIdentity, rep *nianbao.Report, fail error, parts ...Part) (r Reextracted, err error) {
	defer func() { err = db.wrap(err) }()
	db.w.Lock()
	defer db.w.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return r, err
	}
	defer tx.Rollback()
	now := time.Now().UTC().Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, "UPDATE documents SET extractor = ? WHERE id = ?", text(extractor), docID); err != nil {
		return r, err
	}
	if len(parts) > 0 {
		if err := saveParts(ctx, tx, docID, parts); err != nil {
			return r, err
		}
	}
	if rep == nil || fail != nil {
		if fail == nil {
			fail = nianbao.ErrNoReport
		}
		_, err := tx.ExecContext(ctx, "UPDATE documents SET error = ?, error_class = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM reports WHERE document_id = ?)",
			ValidText(fail.Error()), string(nianbao.ClassOf(fail)), docID, docID)
		if err != nil {
			return r, err
		}
		return r, tx.Commit()
	}
	var sha string
	if err := tx.QueryRowContext(ctx, "SELECT sha256 FROM documents WHERE id = ?", docID).Scan(&sha); err != nil {
		return r, err
	}
	states, err := applyCorrections(ctx, tx, sha, rep)
	if err != nil {
		return r, err
	}
	if err := setStates(ctx, tx, states); err != nil {
		return r, err
	}
	var old struct {
		id        int64
		agencyID  sql.NullInt64
		published string
		year      int
	}
	err = tx.QueryRowContext(ctx, `SELECT id, agency_id, IFNULL(year, 0), IFNULL(published, '') FROM reports
		WHERE document_id = ? ORDER BY id DESC LIMIT 1`, docID).Scan(&old.id, &old.agencyID, &old.year, &old.published)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET error = NULL, error_class = NULL WHERE id = ?", docID); err != nil {
			return r, err
		}
		if _, err := db.saveReport(ctx, tx, docID, now, extractor, ident, rep); err != nil {
			return r, err
		}
		r.New, r.Changed, r.CellsChanged = true, true, len(rep.Cells)
		return r, tx.Commit()
	case err != nil:
		return r, err
	}
	oldCells, err := reportCells(ctx, tx, old.id)
	if err != nil {
		return r, err
	}
	r.CellsChanged = diffCells(oldCells, rep.Cells)
	// The same agency as Save would resolve it (a report printed 洪泽区政府
	// is stored under 洪泽区人民政府 and must not become a new version).
	agencyID, err := agencyFor(ctx, tx, ValidText(rep.Agency), ident, rep.CreditCode)
	if err != nil {
		return r, err
	}
	same := agencyID == old.agencyID
	if r.CellsChanged > 0 || !same || old.year != rep.Year || old.published != rep.Published {
		r.Changed = true
		if _, err := db.saveReport(ctx, tx, docID, now, extractor, ident, rep); err != nil {
			return r, err
		}
		return r, tx.Commit()
	}
	// The same values: everything else is written again (where they were
	// printed, OCR confidences, checks, figures: a report stored before
	// pages and boxes were kept gains them).
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET extractor = ?, extracted_at = ?, title = ?, template = ? WHERE id = ?`,
		text(extractor), now, ValidText(rep.Title), string(rep.Template), old.id); err != nil {
		return r, err
	}
	if err := db.rewriteReport(ctx, tx, old.id, rep); err != nil {
		return r, err
	}
	return r, tx.Commit()
}

// reportCells reads a stored report's cells back.
func reportCells(ctx context.Context, tx *sql.Tx, repID int64) (map[string]nianbao.Cell, error) {
	rows, err := tx.QueryContext(ctx, "SELECT cell_id, value, raw, semantic FROM cells WHERE report_id = ?", repID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]nianbao.Cell{}
	for rows.Next() {
		var id, sem string
		var raw sql.NullString
		var v sql.NullFloat64
		if err := rows.Scan(&id, &v, &raw, &sem); err != nil {
			return nil, err
		}
		c := nianbao.Cell{Raw: raw.String, Semantic: nianbao.Semantic(sem)}
		if v.Valid {
			f := v.Float64
			c.Value = &f
		}
		out[id] = c
	}
	return out, rows.Err()
}

// diffCells counts cells present in one map only, or read differently.
func diffCells(a, b map[string]nianbao.Cell) int {
	n := 0
	for id, x := range a {
		y, ok := b[id]
		switch {
		case !ok:
			n++
		case x.Semantic != y.Semantic || ValidText(x.Raw) != ValidText(y.Raw) || (x.Value == nil) != (y.Value == nil):
			n++
		case x.Value != nil && math.Abs(*x.Value-*y.Value) > 1e-9:
			n++
		}
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			n++
		}
	}
	return n
}
