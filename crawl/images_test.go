package crawl_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/ocr"
	"github.com/nianbao/nianbao/store"
)

// TestImageOnlyArticle: an article whose body is page images is read by
// fetching its images (on the site only; a logo and an off-site image are
// not pages), which are kept with the page, and re-extraction reads them
// from there without the network.
func TestImageOnlyArticle(t *testing.T) {
	if _, err := ocr.Default(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI installs tesseract: %v", err)
		}
		t.Skip(err)
	}
	dir := filepath.Join(fixtures.Path("scans"), "108-article")
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.NewReplacer(`src="p`, `src="/img/p`, `src="logo.png"`, `src="/img/logo.png"`).Replace(string(page))
	body = strings.Replace(body, "</div></body>", `<p><img src="http://elsewhere.example/ad.jpg"></p></div></body>`, 1)
	site := &crawltest.Site{Platform: "trs", Reports: []crawltest.Report{{Title: "德清县人民政府办公室2020年政府信息公开工作年度报告", Agency: "德清县人民政府办公室", Date: "2021-01-20", Body: []byte(body)}}}
	site.Hook = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/img/") {
			return false
		}
		data, err := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(r.URL.Path, "/img/")))
		if err != nil {
			http.NotFound(w, r)
			return true
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(data)
		return true
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := newDB(t)
	sum, err := fastCrawler(config(t, "1ms", srv.URL+site.ListPath()), db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ReportsNew != 1 || sum.DocumentsFailed != 0 {
		t.Fatalf("crawl: %s; want the image-only article as a new report", sum)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM cells WHERE source = 'ocr' AND value IS NOT NULL"); n < 35 {
		t.Errorf("%d numbers read from the page images, want at least 35 of 50", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM document_parts"); n != 3 {
		t.Errorf("%d page images kept with the article, want 3 (not the logo)", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM resources WHERE kind = 'image' AND done = 1"); n != 4 {
		t.Errorf("%d images fetched, want 3 pages and the logo", n)
	}
	if site.Requests()["/img/p2.jpg"] != 1 {
		t.Errorf("page image 2 requested %d times", site.Requests()["/img/p2.jpg"])
	}
	// the site gone, re-extraction reads the kept images
	srv.Close()
	before := count(t, db, "SELECT COUNT(*) FROM cells WHERE source = 'ocr' AND value IS NOT NULL")
	rs, err := (&ingest.Ingester{DB: db}).Reextract(context.Background(), store.Stale{All: true}, nil)
	if err != nil || rs.Failed != 0 || rs.Unchanged != 1 {
		t.Errorf("reextract without the site: %s %v", rs, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM cells c JOIN reports r ON r.id = c.report_id AND r.is_current = 1 WHERE c.source = 'ocr' AND c.value IS NOT NULL"); n != before {
		t.Errorf("after re-extraction %d numbers, before %d", n, before)
	}
}
