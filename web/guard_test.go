package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// TestUnrecognisedAgencyKeepsComparison: one report without a recognised
// agency (the Ghostscript print of 101 names none) made /compare,
// /compare.csv and /compare.xlsx answer 500 for the whole database.
func TestUnrecognisedAgencyKeepsComparison(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	in := &ingest.Ingester{DB: db}
	for _, f := range []string{"101-gbk-portal-2022-gs.pdf", "106-tab-text-2021.txt"} {
		if r := in.File(context.Background(), fixtures.Path(f)); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	db.Close()
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	srv, _ := web.New(ro)
	h := srv.Handler()
	for _, u := range []string{"/", "/compare", "/compare?year=2022", "/compare.csv", "/compare.xlsx"} {
		res, body := get(t, h, u)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d %s", u, res.StatusCode, body)
		}
	}
	if _, body := get(t, h, "/compare.csv"); strings.Count(body, "\r\n") != 3 {
		t.Errorf("compare.csv has %d lines, want the header and both reports:\n%s", strings.Count(body, "\r\n"), body)
	}
}

// TestRequestGuards: a 50,000-byte search answered 500 ("LIKE or GLOB
// pattern too complex"); any Host header was answered (DNS rebinding).
func TestRequestGuards(t *testing.T) {
	db, _ := testDB(t)
	srv, _ := web.New(db)
	h := srv.Handler()
	for _, c := range []struct {
		url  string
		want int
	}{
		{"/?q=" + url.QueryEscape(strings.Repeat("临平", 8000)), 400},
		{"/compare?agency=" + strings.Repeat("%25", 300), 400},
		{"/compare?year=abc", 400},
		{"/compare?year=99999", 400},
		{"/cell?report=-1&cell=t3.granted.total", 400},
		{"/compare?" + strings.Repeat("key=a&", 60), 400},
		{"/compare?agency=%ff", 400},
		{"/?q=%E4%B8%B4%E5%B9%B3", 200},
		{"/compare?year=2022&sort=grant_rate&desc=1", 200},
	} {
		res, body := get(t, h, c.url)
		if res.StatusCode != c.want {
			t.Errorf("%.60s: %d, want %d (%.100s)", c.url, res.StatusCode, c.want, body)
		}
	}
	for host, want := range map[string]int{"evil.example": 421, "evil.example:8080": 421, "localhost:8080": 200, "127.0.0.1:8080": 200, "[::1]:8080": 200} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
	}
	srv.Hosts = []string{"nianbao.lan"}
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "nianbao.lan:8080"
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("a configured --host name: %d", rec.Code)
	}
}

// TestPDFServedForViewers: Chrome's PDF viewer refuses a sandboxed
// document, and the download was named by its hash without .pdf. PDFs are
// served without the sandbox (HTML keeps it), with a real file name, and
// the cell page links "open at page N".
func TestPDFServedForViewers(t *testing.T) {
	db, hostileSHA := testDB(t)
	srv, _ := web.New(db)
	h := srv.Handler()
	var sha string
	var rep int64
	db.SQL().QueryRow("SELECT d.sha256, r.id FROM documents d JOIN reports r ON r.document_id = d.id WHERE d.format = 'pdf' LIMIT 1").Scan(&sha, &rep)
	res, body := get(t, h, "/doc/"+sha+"?name=108-t19-blanks-2020.pdf")
	if res.Header.Get("Content-Type") != "application/pdf" || strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") ||
		res.Header.Get("Content-Disposition") != `inline; filename=108-t19-blanks-2020.pdf` || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("PDF served with %v", res.Header)
	}
	if res, _ := get(t, h, "/doc/"+sha+"?name=evil.html"); !strings.Contains(res.Header.Get("Content-Disposition"), sha[:12]+".pdf") {
		t.Errorf("a name with another extension was used: %s", res.Header.Get("Content-Disposition"))
	}
	if res, _ := get(t, h, "/doc/"+hostileSHA); !strings.HasPrefix(res.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("a crawled HTML page lost its sandbox: %s", res.Header.Get("Content-Security-Policy"))
	}
	_, page := get(t, h, fmt.Sprintf("/cell?report=%d&cell=t3.granted.total", rep))
	if !strings.Contains(page, `/doc/`+sha+`?name=`) || !strings.Contains(page, `#page=`) {
		t.Errorf("the cell page has no 'open at page' link")
	}
}

// TestNotFoundPages: a missing agency, cell, document or page answers 404
// with a message and the way on, not a bare "404 page not found".
func TestNotFoundPages(t *testing.T) {
	db, _ := testDB(t)
	srv, _ := web.New(db)
	h := srv.Handler()
	for _, u := range []string{"/agency?key=000000:无", "/cell?report=1&cell=t9.none", "/doc/" + strings.Repeat("0", 64), "/doc/xyz", "/no/such/page"} {
		res, body := get(t, h, u)
		if res.StatusCode != 404 || !strings.Contains(body, `id="notfound"`) || !strings.Contains(body, `href="/compare"`) {
			t.Errorf("%s: %d %.120s", u, res.StatusCode, body)
		}
	}
}

// TestNotExtractedCells: on the 2019 平潭 report 51 cells the report does
// print showed "–" titled "not in the report"; a template cell that was
// not extracted now says so (未能识别 not extracted), and every table and
// year shows how complete it is.
func TestNotExtractedCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	v := 5.0
	rep := &nianbao.Report{Agency: "杭州市临平区交通运输局", Year: 2023, Template: nianbao.Template2021,
		Cells:        map[string]nianbao.Cell{"t3.new_received.total": {Value: &v, Raw: "5", Semantic: nianbao.Numeric}},
		Completeness: map[string]nianbao.Completeness{"t3": {Found: 1, Expected: 100, Ratio: 0.01}}}
	if _, err := db.Save(context.Background(), store.Document{SHA256: "p", Path: "p.txt", Agency: store.Identity(rep.Agency)}, rep); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	_, body := get(t, srv.Handler(), "/agency?key=330113:交通运输局")
	if strings.Contains(body, "not in the report") || strings.Count(body, "未能识别") < 100 || !strings.Contains(body, "识别 1/") {
		t.Errorf("agency page of a partial report: %d cells 未能识别, table completeness shown %v", strings.Count(body, "未能识别"), strings.Contains(body, "识别 1/"))
	}
}

// TestComparePagesAndSorts: /compare without filters rendered every report
// (165 MB for a national year). It shows a page of 100 with the total,
// sorts by any column both ways (blanks last either way) and the
// downloads stay complete.
func TestComparePagesAndSorts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 250 {
		rep := &nianbao.Report{Agency: fmt.Sprintf("测试县第%03d局", i), Year: 2023, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		if i%10 != 0 { // every tenth agency printed the cell blank
			v := float64((i * 37) % 101)
			rep.Cells["t3.new_received.total"] = nianbao.Cell{Value: &v, Raw: fmt.Sprint(v), Semantic: nianbao.Numeric}
		} else {
			rep.Cells["t3.new_received.total"] = nianbao.Cell{Semantic: nianbao.Empty}
		}
		if _, err := db.Save(context.Background(), store.Document{SHA256: fmt.Sprint(i), Path: "x"}, rep); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	h := srv.Handler()
	rowsOf := func(body string) []string {
		var out []string
		for _, part := range strings.Split(body, `<tr data-report="`)[1:] {
			end := strings.Index(part, "</tr>")
			cells := strings.Split(part[:end], `<td class="n">`)
			v := ""
			if len(cells) > 1 {
				v = cells[1]
				if k := strings.Index(v, "</a>"); k >= 0 {
					v = v[:k]
				}
				v = v[strings.LastIndex(v, ">")+1:]
			}
			out = append(out, v)
		}
		return out
	}
	_, body := get(t, h, "/compare")
	if n := len(rowsOf(body)); n != 100 || !strings.Contains(body, "共 250 份报告") || !strings.Contains(body, `rel="next"`) {
		t.Errorf("first page: %d rows, total shown %v", n, strings.Contains(body, "共 250 份报告"))
	}
	_, body = get(t, h, "/compare?page=3")
	if n := len(rowsOf(body)); n != 50 || !strings.Contains(body, "第 201–250 条") {
		t.Errorf("last page: %d rows", n)
	}
	_, desc := get(t, h, "/compare?sort=received&desc=1&page=1")
	_, asc := get(t, h, "/compare?sort=received&desc=0&page=1")
	_, ascLast := get(t, h, "/compare?sort=received&desc=0&page=3")
	_, descLast := get(t, h, "/compare?sort=received&desc=1&page=3")
	d, a, al, dl := rowsOf(desc), rowsOf(asc), rowsOf(ascLast), rowsOf(descLast)
	if d[0] != "100" || a[0] != "0" || al[len(al)-1] != "" || dl[len(dl)-1] != "" || al[0] == "" || d[0] == "" {
		t.Errorf("sorted: desc first %q, asc first %q; blanks last in ascending order too", d[0], a[0])
	}
	if !strings.Contains(desc, `▼`) || !strings.Contains(desc, `sort=received`) || !strings.Contains(desc, `desc=0`) {
		t.Error("the sorted column has no indicator or no link to sort the other way")
	}
	if _, csv := get(t, h, "/compare.csv?sort=received&desc=1"); strings.Count(csv, "\r\n") != 251 {
		t.Errorf("the download has %d lines, want all 250 rows and the header", strings.Count(csv, "\r\n"))
	}
}

// TestPreviousYearAndChange: "which departments refused most, and how did
// that change?" — the comparison shows each agency's previous year and the
// change (blank when either year is blank), the agency page its years as a
// table and a chart of every headline figure.
func TestPreviousYearAndChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "y.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	save := func(sha string, year int, received, refused *float64) {
		rep := &nianbao.Report{Agency: "杭州市临平区交通运输局", Year: year, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		for id, v := range map[string]*float64{"t3.new_received.total": received, "t3.refused.third_party.total": refused} {
			c := nianbao.Cell{Semantic: nianbao.Empty}
			if v != nil {
				c = nianbao.Cell{Value: v, Raw: fmt.Sprint(*v), Semantic: nianbao.Numeric}
			}
			rep.Cells[id] = c
		}
		if _, err := db.Save(context.Background(), store.Document{SHA256: sha, Path: sha, Agency: store.Identity(rep.Agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	save("a", 2022, f(40), f(3))
	save("b", 2023, f(51), nil) // refusals printed blank in 2023
	db.Close()
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	h := srv.Handler()
	_, page := get(t, h, "/compare?year=2023")
	if !strings.Contains(page, "上年 40") || !strings.Contains(page, "&#43;11") {
		t.Errorf("compare 2023 lacks the previous year (40) and the change (+11)")
	}
	_, csv := get(t, h, "/compare.csv?year=2023")
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	head, row := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
	col := func(name string) string {
		for i, h := range head {
			if strings.TrimPrefix(h, "\uFEFF") == name {
				return row[i]
			}
		}
		return "?"
	}
	if col("received_previous") != "40" || col("received_change") != "11" || col("refused_previous") != "3" || col("refused_change") != "" {
		t.Errorf("CSV previous/change: received %s/%s, refused %s/%s (a blank year has no change)", col("received_previous"), col("received_change"), col("refused_previous"), col("refused_change"))
	}
	_, ag := get(t, h, "/agency?key=330113:交通运输局")
	if !strings.Contains(ag, `id="years"`) || strings.Count(ag, `<svg class="chart"`) != 7 || !strings.Contains(ag, "nianbao 整理") {
		t.Errorf("agency page: years table %v, %d charts", strings.Contains(ag, `id="years"`), strings.Count(ag, `<svg class="chart"`))
	}
}

// TestDownloadsAsGoodAsCLI: the page's CSV/XLSX had English headers only,
// no widths, notes or filter, no source URL and a bare file name.
func TestDownloadsAsGoodAsCLI(t *testing.T) {
	db, _ := testDB(t)
	srv, _ := web.New(db)
	h := srv.Handler()
	res, csv := get(t, h, "/compare.csv?region=330226&year=2022&lang=zh")
	if !strings.HasPrefix(csv, "\uFEFF机关,地区,年度,本年新收申请") || !strings.Contains(csv, "原表数值") || !strings.Contains(csv, "来源地址") {
		t.Errorf("CSV in Chinese: %.200s", csv)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "nianbao-compare-330226-2022-") || !strings.Contains(cd, ".csv") {
		t.Errorf("CSV file name: %s", cd)
	}
	res, body := get(t, h, "/compare.xlsx?region=330226&year=2022&lang=zh")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("compare")
	if len(rows) != 2 || rows[0][0] != "机关" || rows[1][0] != "宁海县市场监督管理局" {
		t.Errorf("XLSX rows %v", rows)
	}
	if idx, _ := f.GetSheetIndex("Notes"); idx < 0 {
		t.Error("no Notes sheet")
	}
	if w, _ := f.GetColWidth("compare", "A"); w < 8 {
		t.Errorf("column width %v", w)
	}
	src := ""
	for i, c := range rows[0] {
		if c == "来源地址" {
			src = rows[1][i]
		}
	}
	if !strings.Contains(src, "101-gbk-portal-2022.html") {
		t.Errorf("source column %q", src)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") {
		t.Errorf("XLSX file name: %s", cd)
	}
}

// TestMethodologyAndFailedMarks: a methodology page says what each figure
// counts, the blank rule and which checks exist; in the comparison the
// figures a failed check involves are marked.
func TestMethodologyAndFailedMarks(t *testing.T) {
	db, _ := testDB(t)
	srv, _ := web.New(db)
	h := srv.Handler()
	res, body := get(t, h, "/methodology")
	if res.StatusCode != 200 || !strings.Contains(body, `id="check-T3.BALANCE"`) || !strings.Contains(body, `id="col-grant_rate"`) || !strings.Contains(body, "空白不是 0") {
		t.Errorf("methodology page: %d", res.StatusCode)
	}
	var rep int64
	db.SQL().QueryRow("SELECT report_id FROM report_summary WHERE checks_failed > 0 LIMIT 1").Scan(&rep)
	_, page := get(t, h, "/compare")
	i := strings.Index(page, fmt.Sprintf(`<tr data-report="%d">`, rep))
	if rep == 0 || i < 0 {
		t.Fatalf("no row with failed checks (report %d)", rep)
	}
	row := page[i : i+strings.Index(page[i:], "</tr>")]
	if strings.Count(row, " bad") < 2 { // a figure and the failed-checks count
		t.Errorf("the row of report %d with failed checks marks no figure: %s", rep, row)
	}
}

// TestRegionRankingOverYears: a region's agencies ranked by a figure,
// each year side by side, blanks unranked.
func TestRegionRankingOverYears(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string][]float64{"宁海县市场监督管理局": {5, 9}, "宁海县交通运输局": {7, -1}, "宁海县教育局": {1, 2}} // -1: blank
	i := 0
	for name, vals := range refused {
		for k, v := range vals {
			rep := &nianbao.Report{Agency: name, Year: 2022 + k, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
			c := nianbao.Cell{Semantic: nianbao.Empty}
			if v >= 0 {
				c = nianbao.Cell{Value: &v, Raw: fmt.Sprint(v), Semantic: nianbao.Numeric}
			}
			rep.Cells["t3.refused.third_party.total"] = c
			i++
			if _, err := db.Save(context.Background(), store.Document{SHA256: fmt.Sprint(i), Path: "x", Agency: store.Identity(name)}, rep); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.Close()
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	_, body := get(t, srv.Handler(), "/ranking?region=330226&figure=refused")
	rows := strings.Split(body[strings.Index(body, "<tbody>"):], "<tr>")[1:]
	if len(rows) != 3 || !strings.Contains(rows[0], "市场监督管理局") || !strings.Contains(rows[0], "<strong>2</strong>") || !strings.Contains(rows[0], "<strong>1</strong>") {
		t.Fatalf("ranking rows: %v", rows)
	}
	if !strings.Contains(rows[2], "交通运输局") || !strings.Contains(rows[2], "<strong>1</strong>") || strings.Count(rows[2], "<strong>") != 1 {
		t.Errorf("the agency blank in 2023 is ranked last and unranked that year: %s", rows[2])
	}
}

// TestAggregatesFollowTheDatabase: the overview's whole-database figures
// are cached (each is a pass over every report at national scale), but a
// report added meanwhile shows within seconds.
func TestAggregatesFollowTheDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	rw, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	save := func(i int) {
		rep := &nianbao.Report{Agency: "杭州市临平区交通运输局", Year: 2020 + i, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		if _, err := rw.Save(context.Background(), store.Document{SHA256: fmt.Sprint(i), Path: "x", Agency: store.Identity(rep.Agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	save(1)
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	h := srv.Handler()
	if _, body := get(t, h, "/"); !strings.Contains(body, "2021") || strings.Contains(body, "2022") {
		t.Fatal("overview before")
	}
	save(2)
	time.Sleep(2100 * time.Millisecond)
	if _, body := get(t, h, "/"); !strings.Contains(body, "2022") {
		t.Error("a report added meanwhile is not in the overview")
	}
}

// TestCoveragePage: a region page with its coverage table and a
// completeness figure per year.
func TestCoveragePage(t *testing.T) {
	db, _ := testDB(t)
	srv, _ := web.New(db)
	res, body := get(t, srv.Handler(), "/coverage?region=330226")
	if res.StatusCode != 200 || !strings.Contains(body, `id="coverage"`) || !strings.Contains(body, "宁海县市场监督管理局") || !strings.Contains(body, "浙江省宁波市宁海县人民政府") || !strings.Contains(body, "/") {
		t.Errorf("coverage page: %d", res.StatusCode)
	}
	if res, _ := get(t, srv.Handler(), "/coverage?region=无此地"); res.StatusCode != 404 {
		t.Errorf("unknown region: %d", res.StatusCode)
	}
}
