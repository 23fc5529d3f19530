package crawl

import (
	"github.com/nianbao/nianbao/internal/testlimit"
	"net/url"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	body := `# comment
User-agent: Googlebot
Disallow: /

User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/public/
Crawl-delay: 5
`
	r := parseRobots(body, DefaultUserAgent)
	cases := map[string]bool{
		"/":                      true,
		"/col/col1/index.html":   true,
		"/private/x.html":        false,
		"/private/public/y.html": true,
		"/files/report.pdf":      false,
		"/files/report.pdf?x=1":  true,
	}
	for p, want := range cases {
		if got := r.allowed(p); got != want {
			t.Errorf("allowed(%q) = %v, want %v", p, got, want)
		}
	}
	if r.crawlDelay != 5*time.Second {
		t.Errorf("crawl delay %v", r.crawlDelay)
	}
	if g := parseRobots(body, "Googlebot/2.1"); g.allowed("/x") {
		t.Error("the Googlebot group must apply to Googlebot")
	}
	if !parseRobots("", "x").allowed("/anything") {
		t.Error("empty robots.txt must allow everything")
	}
}

func TestDetectPlatform(t *testing.T) {
	cases := map[string]string{
		`<script type="text/xml"><datastore><recordset></recordset></datastore></script>`: "jcms",
		`var queryData = {webId:"2945", tplSetId:"abc"}`:                                  "jpaas",
		`window._CONFIG = { SID: '755031', TREE: [] }`:                                    "gkmlpt",
		`<script>var countPage = 56; var currentPage = 0;</script>`:                       "trs",
		`<a href="/a.html">2023年政府信息公开工作年度报告</a>`:                                         "links",
	}
	for body, want := range cases {
		if got := detectPlatform(body); got != want {
			t.Errorf("detectPlatform(%q) = %s, want %s", body, got, want)
		}
	}
}

func TestParseDatastore(t *testing.T) {
	base, _ := url.Parse("http://www.yuhang.gov.cn/col/col1229165988/index.html")
	xml := `<datastore><totalrecord>6163</totalrecord><recordset><record><![CDATA[<li><a href="http://www.yuhang.gov.cn/art/2020/8/14/art_1229179150_1872814.html" title="招标公告"><span>招标公告</span><i>2020-08-14</i></a></li>]]></record></recordset></datastore>`
	es, total := parseDatastore(base, xml)
	if total != 6163 || len(es) != 1 || es[0].Date != "2020-08-14" || es[0].Title != "招标公告" {
		t.Errorf("parseDatastore = %+v, %d", es, total)
	}
}

func FuzzRobots(f *testing.F) {
	f.Add("User-agent: *\nDisallow: /a*b$\nAllow: /a\nCrawl-delay: 1e9\n", "/ab")
	f.Fuzz(func(t *testing.T, body, p string) {
		testlimit.Run(t, testlimit.PerInput, func() {
			parseRobots(body, "nianbao").allowed(p)
		})
	})
}

func FuzzListPages(f *testing.F) {
	f.Add(`<datastore><totalrecord>1</totalrecord><recordset><record><![CDATA[<li><a href="/a.html" title="x">x</a><i>2024-01-02</i></li>]]></record></recordset></datastore>`)
	f.Add(`<table><tr><td><a href="./t1.html" title="2023年报">x</a></td><td>2024-01-01</td></tr></table><script>var countPage = 3;</script>`)
	base, _ := url.Parse("http://example.gov.cn/col/col1/index.html")
	f.Fuzz(func(t *testing.T, body string) {
		testlimit.Run(t, testlimit.PerInput, func() {
			detectPlatform(body)
			parseDatastore(base, body)
			anchors(base, body)
			articleLinks(base, body)
			AttachmentName(body)
		})
	})
}
