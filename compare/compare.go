// Package compare is the comparison a journalist reads: one row per agency
// and year with requests received and answered, the grant rate, refusals,
// "unavailable" answers, reviews and suits and how many corrected the
// agency, and the failed checks — read from report_summary with bound
// filters only. `nianbao summary`, the demo and `nianbao serve` all print
// it through this package, so the terminal, the CSV and the page agree.
package compare

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Filter selects rows; zero values select everything.
type Filter struct {
	Year   int      // statistics year
	Region string   // a division code (or its prefix: 3301 for 杭州市), or a name within region_name
	Agency string   // text within the agency's name
	Key    string   // exactly this agency_key
	Keys   []string // any of these agency keys (a reader's own list of agencies)
	Name   string   // exactly this agency name
	Limit  int      // at most this many rows; 0 for all
}

// Row is one agency-year. Pointers are nil where the report printed nothing
// to compute from: a blank is never shown as 0.
type Row struct {
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
}

// Query reads the comparison rows, agency then year order.
func Query(ctx context.Context, db *sql.DB, f Filter) ([]Row, error) {
	q := `SELECT report_id, agency, IFNULL(agency_key, ''), IFNULL(region_name, ''), year,
		requests_received, total_answered, grant_rate, grant_rate_basis, refused, not_processed, other_handling, unavailable,
		CASE WHEN total_answered > 0 AND unavailable IS NOT NULL THEN 1.0 * unavailable / total_answered END,
		reviews, reviews_corrected, suits, suits_corrected, checks_failed, completeness
		FROM report_summary WHERE 1 = 1`
	var args []any
	if f.Year != 0 {
		q += " AND year = ?"
		args = append(args, f.Year)
	}
	if f.Region != "" {
		if _, err := strconv.Atoi(f.Region); err == nil {
			q += " AND region_code LIKE ?"
			args = append(args, strings.TrimRight(f.Region, "0")+"%")
		} else {
			q += " AND region_name LIKE ?"
			args = append(args, "%"+f.Region+"%")
		}
	}
	if f.Agency != "" {
		q += " AND agency LIKE ?"
		args = append(args, "%"+f.Agency+"%")
	}
	if f.Key != "" {
		q += " AND agency_key = ?"
		args = append(args, f.Key)
	}
	if f.Name != "" {
		q += " AND agency = ?"
		args = append(args, f.Name)
	}
	if len(f.Keys) > 0 {
		q += " AND agency_key IN (?" + strings.Repeat(", ?", len(f.Keys)-1) + ")"
		for _, k := range f.Keys {
			args = append(args, k)
		}
	}
	q += " ORDER BY agency, year"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var year sql.NullInt64
		var nums [14]sql.NullFloat64
		var basis sql.NullString
		if err := rows.Scan(&r.ReportID, &r.Agency, &r.AgencyKey, &r.Region, &year,
			&nums[0], &nums[1], &nums[2], &basis, &nums[3], &nums[11], &nums[12], &nums[4], &nums[5], &nums[6], &nums[7], &nums[8], &nums[9], &r.ChecksFailed, &nums[10]); err != nil {
			return nil, err
		}
		r.Year, r.GrantRateBasis = int(year.Int64), basis.String
		ptr := func(n sql.NullFloat64) *float64 {
			if !n.Valid {
				return nil
			}
			v := n.Float64
			return &v
		}
		r.Received, r.Answered, r.GrantRate = ptr(nums[0]), ptr(nums[1]), ptr(nums[2])
		r.Refused, r.Unavailable, r.UnavailableShare = ptr(nums[3]), ptr(nums[4]), ptr(nums[5])
		r.Reviews, r.ReviewsCorrected, r.Suits, r.SuitsCorrected = ptr(nums[6]), ptr(nums[7]), ptr(nums[8]), ptr(nums[9])
		r.Completeness = ptr(nums[10])
		r.NotProcessed, r.OtherHandling = ptr(nums[11]), ptr(nums[12])
		out = append(out, r)
	}
	return out, rows.Err()
}

// Columns are the CSV header, in order.
var Columns = []string{"agency", "region", "year", "received", "answered", "grant_rate", "grant_rate_basis", "refused",
	"not_processed", "other_handling", "unavailable", "unavailable_share", "reviews", "reviews_corrected", "suits", "suits_corrected", "checks_failed", "completeness", "report_id"}

// Record is a row as CSV fields: blanks stay blank, rates are fractions.
func (r Row) Record() []string {
	return []string{r.Agency, r.Region, strconv.Itoa(r.Year), Num(r.Received), Num(r.Answered), Frac(r.GrantRate), r.GrantRateBasis,
		Num(r.Refused), Num(r.NotProcessed), Num(r.OtherHandling), Num(r.Unavailable), Frac(r.UnavailableShare), Num(r.Reviews), Num(r.ReviewsCorrected), Num(r.Suits),
		Num(r.SuitsCorrected), strconv.Itoa(r.ChecksFailed), Frac(r.Completeness), strconv.FormatInt(r.ReportID, 10)}
}

// Num prints a count; "" for unknown.
func Num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// Frac prints a fraction with four decimals; "" for unknown.
func Frac(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

// Percent prints a fraction as a percentage; "" for unknown.
func Percent(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(100**v, 'f', 1, 64) + "%"
}

// WriteCSV writes the rows as CSV (UTF-8 with a BOM for Excel and WPS,
// CRLF), the same bytes the page's download gives.
func WriteCSV(w io.Writer, rows []Row) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(Columns)
	for _, r := range rows {
		cw.Write(r.Record())
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the rows as a JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	if rows == nil {
		rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// WriteTable writes the rows as an aligned table for a terminal. A blank
// (unknown) figure prints as "—"; a rate that is only a lower bound as ≥.
func WriteTable(w io.Writer, rows []Row) error {
	// agency last: tabwriter counts runes, and CJK runes are two columns wide
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "year\treceived\tanswered\tgranted (incl. partly)\tunavailable\treviews\tsuits\tchecks failed\tagency")
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	for _, r := range rows {
		rate := Percent(r.GrantRate)
		if r.GrantRateBasis == "lower_bound" && rate != "" {
			rate = "≥" + rate
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Year, dash(Num(r.Received)), dash(Num(r.Answered)), dash(rate),
			dash(Num(r.Unavailable)), dash(Num(r.Reviews)), dash(Num(r.Suits)), r.ChecksFailed, r.Agency)
	}
	return tw.Flush()
}
