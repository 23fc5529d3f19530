package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/internal/readme"
	"github.com/nianbao/nianbao/sample"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// readmeSQL returns the statements of the README's researchers' block.
func readmeSQL(t *testing.T) []string {
	qs, err := readme.SQL("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestREADMEExamplesWork: the README's SQL examples and page addresses
// returned nothing on the demo (a district and year it does not hold). Each
// query now has rows on the demo's database or on a sample one, and each
// address shows the demo's data.
func TestREADMEExamplesWork(t *testing.T) {
	_, demoPath, demo := demoDB(t)
	smp, err := store.Open(filepath.Join(t.TempDir(), "sample.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer smp.Close()
	if err := sample.Build(context.Background(), smp, sample.Options{Reports: 700, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	qs := readmeSQL(t)
	if len(qs) < 6 {
		t.Fatalf("%d README queries", len(qs))
	}
	for _, q := range qs {
		rows := 0
		for _, db := range []*store.DB{demo, smp} {
			r, err := db.SQL().Query(q)
			if err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
			for r.Next() {
				rows++
			}
			r.Close()
		}
		if rows == 0 {
			t.Errorf("no rows on the demo or a sample database:\n%s", q)
		}
	}
	b, _ := os.ReadFile("../../README.md")
	srv, _ := web.New(demo)
	h := srv.Handler()
	urls := regexp.MustCompile("\\(`(/(?:compare|agency|cell)\\?[^`]+)`\\)").FindAllStringSubmatch(string(b), -1)
	if len(urls) < 3 {
		t.Fatalf("%d page addresses in the README", len(urls))
	}
	for _, u := range urls {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", u[1], nil)
		req.Host = "127.0.0.1"
		h.ServeHTTP(rec, req)
		if body := rec.Body.String(); rec.Code != 200 || strings.Contains(body, "No reports match") {
			t.Errorf("README address %s on the demo: %d", u[1], rec.Code)
		}
	}
	var out, errb strings.Builder
	if err := runSummary([]string{"--db", demoPath, "--year", "2022", "--region", "宁海县"}, &out, &errb); err != nil || !strings.Contains(out.String(), "宁海县市场监督管理局") {
		t.Errorf("the README's summary example: %v\n%s", err, out.String())
	}
}
