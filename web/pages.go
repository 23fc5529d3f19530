package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"image/png"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/coverage"
	"github.com/nianbao/nianbao/export"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/provenance"
	"github.com/nianbao/nianbao/store"
)

// overview: reports per region and year, reports with failed checks or
// incomplete tables, agencies overdue, and a search box. Any query that
// fails answers 500 with its message, never an empty list.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := map[string]any{"Q": q}
	byRegion, err := s.regionYears(ctx)
	if err != nil {
		serverError(w, err)
		return
	}
	data["ByRegion"] = byRegion
	type problem struct {
		store.ProblemReport
		CompletenessPrinted string
	}
	found, err := s.problems(ctx)
	if err != nil {
		serverError(w, err)
		return
	}
	var problems []problem
	for _, p := range found {
		problems = append(problems, problem{p, compare.Percent(p.Completeness)})
	}
	data["Problems"] = problems
	if data["Overdue"], err = s.overdueCached(ctx); err != nil {
		serverError(w, err)
		return
	}
	if q != "" {
		idx, err := s.agencyIndex(ctx)
		if err != nil {
			serverError(w, err)
			return
		}
		data["Found"] = idx.Search(q, 50)
	}
	s.render(w, "overview.html", data)
}

// serverError answers 500 with the error's message.
func serverError(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// overdueAgency is an agency overdue with the latest year's report.
type overdueAgency struct {
	Name, Key     string
	Last, Missing int
}

// overdue lists the agencies overdue with the latest year's report, by
// the one definition of store.AgencyDue (as `nianbao status`).
func (s *Server) overdue(ctx context.Context) ([]overdueAgency, error) {
	latest, ok, err := s.DB.LatestYear(ctx)
	if err != nil || !ok {
		return nil, err
	}
	due, err := s.DB.AgencyDue(ctx, latest, time.Now())
	if err != nil {
		return nil, err
	}
	var out []overdueAgency
	for _, d := range due {
		if d.Overdue && len(out) < 200 {
			out = append(out, overdueAgency{Name: d.Name, Key: d.Key, Last: d.LastYear, Missing: latest})
		}
	}
	return out, nil
}

// filterOf reads the comparison filters and sort from the query string.
// With no filter and no sort the list is the whole dataset: it is shown
// most recently stored first, the order it can be paged in at any size.
func filterOf(q url.Values) compare.Filter {
	f := compare.Filter{Year: atoi(q.Get("year")), Region: q.Get("region"), Agency: q.Get("agency"), Keys: q["key"],
		Sort: q.Get("sort"), Desc: q.Get("desc") == "1"}
	if f.Sort == "" && f.Year == 0 && f.Region == "" && f.Agency == "" && len(f.Keys) == 0 {
		f.Sort = store.SortRecent
	}
	return f
}

// pageSize is how many comparison rows one page shows; downloads have all.
const pageSize = 100

// compareRows runs the comparison with the page's filters and sort (in
// SQL: blanks last either way); all rows, for downloads.
func (s *Server) compareRows(ctx context.Context, q url.Values) ([]compare.Row, error) {
	return compare.Query(ctx, s.DB, filterOf(q))
}

// compare: one row per agency and year, sortable by every column both
// ways, a page of pageSize rows at a time with the total, with charts.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filterOf(q)
	total, err := s.compareTotal(r.Context(), f)
	if err != nil {
		serverError(w, err)
		return
	}
	page := max(atoi(q.Get("page")), 1)
	pages := max((total+pageSize-1)/pageSize, 1)
	if page > pages {
		page = pages
	}
	f.Limit, f.Offset = pageSize, (page-1)*pageSize
	rows, err := s.comparePage(r.Context(), f, total)
	if err != nil {
		serverError(w, err)
		return
	}
	years, err := s.years(r.Context())
	if err != nil {
		serverError(w, err)
		return
	}
	ids := make([]int64, len(rows))
	for i, x := range rows {
		ids[i] = x.ReportID
	}
	failed, err := s.DB.FailedCells(r.Context(), ids)
	if err != nil {
		serverError(w, err)
		return
	}
	var rate, unavail []bar
	view := make([]compareView, len(rows))
	for i, x := range rows {
		label := fmt.Sprintf("%s %d", x.Agency, x.Year) // agency and year: rows of several years stay apart
		rate = append(rate, bar{Label: label, Value: x.GrantRate, Note: x.GrantRateBasis})
		unavail = append(unavail, bar{Label: label, Value: x.UnavailableShare})
		view[i] = viewOf(x)
		view[i].Bad = badFigures(failed[x.ReportID])
		view[i].Fixed = correctedFigures(x.CorrectedFigures)
	}
	s.render(w, "compare.html", map[string]any{
		"Rows": view, "Years": years, "Filter": f, "Total": total, "Page": page, "Pages": pages,
		"First": f.Offset + 1, "Last": f.Offset + len(rows), "Headers": compareHeaders(q), "Query": template.URL(q.Encode()), "Sort": q.Get("sort"), "Desc": q.Get("desc"),
		"RateChart": barChart("compare-grant-rate", "公开率（含部分公开） grant rate", rate), "UnavailableChart": barChart("compare-unavailable-share", "无法提供占比 unavailable share", unavail),
	})
}

// sortedMin is the size from which a sorted comparison is paged from its
// cached order: below it SQL sorts the few rows faster than a cache pays.
var sortedMin = 2000

// comparePage reads one page of the comparison of total rows. A large list
// in a sorted order (a national year by received, by change, by agency) is
// sorted once per database state and sort — every report's id in order,
// cached — and each page then read by id: sorting ≈150k rows again for
// every page is what made a national year slow at 1M reports. The list
// in stored order and small lists are paged in SQL.
func (s *Server) comparePage(ctx context.Context, f compare.Filter, total int) ([]compare.Row, error) {
	if total < sortedMin || f.Sort == store.SortRecent {
		return compare.Query(ctx, s.DB, f)
	}
	page := f
	page.Limit, page.Offset = 0, 0
	ids, err := orderOf(ctx, s, fmt.Sprintf("%+v", page), func() ([]int64, error) { return s.DB.CompareOrder(ctx, page) })
	if err != nil {
		return nil, err
	}
	lo, hi := min(f.Offset, len(ids)), min(f.Offset+f.Limit, len(ids))
	if lo == hi {
		return nil, nil
	}
	return compare.Query(ctx, s.DB, compare.Filter{IDs: ids[lo:hi]})
}

// compareCSV is exactly what `nianbao summary --format csv` prints (with
// lang=zh, Chinese headers and values), every row of the filter.
func (s *Server) compareCSV(w http.ResponseWriter, r *http.Request) {
	rows, err := s.compareRows(r.Context(), r.URL.Query())
	if err != nil {
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": downloadName(r.URL.Query(), "csv")}))
	compare.WriteCSVWith(w, rows, compare.Options(r.URL.Query().Get("lang") == "zh"))
}

// compareXLSX is the same rows as a workbook, as good as the CLI's:
// widths, a filter on the header, percentages, a notes sheet.
func (s *Server) compareXLSX(w http.ResponseWriter, r *http.Request) {
	rows, err := s.compareRows(r.Context(), r.URL.Query())
	if err != nil {
		serverError(w, err)
		return
	}
	vals := make([][]any, len(rows))
	for i, row := range rows {
		vals[i] = compare.Values(row)
	}
	var buf bytes.Buffer
	if _, err := export.XLSXValues(&buf, "compare", compare.Columns, vals, compare.Options(r.URL.Query().Get("lang") == "zh")); err != nil {
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": downloadName(r.URL.Query(), "xlsx")}))
	w.Write(buf.Bytes())
}

// downloadName says what a download holds and when it was made, e.g.
// nianbao-compare-330226-2022-20261207.csv.
func downloadName(q url.Values, ext string) string {
	parts := []string{"nianbao-compare"}
	for _, k := range []string{"region", "year", "agency"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			parts = append(parts, strings.Map(func(r rune) rune {
				if r == '/' || r == '\\' || r < ' ' || r == '"' {
					return '_'
				}
				return r
			}, v))
		}
	}
	if q.Get("sort") != "" {
		parts = append(parts, "by-"+q.Get("sort"))
	}
	parts = append(parts, time.Now().Format("20060102"))
	return strings.Join(parts, "-") + "." + ext
}

// yearReport is one year of an agency: its figures, tables and checks.
type yearReport struct {
	compare.Row
	Title, Published, Template string
	Tables                     []printedTable
	Failed                     []check
	Narrative                  []check
	Versions                   []store.ReportVersion
}

type check struct {
	ID, Scope, Status, Formula string
	LHS, RHS                   float64
}

// agency: reports over the years with trends, tables, checks and sources.
func (s *Server) agency(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key, name := r.URL.Query().Get("key"), r.URL.Query().Get("name")
	a, err := s.DB.FindAgency(ctx, key, name)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, "没有这个机关 No agency "+firstOf(key, name)+"。用上面的搜索框按名称查找。Search by its name above.", firstOf(name, key))
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}
	all, err := compare.Query(ctx, s.DB, compare.Filter{Name: a.Name})
	if err != nil {
		serverError(w, err)
		return
	}
	var years []yearReport
	for _, row := range all {
		yrp := yearReport{Row: row}
		meta, err := s.DB.Report(ctx, row.ReportID)
		if err != nil {
			serverError(w, err)
			return
		}
		yrp.Title, yrp.Published, yrp.Template = meta.Title, meta.Published, meta.Template
		checks, err := s.DB.ReportChecks(ctx, row.ReportID)
		if err != nil {
			serverError(w, err)
			return
		}
		if yrp.Tables, err = s.tables(ctx, row.ReportID, yrp.Template, checks); err != nil {
			serverError(w, err)
			return
		}
		yrp.Failed, yrp.Narrative = splitChecks(checks)
		if yrp.Versions, err = s.DB.Versions(ctx, a.ID, row.Year); err != nil {
			serverError(w, err)
			return
		}
		years = append(years, yrp)
	}
	// A chart of every headline figure over the years, titled with the agency.
	figures := []struct {
		name, title string
		value       func(compare.Row) *float64
		fraction    bool
	}{
		{"received", "本年新收申请 requests received", func(r compare.Row) *float64 { return r.Received }, false},
		{"answered", "办理 answered", func(r compare.Row) *float64 { return r.Answered }, false},
		{"grant-rate", "公开率 grant rate", func(r compare.Row) *float64 { return r.GrantRate }, true},
		{"refused", "不予公开 refused", func(r compare.Row) *float64 { return r.Refused }, false},
		{"unavailable-share", "无法提供占比 unavailable share", func(r compare.Row) *float64 { return r.UnavailableShare }, true},
		{"reviews", "行政复议 reviews", func(r compare.Row) *float64 { return r.Reviews }, false},
		{"suits", "行政诉讼 suits", func(r compare.Row) *float64 { return r.Suits }, false},
	}
	var charts []template.HTML
	for _, f := range figures {
		var pts []point
		for _, y := range years {
			pts = append(pts, point{y.Year, f.value(y.Row)})
		}
		charts = append(charts, trendChart(a.Name+"-"+f.name, a.Name+" · "+f.title, pts, f.fraction))
	}
	view := make([]compareView, len(all))
	for i, r := range all {
		view[i] = viewOf(r)
	}
	s.render(w, "agency.html", map[string]any{
		"Name": a.Name, "Key": key, "Region": a.Region, "Years": years, "Table": view, "Charts": charts,
	})
}

// splitChecks returns a report's failed identities and its narrative checks.
func splitChecks(all []store.StoredCheck) (failed, narrative []check) {
	for _, k := range all {
		c := check{ID: k.ID, Scope: k.Scope, Status: k.Status, Formula: k.Formula}
		if k.LHS != nil {
			c.LHS = *k.LHS
		}
		if k.RHS != nil {
			c.RHS = *k.RHS
		}
		switch {
		case k.Narrative():
			narrative = append(narrative, c)
		case k.Status == nianbao.Fail:
			failed = append(failed, c)
		}
	}
	return failed, narrative
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
		s.notFound(w, fmt.Sprintf("报告 %d 没有单元格 %s。Report %d has no cell %s.", id, r.URL.Query().Get("cell"), id, r.URL.Query().Get("cell")), "")
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

// crop: the image of the page area an OCR'd cell was read from.
func (s *Server) crop(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.URL.Query().Get("report"), 10, 64)
	if err != nil {
		http.Error(w, "report must be a number", http.StatusBadRequest)
		return
	}
	img, err := provenance.Crop(r.Context(), s.DB, id, r.URL.Query().Get("cell"))
	switch {
	case errors.Is(err, provenance.ErrNoCell), errors.Is(err, provenance.ErrNoImage):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		serverError(w, err)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(buf.Bytes())
}

// document serves a stored document, sandboxed: crawled pages are
// untrusted HTML, and no script of theirs may run in this origin.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		s.notFound(w, "文件地址应为 64 位十六进制 sha256。A stored document's address is its sha256.", "")
		return
	}
	exists, err := s.DB.HasDocument(r.Context(), sha)
	if err != nil {
		serverError(w, err)
		return
	}
	if !exists {
		s.notFound(w, "没有这个存档文件。No stored document "+sha+".", "")
		return
	}
	data, err := s.DB.Blobs.Get(sha)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		http.Error(w, "stored copy missing", http.StatusNotFound)
		return
	case err != nil: // damaged bytes are never served under this hash
		serverError(w, err)
		return
	}
	// What can run script (a crawled HTML page) is sandboxed; a PDF is not,
	// or Chrome's viewer refuses it, and it gets a real file name.
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	ct, ext := "application/octet-stream", ".bin"
	switch format := extract.Sniff(data); format {
	case nianbao.FormatHTML:
		ct, ext = "text/html; charset=utf-8", ".html"
		if text, _ := extract.DecodeHTML(data, ""); text != "" {
			data = []byte(text)
		}
	case nianbao.FormatPDF:
		ct, ext = "application/pdf", ".pdf"
		w.Header().Del("Content-Security-Policy")
	case nianbao.FormatDOCX:
		ct, ext = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
	case nianbao.FormatDOC:
		ct, ext = "application/msword", ".doc"
	case nianbao.FormatPlain, nianbao.FormatTabText, nianbao.FormatMarkdown:
		ct, ext = "text/plain; charset=utf-8", ".txt"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": documentName(r.URL.Query().Get("name"), sha, ext)}))
	w.Write(data)
}

// documentName is a stored document's file name for downloads: the name
// asked for (its path's last part) when it has the right extension, else
// the hash's first 12 characters and the extension.
func documentName(name, sha, ext string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name != "." && name != "/" && strings.EqualFold(path.Ext(name), ext) && len(name) <= 200 {
		return name
	}
	return sha[:12] + ext
}

// notFound answers 404 with a page that says what was not found and how to
// go on (navigation and the search box).
func (s *Server) notFound(w http.ResponseWriter, msg, query string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	s.tmpl.ExecuteTemplate(w, "notfound.html", map[string]any{"Message": msg, "Query": query})
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// compareView is a comparison row with its previous-year figures and
// changes printed (blank where either year is blank or a lower bound).
type compareView struct {
	compare.Row
	Bad                                          map[string]bool // figures computed from cells in a failed check
	Fixed                                        map[string]bool // figures read from a person's correction
	HasPrevious                                  bool
	ReceivedPrev, RatePrev, RefusedPrev          string
	ReceivedChange, RateChange, RefusedChange    string
	ReceivedChangeV, RateChangeV, RefusedChangeV *float64
}

func viewOf(r compare.Row) compareView {
	v := compareView{Row: r, HasPrevious: r.Previous != nil}
	if p := r.Previous; p != nil {
		v.ReceivedPrev, v.RatePrev, v.RefusedPrev = compare.Num(p.Received), compare.Percent(p.GrantRate), compare.Num(p.Refused)
		v.ReceivedChangeV = compare.Change(r.Received, p.Received, r.ReceivedBasis, p.ReceivedBasis)
		v.RateChangeV = compare.Change(r.GrantRate, p.GrantRate, r.GrantRateBasis, p.GrantRateBasis)
		v.RefusedChangeV = compare.Change(r.Refused, p.Refused, r.RefusedBasis, p.RefusedBasis)
		v.ReceivedChange, v.RefusedChange = signed(compare.Num(v.ReceivedChangeV)), signed(compare.Num(v.RefusedChangeV))
		if v.RateChangeV != nil {
			v.RateChange = signed(strconv.FormatFloat(100**v.RateChangeV, 'f', 1, 64)) + " 个百分点"
		}
	}
	return v
}

// signed puts a + before a positive number.
func signed(s string) string {
	if s != "" && s[0] != '-' && s != "0" && s != "0.0" {
		return "+" + s
	}
	return s
}

// header is one sortable column heading of the comparison.
type header struct {
	Label, Definition string
	Href              template.URL // sorts by the column, or the other way round when it is the sort
	Mark              string       // ▼ or ▲ on the column sorted by
}

// compareColumns are the comparison's columns: sort key, label and what
// the figure counts (shown on the heading and on the methodology page).
var compareColumns = []struct{ Key, Label, Definition string }{
	{"agency", "机关 agency", "发布报告的机关 the agency that published the report"},
	{"year", "年度 year", "统计年度 the year the figures cover"},
	{"received", "新收申请 received", "本年新收政府信息公开申请数量（表三第一项总计）requests newly received (Table 3, row 1, total); 上年与变化 previous year and change below"},
	{"answered", "办理 answered", "本年度办理结果总计（表三第三项第七行）requests answered this year (Table 3, row 3(7))"},
	{"grant_rate", "公开率 grant rate", "（予以公开 + 部分公开）/ 办理总数 (granted + partially granted) / answered; ≥ when a part is blank"},
	{"refused", "不予公开 refused", "不予公开各项之和 the sum of the refusal rows (Table 3, 3(3))"},
	{"not_processed", "不予处理 not processed", "不予处理各项之和 the sum of the not-processed rows (Table 3, 3(5))"},
	{"other_handling", "其他处理 other", "其他处理各项之和 the sum of the other-handling rows (Table 3, 3(6))"},
	{"unavailable_share", "无法提供占比 unavailable", "无法提供 / 办理总数 answered 'cannot be provided' / answered"},
	{"reviews", "复议 reviews（纠正）", "行政复议总计，括号内为结果纠正 administrative reviews, (corrected)"},
	{"suits", "诉讼 suits（纠正）", "行政诉讼总计（未经复议 + 复议后），括号内为结果纠正 lawsuits, (corrected)"},
	{"checks_failed", "未通过校验 failed checks", "未通过的勾稽关系数 accounting identities that failed (see the methodology page)"},
}

// compareHeaders builds the headings for the page's query.
func compareHeaders(q url.Values) []header {
	cur, desc := q.Get("sort"), q.Get("desc") == "1"
	var out []header
	for _, c := range compareColumns {
		next := url.Values{}
		for k, v := range q {
			if k != "page" {
				next[k] = v
			}
		}
		next.Set("sort", c.Key)
		h := header{Label: c.Label, Definition: c.Definition}
		switch {
		case cur == c.Key && desc:
			h.Mark = "▼"
			next.Set("desc", "0")
		case cur == c.Key:
			h.Mark = "▲"
			next.Set("desc", "1")
		case c.Key == "agency" || c.Key == "year":
			next.Set("desc", "0")
		default:
			next.Set("desc", "1")
		}
		h.Href = template.URL("/compare?" + next.Encode())
		out = append(out, h)
	}
	return out
}

// figureCells are the cell-id prefixes each comparison figure is computed
// from, to mark a figure when a failed check involves one of its cells.
var figureCells = map[string][]string{
	"received": {"t3.new_received."}, "answered": {"t3.total."},
	"grant_rate": {"t3.granted.", "t3.partially_granted.", "t3.total."},
	"refused":    {"t3.refused."}, "not_processed": {"t3.not_processed."}, "other_handling": {"t3.other."},
	"unavailable_share": {"t3.unavailable.", "t3.total."}, "reviews": {"t4.review."}, "suits": {"t4.suit_"},
}

// badFigures names the figures a failed check's cells feed.
// correctedFigures marks the page's figures among report_summary's
// corrected_figures.
func correctedFigures(list string) map[string]bool {
	page := map[string]string{"requests_received": "received", "total_answered": "answered", "grant_rate": "grant_rate", "refused": "refused"}
	out := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		if p, ok := page[f]; ok {
			out[p] = true
		}
	}
	return out
}

func badFigures(cells []string) map[string]bool {
	bad := map[string]bool{}
	for _, c := range cells {
		for fig, prefixes := range figureCells {
			for _, p := range prefixes {
				if strings.HasPrefix(c, p) {
					bad[fig] = true
				}
			}
		}
	}
	return bad
}

// methodology: what each figure counts, the blank rule, which checks exist.
func (s *Server) methodology(w http.ResponseWriter, r *http.Request) {
	checks, err := s.DB.CheckDictionary(r.Context())
	if err != nil {
		serverError(w, err)
		return
	}
	s.render(w, "methodology.html", map[string]any{"Columns": compareColumns, "Checks": checks})
}

// rankFigures are the figures a region's agencies can be ranked by.
var rankFigures = []struct {
	Key, Label string
	value      func(compare.Row) *float64
	fraction   bool
}{
	{"received", "新收申请 requests received", func(r compare.Row) *float64 { return r.Received }, false},
	{"refused", "不予公开 refused", func(r compare.Row) *float64 { return r.Refused }, false},
	{"grant_rate", "公开率 grant rate", func(r compare.Row) *float64 { return r.GrantRate }, true},
	{"unavailable_share", "无法提供占比 unavailable share", func(r compare.Row) *float64 { return r.UnavailableShare }, true},
	{"reviews", "行政复议 reviews", func(r compare.Row) *float64 { return r.Reviews }, false},
	{"suits", "行政诉讼 suits", func(r compare.Row) *float64 { return r.Suits }, false},
}

// rankCell is one agency-year of the ranking.
type rankCell struct {
	Has   bool   // a report for the year
	Value string // the figure as printed ("" blank)
	Rank  int    // 1 for the largest; 0 when blank
}

// ranking: a region's agencies ranked by a figure in each year side by side.
func (s *Server) ranking(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	region, figKey := q.Get("region"), q.Get("figure")
	fig := rankFigures[0]
	for _, f := range rankFigures {
		if f.Key == figKey {
			fig = f
		}
	}
	data := map[string]any{"Region": region, "Figure": fig.Key, "FigureLabel": fig.Label, "Figures": rankFigures}
	if region == "" {
		s.render(w, "ranking.html", data)
		return
	}
	rows, err := compare.Query(r.Context(), s.DB, compare.Filter{Region: region, Limit: 20000})
	if err != nil {
		serverError(w, err)
		return
	}
	type line struct {
		Agency, Key string
		byYear      map[int]compare.Row
		Cells       []rankCell
	}
	var lines []*line
	at := map[string]*line{}
	yearSet := map[int]bool{}
	for _, row := range rows {
		id := row.AgencyKey
		if id == "" {
			id = "name:" + row.Agency
		}
		l := at[id]
		if l == nil {
			l = &line{Agency: row.Agency, Key: row.AgencyKey, byYear: map[int]compare.Row{}}
			at[id] = l
			lines = append(lines, l)
		}
		l.byYear[row.Year] = row
		yearSet[row.Year] = true
	}
	years := slices.Sorted(maps.Keys(yearSet))
	for _, y := range years {
		var vals []float64
		for _, l := range lines {
			if row, ok := l.byYear[y]; ok {
				if v := fig.value(row); v != nil {
					vals = append(vals, *v)
				}
			}
		}
		slices.Sort(vals)
		slices.Reverse(vals)
		for _, l := range lines {
			row, ok := l.byYear[y]
			c := rankCell{Has: ok}
			if v := fig.value(row); ok && v != nil {
				c.Rank = slices.Index(vals, *v) + 1 // ties share the better rank
				if fig.fraction {
					c.Value = compare.Percent(v)
				} else {
					c.Value = compare.Num(v)
				}
			}
			l.Cells = append(l.Cells, c)
		}
	}
	if len(years) > 0 { // the latest year's order, blanks last
		last := len(years) - 1
		sort.SliceStable(lines, func(i, j int) bool {
			a, b := lines[i].Cells[last].Rank, lines[j].Cells[last].Rank
			return a != 0 && (b == 0 || a < b)
		})
	}
	data["Years"], data["Rows"] = years, lines
	s.render(w, "ranking.html", data)
}

// coverageYears are the statistics years a coverage page shows: 2019 (the
// first of the current rules) to last year.
func coverageYears(now time.Time) []int {
	var ys []int
	for y := 2019; y < now.Year(); y++ {
		ys = append(ys, y)
	}
	return ys
}

// coveragePage: a region's expected agencies against the reports found,
// with a completeness figure per year.
func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) {
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	data := map[string]any{"Region": region, "T": coverage.Table{}}
	if region != "" {
		t, err := get(r.Context(), s, "coverage "+region, func() (coverage.Table, error) {
			return coverage.Compute(r.Context(), s.DB, region, coverageYears(time.Now()), time.Now())
		})
		if err != nil {
			s.notFound(w, "没有这个地区 No such region: "+err.Error(), "")
			return
		}
		var shares []string
		for i := range t.Years {
			shares = append(shares, fmt.Sprintf("%d/%d %s", t.Found[i], t.Expected[i], compare.Percent(ptrTo(t.Share(i)))))
		}
		data["T"], data["Shares"] = t, shares
	}
	s.render(w, "coverage.html", data)
}

func ptrTo(v float64) *float64 { return &v }
