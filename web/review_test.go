package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

func post(h http.Handler, form url.Values, header map[string]string) *http.Response {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/review", strings.NewReader(form.Encode()))
	req.Host = "127.0.0.1:8080"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// TestReviewPage: /review lists the queue with a form per cell; a
// correction is recorded only from the page's own form (its token, this
// origin), and only when the server was started for review.
func TestReviewPage(t *testing.T) {
	ro, _ := testDB(t)
	plain, err := web.New(ro)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := get(t, plain.Handler(), "/review"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/review without --review: %d", res.StatusCode)
	}
	if res := post(plain.Handler(), url.Values{"why": {"x"}}, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST /review without --review: %d", res.StatusCode)
	}

	rw, err := store.Open(ro.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	srv, _ := web.New(ro)
	if err := srv.Reviewing(rw, "tester"); err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	res, page := get(t, h, "/review?reason=check_failed")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/review: %d", res.StatusCode)
	}
	m := regexp.MustCompile(`name="token" value="([0-9a-f]{64})"><input type="hidden" name="report" value="(\d+)"><input type="hidden" name="cell" value="([a-z0-9_.]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no correction form on the review page:\n%.2000s", page)
	}
	token, report, cell := m[1], m[2], m[3]
	form := url.Values{"report": {report}, "cell": {cell}, "value": {"77"}, "why": {"page 2 reads 77"}, "reason": {"check_failed"}}
	for name, c := range map[string]struct {
		form   url.Values
		header map[string]string
		status int
	}{
		"no token":          {form, nil, http.StatusForbidden},
		"wrong token":       {withToken(form, strings.Repeat("0", 64)), nil, http.StatusForbidden},
		"another origin":    {withToken(form, token), map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		"cross-site fetch":  {withToken(form, token), map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		"no why":            {withToken(withValue(form, "why", " "), token), nil, http.StatusBadRequest},
		"not a number":      {withToken(withValue(form, "report", "x"), token), nil, http.StatusBadRequest},
		"no such report id": {withToken(withValue(form, "report", "99999"), token), nil, http.StatusNotFound},
	} {
		if res := post(h, c.form, c.header); res.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", name, res.StatusCode, c.status)
		}
	}
	var corrections int
	ro.SQL().QueryRow("SELECT COUNT(*) FROM corrections").Scan(&corrections)
	if corrections != 0 {
		t.Fatalf("%d corrections recorded by refused forms", corrections)
	}
	res = post(h, withToken(form, token), map[string]string{"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "reason=check_failed") {
		t.Fatalf("the page's own form: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	var value float64
	var who string
	if err := ro.SQL().QueryRow("SELECT c.value, x.who FROM cells c JOIN corrections x ON x.id = c.correction_id WHERE c.report_id = ? AND c.cell_id = ?", report, cell).Scan(&value, &who); err != nil || value != 77 || who != "tester" {
		t.Errorf("recorded: %v %q (%v)", value, who, err)
	}
	_, page = get(t, h, res.Header.Get("Location"))
	if !strings.Contains(page, `id="done"`) {
		t.Error("after the correction the page does not say it was recorded")
	}
	if strings.Contains(page, `name="report" value="`+report+`"><input type="hidden" name="cell" value="`+cell+`"`) {
		t.Errorf("report %s %s is still queued after its correction", report, cell)
	}
}

func withToken(f url.Values, token string) url.Values { return withValue(f, "token", token) }

func withValue(f url.Values, k, v string) url.Values {
	g := url.Values{}
	for key, vs := range f {
		g[key] = append([]string(nil), vs...)
	}
	g.Set(k, v)
	return g
}
