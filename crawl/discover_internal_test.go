package crawl

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPageLinks: discover's reading of a page — its links, which of them
// are columns, years, directories — never panics on any HTML, and every
// link it keeps is an absolute http(s) URL with one-line text.
func FuzzPageLinks(f *testing.F) {
	f.Add(`<meta name="SiteName" content="测试区人民政府"><a href="/zwgk/">政务公开</a><a href="nb_2023n/">2023年度</a><a title="年度报告" href="ndbg/"></a>`)
	f.Add(`<title>测试县门户网站</title><a href="javascript:void(0)">部门信息公开</a><a href="//x.gov.cn/a">区交通运输局</a>`)
	f.Add(`<script type="text/xml"><datastore><record><![CDATA[<a href="/art/1.html" title="2023年政府信息公开工作年度报告">x</a>]]></record></datastore></script>`)
	f.Add("<a title=\"政府信息\n公开年报\" href=\"/nb/\"></a>")
	base, _ := url.Parse("http://www.x.gov.cn/zwgk/index.html")
	f.Fuzz(func(t *testing.T, body string) {
		links := pageLinks(base, body)
		for _, l := range links {
			if l.u.Scheme != "http" && l.u.Scheme != "https" {
				t.Fatalf("kept %s", l.u)
			}
			if strings.ContainsAny(l.text, "\n\r") {
				t.Fatalf("text %q spans lines", l.text)
			}
			isColumnName(l.text)
			isYearColumn(l)
			directoryRe.MatchString(l.text)
			agencyNameRe.MatchString(l.text)
		}
		if n := reportsListed(base, body, links); n < -1 || n > len(body) {
			t.Fatalf("%d reports listed", n)
		}
		if s := siteName(body); !utf8.ValidString(s) && utf8.ValidString(body) {
			t.Fatalf("site name %q", s)
		}
		wholeName(siteName(body), "测试区人民政府", "")
	})
}

// TestPageLinksCutNames: a list that cuts a long name (政府信息公开年…)
// keeps the whole in its title; discover reads the title.
func TestPageLinksCutNames(t *testing.T) {
	base, _ := url.Parse("http://www.x.gov.cn/")
	links := pageLinks(base, `<a href="/nb/" title="政府信息公开年报">政府信息公开年...</a><a href="/a/" title="通知">区交通运输局</a><a href="/b/" title="部门信息公开"></a>`)
	var texts []string
	for _, l := range links {
		texts = append(texts, l.text)
	}
	if strings.Join(texts, "|") != "政府信息公开年报|区交通运输局|部门信息公开" || !isColumnName(texts[0]) {
		t.Errorf("texts %q", texts)
	}
}
