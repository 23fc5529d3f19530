package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/web"
)

// FuzzQueryStrings sends arbitrary query strings to every page: each
// answers 200, 400 (a bad parameter, with the reason) or 404, never 500
// and never a panic.
func FuzzQueryStrings(f *testing.F) {
	for _, s := range []string{"region=330226&year=2022", "sort=received_change&desc=1&page=2", "q=临平交通", "year=abc", "page=0",
		"agency=%25", "key=a&key=b", "report=1&cell=t3.granted.total", "figure=refused&region=宁海县", "lang=zh", "region=%ff", strings.Repeat("x", 5000)} {
		f.Add(s)
	}
	db, _ := testDB(f)
	srv, err := web.New(db)
	if err != nil {
		f.Fatal(err)
	}
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, q string) {
		for _, page := range []string{"/", "/compare", "/compare.csv", "/agency", "/cell", "/ranking", "/coverage"} {
			req := httptest.NewRequest("GET", "/", nil)
			req.URL.Path, req.URL.RawQuery, req.Host = page, q, "127.0.0.1"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if c := rec.Code; c != 200 && c != 400 && c != 404 {
				t.Fatalf("%s?%q: %d %.200s", page, q, c, rec.Body.String())
			}
		}
	})
}
