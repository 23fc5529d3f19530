package crawl_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/store"
)

func fixture(t testing.TB, name string) []byte {
	data, err := fixtures.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// reports: the sample reports minus the one-cell-per-line page, five in all.
func reports(t testing.TB) []crawltest.Report {
	rs, err := crawltest.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return append(rs[:4], rs[5])
}

func newDB(t testing.TB) *store.DB {
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func config(t testing.TB, delay string, urls ...string) *crawl.Config {
	var b strings.Builder
	fmt.Fprintf(&b, "delay = %q\n", delay)
	for _, u := range urls {
		fmt.Fprintf(&b, "[[source]]\nurl = %q\n", u)
	}
	c, err := crawl.ParseConfig(b.String(), "test.toml")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fastCrawler(cfg *crawl.Config, db *store.DB) *crawl.Crawler {
	c := crawl.New(cfg, db)
	f := c.Fetcher()
	f.Backoff = 10 * time.Millisecond
	f.Client.Timeout = 2 * time.Second
	f.MaxBody = 8 << 20
	return c
}

func count(t testing.TB, db *store.DB, q string) int {
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCrawlJCMSAndTRS(t *testing.T) {
	rs := reports(t)
	jcms := &crawltest.Site{Platform: "jcms", Reports: rs[:3], News: 2, PageSize: 2, Robots: "User-agent: *\nDisallow: /private/\n"}
	trs := &crawltest.Site{Platform: "trs", Reports: rs[3:], News: 1, PageSize: 1}
	s1, s2 := httptest.NewServer(jcms), httptest.NewServer(trs)
	defer s1.Close()
	defer s2.Close()
	db := newDB(t)
	cfg := config(t, "1ms", s1.URL+jcms.ListPath(), s2.URL+trs.ListPath())
	sum, err := fastCrawler(cfg, db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first run: %s", sum)
	if sum.SourcesOK != 2 || sum.ReportsNew != 4 || sum.ReportsChanged != 1 || sum.DocumentsFailed != 0 {
		t.Errorf("first run: %s; want 2 sources ok, 4 new reports and 1 new version", sum)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM reports WHERE is_current = 1"); n != 4 {
		t.Errorf("%d current reports, want 4", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM reports"); n != 5 {
		t.Errorf("%d reports, want 5 (the replaced version is kept)", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM report_summary WHERE requests_received IS NOT NULL"); n != 4 {
		t.Errorf("%d current reports with table 3, want 4", n)
	}
	for _, site := range []*crawltest.Site{jcms, trs} {
		for p, n := range site.Requests() {
			if n != 1 {
				t.Errorf("%s requested %d times in one run", p, n)
			}
			if strings.Contains(p, "/news/") {
				t.Errorf("news item %s fetched: the title filter must skip it", p)
			}
		}
	}
	// The corrected republication (listed later, 更正 in its title) is the
	// current version, whichever arrived first; its listing is kept.
	if got := count(t, db, "SELECT COUNT(*) FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.is_current = 1 AND d.listed_title LIKE '%更正%' AND d.listed_date = '2021-04-15' AND d.article_url IS NOT NULL"); got != 1 {
		t.Errorf("the 更正 version is not current (or its listing was not kept)")
	}
	if got := count(t, db, "SELECT COUNT(*) FROM resources WHERE kind = 'attachment' AND title = '德清县2020年政府信息公开年报.docx'"); got != 1 {
		t.Errorf("GBK Content-Disposition name not decoded")
	}
	// Second run: nothing new, so only list pages (and robots) are requested.
	before1, before2 := jcms.Requests(), trs.Requests()
	sum, err = fastCrawler(cfg, db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ReportsNew != 0 || sum.ReportsChanged != 0 {
		t.Errorf("second run: %s", sum)
	}
	for _, pair := range []struct{ before, after map[string]int }{{before1, jcms.Requests()}, {before2, trs.Requests()}} {
		for p, n := range pair.after {
			if n > pair.before[p] && !strings.Contains(p, "index") && !strings.Contains(p, "dataproxy") {
				t.Errorf("second run requested %s again: only list pages may be requested", p)
			}
		}
	}
}

// TestFaults injects the failures of real portals; each source must end
// in the right state and no allowed report may be lost.
func TestFaults(t *testing.T) {
	rs := reports(t)
	var calls500 atomic.Int32
	flaky := &crawltest.Site{Platform: "jcms", Reports: rs[:1], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/module/download/") && calls500.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusInternalServerError)
			return true
		}
		return false
	}}
	slow := &crawltest.Site{Platform: "trs", Reports: rs[1:2], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/t20") {
			time.Sleep(300 * time.Millisecond)
		}
		return false
	}}
	challenge := &crawltest.Site{Platform: "jcms", Reports: rs[2:3], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/robots.txt" {
			return false
		}
		http.SetCookie(w, &http.Cookie{Name: "FSSBBIl1UgzbN7N80S", Value: "x"})
		w.WriteHeader(http.StatusPreconditionFailed)
		fmt.Fprint(w, `<html><meta id="sx6c1KC7YLcx" content="seed" r='m'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script></html>`)
		return true
	}}
	disallowed := &crawltest.Site{Platform: "trs", Reports: rs[3:4], Robots: "User-agent: *\nDisallow: /zfxxgk/\n"}
	loop := &crawltest.Site{Platform: "trs", Reports: rs[4:], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/t20") {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			return true
		}
		return false
	}}
	huge := &crawltest.Site{Platform: "jcms", Column: "77", Reports: rs[4:], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/module/download/") {
			w.Header().Set("Content-Type", "application/pdf")
			chunk := make([]byte, 1<<20)
			for i := 0; i < 1024; i++ { // 1 GB, streamed without Content-Length
				if _, err := w.Write(chunk); err != nil {
					return true
				}
			}
			return true
		}
		return false
	}}
	repeat := &crawltest.Site{Platform: "trs", Reports: rs[3:4], Hook: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/zfxxgk/ndbg/index") {
			// every list page is the same page, and claims 50 pages
			fmt.Fprintf(w, `<html><body><a href="./202401/t20240125_1000.html" title="%s">x</a><script>var countPage = 50;</script></body></html>`, rs[3].Title)
			return true
		}
		return false
	}}
	sites := map[string]*crawltest.Site{"flaky": flaky, "slow": slow, "challenge": challenge, "disallowed": disallowed, "loop": loop, "huge": huge, "repeat": repeat}
	urls := map[string]string{}
	var list []string
	for name, s := range sites {
		srv := httptest.NewServer(s)
		defer srv.Close()
		urls[name] = srv.URL + s.ListPath()
		list = append(list, urls[name])
	}
	db := newDB(t)
	sum, err := fastCrawler(config(t, "1ms", list...), db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", sum)
	status := map[string]string{}
	rows, _ := db.SQL().Query("SELECT url, status FROM sources")
	for rows.Next() {
		var u, s string
		rows.Scan(&u, &s)
		status[u] = s
	}
	rows.Close()
	// blocked means an anti-bot page only; robots.txt forbidding the list,
	// and listed reports that could not be fetched, are failures to act on.
	want := map[string]string{"flaky": "ok", "slow": "ok", "challenge": "blocked", "disallowed": "failed", "loop": "failed", "huge": "failed", "repeat": "ok"}
	for name, w := range want {
		if status[urls[name]] != w {
			t.Errorf("%s: source status %q, want %q", name, status[urls[name]], w)
		}
	}
	if n := requestsTo(disallowed, "/zfxxgk/"); n != 0 {
		t.Errorf("robots-disallowed list page requested %d times", n)
	}
	if n := requestsTo(flaky, "/module/download/"); n != 3 {
		t.Errorf("500 twice then success: %d attachment requests, want 3", n)
	}
	if n := requestsTo(repeat, "/zfxxgk/ndbg/index_2.html"); n != 0 {
		t.Errorf("a repeating list was walked past its first repeat")
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM fetches WHERE error_class = 'too_large'",
		"SELECT COUNT(*) FROM fetches WHERE error_class = 'redirects'",
		"SELECT COUNT(*) FROM fetches WHERE error_class = 'challenge'",
		"SELECT COUNT(*) FROM fetches WHERE error_class = 'http5xx'",
	} {
		if count(t, db, q) == 0 {
			t.Errorf("no fetch logged for %s", q)
		}
	}
	// The flaky, slow and repeat sources' reports landed.
	if n := count(t, db, "SELECT COUNT(*) FROM reports"); n != 3 {
		t.Errorf("%d reports, want 3 (flaky, slow, repeat)", n)
	}
}

// TestKillAndRerun cancels a crawl in the middle and runs it again: every
// report arrives once and nothing is lost.
func TestKillAndRerun(t *testing.T) {
	rs := reports(t)
	site := &crawltest.Site{Platform: "jcms", Reports: rs, PageSize: 2, Hook: func(w http.ResponseWriter, r *http.Request) bool {
		time.Sleep(20 * time.Millisecond)
		return false
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := newDB(t)
	cfg := config(t, "1ms", srv.URL+site.ListPath())
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	fastCrawler(cfg, db).Run(ctx, crawl.Options{})
	cancel()
	got := count(t, db, "SELECT COUNT(*) FROM reports")
	if got >= 5 {
		t.Skipf("the crawl finished before it was cut (%d reports); machine too fast for this test", got)
	}
	sum, err := fastCrawler(cfg, db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM reports"); n != 5 {
		t.Errorf("after rerun: %d reports, want 5 (%s)", n, sum)
	}
	var dup int
	db.SQL().QueryRow("SELECT COUNT(*) FROM (SELECT sha256 FROM documents GROUP BY sha256 HAVING COUNT(*) > 1)").Scan(&dup)
	if dup > 0 {
		t.Error("a document was stored twice")
	}
}

func TestLock(t *testing.T) {
	db := newDB(t)
	release, err := db.LockCrawl(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	site := &crawltest.Site{Platform: "trs"}
	srv := httptest.NewServer(site)
	defer srv.Close()
	_, err = crawl.New(config(t, "1ms", srv.URL+site.ListPath()), db).Run(context.Background(), crawl.Options{})
	if err == nil || !strings.Contains(err.Error(), "another crawl") {
		t.Errorf("second crawl on a locked database: %v", err)
	}
}

// hostSites starts n loopback hosts (127.0.0.1 … 127.0.0.n), each a TRS
// portal listing three UTF-8 reports (no PDF parsing in the timing) of its
// own agencies, and returns their list URLs.
func hostSites(t *testing.T, n int) []string {
	var rs []crawltest.Report
	for _, f := range []string{"106-tab-text-2021.txt", "105-wrong-totals-2023.md", "104-t19-blanks-2020.html"} {
		doc, err := crawltest.Page("某局政府信息公开工作年度报告", "某局", "2024-01-20", fixture(t, f))
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, crawltest.Report{Title: "某局" + f + "政府信息公开工作年度报告", Agency: "局", Date: "2024-01-20", Body: doc})
	}
	var urls []string
	for i := 1; i <= n; i++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			t.Skipf("cannot listen on 127.0.0.%d: %v", i, err)
		}
		var mine []crawltest.Report // distinct agencies per host, so every report is new
		for _, r := range rs {
			r.Body = []byte(strings.ReplaceAll(string(r.Body), r.Agency, fmt.Sprintf("第%d分局", i)+r.Agency))
			mine = append(mine, r)
		}
		s := &crawltest.Site{Platform: "trs", Reports: mine, PageSize: 2}
		srv := httptest.NewUnstartedServer(s)
		srv.Listener.Close()
		srv.Listener = l
		srv.Start()
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL+s.ListPath())
	}
	return urls
}

// bestRatio runs measure up to three times (shared machines are noisy) and
// returns the best ratio of its two durations, stopping once within bound.
func bestRatio(t *testing.T, bound float64, measure func() (time.Duration, time.Duration)) float64 {
	best := 100.0
	for attempt := 1; attempt <= 3 && best > bound; attempt++ {
		ref, all := measure()
		best = min(best, all.Seconds()/ref.Seconds())
		t.Logf("attempt %d: reference %v, all %v (ratio %.2f)", attempt, ref.Round(time.Millisecond), all.Round(time.Millisecond), all.Seconds()/ref.Seconds())
	}
	return best
}

// TestParallelHosts measures politeness against throughput: 100 loopback
// hosts with a 1 s per-host delay (the portals' usual) must finish within
// 1.3× the serial time of the slowest single host.
func TestParallelHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	urls := hostSites(t, 100)
	best := bestRatio(t, 1.3, func() (time.Duration, time.Duration) {
		start := time.Now()
		if _, err := fastCrawler(config(t, "1s", urls[0]), newDB(t)).Run(context.Background(), crawl.Options{}); err != nil {
			t.Fatal(err)
		}
		single := time.Since(start)
		start = time.Now()
		sum, err := fastCrawler(config(t, "1s", urls...), newDB(t)).Run(context.Background(), crawl.Options{MaxHosts: 100})
		if err != nil {
			t.Fatal(err)
		}
		if sum.ReportsNew+sum.ReportsChanged != 300 || sum.SourcesOK != 100 {
			t.Errorf("%s; want 300 new reports from 100 sources", sum)
		}
		return single, time.Since(start)
	})
	if best > 1.3 {
		t.Errorf("100 hosts took %.2f× the single-host time, more than 1.3×", best)
	}
}

// TestHostFrontierListingOrder lists eight sources of one host first, then
// seven other hosts, with room for three hosts at once: the other hosts must
// not wait behind the first one's sources (a frontier per source would
// fill every worker with that one host), so the run takes about as long as
// the busy host alone.
func TestHostFrontierListingOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	urls := hostSites(t, 8)
	busy := []string{urls[0]}
	for k := 1; k < 8; k++ {
		busy = append(busy, fmt.Sprintf("%s?s=%d", urls[0], k))
	}
	listed := append(append([]string{}, busy...), urls[1:]...)
	best := bestRatio(t, 1.3, func() (time.Duration, time.Duration) {
		start := time.Now()
		if _, err := fastCrawler(config(t, "200ms", busy...), newDB(t)).Run(context.Background(), crawl.Options{MaxHosts: 3}); err != nil {
			t.Fatal(err)
		}
		alone := time.Since(start)
		start = time.Now()
		sum, err := fastCrawler(config(t, "200ms", listed...), newDB(t)).Run(context.Background(), crawl.Options{MaxHosts: 3})
		if err != nil {
			t.Fatal(err)
		}
		if sum.SourcesOK != len(listed) || sum.ReportsNew+sum.ReportsChanged != 24 {
			t.Errorf("%s; want %d sources ok and 24 new or changed reports", sum, len(listed))
		}
		return alone, time.Since(start)
	})
	if best > 1.3 {
		t.Errorf("the run took %.2f× the busy host alone, more than 1.3×: other hosts waited behind it", best)
	}
}

func TestAttachmentName(t *testing.T) {
	gbk := "attachment; filename=\"\xc4\xea\xb1\xa8.pdf\"" // 年报.pdf in GBK
	cases := map[string]string{
		gbk: "年报.pdf",
		"attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.docx": "年报.docx",
		`attachment; filename="%E5%B9%B4%E6%8A%A5.doc"`:        "年报.doc",
		"": "",
	}
	for in, want := range cases {
		if got := crawl.AttachmentName(in); got != want {
			t.Errorf("AttachmentName(%q) = %q, want %q", in, got, want)
		}
	}
}

func requestsTo(s *crawltest.Site, prefix string) int {
	n := 0
	for p, c := range s.Requests() {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func TestExampleSourcesFile(t *testing.T) {
	cfg, err := crawl.LoadConfig("../scripts/sources.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 2 || cfg.Delay.Duration != 3*time.Second || cfg.Sources[1].Platform != "gkmlpt" {
		t.Errorf("parsed %+v", cfg)
	}
	for _, bad := range []string{
		"[[source]]\nurl = \"ftp://x\"\n",
		"[[source]]\nurl = \"http://x.gov.cn/\"\nplatform = \"weird\"\n",
		"delay = \"fast\"\n[[source]]\nurl = \"http://x.gov.cn/\"\n",
		"unknown_key = 1\n[[source]]\nurl = \"http://x.gov.cn/\"\n",
		"",
	} {
		if _, err := crawl.ParseConfig(bad, "bad.toml"); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestJpaasAndGkmlpt crawls the two JSON-listed platforms.
func TestJpaasAndGkmlpt(t *testing.T) {
	rs := reports(t)
	jp := &crawltest.Site{Platform: "jpaas", Reports: rs[:2], News: 1, PageSize: 2}
	gk := &crawltest.Site{Platform: "gkmlpt", Reports: rs[2:4], News: 1, PageSize: 2}
	s1, s2 := httptest.NewServer(jp), httptest.NewServer(gk)
	defer s1.Close()
	defer s2.Close()
	db := newDB(t)
	sum, err := fastCrawler(config(t, "1ms", s1.URL+jp.ListPath(), s2.URL+gk.ListPath()), db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.SourcesOK != 2 || sum.ReportsNew != 4 {
		t.Errorf("%s; want 2 sources ok and 4 new reports", sum)
	}
	if n := requestsTo(jp, "/api-gateway/"); n < 2 {
		t.Errorf("jpaas API called %d times, want every page (≥ 2)", n)
	}
	if n := requestsTo(gk, "/gkmlpt/api/all/5"); n < 2 {
		t.Errorf("gkmlpt API called %d times, want every page (≥ 2)", n)
	}
}
