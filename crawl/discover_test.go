package crawl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao/coverage"
	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
)

// routed points a fetcher at a fake portal for every host name.
func routed(f *crawl.Fetcher, srv *httptest.Server) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = crawltest.Dial(srv.Listener.Addr().String())
	f.Client.Transport = tr
	f.Lookup = crawltest.Lookup
	f.Delay = 0
	f.Backoff = 10 * time.Millisecond
}

// canon is a URL without a trailing index page.
func canon(s string) string {
	return strings.TrimSuffix(s, "index.html")
}

func canonAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = canon(s)
	}
	slices.Sort(out)
	return out
}

// TestDiscoverThenCrawl: on fake district portals of three real shapes
// (TRS with year sub-columns, Hanweb jcms with the platform on its own
// host, a plain CMS with year folders), discover from the home page alone
// finds every 年报 column — the government's, each department's and
// town's, each year's — and the departments without one; it stays on the
// portal's site, honours robots.txt and its page budget. The sources file
// it writes parses, and a crawl of it stores every report the portal lists
// and none of the decoys (解读, 图解) as a report.
func TestDiscoverThenCrawl(t *testing.T) {
	for name, portal := range map[string]*crawltest.Portal{"trs": crawltest.TRSDistrict(), "jcms": crawltest.JCMSDistrict(), "plain": crawltest.PlainCounty()} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(portal)
			defer srv.Close()
			db := newDB(t)
			f := crawl.NewFetcher(db, crawl.DefaultUserAgent, 0)
			routed(f, srv)
			const budget = 40
			d, err := crawl.Discover(context.Background(), f, portal.Home, crawl.DiscoverOptions{MaxPages: budget})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range d.Columns {
				got = append(got, c.URL)
			}
			if g, w := canonAll(got), canonAll(portal.Columns); !slices.Equal(g, w) {
				t.Errorf("columns:\n got %q\nwant %q", g, w)
			}
			var bare []string
			for _, p := range d.NoColumn {
				bare = append(bare, p.URL)
			}
			if g, w := canonAll(bare), canonAll(portal.NoColumn); !slices.Equal(g, w) {
				t.Errorf("without a column:\n got %q\nwant %q", g, w)
			}
			if len(portal.OffSite) > 1 && len(d.Skipped) == 0 {
				t.Error("no off-site link reported as skipped")
			}
			if !d.OK() || d.Truncated || len(d.Failed) > 0 {
				t.Errorf("discovery not complete: truncated %v, failed %q", d.Truncated, d.Failed)
			}
			reqs := portal.Requests()
			pages := 0
			for path := range reqs {
				if !strings.HasSuffix(path, "/robots.txt") {
					pages++
				}
				for _, off := range portal.OffSite {
					u, _ := url.Parse(off)
					if strings.HasPrefix(path, u.Host) {
						t.Errorf("requested off-site %s", path)
					}
				}
				if strings.Contains(path, "/zwgk/old/") || strings.Contains(path, "/search/") {
					t.Errorf("requested %s, closed by robots.txt", path)
				}
			}
			if pages > budget || pages != d.Pages {
				t.Errorf("%d pages requested (discovery counted %d), budget %d", pages, d.Pages, budget)
			}
			for _, c := range d.Columns {
				if len(c.Chain) < 2 || c.Agency == "" || c.Platform == "" {
					t.Errorf("column %s: chain %q, agency %q, platform %q", c.URL, c.Chain, c.Agency, c.Platform)
				}
			}

			text, st := crawl.MergeSources("", []*crawl.Discovery{d}, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
			if st.Added != len(portal.Columns)+len(portal.NoColumn) {
				t.Errorf("%d sources written, want %d columns and %d places without one (not crawled)", st.Added, len(portal.Columns), len(portal.NoColumn))
			}
			cfg, err := crawl.ParseConfig(text, "discovered.toml")
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			c := crawl.New(cfg, db)
			routed(c.Fetcher(), srv)
			sum, err := c.Run(context.Background(), crawl.Options{}) // as the nightly run
			if err != nil {
				t.Fatal(err)
			}
			stored := map[string]bool{}
			rows, err := db.SQL().Query("SELECT d.path FROM reports r JOIN documents d ON d.id = r.document_id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var p string
				rows.Scan(&p)
				stored[p] = true
			}
			rows.Close()
			for _, u := range portal.Reports {
				if !stored[u] {
					t.Errorf("report %s not stored (%s)", u, sum)
				}
			}
			for _, u := range portal.Decoys {
				if stored[u] {
					t.Errorf("decoy %s stored as a report", u)
				}
			}
			if len(stored) != len(portal.Reports) {
				t.Errorf("%d documents stored as reports, want %d", len(stored), len(portal.Reports))
			}
		})
	}
}

// TestDiscoverNames: columns carry their agency made whole from the
// directory's link text, and its division when the portal's name resolves.
func TestDiscoverNames(t *testing.T) {
	portal := crawltest.JCMSDistrict()
	srv := httptest.NewServer(portal)
	defer srv.Close()
	f := crawl.NewFetcher(newDB(t), crawl.DefaultUserAgent, 0)
	routed(f, srv)
	d, err := crawl.Discover(context.Background(), f, portal.Home, crawl.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	agencies := map[string]string{}
	for _, c := range d.Columns {
		agencies[c.Agency] = c.Region
	}
	if d.Site != "杭州市临平区人民政府" || d.Region != "330113" {
		t.Errorf("portal %q region %q", d.Site, d.Region)
	}
	for _, want := range []string{"杭州市临平区人民政府", "浙江省杭州市临平区发展和改革局", "浙江省杭州市临平区财政局", "浙江省杭州市临平区东湖街道办事处"} {
		region, ok := agencies[want]
		if !ok {
			t.Errorf("no column of %s in %v", want, agencies)
			continue
		}
		if !strings.HasPrefix(region, "330113") {
			t.Errorf("%s: region %q", want, region)
		}
	}
}

// TestDiscoverBudget: a budget smaller than the portal stops the walk,
// says so, and proves nothing gone.
func TestDiscoverBudget(t *testing.T) {
	portal := crawltest.TRSDistrict()
	srv := httptest.NewServer(portal)
	defer srv.Close()
	f := crawl.NewFetcher(newDB(t), crawl.DefaultUserAgent, 0)
	routed(f, srv)
	d, err := crawl.Discover(context.Background(), f, portal.Home, crawl.DiscoverOptions{MaxPages: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Truncated || d.OK() || d.Pages != 5 {
		t.Errorf("truncated %v, ok %v, %d pages", d.Truncated, d.OK(), d.Pages)
	}
	if n := len(portal.Requests()); n > 5+1 { // and robots.txt
		t.Errorf("%d requests with a budget of 5 pages", n)
	}
}

// TestMergeSources: re-running discover on a portal whose columns moved
// keeps the operator's settings, comments and own entries, keeps the keys
// an operator added to a discovered entry, comments out the column that
// went away and appends the new one; a partial walk removes nothing.
func TestMergeSources(t *testing.T) {
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	start := "http://www.x.gov.cn/"
	first := &crawl.Discovery{Start: start, Site: "X区人民政府", Columns: []crawl.Column{
		{URL: "http://www.x.gov.cn/a/", Agency: "X区人民政府", Platform: "trs", Chain: []string{"政务公开", "政府信息公开年报"}},
		{URL: "http://www.x.gov.cn/b/", Agency: "X区交通运输局", Platform: "trs", Chain: []string{"政务公开", "部门信息公开", "区交通运输局", "年度报告"}},
	}}
	text, st := crawl.MergeSources("", []*crawl.Discovery{first}, day)
	if st.Added != 2 {
		t.Fatalf("first: %+v\n%s", st, text)
	}
	// the operator's edits
	text = "# my sources\ndelay = \"3s\"\n\n" + text + "\n# my own column\n[[source]]\nurl = \"http://other.gov.cn/nb/\"\nagency = \"别的局\"\n"
	text = strings.Replace(text, "url = \"http://www.x.gov.cn/b/\"", "url = \"http://www.x.gov.cn/b/\"\nexpect = \"blocked\"", 1)
	moved := &crawl.Discovery{Start: start, Site: "X区人民政府", Columns: []crawl.Column{
		{URL: "http://www.x.gov.cn/b/", Agency: "X区交通运输局", Platform: "trs", Chain: []string{"政务公开", "部门信息公开", "区交通运输局", "公开年报"}},
		{URL: "http://www.x.gov.cn/new/a/", Agency: "X区人民政府", Platform: "jcms", Chain: []string{"政府信息公开", "政府信息公开年报"}},
	}}
	partial := *moved
	partial.Truncated = true
	kept, pst := crawl.MergeSources(text, []*crawl.Discovery{&partial}, day)
	if pst.Gone != 0 || !strings.Contains(kept, "\nurl = \"http://www.x.gov.cn/a/\"") {
		t.Errorf("a partial walk removed a column: %+v", pst)
	}
	merged, st := crawl.MergeSources(text, []*crawl.Discovery{moved}, day)
	if st != (crawl.MergeStats{Added: 1, Kept: 1, Gone: 1, Own: 1}) {
		t.Errorf("stats %+v\n%s", st, merged)
	}
	for _, want := range []string{"# my sources\ndelay = \"3s\"", "# my own column", "url = \"http://other.gov.cn/nb/\"", "expect = \"blocked\"",
		"# url = \"http://www.x.gov.cn/a/\"", "url = \"http://www.x.gov.cn/new/a/\"", "部门信息公开 › 区交通运输局 › 公开年报"} {
		if !strings.Contains(merged, want) {
			t.Errorf("merged file lacks %q:\n%s", want, merged)
		}
	}
	cfg, err := crawl.ParseConfig(merged, "merged.toml")
	if err != nil {
		t.Fatalf("%v\n%s", err, merged)
	}
	var urls []string
	for _, s := range cfg.Sources {
		urls = append(urls, s.URL)
	}
	if want := []string{"http://www.x.gov.cn/b/", "http://other.gov.cn/nb/", "http://www.x.gov.cn/new/a/"}; !slices.Equal(urls, want) || cfg.Delay.Duration != 3*time.Second || cfg.Sources[0].Expect != "blocked" {
		t.Errorf("sources %q (want %q), delay %v, expect %q", urls, want, cfg.Delay, cfg.Sources[0].Expect)
	}
	// merging the same discovery again changes nothing
	again, st := crawl.MergeSources(merged, []*crawl.Discovery{moved}, day)
	if again != merged || st.Added != 0 || st.Gone != 0 {
		t.Errorf("second merge changed the file: %+v\n%s", st, again)
	}
}

// BenchmarkDiscover walks directories of 100 and 200 departments: the
// time per department must stay flat (no quadratic path over the pages
// or links seen).
func BenchmarkDiscover(b *testing.B) {
	for _, n := range []int{100, 200} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			portal := crawltest.Directory(n)
			srv := httptest.NewServer(portal)
			defer srv.Close()
			f := crawl.NewFetcher(newDB(b), crawl.DefaultUserAgent, 0)
			routed(f, srv)
			for b.Loop() {
				d, err := crawl.Discover(context.Background(), f, portal.Home, crawl.DiscoverOptions{MaxPages: 3*n + 10})
				if err != nil || len(d.Columns) != n {
					b.Fatalf("%v: %d columns", err, len(d.Columns))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/dept")
		})
	}
}

// BenchmarkMergeSources merges a discovery of 1,000 and 2,000 columns
// into a file holding them: time per column must stay flat.
func BenchmarkMergeSources(b *testing.B) {
	for _, n := range []int{1000, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			d := &crawl.Discovery{Start: "http://www.x.gov.cn/"}
			for i := range n {
				d.Columns = append(d.Columns, crawl.Column{URL: fmt.Sprintf("http://www.x.gov.cn/%d/", i), Agency: "局", Platform: "trs", Chain: []string{"a", "b"}})
			}
			text, _ := crawl.MergeSources("", []*crawl.Discovery{d}, time.Now())
			for b.Loop() {
				crawl.MergeSources(text, []*crawl.Discovery{d}, time.Now())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/column")
		})
	}
}

// FuzzMergeSources: whatever a sources file holds, merging a discovery
// into it never panics; a file that parsed before parses after, and every
// entry discover did not write is still there.
func FuzzMergeSources(f *testing.F) {
	f.Add("delay = \"3s\"\n[[source]]\nurl = \"http://a.gov.cn/\"\n")
	f.Add("[[source]]\n# discover: http://www.x.gov.cn/ | a | trs | b | c\nurl = \"http://www.x.gov.cn/old/\"\n[[source]]\nurl='http://b.gov.cn/'\n")
	f.Add("# only a comment\n")
	f.Add("[[source]]\nurl = \"http://a.gov.cn/\"\n[allow]\nx = 1\n")
	d := &crawl.Discovery{Start: "http://www.x.gov.cn/", Site: "X", Columns: []crawl.Column{{URL: "http://www.x.gov.cn/nb/", Agency: "X\"局\n", Platform: "trs", Chain: []string{"政务公开", "年报\t"}}}}
	f.Fuzz(func(t *testing.T, existing string) {
		before, err := crawl.ParseConfig(existing, "in")
		merged, _ := crawl.MergeSources(existing, []*crawl.Discovery{d}, time.Now())
		if err != nil && !errors.Is(err, crawl.ErrNoSources) {
			return
		}
		after, err := crawl.ParseConfig(merged, "out")
		if err != nil {
			t.Fatalf("a valid file became invalid: %v\n--- in\n%s\n--- out\n%s", err, existing, merged)
		}
		urls := map[string]bool{}
		for _, s := range after.Sources {
			urls[s.URL] = true
		}
		if before != nil {
			for _, s := range before.Sources {
				if !urls[s.URL] && !strings.Contains(existing, "# discover: "+d.Start) {
					t.Fatalf("entry %s lost\n--- in\n%s\n--- out\n%s", s.URL, existing, merged)
				}
			}
		}
		if !urls["http://www.x.gov.cn/nb/"] {
			t.Fatalf("the discovered column is missing:\n%s", merged)
		}
	})
}

// FuzzDiscoverPage: whatever a portal's pages hold, discover ends within
// its page budget, never panics, and never leaves the site.
func FuzzDiscoverPage(f *testing.F) {
	f.Add(`<a href="/zwgk/">政务公开</a><a href="/zwgk/nb/">政府信息公开年报</a><a href="/bm/">部门信息公开</a>`)
	f.Add(`<a href="/a/">区交通运输局</a><a href="nb_2023n/">2023年度</a><a href="http://other.gov.cn/">政府信息公开</a>`)
	f.Add(`<a href="./">信息公开</a><a href="../">年报</a><a href="?p=1">年度报告</a><script>var countPage = 99;</script>`)
	var page atomic.Value
	page.Store("")
	var offSite atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(strings.Split(r.Host, ":")[0], "fuzz.gov.cn") {
			offSite.Add(1)
		}
		if r.URL.Path == "/robots.txt" {
			// robots.txt has its own fuzz target; served from the page, the
			// fuzzer soon writes "Crawl-delay: 5" and every run waits on it
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// each path sees the page with its links moved below it: an
		// endless site, unless discover bounds itself
		fmt.Fprint(w, strings.ReplaceAll(page.Load().(string), `href="/`, `href="`+r.URL.Path))
	}))
	defer srv.Close()
	fetch := crawl.NewFetcher(newDB(f), crawl.DefaultUserAgent, 0)
	routed(fetch, srv)
	fetch.Retries = 0
	f.Fuzz(func(t *testing.T, body string) {
		page.Store(body)
		d, _ := crawl.Discover(context.Background(), fetch, "http://www.fuzz.gov.cn/", crawl.DiscoverOptions{MaxPages: 12, MaxDepth: 4})
		if d != nil && d.Pages > 12 {
			t.Fatalf("%d pages read, budget 12", d.Pages)
		}
		if offSite.Load() > 0 {
			t.Fatal("requested a host off the site")
		}
	})
}

// TestDiscoverCrawlCoverage: discover → crawl → coverage on the portal of
// a real district's shape: each agency discover found is expected, and
// found in exactly the years its column lists.
func TestDiscoverCrawlCoverage(t *testing.T) {
	portal := crawltest.JCMSDistrict()
	srv := httptest.NewServer(portal)
	defer srv.Close()
	db := newDB(t)
	f := crawl.NewFetcher(db, crawl.DefaultUserAgent, 0)
	routed(f, srv)
	ctx := context.Background()
	d, err := crawl.Discover(ctx, f, portal.Home, crawl.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := crawl.MergeSources("", []*crawl.Discovery{d}, time.Now())
	cfg, err := crawl.ParseConfig(text, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	c := crawl.New(cfg, db)
	routed(c.Fetcher(), srv)
	if _, err := c.Run(ctx, crawl.Options{}); err != nil {
		t.Fatal(err)
	}
	years := []int{2021, 2022, 2023, 2024}
	tab, err := coverage.Compute(ctx, db, "330113", years, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	states := map[string][]string{}
	for _, a := range tab.Agencies {
		states[a.Name] = a.States
	}
	F := coverage.Found
	for name, want := range map[string][]string{
		"杭州市临平区人民政府":       {F, F, F, F},
		"浙江省杭州市临平区发展和改革局":  {"", "", F, F},
		"浙江省杭州市临平区财政局":     {"", "", "", F},
		"浙江省杭州市临平区东湖街道办事处": {coverage.Missing, coverage.Missing, coverage.Missing, F},
	} {
		got, ok := states[name]
		if !ok {
			for n := range states {
				if strings.Contains(n, strings.TrimPrefix(name, "浙江省杭州市临平区")) {
					got, ok = states[n], true
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	if tab.Found[3] != 4 {
		t.Errorf("2024: %d of %d agencies found, want the 4 discovered", tab.Found[3], tab.Expected[3])
	}
}
