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
	"strings"
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

// Columns are the CSV header, in order. The previous year's figures and
// their changes follow the original columns (blank when either year is).
var Columns = []string{"agency", "region", "year", "received", "answered", "grant_rate", "grant_rate_basis", "refused",
	"not_processed", "other_handling", "unavailable", "unavailable_share", "reviews", "reviews_corrected", "suits", "suits_corrected", "checks_failed", "completeness", "report_id",
	"received_previous", "received_change", "grant_rate_previous", "grant_rate_change", "refused_previous", "refused_change",
	"unavailable_previous", "unavailable_change", "reviews_previous", "suits_previous", "source"}

// ColumnsZH are Columns in Chinese, for downloads with lang=zh.
var ColumnsZH = map[string]string{
	"agency": "机关", "region": "地区", "year": "年度", "received": "本年新收申请", "answered": "办理总数", "grant_rate": "公开率（含部分公开）",
	"grant_rate_basis": "公开率依据", "refused": "不予公开", "not_processed": "不予处理", "other_handling": "其他处理", "unavailable": "无法提供",
	"unavailable_share": "无法提供占比", "reviews": "行政复议", "reviews_corrected": "复议纠错", "suits": "行政诉讼", "suits_corrected": "诉讼纠错",
	"checks_failed": "未通过校验数", "completeness": "表格识别完整度", "report_id": "报告编号",
	"received_previous": "上年新收申请", "received_change": "新收申请变化", "grant_rate_previous": "上年公开率", "grant_rate_change": "公开率变化",
	"refused_previous": "上年不予公开", "refused_change": "不予公开变化", "unavailable_previous": "上年无法提供", "unavailable_change": "无法提供变化",
	"reviews_previous": "上年行政复议", "suits_previous": "上年行政诉讼", "source": "来源地址",
}

// Change is cur − prev, nil when either is blank (a blank is not 0) or
// only a lower bound (basis lower_bound: its change is unknown).
func Change(cur, prev *float64, bases ...string) *float64 {
	for _, b := range bases {
		if b == "lower_bound" {
			return nil
		}
	}
	if cur == nil || prev == nil {
		return nil
	}
	d := *cur - *prev
	return &d
}

// prev returns the previous year's figures, empty when there is none.
func prev(r Row) store.PreviousYear {
	if r.Previous == nil {
		return store.PreviousYear{}
	}
	return *r.Previous
}

// Record is a row as CSV fields: blanks stay blank, rates are fractions.
func Record(r Row) []string {
	p := prev(r)
	return []string{r.Agency, r.Region, strconv.Itoa(r.Year), Num(r.Received), Num(r.Answered), Frac(r.GrantRate), r.GrantRateBasis,
		Num(r.Refused), Num(r.NotProcessed), Num(r.OtherHandling), Num(r.Unavailable), Frac(r.UnavailableShare), Num(r.Reviews), Num(r.ReviewsCorrected), Num(r.Suits),
		Num(r.SuitsCorrected), strconv.Itoa(r.ChecksFailed), Frac(r.Completeness), strconv.FormatInt(r.ReportID, 10),
		Num(p.Received), Num(Change(r.Received, p.Received, r.ReceivedBasis, p.ReceivedBasis)),
		Frac(p.GrantRate), Frac(Change(r.GrantRate, p.GrantRate, r.GrantRateBasis, p.GrantRateBasis)),
		Num(p.Refused), Num(Change(r.Refused, p.Refused, r.RefusedBasis, p.RefusedBasis)),
		Num(p.Unavailable), Num(Change(r.Unavailable, p.Unavailable, r.UnavailableBasis, p.UnavailableBasis)),
		Num(p.Reviews), Num(p.Suits), r.Source}
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

// Values is a row as typed values for a workbook: numbers as float64, the
// rest as text, nil for a blank (never 0).
func Values(r Row) []any {
	rec := Record(r)
	out := make([]any, len(rec))
	for i, v := range rec {
		switch {
		case v == "":
			out[i] = nil
		case Columns[i] == "agency" || Columns[i] == "region" || Columns[i] == "source" || strings.HasSuffix(Columns[i], "_basis"):
			out[i] = v
		default:
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				out[i] = n
			} else {
				out[i] = v
			}
		}
	}
	return out
}

// Options are the download options: Chinese headers and values (lang=zh)
// or the column names.
func Options(zh bool) export.Options {
	if !zh {
		return export.Options{}
	}
	return export.Options{Headers: ColumnsZH, Values: store.ChineseValues()}
}

// WriteCSV writes the rows as CSV (UTF-8 with a BOM for Excel and WPS,
// CRLF), the same bytes the page's download gives.
func WriteCSV(w io.Writer, rows []Row) error { return WriteCSVWith(w, rows, export.Options{}) }

// WriteCSVWith is WriteCSV with headers and values printed through opt.
func WriteCSVWith(w io.Writer, rows []Row, opt export.Options) error {
	cw, err := export.NewCSV(w, Columns, opt)
	if err != nil {
		return err
	}
	for _, r := range rows {
		rec := Record(r)
		for i, v := range rec {
			if t, ok := opt.Values[v]; ok && strings.HasSuffix(Columns[i], "_basis") {
				rec[i] = t
			}
		}
		if err := cw.Write(rec); err != nil {
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
