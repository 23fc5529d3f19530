package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/region"
)

// The read API: every query the web pages, the comparison, provenance and
// the CLI make, typed, so the schema stays inside this package. Errors are
// returned (naming the database), never dropped.

// ErrNotFound means the agency, report or document asked for is not stored.
var ErrNotFound = errors.New("not found")

// ErrNoCell means the report has no such cell.
var ErrNoCell = fmt.Errorf("no such cell: %w", ErrNotFound)

// CompareFilter selects comparison rows; zero values select everything.
type CompareFilter struct {
	Year   int      // statistics year
	Region string   // a division code (or its prefix: 3301 for 杭州市), or a name within region_name
	Agency string   // text within the agency's name
	Key    string   // exactly this agency_key
	Keys   []string // any of these agency keys (a reader's own list of agencies)
	Name   string   // exactly this agency name
	Limit  int      // at most this many rows; 0 for all
	Offset int      // rows skipped first (a page's start)
	Sort   string   // a key of CompareSorts; "" for agency, then year
	Desc   bool     // largest first; blanks always last
	// IDs, when set, selects exactly these reports in this order (a page
	// cut from CompareOrder); the other fields are then ignored.
	IDs []int64
}

// CompareRow is one agency-year of the comparison. Pointers are nil where
// the report printed nothing to compute from: a blank is never 0. Agency
// is "" for a report whose agency was not recognised.
type CompareRow struct {
	ReportID         int64    `json:"report_id"`
	Agency           string   `json:"agency"`
	AgencyKey        string   `json:"agency_key,omitempty"`
	Region           string   `json:"region,omitempty"`
	Year             int      `json:"year"`
	Received         *float64 `json:"received"`
	Answered         *float64 `json:"answered"`
	GrantRate        *float64 `json:"grant_rate"` // a fraction
	GrantRateBasis   string   `json:"grant_rate_basis"`
	Refused          *float64 `json:"refused"`
	NotProcessed     *float64 `json:"not_processed"`
	OtherHandling    *float64 `json:"other_handling"`
	Unavailable      *float64 `json:"unavailable"`
	UnavailableShare *float64 `json:"unavailable_share"` // unavailable / answered
	Reviews          *float64 `json:"reviews"`
	ReviewsCorrected *float64 `json:"reviews_corrected"`
	Suits            *float64 `json:"suits"`
	SuitsCorrected   *float64 `json:"suits_corrected"`
	ChecksFailed     int      `json:"checks_failed"`
	Completeness     *float64 `json:"completeness"`
	// CorrectedFigures names the figures read from a person's correction
	// (report_summary.corrected_figures, comma-separated).
	CorrectedFigures string `json:"corrected_figures,omitempty"`
	Source           string `json:"source"` // the document's URL or path
	// Bases of the figures a change is computed for (printed, from_parts,
	// lower_bound, missing): a lower bound has no change.
	ReceivedBasis, RefusedBasis, UnavailableBasis string `json:"-"`
	// Previous is the same agency's current report a year earlier, nil
	// when there is none.
	Previous *PreviousYear `json:"previous,omitempty"`
}

// PreviousYear holds an agency's headline figures of the year before (nil
// where that report printed nothing to compute them from).
type PreviousYear struct {
	ReportID    int64    `json:"report_id"`
	Received    *float64 `json:"received"`
	Answered    *float64 `json:"answered"`
	GrantRate   *float64 `json:"grant_rate"`
	Refused     *float64 `json:"refused"`
	Unavailable *float64 `json:"unavailable"`
	Reviews     *float64 `json:"reviews"`
	Suits       *float64 `json:"suits"`
	// Bases (printed, from_parts, lower_bound, missing) of the figures
	// whose change is shown.
	ReceivedBasis, GrantRateBasis, RefusedBasis, UnavailableBasis string `json:"-"`
}

// SortRecent orders the comparison by the reports most recently stored
// first: the one order a national list can be paged in without sorting it.
const SortRecent = "recent"

// CompareSorts are the comparison's sort keys and what they sort by: every
// column, and the changes from the previous year (blank when either year
// is blank or a lower bound).
var CompareSorts = map[string]string{
	"agency": "s.agency", "year": "s.year", "received": "s.requests_received", "answered": "s.total_answered",
	"grant_rate": "s.grant_rate", "refused": "s.refused", "not_processed": "s.not_processed", "other_handling": "s.other_handling",
	"unavailable": "s.unavailable", "unavailable_share": unavailableShareSQL, "reviews": "s.reviews", "suits": "s.suits",
	"checks_failed": "s.checks_failed", "completeness": "s.completeness",
	"received_change":   changeSQL("requests_received"),
	"refused_change":    changeSQL("refused"),
	"grant_rate_change": changeSQL("grant_rate"),
}

// unavailableShareSQL is unavailable / answered, NULL when either is unknown.
const unavailableShareSQL = "CASE WHEN s.total_answered > 0 AND s.unavailable IS NOT NULL THEN 1.0 * s.unavailable / s.total_answered END"

// changeSQL is a figure's change from the previous year: NULL when either
// year is blank or only a lower bound.
func changeSQL(fig string) string {
	return fmt.Sprintf("CASE WHEN s.%[1]s_basis = 'lower_bound' OR p.%[1]s_basis = 'lower_bound' THEN NULL ELSE s.%[1]s - p.%[1]s END", fig)
}

// compareWhere is the filter's WHERE clause over report_summary s.
func compareWhere(f CompareFilter) (string, []any) {
	q := " WHERE 1 = 1"
	var args []any
	if f.Year != 0 {
		q += " AND s.year = ?"
		args = append(args, f.Year)
	}
	if f.Region != "" {
		if _, err := strconv.Atoi(f.Region); err == nil {
			cond, a := codePrefix("s.region_code", region.CodePrefix(f.Region))
			q += " AND " + cond
			args = append(args, a...)
		} else {
			q += " AND s.region_name LIKE ? ESCAPE '\\'"
			args = append(args, "%"+likeEscape(f.Region)+"%")
		}
	}
	if f.Agency != "" {
		q += " AND s.agency LIKE ? ESCAPE '\\'"
		args = append(args, "%"+likeEscape(f.Agency)+"%")
	}
	if f.Key != "" {
		q += " AND s.agency_key = ?"
		args = append(args, f.Key)
	}
	if f.Name != "" {
		q += " AND s.agency = ?"
		args = append(args, f.Name)
	}
	if len(f.Keys) > 0 {
		q += " AND s.agency_key IN (?" + strings.Repeat(", ?", len(f.Keys)-1) + ")"
		for _, k := range f.Keys {
			args = append(args, k)
		}
	}
	return q, args
}

// CountCompare counts the comparison rows a filter selects (Limit and
// Offset aside): the total beside a page of them.
func (db *DB) CountCompare(ctx context.Context, f CompareFilter) (int, error) {
	where, args := compareWhere(f)
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM report_summary s"+where, args...).Scan(&n)
	return n, db.wrap(err)
}

// compareFrom is report_summary s with the same agency's current report
// of the year before (its agency row — names are unique —, its report of
// year − 1 by the agency-and-year index) as p.
const compareFrom = ` FROM report_summary s
		LEFT JOIN agencies a ON a.name = s.agency
		LEFT JOIN reports pr ON pr.agency_id = a.id AND pr.year = s.year - 1 AND pr.is_current = 1
		LEFT JOIN report_figures p ON p.report_id = pr.id`

// compareOrder is the filter's ORDER BY: blanks last either way, ties in
// agency then year order.
func compareOrder(f CompareFilter) string {
	order := "s.agency IS NULL, s.agency, s.year, s.report_id"
	if f.Sort == SortRecent {
		return "s.report_id DESC" // the reports' own order: read from the table's end, no sort at any size
	}
	if expr, ok := CompareSorts[f.Sort]; ok {
		dir := ""
		if f.Desc {
			dir = " DESC"
		}
		order = "(" + expr + ") IS NULL, " + expr + dir + ", " + order
	}
	return order
}

// CompareOrder returns the ids of every report the filter selects, in its
// order (Limit, Offset and IDs aside). A caller pages a national list from
// it — one sort of the whole list, then each page by id — where sorting
// the list again for every page would cost as much as the first time.
func (db *DB) CompareOrder(ctx context.Context, f CompareFilter) ([]int64, error) {
	f.IDs = nil
	where, args := compareWhere(f)
	return collect(ctx, db, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	}, "SELECT s.report_id"+compareFrom+where+" ORDER BY "+compareOrder(f), args...)
}

// CompareRows reads the comparison from report_summary with bound filters,
// agency then year order (or the filter's sort; or its IDs' order).
func (db *DB) CompareRows(ctx context.Context, f CompareFilter) ([]CompareRow, error) {
	q := `SELECT s.report_id, IFNULL(s.agency, ''), IFNULL(s.agency_key, ''), IFNULL(s.region_name, ''), s.year,
		s.requests_received, s.total_answered, s.grant_rate, s.grant_rate_basis, s.refused, s.not_processed, s.other_handling, s.unavailable,
		` + unavailableShareSQL + `,
		s.reviews, s.reviews_corrected, s.suits, s.suits_corrected, s.checks_failed, s.completeness, IFNULL(s.source, ''), IFNULL(s.corrected_figures, ''),
		s.requests_received_basis, s.refused_basis, s.unavailable_basis,
		p.report_id, p.requests_received, p.total_answered, p.grant_rate, p.refused, p.unavailable, p.reviews, p.suits,
		IFNULL(p.requests_received_basis, ''), IFNULL(p.grant_rate_basis, ''), IFNULL(p.refused_basis, ''), IFNULL(p.unavailable_basis, '')` + compareFrom
	var args []any
	if len(f.IDs) > 0 {
		q += " WHERE s.report_id IN (?" + strings.Repeat(", ?", len(f.IDs)-1) + ")"
		for _, id := range f.IDs {
			args = append(args, id)
		}
	} else {
		var where string
		where, args = compareWhere(f)
		q += where + " ORDER BY " + compareOrder(f)
		if f.Limit > 0 {
			q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
		}
	}
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer rows.Close()
	var out []CompareRow
	for rows.Next() {
		var r CompareRow
		var year sql.NullInt64
		var nums [14]sql.NullFloat64
		var basis sql.NullString
		var prevID sql.NullInt64
		var prev [7]sql.NullFloat64
		var pb [4]string
		if err := rows.Scan(&r.ReportID, &r.Agency, &r.AgencyKey, &r.Region, &year,
			&nums[0], &nums[1], &nums[2], &basis, &nums[3], &nums[11], &nums[12], &nums[4], &nums[5], &nums[6], &nums[7], &nums[8], &nums[9], &r.ChecksFailed, &nums[10], &r.Source, &r.CorrectedFigures,
			&r.ReceivedBasis, &r.RefusedBasis, &r.UnavailableBasis,
			&prevID, &prev[0], &prev[1], &prev[2], &prev[3], &prev[4], &prev[5], &prev[6], &pb[0], &pb[1], &pb[2], &pb[3]); err != nil {
			return nil, db.wrap(err)
		}
		if prevID.Valid {
			r.Previous = &PreviousYear{ReportID: prevID.Int64, Received: ptr(prev[0]), Answered: ptr(prev[1]), GrantRate: ptr(prev[2]),
				Refused: ptr(prev[3]), Unavailable: ptr(prev[4]), Reviews: ptr(prev[5]), Suits: ptr(prev[6]),
				ReceivedBasis: pb[0], GrantRateBasis: pb[1], RefusedBasis: pb[2], UnavailableBasis: pb[3]}
		}
		r.Year, r.GrantRateBasis = int(year.Int64), basis.String
		r.Received, r.Answered, r.GrantRate = ptr(nums[0]), ptr(nums[1]), ptr(nums[2])
		r.Refused, r.Unavailable, r.UnavailableShare = ptr(nums[3]), ptr(nums[4]), ptr(nums[5])
		r.Reviews, r.ReviewsCorrected, r.Suits, r.SuitsCorrected = ptr(nums[6]), ptr(nums[7]), ptr(nums[8]), ptr(nums[9])
		r.Completeness = ptr(nums[10])
		r.NotProcessed, r.OtherHandling = ptr(nums[11]), ptr(nums[12])
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(err)
	}
	if len(f.IDs) > 0 {
		out = inOrder(out, f.IDs)
	}
	return out, nil
}

// inOrder puts rows in the order of ids (rows of ids not stored are
// simply absent).
func inOrder(rows []CompareRow, ids []int64) []CompareRow {
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		if _, dup := at[id]; !dup {
			at[id] = i
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return at[rows[i].ReportID] < at[rows[j].ReportID] })
	return rows
}

// collect runs a query and scans each row with scan, returning every row's
// value or the first error (naming the database).
func collect[T any](ctx context.Context, db *DB, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.wrap(err)
		}
		out = append(out, v)
	}
	return out, db.wrap(rows.Err())
}

// codePrefix is a condition that column (a division code) starts with the
// digits prefix, as a range so the region index finds the rows (a LIKE
// would read every one).
func codePrefix(column, prefix string) (string, []any) {
	if hi, ok := nextPrefix(prefix); ok {
		return column + " >= ? AND " + column + " < ?", []any{prefix, hi}
	}
	return column + " >= ?", []any{prefix}
}

// nextPrefix is the smallest digit string of the same length after
// prefix (3301 → 3302, 3309 → 3310); ok false for all nines, after which
// every longer code sorts anyway.
func nextPrefix(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b), true
		}
		b[i] = '0'
	}
	return "", false
}

// likeEscape escapes LIKE's wildcards so a search matches text as typed.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func ptr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

// RegionYear counts current reports of one region and year.
type RegionYear struct {
	Region, Code string // Region is （未识别地区） for agencies without a known division
	Year, N      int
}

// RegionYears counts current reports per region and year (at most limit rows).
func (db *DB) RegionYears(ctx context.Context, limit int) ([]RegionYear, error) {
	return collect(ctx, db, func(rows *sql.Rows) (x RegionYear, err error) {
		return x, rows.Scan(&x.Region, &x.Code, &x.Year, &x.N)
	}, `SELECT IFNULL(a.region_name, '（未识别地区）'), IFNULL(a.region_code, ''), r.year, COUNT(*)
		FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.is_current = 1 AND r.year IS NOT NULL
		GROUP BY 1, 2, 3 ORDER BY 2, 3 DESC LIMIT ?`, limit)
}

// ProblemReport is a current report with failed checks or incomplete tables.
type ProblemReport struct {
	ReportID     int64
	Agency, Key  string
	Year, Failed int
	Completeness *float64
}

// ProblemReports lists current reports with failed checks or incomplete
// tables, most failures first.
func (db *DB) ProblemReports(ctx context.Context, limit int) ([]ProblemReport, error) {
	return collect(ctx, db, func(rows *sql.Rows) (p ProblemReport, err error) {
		var c sql.NullFloat64
		var y sql.NullInt64
		err = rows.Scan(&p.ReportID, &p.Agency, &p.Key, &y, &p.Failed, &c)
		p.Year, p.Completeness = int(y.Int64), ptr(c)
		return p, err
	}, `SELECT report_id, IFNULL(agency, ''), IFNULL(agency_key, ''), year, checks_failed, completeness FROM report_summary
		WHERE checks_failed > 0 OR completeness < 1 ORDER BY checks_failed DESC, completeness, report_id LIMIT ?`, limit)
}

// AgencyRef names an agency.
type AgencyRef struct {
	ID                int64
	Name, Key, Region string
}

// SearchAgencies finds agencies by any spelling of their name (see
// SearchIndex.Search, which it builds and runs once).
func (db *DB) SearchAgencies(ctx context.Context, q string, limit int) ([]AgencyRef, error) {
	idx, err := db.AgencyIndex(ctx)
	if err != nil {
		return nil, err
	}
	return idx.Search(q, limit), nil
}

// FindAgency returns the agency with this key, else with this exact name;
// ErrNotFound when there is none.
func (db *DB) FindAgency(ctx context.Context, key, name string) (AgencyRef, error) {
	a := AgencyRef{}
	err := db.sql.QueryRowContext(ctx, `SELECT id, name, IFNULL(agency_key, ''), IFNULL(region_name, '') FROM agencies
		WHERE (? != '' AND agency_key = ?) OR (? != '' AND name = ?) ORDER BY agency_key = ? DESC LIMIT 1`,
		key, key, name, name, key).Scan(&a.ID, &a.Name, &a.Key, &a.Region)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agency %q: %w", firstNonEmpty(key, name), ErrNotFound)
	}
	return a, db.wrap(err)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Years lists the years of current reports, newest first.
func (db *DB) Years(ctx context.Context) ([]int, error) {
	return collect(ctx, db, func(rows *sql.Rows) (y int, err error) { return y, rows.Scan(&y) },
		"SELECT DISTINCT year FROM reports WHERE is_current = 1 AND year IS NOT NULL ORDER BY year DESC")
}

// ReportMeta is what a report says of itself.
type ReportMeta struct {
	Title, Published, Template string
}

// Report returns a stored report's title, date and template.
func (db *DB) Report(ctx context.Context, id int64) (ReportMeta, error) {
	var m ReportMeta
	err := db.sql.QueryRowContext(ctx, "SELECT IFNULL(title, ''), IFNULL(published, ''), template FROM reports WHERE id = ?", id).Scan(&m.Title, &m.Published, &m.Template)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("report %d: %w", id, ErrNotFound)
	}
	return m, db.wrap(err)
}

// StoredCell is one printed cell of a stored report.
type StoredCell struct {
	ID, Raw, Semantic string
	Source            string   // "ocr" for a cell read from an image
	Confidence        *float64 // OCR's, 0–1
	// Correction is the action of the correction in force ("correct",
	// "accept"), "" for none; Extracted, Who and Why are its.
	Correction, Who, Why string
	Extracted            *string
}

// ReportCells returns a stored report's cells.
func (db *DB) ReportCells(ctx context.Context, id int64) ([]StoredCell, error) {
	return collect(ctx, db, func(rows *sql.Rows) (c StoredCell, err error) {
		var conf sql.NullFloat64
		var ext sql.NullString
		err = rows.Scan(&c.ID, &c.Raw, &c.Semantic, &c.Source, &conf, &c.Correction, &ext, &c.Who, &c.Why)
		if conf.Valid {
			c.Confidence = &conf.Float64
		}
		if ext.Valid {
			c.Extracted = &ext.String
		}
		return c, err
	}, `SELECT c.cell_id, c.raw, c.semantic, IFNULL(c.source, ''), c.confidence, IFNULL(x.action, ''), x.extracted, IFNULL(x.who, ''), IFNULL(x.why, '')
		FROM cells c LEFT JOIN corrections x ON x.id = c.correction_id WHERE c.report_id = ? ORDER BY c.cell_id`, id)
}

// StoredCheck is one check of a stored report, with its formula.
type StoredCheck struct {
	ID, Scope, Formula string
	Status             string // pass, fail or incomplete
	LHS, RHS           *float64
	Cells              []string // the cells involved, for checks that did not pass
}

// Narrative reports whether the check compares the prose with a table.
func (c StoredCheck) Narrative() bool { return strings.HasSuffix(c.ID, ".TEXT") }

// ReportChecks returns a stored report's checks in id and scope order.
func (db *DB) ReportChecks(ctx context.Context, id int64) ([]StoredCheck, error) {
	return collect(ctx, db, func(rows *sql.Rows) (c StoredCheck, err error) {
		var lhs, rhs sql.NullFloat64
		var cells string
		err = rows.Scan(&c.ID, &c.Scope, &c.Status, &lhs, &rhs, &cells, &c.Formula)
		c.LHS, c.RHS, c.Cells = ptr(lhs), ptr(rhs), cellList(cells)
		return c, err
	}, `SELECT k.check_id, k.scope, k.status, k.lhs, k.rhs, IFNULL(k.cells, ''), IFNULL(d.formula, '')
		FROM checks k LEFT JOIN check_dictionary d ON d.check_id = k.check_id WHERE k.report_id = ? ORDER BY k.check_id, k.scope`, id)
}

// ReportVersion is one stored version of an agency's report for a year.
type ReportVersion struct {
	ReportID                                      int64
	Current                                       bool
	CurrentBy, Path, SHA, ListedTitle, ListedDate string
}

// Versions lists every stored version of an agency-year, oldest first.
func (db *DB) Versions(ctx context.Context, agencyID int64, year int) ([]ReportVersion, error) {
	return collect(ctx, db, func(rows *sql.Rows) (v ReportVersion, err error) {
		return v, rows.Scan(&v.ReportID, &v.Current, &v.CurrentBy, &v.Path, &v.SHA, &v.ListedTitle, &v.ListedDate)
	}, `SELECT r.id, r.is_current, IFNULL(r.current_by, ''), IFNULL(d.path, ''), d.sha256, IFNULL(d.listed_title, ''), IFNULL(d.listed_date, '')
		FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.agency_id = ? AND r.year = ? ORDER BY r.id`, agencyID, year)
}

// HasDocument reports whether a document with these bytes is stored.
func (db *DB) HasDocument(ctx context.Context, sha string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE sha256 = ?", sha).Scan(&n)
	return n > 0, db.wrap(err)
}

// CellOrigin is where a stored cell came from: its document and the
// reader's block, row and column (nil when not recorded).
type CellOrigin struct {
	Document, SHA256 string // the document's path or URL, and its stored copy
	ContentType      string // as it was last served, for crawled documents
	Raw, Semantic    string
	Block, Row, Col  *int
	Format           string // the document's format (pdf, image …)
	Source           string // "ocr" for a cell read from an image
	Page             int    // 0 when not known
	Box              string // "x y width height" in points, when known
}

// CellOrigin returns where a report's cell was printed; ErrNoCell when the
// report has no such cell.
func (db *DB) CellOrigin(ctx context.Context, reportID int64, cellID string) (CellOrigin, error) {
	var o CellOrigin
	var block, row, col sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT IFNULL(d.path, ''), d.sha256, c.raw, c.semantic, c.at_block, c.at_row, c.at_col,
		IFNULL((SELECT f.content_type FROM fetches f WHERE f.url = d.path AND f.sha256 = d.sha256 ORDER BY f.id DESC LIMIT 1), ''),
		IFNULL(d.format, ''), IFNULL(c.source, ''), IFNULL(c.at_page, 0), IFNULL(c.at_box, '')
		FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id
		WHERE c.report_id = ? AND c.cell_id = ?`, reportID, cellID).Scan(&o.Document, &o.SHA256, &o.Raw, &o.Semantic, &block, &row, &col, &o.ContentType,
		&o.Format, &o.Source, &o.Page, &o.Box)
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("report %d: %s: %w", reportID, cellID, ErrNoCell)
	}
	if err != nil {
		return o, db.wrap(err)
	}
	if block.Valid && row.Valid && col.Valid {
		b, r, c := int(block.Int64), int(row.Int64), int(col.Int64)
		o.Block, o.Row, o.Col = &b, &r, &c
	}
	return o, nil
}

// Due is an agency's state for one year's report.
type Due struct {
	Name, Key string
	Kind      string    // government or department, as resolved (else from the name)
	LastYear  int       // its latest current report's year, 0 for none
	Has       bool      // it has a current report for the year
	Deadline  time.Time // the legal deadline for the year
	Overdue   bool      // see AgencyDue
}

// AgencyDue lists every agency's state for year's report at time now. An
// agency is overdue when it has no current report for the year, the
// year's deadline has passed (nianbao.Deadline: 31 January for
// departments, 31 March for governments) and it published a report for
// an earlier year — so it existed and was expected. The one definition
// behind `nianbao status` and the overview's overdue list.
func (db *DB) AgencyDue(ctx context.Context, year int, now time.Time) ([]Due, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT a.name, IFNULL(a.agency_key, ''), IFNULL(a.kind, ''),
		MAX(CASE WHEN r.year = ? THEN 1 ELSE 0 END), IFNULL(MAX(CASE WHEN r.year < ? THEN r.year END), 0), IFNULL(MAX(r.year), 0)
		FROM agencies a LEFT JOIN reports r ON r.agency_id = a.id AND r.is_current = 1
		GROUP BY a.id ORDER BY a.name`, year, year)
	if err != nil {
		return nil, db.wrap(err)
	}
	defer rows.Close()
	var out []Due
	for rows.Next() {
		var d Due
		var earlier int
		if err := rows.Scan(&d.Name, &d.Key, &d.Kind, &d.Has, &earlier, &d.LastYear); err != nil {
			return nil, db.wrap(err)
		}
		if d.Kind == "" {
			d.Kind = nianbao.KindOf(d.Name)
		}
		d.Deadline = nianbao.DeadlineFor(d.Kind, year)
		d.Overdue = !d.Has && earlier > 0 && now.After(d.Deadline)
		out = append(out, d)
	}
	return out, db.wrap(rows.Err())
}

// StateToken identifies the database's state cheaply: its newest report,
// document, crawl run and correction. It changes whenever a report is
// added or corrected (an in-place re-extraction does not change it).
func (db *DB) StateToken(ctx context.Context) (string, error) {
	var r, d, c sql.NullInt64
	var x sql.NullInt64
	err := db.sql.QueryRowContext(ctx, "SELECT (SELECT MAX(id) FROM reports), (SELECT MAX(id) FROM documents), (SELECT MAX(id) FROM crawl_runs), (SELECT MAX(id) FROM corrections)").Scan(&r, &d, &c, &x)
	return fmt.Sprintf("%d/%d/%d/%d", r.Int64, d.Int64, c.Int64, x.Int64), db.wrap(err)
}

// LatestYear is the latest year of a current report (ok false for none).
func (db *DB) LatestYear(ctx context.Context) (year int, ok bool, err error) {
	var y sql.NullInt64
	err = db.sql.QueryRowContext(ctx, "SELECT MAX(year) FROM reports WHERE is_current = 1").Scan(&y)
	return int(y.Int64), y.Valid, db.wrap(err)
}

// FailedCells returns, per report, the cells involved in its failed
// accounting checks (narrative checks aside).
func (db *DB) FailedCells(ctx context.Context, reportIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(reportIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(reportIDs))
	for i, id := range reportIDs {
		args[i] = id
	}
	type fc struct {
		id    int64
		cells string
	}
	rows, err := collect(ctx, db, func(rows *sql.Rows) (f fc, err error) { return f, rows.Scan(&f.id, &f.cells) },
		`SELECT report_id, IFNULL(cells, '') FROM checks WHERE status = 'fail' AND check_id NOT LIKE '%.TEXT'
		AND report_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	for _, f := range rows {
		if ids := cellList(f.cells); len(ids) > 0 {
			out[f.id] = append(out[f.id], ids...)
		}
	}
	return out, nil
}

// cellList reads a check's stored cells, a JSON array of cell ids.
func cellList(s string) []string {
	var ids []string
	for _, id := range strings.Split(strings.Trim(s, "[]"), ",") {
		if id = strings.Trim(id, `" `); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// CheckDoc is one check of the check dictionary.
type CheckDoc struct {
	ID, Formula, LHS, RHS, Severity, ZH, EN string
}

// CheckDictionary lists what each check computes (check_dictionary).
func (db *DB) CheckDictionary(ctx context.Context) ([]CheckDoc, error) {
	return collect(ctx, db, func(rows *sql.Rows) (c CheckDoc, err error) {
		return c, rows.Scan(&c.ID, &c.Formula, &c.LHS, &c.RHS, &c.Severity, &c.ZH, &c.EN)
	}, "SELECT check_id, formula, lhs, rhs, severity, description_zh, description_en FROM check_dictionary ORDER BY check_id")
}

// AgencyYears is an agency of a region and the years it has a current
// report for.
type AgencyYears struct {
	Key, Name, Kind, RegionCode string
	Years                       map[int]bool
}

// RegionAgencies lists every agency whose region code starts with prefix
// and the years of its current reports.
func (db *DB) RegionAgencies(ctx context.Context, prefix string) ([]AgencyYears, error) {
	type row struct {
		key, name, kind, code string
		year                  sql.NullInt64
	}
	cond, args := codePrefix("a.region_code", prefix)
	rows, err := collect(ctx, db, func(rows *sql.Rows) (r row, err error) {
		return r, rows.Scan(&r.key, &r.name, &r.kind, &r.code, &r.year)
	}, `SELECT IFNULL(a.agency_key, ''), a.name, IFNULL(a.kind, ''), IFNULL(a.region_code, ''), r.year
		FROM agencies a LEFT JOIN reports r ON r.agency_id = a.id AND r.is_current = 1
		WHERE `+cond+` ORDER BY a.region_code, a.name`, args...)
	if err != nil {
		return nil, err
	}
	var out []AgencyYears
	at := map[string]int{}
	for _, r := range rows {
		id := r.key + "|" + r.name
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, AgencyYears{Key: r.key, Name: r.name, Kind: r.kind, RegionCode: r.code, Years: map[int]bool{}})
		}
		if r.year.Valid {
			out[i].Years[int(r.year.Int64)] = true
		}
	}
	return out, nil
}
