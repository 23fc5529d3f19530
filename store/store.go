// Package store keeps documents, extracted reports, cells and checks in one
// SQLite file built for researchers: long tidy tables, wide views, a data
// dictionary and a 2019↔2021 crosswalk (see docs/schema.md). Raw bytes live
// beside the database, content-addressed, in Blobs.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"github.com/nianbao/nianbao"
)

// DB is an open nianbao database.
type DB struct {
	sql   *sql.DB
	Path  string
	Blobs Blobs
	// w queues this process's writers in Go: SQLite's busy handler makes
	// waiting connections sleep (up to 100 ms a try), which with a crawl's
	// many goroutines left the lock idle while they slept. Other
	// processes still wait in SQLite (busy timeout, immediate transactions).
	w sync.Mutex
	// dict is the dictionary the file was synced with; keys its own cell
	// numbers (never this build's order), read when it is opened.
	dict     *dictionary
	keys     cellKeyList
	wideOnce sync.Once
	wideRows *wideRows
	// Notice says how a read-only open had to read the file (e.g. from
	// read-only media), for the user; "" when it was opened as asked.
	Notice string
}

// exec runs one write statement in the writers' queue.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	db.w.Lock()
	defer db.w.Unlock()
	return db.sql.ExecContext(ctx, query, args...)
}

// Open opens or creates the database at path, upgrading an older schema.
// Raw bytes go to a blobs folder beside it. WAL journaling, a busy timeout
// and immediate write transactions let several processes share the file:
// writers wait for each other instead of failing or corrupting it.
func Open(path string) (*DB, error) { return open(path, defaultDictionary()) }

// open opens the database read-write, synced with the dictionary d.
func open(path string, d *dictionary) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("database %s: %w", path, err)
		}
	}
	dsn := fileURI(path) + "?_journal_mode=WAL&_busy_timeout=30000&_foreign_keys=on&_txlock=immediate&_synchronous=NORMAL" + connOptions
	sdb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{sql: sdb, Path: path, Blobs: Blobs{Dir: filepath.Join(filepath.Dir(path), "blobs")}, dict: d}
	if err := db.migrate(context.Background(), d); err != nil {
		sdb.Close()
		return nil, db.wrap(err)
	}
	if err := db.loadKeys(context.Background()); err != nil {
		sdb.Close()
		return nil, db.wrap(err)
	}
	return db, nil
}

// loadKeys reads the file's cell numbers.
func (db *DB) loadKeys(ctx context.Context) error {
	k, err := cellKeys(ctx, db.sql)
	if err != nil {
		return fmt.Errorf("store: cell keys: %w", err)
	}
	db.keys = k
	return nil
}

// fileURI is an SQLite URI naming exactly the file at path: the
// characters a URI gives a meaning to (% ? #) are percent-encoded, so
// 'x#1.db' is that file and not 'x', and '%41' is not decoded to 'A'.
func fileURI(path string) string {
	var b strings.Builder
	b.WriteString("file:")
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // "file:" + a relative path starting with "//" would name a host
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '%', '?', '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// connOptions are for every connection. _mutex=no drops SQLite's
// per-connection mutex: database/sql hands a connection to one goroutine at
// a time, so the mutex only cost a lock per call — per column of every row
// read (a full report_summary scan is 20–30 % faster without it);
// sqlite3_interrupt, which cancelling a context calls from another
// goroutine, needs no mutex. _stmt_cache_size keeps each connection's
// recent statements prepared: a save runs the same fifteen or so
// statements (one names 180 columns) for every report (saves ≈ 25 % faster).
const connOptions = "&_mutex=no&_stmt_cache_size=64"

// OpenReadOnly opens an existing database for queries only: the connection
// is opened read-only and with PRAGMA query_only, so no statement run on it
// (a user's --where clause included) can change or attach anything.
func OpenReadOnly(path string) (*DB, error) { return openReadOnly(path, defaultDictionary()) }

func openReadOnly(path string, d *dictionary) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db, err := openRO(path, d, false)
	if err != nil && !writable(filepath.Dir(path)) {
		// A WAL database needs its -shm file beside it even to be read;
		// on read-only media (a :ro volume, another user's folder) nothing
		// can be created there. Read it as an unchanging file instead.
		if im, ierr := openRO(path, d, true); ierr == nil {
			im.Notice = "read-only folder: the database is read as an unchanging file (SQLite immutable); changes another process is writing are not seen"
			return im, nil
		}
	}
	return db, err
}

// writable reports whether a file can be created in dir.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".nianbao-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// openRO opens the database read-only (immutable: as a file nothing
// changes, for read-only media), upgrading it first when it is older and
// its folder can be written.
func openRO(path string, d *dictionary, immutable bool) (*DB, error) {
	dsn := fileURI(path) + "?mode=ro&_query_only=1&_busy_timeout=30000" + connOptions
	if immutable {
		dsn += "&immutable=1"
	}
	sdb, err := sql.Open(readOnlyDriver, dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db := &DB{sql: sdb, Path: path, Blobs: Blobs{Dir: filepath.Join(filepath.Dir(path), "blobs")}, dict: d}
	ctx := context.Background()
	v, stale, err := needsUpgrade(ctx, sdb, d)
	if err != nil {
		sdb.Close()
		return nil, db.wrap(err)
	}
	if v > len(migrations) {
		sdb.Close()
		return nil, fmt.Errorf("database %s: schema version %d, newer than this build (%d)", path, v, len(migrations))
	}
	if stale && immutable && v == len(migrations) {
		stale = false // synced by another build: its views serve; nothing can be written here
	}
	if stale {
		// An older file, or one synced with another dictionary: bring it
		// up to date once (read-write), then read it read-only.
		sdb.Close()
		up, err := open(path, d)
		if err != nil {
			return nil, fmt.Errorf("database %s: schema version %d needs an upgrade to %d: %w", path, v, len(migrations), err)
		}
		up.Close()
		return openReadOnly(path, d)
	}
	if err := db.loadKeys(ctx); err != nil {
		sdb.Close()
		return nil, db.wrap(err)
	}
	return db, nil
}

// readOnlyDriver is SQLite with an authorizer that allows reading only:
// SELECT, reading columns, functions, recursive CTEs, read transactions
// and the pragmas that read the schema or the data version. ATTACH (which would create files), writes and every
// other pragma are denied before they run.
const readOnlyDriver = "sqlite3_nianbao_readonly"

// sqliteRecursive is SQLITE_RECURSIVE (a WITH RECURSIVE query), which the
// driver does not export.
const sqliteRecursive = 33

func init() {
	sql.Register(readOnlyDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		c.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
		c.RegisterAuthorizer(func(op int, arg1, arg2, _ string) int {
			switch op {
			case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqliteRecursive:
				return sqlite3.SQLITE_OK
			case sqlite3.SQLITE_TRANSACTION: // BEGIN and ROLLBACK of a read transaction (ExportReader)
				return sqlite3.SQLITE_OK
			case sqlite3.SQLITE_PRAGMA:
				if arg2 == "" && (arg1 == "user_version" || arg1 == "table_info" || arg1 == "table_xinfo" || arg1 == "data_version") {
					return sqlite3.SQLITE_OK
				}
			}
			return sqlite3.SQLITE_DENY
		})
		return nil
	}})
}

// Wrap names the database file in an error from a query run on SQL().
func (db *DB) Wrap(err error) error { return db.wrap(err) }

// wrap names the database file in an error, so a message about a
// read-only folder or a malformed file says which file.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("database %s: %w", db.Path, err)
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// SQL exposes the underlying handle for read queries.
func (db *DB) SQL() *sql.DB { return db.sql }

// Document describes one input as stored in the documents table.
type Document struct {
	SHA256 string
	Path   string // file path or URL
	Format string
	Size   int
	Error  string // why it could not be read; "" when it was
	// ErrorClass classes Error (nianbao.ClassOf of the failure).
	ErrorClass nianbao.ErrorClass
	// Where a crawled document was listed: the list entry's title and date,
	// and for an attachment the article page that linked it.
	ListedTitle, ListedDate, ArticleURL string
	Extractor                           string // buildinfo.Version of the build that read it
	// Agency is the report's agency resolved to its region and organ (see
	// package region); nil or an empty Key keeps the printed name as its
	// own agency.
	Agency *AgencyIdentity
	// Parts are the page images an article was read from (their bytes
	// already in Blobs), in page order.
	Parts []Part
}

// Part is one page image kept with an article page.
type Part struct {
	Src    string // as the page referenced it
	SHA256 string
	Size   int
}

// AgencyIdentity is an agency name resolved to one identity.
type AgencyIdentity struct {
	Key, CanonicalName, RegionCode, RegionName, Level, Kind, ParentKey string
	How                                                                string // how the name was matched, or why not
}

// Outcome says what saving a document did.
type Outcome int

// Outcomes of Save.
const (
	Unchanged Outcome = iota // the same bytes were already stored
	Added                    // a new report (or a new failed document) was stored
	Replaced                 // a new version of an agency's report for that year became current
	Failed                   // the document was stored with its error, no report
)

// Save stores a document and, when it was read, its report, in one
// transaction: either all of it is in the database or none of it is. The
// same bytes twice change nothing. A report for an agency and year that
// already has one becomes the current version; the old one is kept.
func (db *DB) Save(ctx context.Context, doc Document, rep *nianbao.Report) (o Outcome, err error) {
	defer func() { err = db.wrap(err) }()
	db.w.Lock()
	defer db.w.Unlock()
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return Failed, fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback()
	var exists int
	err = tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE sha256 = ?", doc.SHA256).Scan(&exists)
	if err != nil {
		return Failed, fmt.Errorf("store: %w", err)
	}
	if exists > 0 {
		return Unchanged, nil
	}
	now := time.Now().UTC().Format(time.RFC3339)
	res, err := tx.ExecContext(ctx, "INSERT INTO documents (sha256, path, format, size, first_seen, error, error_class, listed_title, listed_date, article_url, extractor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		doc.SHA256, ValidText(doc.Path), doc.Format, doc.Size, now, text(ValidText(doc.Error)), errorClass(doc), text(doc.ListedTitle), text(doc.ListedDate), text(doc.ArticleURL), text(doc.Extractor))
	if err != nil {
		return Failed, fmt.Errorf("store: %w", err)
	}
	docID, _ := res.LastInsertId()
	if err := saveParts(ctx, tx, docID, doc.Parts); err != nil {
		return Failed, err
	}
	if doc.Error != "" || rep == nil {
		return Failed, commit(tx)
	}
	states, err := applyCorrections(ctx, tx, doc.SHA256, rep)
	if err != nil {
		return Failed, err
	}
	outcome, err := db.saveReport(ctx, tx, docID, now, doc.Extractor, doc.Agency, rep)
	if err != nil {
		return Failed, err
	}
	if err := setStates(ctx, tx, states); err != nil {
		return Failed, err
	}
	return outcome, commit(tx)
}

// saveParts records the page images a document was read from.
func saveParts(ctx context.Context, tx *sql.Tx, docID int64, parts []Part) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM document_parts WHERE document_id = ?", docID); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	for i, p := range parts {
		if _, err := tx.ExecContext(ctx, "INSERT INTO document_parts (document_id, n, src, sha256, size) VALUES (?, ?, ?, ?, ?)",
			docID, i+1, ValidText(p.Src), p.SHA256, p.Size); err != nil {
			return fmt.Errorf("store: part %d: %w", i+1, err)
		}
	}
	return nil
}

// DocumentParts returns the page images kept with a document, in page
// order (none for most documents).
func (db *DB) DocumentParts(ctx context.Context, sha string) ([]Part, error) {
	return collect(ctx, db, func(rows *sql.Rows) (p Part, err error) {
		return p, rows.Scan(&p.Src, &p.SHA256, &p.Size)
	}, "SELECT p.src, p.sha256, p.size FROM document_parts p JOIN documents d ON d.id = p.document_id WHERE d.sha256 = ? ORDER BY p.n", sha)
}

// errorClass is the class stored beside a document's error.
func errorClass(doc Document) any {
	switch {
	case doc.Error == "":
		return nil
	case doc.ErrorClass == "":
		return string(nianbao.ClassOther)
	}
	return string(doc.ErrorClass)
}

func commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func (db *DB) saveReport(ctx context.Context, tx *sql.Tx, docID int64, now, extractor string, ident *AgencyIdentity, rep *nianbao.Report) (Outcome, error) {
	agencyID, err := agencyFor(ctx, tx, ValidText(rep.Agency), ident, rep.CreditCode)
	if err != nil {
		return Failed, fmt.Errorf("store: agency: %w", err)
	}
	outcome := Added
	if agencyID.Valid && rep.Year != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM reports WHERE agency_id = ? AND year = ?", agencyID, rep.Year).Scan(&n); err != nil {
			return Failed, fmt.Errorf("store: %w", err)
		}
		if n > 0 {
			outcome = Replaced // another version; rankVersions decides which is current
		}
	}
	warnings, _ := json.Marshal(rep.Warnings)
	var completeness, detail any
	if c, ok := rep.Overall(); ok {
		b, _ := json.Marshal(rep.Completeness)
		completeness, detail = c.Ratio, string(b)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO reports (document_id, agency_id, year, template, published, title, is_current, extracted_at, warnings, completeness, completeness_detail, current_by, extractor)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, 'only version', ?)`, docID, agencyID, nullInt(rep.Year), string(rep.Template), text(rep.Published), ValidText(rep.Title), now, ValidText(string(warnings)), completeness, detail, text(extractor))
	if err != nil {
		return Failed, fmt.Errorf("store: report: %w", err)
	}
	repID, _ := res.LastInsertId()
	if err := db.saveFigures(ctx, tx, repID, rep); err != nil {
		return Failed, err
	}
	if err := db.saveCells(ctx, tx, repID, rep); err != nil {
		return Failed, err
	}
	if err := db.saveWide(ctx, tx, repID, rep); err != nil {
		return Failed, err
	}
	if err := saveChecks(ctx, tx, repID, rep); err != nil {
		return Failed, err
	}
	if agencyID.Valid && rep.Year != 0 {
		if err := rankVersions(ctx, tx, agencyID.Int64, rep.Year, repID); err != nil {
			return Failed, err
		}
	}
	return outcome, nil
}

// saveCells writes a report's cells.
func (db *DB) saveCells(ctx context.Context, tx *sql.Tx, repID int64, rep *nianbao.Report) error {
	cellStmt, err := tx.PrepareContext(ctx, "INSERT INTO cell_values (report_id, cell_no, value, raw, semantic, unit, note, at_block, at_row, at_col, at_page, at_box, source, confidence, correction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer cellStmt.Close()
	for id, c := range rep.Cells {
		no, ok := db.keys.no[id]
		if !ok {
			return fmt.Errorf("store: %s is not a cell of this database's dictionary", id)
		}
		var v, raw any = nil, c.Raw
		if c.Value != nil {
			v = *c.Value
			if c.Raw == strconv.FormatInt(int64(*c.Value), 10) && float64(int64(*c.Value)) == *c.Value {
				raw = nil // the cells view prints it back from the value
			}
		}
		if r, ok := raw.(string); ok {
			raw = ValidText(r)
		}
		ab, ar, ac, ap, abox := position(c.At)
		var conf, corr any
		if c.Confidence != nil {
			conf = *c.Confidence
		}
		if c.Correction != nil && c.Correction.ID != 0 {
			corr = c.Correction.ID
		}
		if _, err := cellStmt.ExecContext(ctx, repID, no, v, raw, storedSemantic(c), text(c.Unit), text(c.Note), ab, ar, ac, ap, abox, text(c.Source), conf, corr); err != nil {
			return fmt.Errorf("store: cell %s: %w", id, err)
		}
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// position is where a cell was printed, as stored: block, row, column, and
// for a PDF the page and box ("x y w h" in points); NULLs when unknown.
func position(at *nianbao.Position) (block, row, col, page, box any) {
	if at == nil {
		return nil, nil, nil, nil, nil
	}
	block, row, col = at.Block, at.Row, at.Col
	if at.Page > 0 {
		page = at.Page
	}
	if b := at.Box; b != nil {
		box = fmt.Sprintf("%.1f %.1f %.1f %.1f", b[0], b[1], b[2], b[3])
	}
	return block, row, col, page, box
}
