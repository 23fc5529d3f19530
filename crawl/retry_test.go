package crawl_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawl"
)

// TestRetryBookkeeping: the summary said "0 waiting to retry" while two
// documents were scheduled, and an article was requested again before its
// next try. Waiting now counts every scheduled retry (as status does), and
// nothing is requested before its time.
func TestRetryBookkeeping(t *testing.T) {
	var articleHits, attHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/col/index.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><ul>
<li><a href="/art/1.html">甲局2023年政府信息公开工作年度报告</a> 2024-01-20</li>
<li><a href="/art/2.html">乙局2023年政府信息公开工作年度报告</a> 2024-01-21</li></ul></body></html>`))
	})
	mux.HandleFunc("/art/1.html", func(w http.ResponseWriter, r *http.Request) {
		articleHits.Add(1)
		http.Error(w, "broken", http.StatusNotFound)
	})
	mux.HandleFunc("/art/2.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><body><h1>乙局2023年政府信息公开工作年度报告</h1><a href="/f/a.pdf">附件一</a> <a href="/f/b.pdf">附件二</a></body></html>`))
	})
	mux.HandleFunc("/f/", func(w http.ResponseWriter, r *http.Request) {
		attHits.Add(1)
		http.Error(w, "gone", http.StatusNotFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := newDB(t)
	run := func() crawl.Summary {
		c := fastCrawler(config(t, "1ms", srv.URL+"/col/index.html"), db)
		sum, err := c.Run(context.Background(), crawl.Options{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	first := run()
	if first.Waiting != 3 {
		t.Errorf("first run: %s; want 3 waiting (the article page and two attachments)", first)
	}
	a1, h1 := articleHits.Load(), attHits.Load()
	second := run()
	if articleHits.Load() != a1 || attHits.Load() != h1 {
		t.Errorf("requested again before the next try: article %d→%d, attachments %d→%d", a1, articleHits.Load(), h1, attHits.Load())
	}
	if n, next, _ := db.Waiting(context.Background(), time.Now()); second.Waiting != n || n != 3 || next == "" {
		t.Errorf("second run says %d waiting, the store %d (next %q)", second.Waiting, n, next)
	}
}
