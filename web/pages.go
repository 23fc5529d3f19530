package web

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/provenance"
)

// overview: reports per region and year, reports with failed checks or
// incomplete tables, agencies overdue, and a search box.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := map[string]any{"Q": q}
	type regionYear struct {
		Region, Code string
		Year, N      int
	}
	var byRegion []regionYear
	rows, err := s.DB.SQL().QueryContext(ctx, `SELECT IFNULL(a.region_name, '（未识别地区）'), IFNULL(a.region_code, ''), r.year, COUNT(*)
		FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id WHERE r.is_current = 1 AND r.year IS NOT NULL
		GROUP BY 1, 2, 3 ORDER BY 2, 3 DESC LIMIT 500`)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for rows.Next() {
		var x regionYear
		rows.Scan(&x.Region, &x.Code, &x.Year, &x.N)
		byRegion = append(byRegion, x)
	}
	rows.Close()
	data["ByRegion"] = byRegion
	type problem struct {
		ReportID            int64
		Agency, Key         string
		Year, Failed        int
		Completeness        *float64
		CompletenessPrinted string
	}
	var problems []problem
	rows, err = s.DB.SQL().QueryContext(ctx, `SELECT report_id, agency, IFNULL(agency_key, ''), year, checks_failed, completeness FROM report_summary
		WHERE checks_failed > 0 OR completeness < 1 ORDER BY checks_failed DESC, completeness LIMIT 100`)
	if err == nil {
		for rows.Next() {
			var p problem
			var c sql.NullFloat64
			var y sql.NullInt64
			rows.Scan(&p.ReportID, &p.Agency, &p.Key, &y, &p.Failed, &c)
			p.Year = int(y.Int64)
			if c.Valid {
				p.Completeness = &c.Float64
			}
			p.CompletenessPrinted = compare.Percent(p.Completeness)
			problems = append(problems, p)
		}
		rows.Close()
	}
	data["Problems"] = problems
	data["Overdue"] = s.overdue(ctx)
	if q != "" {
		found, err := s.search(ctx, q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		data["Found"] = found
	}
	s.render(w, "overview.html", data)
}

type agencyRef struct{ Name, Key, Region string }

// search finds agencies by any spelling of their name.
func (s *Server) search(ctx context.Context, q string) ([]agencyRef, error) {
	rows, err := s.DB.SQL().QueryContext(ctx, `SELECT DISTINCT a.name, IFNULL(a.agency_key, ''), IFNULL(a.region_name, '')
		FROM agencies a LEFT JOIN agency_names n ON n.agency_id = a.id WHERE a.name LIKE ? OR n.name LIKE ? ORDER BY a.name LIMIT 50`, "%"+q+"%", "%"+q+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []agencyRef
	for rows.Next() {
		var a agencyRef
		rows.Scan(&a.Name, &a.Key, &a.Region)
		out = append(out, a)
	}
	return out, rows.Err()
}

// overdue lists agencies that published a report for an earlier year but
// none for a later one whose legal deadline (31 January for departments,
// 31 March for governments) has passed.
func (s *Server) overdue(ctx context.Context) []map[string]any {
	var latest sql.NullInt64
	s.DB.SQL().QueryRowContext(ctx, "SELECT MAX(year) FROM reports WHERE is_current = 1").Scan(&latest)
	if !latest.Valid {
		return nil
	}
	rows, err := s.DB.SQL().QueryContext(ctx, `SELECT a.name, IFNULL(a.agency_key, ''), MAX(r.year) FROM agencies a JOIN reports r ON r.agency_id = a.id
		GROUP BY a.id HAVING MAX(r.year) < ? ORDER BY a.name LIMIT 200`, latest.Int64)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var name, key string
		var last int
		rows.Scan(&name, &key, &last)
		missing := int(latest.Int64)
		if time.Now().After(nianbao.Deadline(name, missing)) {
			out = append(out, map[string]any{"Name": name, "Key": key, "Last": last, "Missing": missing})
		}
	}
	return out
}

// filterOf reads the comparison filters from the query string.
func filterOf(q url.Values) compare.Filter {
	return compare.Filter{Year: atoi(q.Get("year")), Region: q.Get("region"), Agency: q.Get("agency"), Keys: q["key"]}
}

var sortKeys = map[string]func(compare.Row) *float64{
	"received": func(r compare.Row) *float64 { return r.Received }, "answered": func(r compare.Row) *float64 { return r.Answered },
	"grant_rate": func(r compare.Row) *float64 { return r.GrantRate }, "refused": func(r compare.Row) *float64 { return r.Refused },
	"unavailable_share": func(r compare.Row) *float64 { return r.UnavailableShare }, "reviews": func(r compare.Row) *float64 { return r.Reviews },
	"suits": func(r compare.Row) *float64 { return r.Suits },
}

// compareRows runs the comparison with the page's sort; blanks sort last.
func (s *Server) compareRows(ctx context.Context, q url.Values) ([]compare.Row, error) {
	rows, err := compare.Query(ctx, s.DB.SQL(), filterOf(q))
	if err != nil {
		return nil, err
	}
	if key := sortKeys[q.Get("sort")]; key != nil {
		desc := q.Get("desc") == "1"
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := key(rows[i]), key(rows[j])
			switch {
			case a == nil:
				return false
			case b == nil:
				return true
			case desc:
				return *a > *b
			}
			return *a < *b
		})
	}
	return rows, nil
}

// compare: one row per agency in a year, sortable, with charts.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rows, err := s.compareRows(r.Context(), q)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var years []int
	yr, err := s.DB.SQL().QueryContext(r.Context(), "SELECT DISTINCT year FROM reports WHERE is_current = 1 AND year IS NOT NULL ORDER BY year DESC")
	if err == nil {
		for yr.Next() {
			var y int
			yr.Scan(&y)
			years = append(years, y)
		}
		yr.Close()
	}
	var rate, unavail []bar
	for _, x := range rows {
		rate = append(rate, bar{Label: x.Agency, Value: x.GrantRate, Note: x.GrantRateBasis})
		unavail = append(unavail, bar{Label: x.Agency, Value: x.UnavailableShare})
	}
	s.render(w, "compare.html", map[string]any{
		"Rows": rows, "Years": years, "Filter": filterOf(q), "Query": template.URL(q.Encode()), "Sort": q.Get("sort"), "Desc": q.Get("desc"),
		"RateChart": barChart("公开率（含部分公开） grant rate", rate), "UnavailableChart": barChart("无法提供占比 unavailable share", unavail),
	})
}

// compareCSV is exactly what `nianbao summary --format csv` prints.
func (s *Server) compareCSV(w http.ResponseWriter, r *http.Request) {
	rows, err := s.compareRows(r.Context(), r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="compare.csv"`)
	compare.WriteCSV(w, rows)
}

// compareXLSX is the same rows as a workbook.
func (s *Server) compareXLSX(w http.ResponseWriter, r *http.Request) {
	rows, err := s.compareRows(r.Context(), r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "compare"
	f.SetSheetName("Sheet1", sheet)
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	for i, c := range compare.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sheet, cell, c)
	}
	for ri, row := range rows {
		for ci, v := range row.Record() {
			cell, _ := excelize.CoordinatesToCellName(ci+1, ri+2)
			if v == "" {
				continue // blank stays blank
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil && compare.Columns[ci] != "agency" && compare.Columns[ci] != "region" {
				f.SetCellValue(sheet, cell, n)
				if strings.HasSuffix(compare.Columns[ci], "_rate") || strings.HasSuffix(compare.Columns[ci], "_share") || compare.Columns[ci] == "completeness" {
					f.SetCellStyle(sheet, cell, cell, pct)
				}
				continue
			}
			f.SetCellValue(sheet, cell, v)
		}
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="compare.xlsx"`)
	w.Write(buf.Bytes())
}

// yearReport is one year of an agency: its figures, tables and checks.
type yearReport struct {
	compare.Row
	Title, Published, Template string
	Tables                     []printedTable
	Failed                     []check
	Narrative                  []check
	Versions                   []version
}

type check struct {
	ID, Scope, Status, Formula string
	LHS, RHS                   float64
}

type version struct {
	ReportID                                      int64
	Current                                       bool
	CurrentBy, Path, SHA, ListedTitle, ListedDate string
}

// agency: reports over the years with trends, tables, checks and sources.
func (s *Server) agency(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key, name := r.URL.Query().Get("key"), r.URL.Query().Get("name")
	var agencyID int64
	var display, region string
	err := s.DB.SQL().QueryRowContext(ctx, `SELECT id, name, IFNULL(region_name, '') FROM agencies WHERE (? != '' AND agency_key = ?) OR (? != '' AND name = ?) LIMIT 1`,
		key, key, name, name).Scan(&agencyID, &display, &region)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	all, err := compare.Query(ctx, s.DB.SQL(), compare.Filter{Name: display})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var years []yearReport
	for _, row := range all {
		yrp := yearReport{Row: row}
		s.DB.SQL().QueryRowContext(ctx, "SELECT IFNULL(title, ''), IFNULL(published, ''), template FROM reports WHERE id = ?", row.ReportID).Scan(&yrp.Title, &yrp.Published, &yrp.Template)
		yrp.Tables, _ = s.tables(ctx, row.ReportID, yrp.Template)
		yrp.Failed, yrp.Narrative = s.checks(ctx, row.ReportID)
		yrp.Versions = s.versions(ctx, agencyID, row.Year)
		years = append(years, yrp)
	}
	var received, rate, reviews []point
	for _, y := range years {
		received = append(received, point{y.Year, y.Received})
		rate = append(rate, point{y.Year, y.GrantRate})
		reviews = append(reviews, point{y.Year, y.Reviews})
	}
	s.render(w, "agency.html", map[string]any{
		"Name": display, "Key": key, "Region": region, "Years": years,
		"ReceivedChart": trendChart("本年新收申请 requests received", received, false),
		"RateChart":     trendChart("公开率 grant rate", rate, true),
		"ReviewChart":   trendChart("行政复议 reviews", reviews, false),
	})
}

// checks returns a report's failed identities and its narrative checks.
func (s *Server) checks(ctx context.Context, reportID int64) (failed, narrative []check) {
	rows, err := s.DB.SQL().QueryContext(ctx, `SELECT k.check_id, k.scope, k.status, IFNULL(k.lhs, 0), IFNULL(k.rhs, 0), IFNULL(d.formula, '')
		FROM checks k LEFT JOIN check_dictionary d ON d.check_id = k.check_id WHERE k.report_id = ? ORDER BY k.check_id, k.scope`, reportID)
	if err != nil {
		return nil, nil
	}
	defer rows.Close()
	for rows.Next() {
		var c check
		rows.Scan(&c.ID, &c.Scope, &c.Status, &c.LHS, &c.RHS, &c.Formula)
		switch {
		case strings.HasSuffix(c.ID, ".TEXT"):
			narrative = append(narrative, c)
		case c.Status == nianbao.Fail:
			failed = append(failed, c)
		}
	}
	return failed, narrative
}

// versions lists every stored version of an agency-year and its source.
func (s *Server) versions(ctx context.Context, agencyID int64, year int) []version {
	rows, err := s.DB.SQL().QueryContext(ctx, `SELECT r.id, r.is_current, IFNULL(r.current_by, ''), IFNULL(d.path, ''), d.sha256, IFNULL(d.listed_title, ''), IFNULL(d.listed_date, '')
		FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.agency_id = ? AND r.year = ? ORDER BY r.id`, agencyID, year)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []version
	for rows.Next() {
		var v version
		rows.Scan(&v.ReportID, &v.Current, &v.CurrentBy, &v.Path, &v.SHA, &v.ListedTitle, &v.ListedDate)
		out = append(out, v)
	}
	return out
}

// cell: where a number was printed.
func (s *Server) cell(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.URL.Query().Get("report"), 10, 64)
	if err != nil {
		http.Error(w, "report must be a number", http.StatusBadRequest)
		return
	}
	l, err := provenance.Locate(r.Context(), s.DB, id, r.URL.Query().Get("cell"))
	if errors.Is(err, provenance.ErrNoCell) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	label := ""
	if d, ok := nianbao.LookupCell(l.CellID); ok {
		label = d.Label
	}
	s.render(w, "cell.html", map[string]any{"L": l, "Label": label})
}

// document serves a stored document, sandboxed: crawled pages are
// untrusted HTML, and no script of theirs may run in this origin.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		http.NotFound(w, r)
		return
	}
	var exists int
	s.DB.SQL().QueryRowContext(r.Context(), "SELECT COUNT(*) FROM documents WHERE sha256 = ?", sha).Scan(&exists)
	if exists == 0 {
		http.NotFound(w, r)
		return
	}
	data, err := s.DB.Blobs.Get(sha)
	if err != nil {
		http.Error(w, "stored copy missing", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	ct := "application/octet-stream"
	switch extract.Sniff(data) {
	case nianbao.FormatHTML:
		ct = "text/html; charset=utf-8"
		if text, _ := extract.DecodeHTML(data, ""); text != "" {
			data = []byte(text)
		}
	case nianbao.FormatPDF:
		ct = "application/pdf"
	case nianbao.FormatPlain, nianbao.FormatTabText, nianbao.FormatMarkdown:
		ct = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Write(data)
}
