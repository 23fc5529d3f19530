package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/store"
)

// portal is a hand-made site for fault tests: exact paths to handlers.
type portal struct {
	mux  *http.ServeMux
	hits map[string]int
}

func newPortal() *portal { return &portal{mux: http.NewServeMux(), hits: map[string]int{}} }

func (p *portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.hits[r.URL.Path]++
	p.mux.ServeHTTP(w, r)
}

func (p *portal) page(path, contentType string, body []byte) {
	p.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Write(body)
	})
}

func gbk(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reportPage is one sample report rendered as an article page (UTF-8).
func reportPage(t testing.TB, i int) (title string, body []byte) {
	rs := reports(t)
	return rs[i].Title, rs[i].Body
}

func sourceStatus(t testing.TB, db *store.DB, url string) (string, string) {
	var s, r string
	db.SQL().QueryRow("SELECT IFNULL(status, ''), IFNULL(reason, '') FROM sources WHERE url = ?", url).Scan(&s, &r)
	return s, r
}

// Finding 6: a list page in GBK, declared in the header or only in <meta>.
func TestGBKListPage(t *testing.T) {
	title, body := reportPage(t, 1)
	for _, declared := range []string{"header", "meta"} {
		t.Run(declared, func(t *testing.T) {
			p := newPortal()
			list := `<html><head>`
			ct := "text/html; charset=GBK"
			if declared == "meta" {
				list += `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`
				ct = "text/html"
			}
			list += `</head><body><ul><li><a href="/art/1.html">` + title + `</a><span>2022-01-25</span></li></ul></body></html>`
			p.page("/list.html", ct, gbk(t, list))
			p.page("/art/1.html", "text/html; charset=UTF-8", body)
			srv := httptest.NewServer(p)
			defer srv.Close()
			db := newDB(t)
			sum, err := fastCrawler(config(t, "1ms", srv.URL+"/list.html"), db).Run(context.Background(), crawl.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.SourcesOK != 1 || sum.ReportsNew != 1 {
				t.Errorf("%s; want the GBK-listed report found and the source ok", sum)
			}
			var listed string
			db.SQL().QueryRow("SELECT IFNULL(title, '') FROM resources WHERE kind = 'article'").Scan(&listed)
			if listed != title {
				t.Errorf("listing title stored as %q, want %q", listed, title)
			}
		})
	}
}

// A list that names no report is "empty", never "ok", and the run fails.
func TestEmptySource(t *testing.T) {
	p := newPortal()
	p.page("/list.html", "text/html; charset=UTF-8", []byte(`<html><body><a href="/a.html">关于开展安全检查的通知</a></body></html>`))
	srv := httptest.NewServer(p)
	defer srv.Close()
	db := newDB(t)
	sum, _ := fastCrawler(config(t, "1ms", srv.URL+"/list.html"), db).Run(context.Background(), crawl.Options{})
	if st, _ := sourceStatus(t, db, srv.URL+"/list.html"); st != "empty" || sum.Empty != 1 || sum.OK() {
		t.Errorf("status %q, %s; want empty and a failed run", st, sum)
	}
}

// Finding 7: the first attachment 404s; the second (the report) is fetched
// now, and the first is retried on the next run.
func TestFailedAttachmentDoesNotBlockSiblings(t *testing.T) {
	docx := fixture(t, "107-t19-blanks-2020.docx")
	p := newPortal()
	p.page("/list.html", "text/html; charset=UTF-8", []byte(`<html><body><a href="/art/1.html">德清县人民政府办公室2020年政府信息公开工作年度报告</a> 2021-03-30</body></html>`))
	p.page("/art/1.html", "text/html; charset=UTF-8", []byte(`<html><body><p>见附件：</p><a href="/files/cover.pdf">封面</a><a href="/files/report.docx">年报</a></body></html>`))
	coverUp := false
	p.mux.HandleFunc("/files/cover.pdf", func(w http.ResponseWriter, r *http.Request) {
		if !coverUp {
			http.NotFound(w, r)
			return
		}
		w.Write(fixture(t, "108-t19-blanks-2020.pdf"))
	})
	p.page("/files/report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx)
	srv := httptest.NewServer(p)
	defer srv.Close()
	db := newDB(t)
	cfg := config(t, "1ms", srv.URL+"/list.html")
	c := fastCrawler(cfg, db)
	c.RetryAfter = 0
	sum, _ := c.Run(context.Background(), crawl.Options{})
	if p.hits["/files/report.docx"] != 1 || sum.ReportsNew != 1 {
		t.Errorf("first run: report.docx requested %d times, %s; want the sibling fetched and stored", p.hits["/files/report.docx"], sum)
	}
	if st, reason := sourceStatus(t, db, srv.URL+"/list.html"); st != "failed" || sum.OK() || !strings.Contains(reason, "1 of 1") {
		t.Errorf("first run: status %q (%s), %s; want failed: a listed report's attachment is missing", st, reason, sum)
	}
	coverUp = true
	c = fastCrawler(cfg, db)
	c.RetryAfter = 0
	sum, _ = c.Run(context.Background(), crawl.Options{})
	if p.hits["/files/cover.pdf"] != 2 || p.hits["/files/report.docx"] != 1 {
		t.Errorf("second run: cover requested %d times (want 2), report %d (want 1: done)", p.hits["/files/cover.pdf"], p.hits["/files/report.docx"])
	}
	if st, _ := sourceStatus(t, db, srv.URL+"/list.html"); st != "ok" || !sum.OK() {
		t.Errorf("second run: %q, %s; want ok once the attachment arrived", st, sum)
	}
	// With a retry wait, a failed attachment is not asked for again at once.
	coverUp = false
	p2 := newPortal()
	p2.page("/list.html", "text/html; charset=UTF-8", []byte(`<html><body><a href="/art/2.html">某局2023年政府信息公开工作年度报告</a></body></html>`))
	p2.page("/art/2.html", "text/html; charset=UTF-8", []byte(`<html><body><a href="/files/x.pdf">年报</a></body></html>`))
	srv2 := httptest.NewServer(p2)
	defer srv2.Close()
	cfg2 := config(t, "1ms", srv2.URL+"/list.html")
	fastCrawler(cfg2, db).Run(context.Background(), crawl.Options{})
	sum, _ = fastCrawler(cfg2, db).Run(context.Background(), crawl.Options{})
	if p2.hits["/files/x.pdf"] != 1 || sum.Waiting != 1 {
		t.Errorf("a failed attachment was requested %d times within its retry wait (%s)", p2.hits["/files/x.pdf"], sum)
	}
}

// Finding 8: redirects are checked like first requests.
func TestRedirectsChecked(t *testing.T) {
	_, body := reportPage(t, 1)
	other := newPortal()
	other.page("/art/1.html", "text/html; charset=UTF-8", body)
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	osrv := httptest.NewUnstartedServer(other)
	osrv.Listener.Close()
	osrv.Listener = l
	osrv.Start()
	defer osrv.Close()

	p := newPortal()
	p.page("/robots.txt", "text/plain", []byte("User-agent: *\nDisallow: /secret/\n"))
	p.page("/list.html", "text/html; charset=UTF-8", []byte(`<html><body>
		<a href="/go/offsite.html">某局2023年政府信息公开工作年度报告</a>
		<a href="/go/secret.html">某局2022年政府信息公开工作年度报告</a>
		<a href="/go/file.html">某局2021年政府信息公开工作年度报告</a></body></html>`))
	p.mux.HandleFunc("/go/offsite.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, osrv.URL+"/art/1.html", http.StatusFound)
	})
	p.mux.HandleFunc("/go/secret.html", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/secret/1.html", http.StatusFound) })
	p.mux.HandleFunc("/go/file.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	p.page("/secret/1.html", "text/html; charset=UTF-8", body)
	srv := httptest.NewServer(p)
	defer srv.Close()
	db := newDB(t)
	cfg := config(t, "1ms", srv.URL+"/list.html")
	cfg.AllowHosts = []string{"*.gov.cn"}
	sum, _ := fastCrawler(cfg, db).Run(context.Background(), crawl.Options{})
	if other.hits["/art/1.html"] != 0 || p.hits["/secret/1.html"] != 0 {
		t.Errorf("redirect followed: off-site %d, robots-disallowed %d requests", other.hits["/art/1.html"], p.hits["/secret/1.html"])
	}
	if n := count(t, db, "SELECT COUNT(*) FROM reports"); n != 0 {
		t.Errorf("%d reports stored from refused redirects", n)
	}
	if p.hits["/go/file.html"] != 1 {
		t.Errorf("a file:// redirect was retried: %d requests", p.hits["/go/file.html"])
	}
	if st, _ := sourceStatus(t, db, srv.URL+"/list.html"); st != "failed" || sum.OK() {
		t.Errorf("status %q, %s; want failed", st, sum)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM fetches WHERE error_class = 'refused'"); n < 2 {
		t.Errorf("%d refused redirects logged, want the off-site and file:// ones", n)
	}
}

// Finding 8: the dialer refuses loopback and private addresses unless the
// source itself is on one.
func TestPrivateAddressRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") }))
	defer srv.Close()
	f := crawl.NewFetcher(newDB(t), "test", time.Millisecond)
	f.Retries = 0
	_, err := f.Get(crawl.AllowPrivate(context.Background(), false), srv.URL+"/x", nil)
	if err == nil || !strings.Contains(err.Error(), "private") {
		t.Errorf("public-source fetch of %s: %v, want refused", srv.URL, err)
	}
	if _, err := f.Get(crawl.AllowPrivate(context.Background(), true), srv.URL+"/x", nil); err != nil {
		t.Errorf("private-source fetch: %v", err)
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "10.1.2.3": true, "192.168.0.1": true, "[::1]": true, "169.254.1.1": true, "8.8.8.8": false, "localhost": true} {
		if got := crawl.IsPrivateHost(context.Background(), host); got != want {
			t.Errorf("IsPrivateHost(%s) = %v", host, got)
		}
	}
}

// Finding 9: an unreachable host is "unreachable", never "blocked".
func TestUnreachableIsNotBlocked(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	db := newDB(t)
	u := "http://" + addr + "/list.html"
	c := fastCrawler(config(t, "1ms", u), db)
	c.Fetcher().Retries = 1
	sum, _ := c.Run(context.Background(), crawl.Options{})
	st, reason := sourceStatus(t, db, u)
	if st != "unreachable" || sum.Unreachable != 1 || strings.Contains(reason, "disallowed") {
		t.Errorf("status %q (%s), %s; want unreachable, not a robots block", st, reason, sum)
	}
}

// Finding 12: a server that answers and then dribbles is given up on at the
// deadline, not retried; an oversized header block is not retried either.
func TestSlowAndMalformedAnswers(t *testing.T) {
	var hits int
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits++
		w.WriteHeader(200)
		for i := 0; i < 100; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
		}
	}))
	defer slow.Close()
	f := crawl.NewFetcher(newDB(t), "test", time.Millisecond)
	f.Client.Timeout = 500 * time.Millisecond
	f.Backoff = 10 * time.Millisecond
	ctx := crawl.AllowPrivate(context.Background(), true)
	start := time.Now()
	_, err := f.Get(ctx, slow.URL+"/r.pdf", nil)
	var fe *crawl.FetchError
	if err == nil || !errorsAs(err, &fe) || fe.Class != crawl.ClassSlow || hits != 1 {
		t.Errorf("slow body: %v after %d requests, want one request and class slow", err, hits)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("slow body held the fetch for %v", d)
	}
	// A whole-URL deadline bounds retries of a server that never answers.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		time.Sleep(3 * time.Second)
	}))
	defer hang.Close()
	f.URLDeadline = 1200 * time.Millisecond
	start = time.Now()
	if _, err := f.Get(ctx, hang.URL+"/r.pdf", nil); err == nil {
		t.Error("a hanging server gave no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("4 attempts × timeout: held for %v, want the URL deadline", d)
	}
	// 2 MiB of headers: a protocol error, one request.
	var hdrHits int
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hdrHits++
		for i := 0; i < 2048; i++ {
			w.Header().Add(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("a", 1024))
		}
		w.WriteHeader(200)
	}))
	defer big.Close()
	f.URLDeadline = 10 * time.Second
	if _, err := f.Get(ctx, big.URL+"/r.pdf", nil); err == nil || !errorsAs(err, &fe) || fe.Class != crawl.ClassProtocol || hdrHits != 1 {
		t.Errorf("huge header block: %v after %d requests, want one request and class protocol", err, hdrHits)
	}
}

// Finding 13: thousands of links without dates parse in linear time, and
// one article's copies of an attachment are capped.
func TestManyLinks(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><body><div>")
	for i := 0; i < 8000; i++ {
		fmt.Fprintf(&b, `<a href="/n/%d.html">通知%d</a> `, i, i)
	}
	b.WriteString(`<a href="/art/1.html">某局2023年政府信息公开工作年度报告</a></div></body></html>`)
	p := newPortal()
	p.page("/list.html", "text/html; charset=UTF-8", []byte(b.String()))
	var art strings.Builder
	art.WriteString("<html><body>")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&art, `<a href="/files/r.docx?v=%d">年报</a>`, i)
	}
	art.WriteString("</body></html>")
	p.page("/art/1.html", "text/html; charset=UTF-8", []byte(art.String()))
	p.page("/files/r.docx", "application/octet-stream", fixture(t, "107-t19-blanks-2020.docx"))
	srv := httptest.NewServer(p)
	defer srv.Close()
	db := newDB(t)
	start := time.Now()
	sum, _ := fastCrawler(config(t, "1ms", srv.URL+"/list.html"), db).Run(context.Background(), crawl.Options{})
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("8,000 links took %v", d)
	}
	if n := p.hits["/files/r.docx"]; n != crawl.MaxAttachments {
		t.Errorf("%d downloads of one attachment under 1,000 URLs, want the cap %d", n, crawl.MaxAttachments)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM documents WHERE format = 'docx'"); n != 1 {
		t.Errorf("%d documents stored for one file, want 1", n)
	}
	if sum.ReportsNew != 1 {
		t.Errorf("%s", sum)
	}
}

// Finding 14: a navigation link naming the column is no report; listed
// reports that answer 404 fail the source and are retried next run.
func TestNavigationLinkAndListed404(t *testing.T) {
	title, body := reportPage(t, 1)
	p := newPortal()
	p.page("/list.html", "text/html; charset=UTF-8", []byte(`<html><body><div class="nav"><a href="/col/ndbg.html">政府信息公开年报</a></div>
		<ul><li><a href="/art/1.html">`+title+`</a> 2022-01-25</li>
		<li><a href="/art/gone.html">某局2020年政府信息公开工作年度报告</a> 2021-01-25</li></ul></body></html>`))
	p.page("/art/1.html", "text/html; charset=UTF-8", body)
	p.page("/col/ndbg.html", "text/html; charset=UTF-8", []byte("<html><body>栏目</body></html>"))
	srv := httptest.NewServer(p)
	defer srv.Close()
	db := newDB(t)
	cfg := config(t, "1ms", srv.URL+"/list.html")
	c := fastCrawler(cfg, db)
	c.RetryAfter = 0
	sum, _ := c.Run(context.Background(), crawl.Options{})
	if p.hits["/col/ndbg.html"] != 0 {
		t.Error("the navigation link 政府信息公开年报 was fetched as a report")
	}
	if st, _ := sourceStatus(t, db, srv.URL+"/list.html"); st != "failed" || sum.DocumentsFailed != 1 || sum.OK() {
		t.Errorf("status %q, %s; want failed with 1 document failed", st, sum)
	}
	c = fastCrawler(cfg, db)
	c.RetryAfter = 0
	c.Run(context.Background(), crawl.Options{})
	if p.hits["/art/gone.html"] != 2 || p.hits["/art/1.html"] != 1 {
		t.Errorf("rerun: gone %d requests (want 2), done article %d (want 1)", p.hits["/art/gone.html"], p.hits["/art/1.html"])
	}
}

// Finding 11 across a crawl: every TEXT column of the demo-like crawl is
// valid UTF-8 (the GBK Content-Disposition of the sample portal included).
func TestCrawlWritesValidUTF8(t *testing.T) {
	site := newSampleSite(t)
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := newDB(t)
	fastCrawler(config(t, "1ms", srv.URL+site.ListPath()), db).Run(context.Background(), crawl.Options{})
	rows, _ := db.SQL().Query("SELECT IFNULL(content_disposition, '') FROM fetches")
	n := 0
	for rows.Next() {
		var cd []byte
		rows.Scan(&cd)
		if !utf8.Valid(cd) {
			t.Errorf("content_disposition %q is not UTF-8", cd)
		}
		if len(cd) > 0 {
			n++
		}
	}
	rows.Close()
	if n == 0 {
		t.Error("no Content-Disposition logged")
	}
}

func errorsAs(err error, target **crawl.FetchError) bool { return errors.As(err, target) }

func newSampleSite(t testing.TB) *crawltest.Site {
	return &crawltest.Site{Platform: "jcms", Reports: reports(t)[:1]}
}
