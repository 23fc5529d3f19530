package store

import (
	"context"
	"database/sql"
	"strings"
)

// Reasons a cell is in the review queue, most urgent first.
const (
	ReviewStale         = "correction_stale"   // the extraction changed under a correction
	ReviewUnreadable    = "ocr_unreadable"     // OCR could not read a number there
	ReviewLowConfidence = "ocr_low_confidence" // read by OCR with less than ReviewFilter.MinConfidence
	ReviewCheckFailed   = "check_failed"       // a cell of an identity that fails
	ReviewNotExtracted  = "not_extracted"      // a cell of the report's template that was not found
)

// ReviewReasons are the reasons, most urgent first.
var ReviewReasons = []string{ReviewStale, ReviewUnreadable, ReviewLowConfidence, ReviewCheckFailed, ReviewNotExtracted}

// ReviewFilter selects the review queue.
type ReviewFilter struct {
	Region string // a region code prefix ("3301"); "" for all
	Year   int    // 0 for all
	// MinConfidence is the OCR confidence below which a read number is
	// queued; 0 means 0.85.
	MinConfidence float64
	Limit         int // at most this many items; 0 means 1000
	// Reasons keeps only these reasons; empty for all.
	Reasons []string
}

// ReviewItem is one cell of a current report that needs a person: its
// report, the reason, what is stored there now and where it was printed.
type ReviewItem struct {
	ReportID   int64
	Agency     string
	AgencyKey  string
	Year       int
	Cell       string
	Reason     string
	Detail     string // the failed check and scope, or the stale correction's value
	Raw        *string
	Source     string
	Confidence *float64
	Page       int
	Box        string // "x y width height" in points, y up for PDFs
	SHA256     string
	Path       string
	Format     string
}

// Review lists the review queue: cells of current reports a machine could
// not be sure of and no correction settles — corrections the extraction
// changed under, numbers OCR could not read or read with low confidence,
// cells of failed identities, and template cells not extracted — ordered
// by report and reason. The second result counts the whole queue.
func (db *DB) Review(ctx context.Context, f ReviewFilter) ([]ReviewItem, int, error) {
	if f.MinConfidence == 0 {
		f.MinConfidence = 0.85
	}
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	where, args := []string{"r.is_current = 1"}, []any{}
	if f.Region != "" {
		w, a := codePrefix("a.region_code", f.Region)
		where, args = append(where, w), append(args, a...)
	}
	if f.Year != 0 {
		where, args = append(where, "r.year = ?"), append(args, f.Year)
	}
	reasons := "1"
	if len(f.Reasons) > 0 {
		reasons = "q.reason IN (?" + strings.Repeat(", ?", len(f.Reasons)-1) + ")"
	}
	// queue is every reason's cells, one SELECT each over the selected reports.
	queue := `WITH sel AS MATERIALIZED (SELECT r.id, r.template, r.document_id FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id WHERE ` + strings.Join(where, " AND ") + `),
	q AS (
		SELECT s.id AS report_id, x.cell_id, '` + ReviewStale + `' AS reason, 1 AS rank, 'corrected to ' || quote(x.value) || ' over ' || IFNULL(quote(x.extracted), 'nothing') AS detail
		FROM sel s JOIN documents d ON d.id = s.document_id JOIN corrections x ON x.sha256 = d.sha256 AND x.state = 'stale'
		WHERE NOT EXISTS (SELECT 1 FROM corrections y WHERE y.sha256 = x.sha256 AND y.cell_id = x.cell_id
			AND (y.at > x.at OR y.at = x.at AND y.id > x.id)) -- the one in force: made last
		UNION ALL
		SELECT s.id, k.cell_id, '` + ReviewUnreadable + `', 2, ''
		FROM sel s JOIN cell_values v ON v.report_id = s.id JOIN cell_keys k ON k.cell_no = v.cell_no
		WHERE v.source = 'ocr' AND v.correction_id IS NULL AND v.value IS NULL AND v.semantic = 'text'
		UNION ALL
		SELECT s.id, k.cell_id, '` + ReviewLowConfidence + `', 3, printf('confidence %.2f', v.confidence)
		FROM sel s JOIN cell_values v ON v.report_id = s.id JOIN cell_keys k ON k.cell_no = v.cell_no
		WHERE v.source = 'ocr' AND v.correction_id IS NULL AND v.value IS NOT NULL AND v.confidence < ?
		UNION ALL
		SELECT s.id, j.value, '` + ReviewCheckFailed + `', 4, group_concat(c.check_id || ' ' || c.scope, '; ')
		FROM sel s JOIN checks c ON c.report_id = s.id AND c.status = 'fail', json_each(c.cells) j
		WHERE NOT EXISTS (SELECT 1 FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no
			WHERE v.report_id = s.id AND k.cell_id = j.value AND v.correction_id IS NOT NULL)
		GROUP BY s.id, j.value
		UNION ALL
		SELECT s.id, d.cell_id, '` + ReviewNotExtracted + `', 5, ''
		FROM sel s JOIN cell_dictionary d ON d.template IN (s.template, 'both') AND s.template IN ('2019', '2021')
		JOIN cell_keys k ON k.cell_id = d.cell_id
		WHERE NOT EXISTS (SELECT 1 FROM cell_values v WHERE v.report_id = s.id AND v.cell_no = k.cell_no)
	)`
	args = append(args, f.MinConfidence)
	for _, r := range f.Reasons {
		args = append(args, r)
	}
	// one row per cell: its most urgent reason
	queue += `, q1 AS (SELECT * FROM (SELECT q.*, ROW_NUMBER() OVER (PARTITION BY q.report_id, q.cell_id ORDER BY q.rank) AS n FROM q WHERE ` + reasons + `) WHERE n = 1)`
	rows, err := db.sql.QueryContext(ctx, queue+`
	SELECT q.report_id, IFNULL(a.name, ''), IFNULL(a.agency_key, ''), IFNULL(r.year, 0), q.cell_id, q.reason, IFNULL(q.detail, ''),
		CASE WHEN c.cell_no IS NOT NULL THEN COALESCE(c.raw, CAST(CAST(c.value AS INTEGER) AS TEXT), '') END,
		IFNULL(c.source, ''), c.confidence, IFNULL(c.at_page, 0), IFNULL(c.at_box, ''), d.sha256, IFNULL(d.path, ''), IFNULL(d.format, ''),
		q.total
	FROM (SELECT q1.*, COUNT(*) OVER () AS total FROM q1 ORDER BY q1.report_id, q1.rank, q1.cell_id LIMIT ?) q
	JOIN reports r ON r.id = q.report_id JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id
	LEFT JOIN cell_keys k ON k.cell_id = q.cell_id LEFT JOIN cell_values c ON c.report_id = q.report_id AND c.cell_no = k.cell_no
	ORDER BY q.report_id, q.rank, q.cell_id`, append(args, f.Limit)...)
	if err != nil {
		return nil, 0, db.wrap(err)
	}
	defer rows.Close()
	var out []ReviewItem
	total := 0
	for rows.Next() {
		var it ReviewItem
		var raw sql.NullString
		var conf sql.NullFloat64
		if err := rows.Scan(&it.ReportID, &it.Agency, &it.AgencyKey, &it.Year, &it.Cell, &it.Reason, &it.Detail, &raw, &it.Source, &conf,
			&it.Page, &it.Box, &it.SHA256, &it.Path, &it.Format, &total); err != nil {
			return nil, 0, db.wrap(err)
		}
		if raw.Valid {
			it.Raw = &raw.String
		}
		if conf.Valid {
			f := conf.Float64
			it.Confidence = &f
		}
		out = append(out, it)
	}
	return out, total, db.wrap(rows.Err())
}
