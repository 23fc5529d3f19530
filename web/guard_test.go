package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

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
