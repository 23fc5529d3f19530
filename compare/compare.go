// Package compare is the comparison a journalist reads: one row per agency
// and year with requests received and answered, the grant rate, refusals,
// "unavailable" answers, reviews and suits and how many corrected the
// agency, and the failed checks — read from report_summary with bound
// filters only. `nianbao summary`, the demo and `nianbao serve` all print
// it through this package, so the terminal, the CSV and the page agree.
package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/store"
)

// Filter selects rows; zero values select everything (store.CompareFilter).
type Filter = store.CompareFilter

// Row is one agency-year (store.CompareRow): pointers are nil where the
// report printed nothing to compute from.
type Row = store.CompareRow

// Query reads the comparison rows, agency then year order.
func Query(ctx context.Context, db *store.DB, f Filter) ([]Row, error) { return db.CompareRows(ctx, f) }

// Columns are the CSV header, in order.
var Columns = []string{"agency", "region", "year", "received", "answered", "grant_rate", "grant_rate_basis", "refused",
	"not_processed", "other_handling", "unavailable", "unavailable_share", "reviews", "reviews_corrected", "suits", "suits_corrected", "checks_failed", "completeness", "report_id"}

// Record is a row as CSV fields: blanks stay blank, rates are fractions.
func Record(r Row) []string {
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
	cw, err := export.NewCSV(w, Columns, export.Options{})
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(Record(r)); err != nil {
			return err
		}
	}
	return cw.Flush()
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
