package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// hostile is a stored page whose script would act in the app's origin if
// it ran.
const hostile = `<html><head><title>年报</title></head><body><p>页面</p>
<script>document.title = 'pwned'; try { parent.document.title = 'pwned'; localStorage.setItem('pwned', '1') } catch (e) {}</script></body></html>`

// testDB ingests fixtures and a hostile page into a database and reopens it
// read-only, as serve does.
func testDB(t testing.TB) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	in := &ingest.Ingester{DB: db}
	for _, f := range []string{"101-gbk-portal-2022.html", "104-t19-blanks-2020.html", "105-wrong-totals-2023.md", "106-tab-text-2021.txt", "108-t19-blanks-2020.pdf"} {
		if r := in.File(context.Background(), fixtures.Path(f)); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	r := in.Bytes(context.Background(), "http://portal.example/hostile.html", []byte(hostile), extractOptions())
	db.Close()
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro, r.SHA256
}

func get(t testing.TB, h http.Handler, url string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", url, nil)
	req.Host = "127.0.0.1:8080" // as a browser on loopback sends it (httptest says example.com)
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestPages(t *testing.T) {
	db, hostileSHA := testDB(t)
	srv, err := web.New(db)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	var want struct {
		received, answered, reviews int
		rate                        float64
	}
	db.SQL().QueryRow("SELECT requests_received, total_answered, reviews, grant_rate FROM report_summary WHERE agency = '宁海县市场监督管理局'").
		Scan(&want.received, &want.answered, &want.reviews, &want.rate)

	res, body := get(t, h, "/")
	if res.StatusCode != 200 || !strings.Contains(body, "浙江省宁波市宁海县") || !strings.Contains(body, "慈溪市教育局") {
		t.Errorf("overview: %d\n%s", res.StatusCode, body)
	}
	if _, body := get(t, h, "/?q=宁海"); !strings.Contains(body, "agency?key=330226") {
		t.Errorf("search did not find 宁海县市场监督管理局")
	}

	res, body = get(t, h, "/compare?region=3302&year=2022")
	if res.StatusCode != 200 || !strings.Contains(body, "宁海县市场监督管理局") || strings.Contains(body, "慈溪市教育局") {
		t.Fatalf("compare: %d", res.StatusCode)
	}
	for _, v := range []string{">51<", compare.Percent(&want.rate), "cell=t3.new_received.total", "<svg"} {
		if !strings.Contains(body, v) {
			t.Errorf("compare page lacks %q", v)
		}
	}
	// Any list of agencies, by key.
	_, body = get(t, h, "/compare?key=330226:市场监督管理局&key=330521:人民政府办公室")
	if !strings.Contains(body, "宁海县市场监督管理局") || !strings.Contains(body, "德清县人民政府办公室") || strings.Contains(body, "慈溪市教育局") {
		t.Errorf("compare by a list of agencies shows the wrong rows")
	}
	// A blank is shown as blank, with its explanation, never as 0.
	_, body = get(t, h, "/compare?year=2020")
	if !strings.Contains(body, "德清县") || !strings.Contains(body, `class="blank" title="空白`) {
		t.Errorf("2020 comparison lacks 德清县 or shows its blank refusals as something else")
	}

	// The CSV download is exactly the comparison shown.
	rows, _ := compare.Query(context.Background(), db, compare.Filter{Region: "3302", Year: 2022})
	var csv bytes.Buffer
	compare.WriteCSV(&csv, rows)
	if _, body := get(t, h, "/compare.csv?region=3302&year=2022"); body != csv.String() {
		t.Errorf("CSV download differs from the comparison:\n%s\nwant\n%s", body, csv.String())
	}
	if res, _ := get(t, h, "/compare.xlsx?year=2022"); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
		t.Errorf("xlsx: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	res, body = get(t, h, "/agency?key=330226:市场监督管理局")
	if res.StatusCode != 200 || !strings.Contains(body, "2022 年度") || !strings.Contains(body, "三、收到和处理政府信息公开申请情况") {
		t.Errorf("agency page: %d", res.StatusCode)
	}
	// 105 prints wrong totals: its failed checks show formula and both sides.
	_, body = get(t, h, "/agency?name=慈溪市教育局")
	if !strings.Contains(body, "T3.RESULT_SUM") || !strings.Contains(body, "total = Σ result rows") || !strings.Contains(body, `class="n bad"`) {
		t.Errorf("failed checks not shown with their formula on the agency page")
	}

	var reportID string
	db.SQL().QueryRow("SELECT report_id FROM report_summary WHERE agency = '德清县人民政府办公室'").Scan(&reportID)
	res, body = get(t, h, "/cell?report="+reportID+"&cell=t3.granted.natural_person")
	if res.StatusCode != 200 || !strings.Contains(body, `class="mark">40<`) {
		t.Errorf("cell page: %d\n%s", res.StatusCode, body)
	}

	// Stored documents are sandboxed: no script of theirs runs here.
	res, _ = get(t, h, "/doc/"+hostileSHA)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("stored document headers: CSP %q, nosniff %q", csp, res.Header.Get("X-Content-Type-Options"))
	}
	if res, body := get(t, h, "/doc/../../etc/passwd"); res.StatusCode == 200 && strings.Contains(body, "root:") {
		t.Errorf("path escape: %d", res.StatusCode)
	}
	// Filters are bound parameters, never SQL.
	if res, _ := get(t, h, "/compare?region=1'%20OR%201=1;%20DROP%20TABLE%20reports;--&agency=%25"); res.StatusCode != 200 {
		t.Errorf("hostile filter: %d", res.StatusCode)
	}
	var n int
	db.SQL().QueryRow("SELECT COUNT(*) FROM reports").Scan(&n)
	if n == 0 {
		t.Error("reports gone")
	}
}
