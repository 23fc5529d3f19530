package crawltest

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/nianbao/nianbao/fixtures"
)

// Portal is a fake government portal: navigation pages (home, the
// 政府信息公开 platform, directories of departments and towns, their
// sub-platforms) on one or more hosts, and 年报 columns (Sites) below them,
// shaped like the real ones (shared/research/discovery.md). A test serves
// it on loopback and routes every host name to it with Dial.
type Portal struct {
	Home  string            // the home page's URL
	Pages map[string]string // "host/path" → HTML page
	Sites map[string][]*Site
	// Robots is robots.txt per host; a host without one answers 404.
	Robots map[string]string
	// Reports are the article URLs of every real report the portal
	// lists; Decoys those of pages that are not reports (解读, 图解,
	// 政府工作报告 …), each listed in some column.
	Reports, Decoys []string
	// Columns are the 年报 columns a visitor finds from the home page
	// (list URLs); NoColumn the sub-platforms without one.
	Columns, NoColumn []string
	// OffSite are URLs the portal links to that are not its own (the
	// provincial 政务服务 portal, gov.cn): never to be requested.
	OffSite []string

	mu       sync.Mutex
	requests map[string]int
}

// ServeHTTP implements http.Handler: a page, robots.txt, or whatever one
// of the host's columns answers.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	p.mu.Lock()
	if p.requests == nil {
		p.requests = map[string]int{}
	}
	p.requests[host+r.URL.RequestURI()]++
	p.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		if rb, ok := p.Robots[host]; ok {
			fmt.Fprint(w, rb)
			return
		}
		http.NotFound(w, r)
		return
	}
	page := r.URL.Path
	if strings.HasSuffix(page, "/") {
		page += "index.html"
	}
	if body, ok := p.Pages[host+page]; ok {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, body)
		return
	}
	var form []byte
	if r.Body != nil {
		form = readAll(r)
	}
	for _, s := range p.Sites[host] {
		if (s.Platform == "trs" || s.Platform == "plain") && !strings.HasPrefix(r.URL.Path, s.dir()) && !strings.HasPrefix(r.URL.Path, "/module/") {
			continue // not below this column's directory
		}
		rec := httptest.NewRecorder()
		req := r.Clone(r.Context())
		req.Body = readerOf(form)
		if req.URL.Path != "/" && strings.HasSuffix(req.URL.Path, "/") {
			req.URL.Path += "index.html"
		}
		s.ServeHTTP(rec, req)
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusBadRequest {
			continue
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	http.NotFound(w, r)
}

// Requests returns how often each "host/path?query" was requested.
func (p *Portal) Requests() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.requests {
		out[k] = v
	}
	return out
}

// Dial returns a DialContext that connects every host name to addr (a
// loopback test server), so a portal's several hosts can be served by one
// httptest.Server without DNS.
func Dial(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
}

// Lookup resolves every host name to the loopback address, the
// counterpart of Dial for a fetcher's Lookup: no DNS in tests.
func Lookup(context.Context, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// link is one navigation link.
type link struct{ text, href string }

// navPage renders a navigation page: a header, links, a footer.
func navPage(site, title string, links ...link) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="%s"><title>%s</title></head><body><div class="header">%s</div><ul class="nav">`,
		html.EscapeString(site), html.EscapeString(title), html.EscapeString(site))
	for _, l := range links {
		fmt.Fprintf(&b, `<li><a href="%s" target="_blank">%s</a></li>`, html.EscapeString(l.href), html.EscapeString(l.text))
	}
	b.WriteString(`</ul><div class="footer"><a href="/">网站首页</a> <a href="/wzdt/index.html">网站地图</a> 主办：` + html.EscapeString(site) + `</div></body></html>`)
	return b.String()
}

// column makes a 年报 column's reports: one per year, each a page
// rendered from the tab-text fixture under the agency's name (so each has
// its own bytes).
func columnReports(agency string, years ...int) []Report {
	body, _ := fixtures.FS.ReadFile("106-tab-text-2021.txt")
	var out []Report
	for _, y := range years {
		title := fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, y)
		date := fmt.Sprintf("%d-01-%02d", y+1, 10+len(agency)%15)
		page, err := Page(title, agency, date, body)
		if err != nil {
			panic(err) // a bundled fixture that does not read is a broken build
		}
		out = append(out, Report{Title: title, Agency: agency, Date: date, Body: page})
	}
	return out
}

// decoy is a page listed in a 年报 column that is not a report.
func decoy(title, date string) Report {
	body := fmt.Sprintf(`<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="%[1]s"><title>%[1]s</title></head><body><h1>%[1]s</h1><div id="zoom"><p><img src="/images/tujie.jpg"></p><p>一图读懂年度报告。</p></div></body></html>`, html.EscapeString(title))
	return Report{Title: title, Date: date, Body: []byte(body)}
}

// add registers a site's column on host, its report and decoy URLs.
func (p *Portal) add(host string, s *Site, real int) {
	if p.Sites == nil {
		p.Sites = map[string][]*Site{}
	}
	p.Sites[hostname(host)] = append(p.Sites[hostname(host)], s)
	for i := range s.Reports {
		u := "http://" + host + s.articlePath(i)
		if i < real {
			p.Reports = append(p.Reports, u)
		} else {
			p.Decoys = append(p.Decoys, u)
		}
	}
}

func (p *Portal) page(host, path, body string) {
	if p.Pages == nil {
		p.Pages = map[string]string{}
	}
	p.Pages[hostname(host)+path] = body
}

// hostname is host without its port: the key pages are served by.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// TRSDistrict is a district portal on a TRS-style CMS: the platform under
// /zwgk/ on the home host; the government's 年报 column split into year
// sub-columns; departments and towns in two directories, each with its own
// sub-platform and a differently named 年报 column (年度报告, 信息公开年报,
// 公开年报); one department without any; 解读 and 图解 pages listed among the
// reports; 政府工作报告 and 统计公报 columns beside; the provincial 政务服务
// portal linked from the home page; and a robots.txt that closes an old
// column.
func TRSDistrict() *Portal { return TRSDistrictOn("www.trsqu.gov.cn") }

// TRSDistrictOn is TRSDistrict served as host (a loopback host:port, for a
// client that cannot route names).
func TRSDistrictOn(host string) *Portal {
	const site = "测试市测试区人民政府"
	p := &Portal{Home: "http://" + host + "/", Robots: map[string]string{hostname(host): "User-agent: *\nDisallow: /search/\nDisallow: /zwgk/old/\n"},
		OffSite: []string{"http://zwfw.testsheng.gov.cn/", "https://www.gov.cn/", "http://www.testsheng.gov.cn/zwgk/index.html"}}
	p.page(host, "/index.html", navPage(site, site+"门户网站",
		link{"首页", "/"}, link{"新闻动态", "/xwdt/index.html"}, link{"政务公开", "/zwgk/index.html"},
		link{"政务服务", "http://zwfw.testsheng.gov.cn/"}, link{"中国政府网", "https://www.gov.cn/"}, link{"站内搜索", "/search/?q=年报"},
		link{"政府信息公开", "http://www.testsheng.gov.cn/zwgk/index.html"})) // the province's platform: off the site
	p.page(host, "/xwdt/index.html", navPage(site, "新闻动态", link{"区长调研交通工作", "/xwdt/202401/t20240105_1.html"}))
	p.page(host, "/wzdt/index.html", navPage(site, "网站地图", link{"政务公开", "/zwgk/index.html"}))
	p.page(host, "/zwgk/index.html", navPage(site, "政府信息公开",
		link{"政府信息公开指南", "/zwgk/gkzn/index.html"}, link{"政府信息公开制度", "/zwgk/gkzd/index.html"},
		link{"法定主动公开内容", "/zwgk/fdzdgknr/index.html"}, link{"政府信息公开年报", "/zwgk/zfxxgknb/index.html"},
		link{"政府信息公开年报（旧版）", "/zwgk/old/zfxxgknb/index.html"},
		link{"部门信息公开", "/zwgk/bmxxgk/index.html"}, link{"镇街信息公开", "/zwgk/zjxxgk/index.html"},
		link{"政府工作报告", "/zwgk/zfgzbg/index.html"}, link{"统计公报", "/zwgk/tjgb/index.html"}))
	p.page(host, "/zwgk/gkzn/index.html", navPage(site, "政府信息公开指南"))
	p.page(host, "/zwgk/gkzd/index.html", navPage(site, "政府信息公开制度"))
	p.page(host, "/zwgk/fdzdgknr/index.html", navPage(site, "法定主动公开内容", link{"机构职能", "/zwgk/fdzdgknr/jgzn/index.html"}))
	// the government's column: year sub-columns, each a TRS list
	p.page(host, "/zwgk/zfxxgknb/index.html", navPage(site, "政府信息公开年报",
		link{"2024年度", "/zwgk/zfxxgknb/nb_2024n/index.html"}, link{"2023年度", "/zwgk/zfxxgknb/nb_2023n/index.html"}))
	for _, y := range []int{2024, 2023} {
		dir := fmt.Sprintf("/zwgk/zfxxgknb/nb_%dn/", y)
		s := &Site{Platform: "trs", Dir: dir, SiteName: site, PageSize: 2, Reports: columnReports("测试市测试区人民政府", y)}
		if y == 2024 {
			s.Reports = append(columnReports("测试市测试区人民政府办公室", y), s.Reports...)
			s.Reports = append(s.Reports, decoy("图解：测试区2024年政府信息公开工作年度报告", "2025-01-30"))
			p.add(host, s, 2)
		} else {
			p.add(host, s, 1)
		}
		p.Columns = append(p.Columns, "http://"+host+dir+"index.html")
	}
	p.page(host, "/zwgk/zfgzbg/index.html", navPage(site, "政府工作报告", link{"2024年测试区政府工作报告", "/zwgk/zfgzbg/202401/t20240110_1.html"}))
	p.page(host, "/zwgk/tjgb/index.html", navPage(site, "统计公报", link{"测试区2023年国民经济和社会发展统计公报", "/zwgk/tjgb/202403/t20240301_1.html"}))
	// departments
	p.page(host, "/zwgk/bmxxgk/index.html", navPage(site, "部门信息公开",
		link{"区交通运输局", "/zwgk/bmxxgk/jtj/index.html"}, link{"区教育局", "/zwgk/bmxxgk/jyj/index.html"}, link{"区档案馆", "/zwgk/bmxxgk/dag/index.html"}))
	dept := func(code, name, colName, colDir string, years ...int) {
		p.page(host, "/zwgk/bmxxgk/"+code+"/index.html", navPage(site, name+"信息公开",
			link{"政府信息公开指南", "/zwgk/bmxxgk/" + code + "/gkzn/index.html"}, link{colName, colDir + "index.html"},
			link{"法定主动公开内容", "/zwgk/bmxxgk/" + code + "/fdzdgknr/index.html"}))
		if len(years) == 0 {
			p.NoColumn = append(p.NoColumn, "http://"+host+"/zwgk/bmxxgk/"+code+"/index.html")
			return
		}
		s := &Site{Platform: "trs", Dir: colDir, Name: colName, SiteName: site, PageSize: 2, Reports: columnReports("测试市测试区"+strings.TrimPrefix(name, "区"), years...)}
		real := len(s.Reports)
		s.Reports = append(s.Reports, decoy("《"+name+"2023年政府信息公开工作年度报告》解读", "2024-01-30"))
		p.add(host, s, real)
		p.Columns = append(p.Columns, "http://"+host+colDir+"index.html")
	}
	dept("jtj", "区交通运输局", "年度报告", "/zwgk/bmxxgk/jtj/ndbg/", 2022, 2023, 2024)
	dept("jyj", "区教育局", "信息公开年报", "/zwgk/bmxxgk/jyj/xxgknb/", 2023)
	p.page(host, "/zwgk/bmxxgk/dag/index.html", navPage(site, "区档案馆信息公开",
		link{"政府信息公开指南", "/zwgk/bmxxgk/dag/gkzn/index.html"}, link{"法定主动公开内容", "/zwgk/bmxxgk/dag/fdzdgknr/index.html"}))
	p.NoColumn = append(p.NoColumn, "http://"+host+"/zwgk/bmxxgk/dag/index.html")
	// towns and streets
	p.page(host, "/zwgk/zjxxgk/index.html", navPage(site, "镇街信息公开", link{"城关街道", "/zwgk/zjxxgk/cgjd/index.html"}))
	p.page(host, "/zwgk/zjxxgk/cgjd/index.html", navPage(site, "城关街道信息公开",
		link{"公开年报", "/zwgk/zjxxgk/cgjd/gknb/index.html"}, link{"政府信息公开指南", "/zwgk/zjxxgk/cgjd/gkzn/index.html"}))
	s := &Site{Platform: "trs", Dir: "/zwgk/zjxxgk/cgjd/gknb/", Name: "公开年报", SiteName: site, PageSize: 2, Reports: columnReports("测试市测试区城关街道办事处", 2023, 2024)}
	p.add(host, s, 2)
	p.Columns = append(p.Columns, "http://"+host+"/zwgk/zjxxgk/cgjd/gknb/index.html")
	// the old column robots.txt closes
	old := &Site{Platform: "trs", Dir: "/zwgk/old/zfxxgknb/", SiteName: site, Reports: columnReports("测试市测试区人民政府", 2019)}
	p.add(host, old, 0)
	p.Decoys = p.Decoys[:len(p.Decoys)-len(old.Reports)] // closed by robots.txt: not listed
	sort.Strings(p.Columns)
	return p
}

// JCMSDistrict is a district portal on Hanweb jcms (named as a real
// district, so names resolve to its division; its hosts are fake): the platform on its
// own host (xxgk.…), every column a /col/colN/ page whose list is a
// <datastore> (later groups by dataproxy.jsp); a department directory and a
// town directory of sub-platforms, the 年报 columns named differently
// (政府信息公开年报, 年报, 政府信息公开工作年度报告).
func JCMSDistrict() *Portal {
	const host, xxgk, site = "www.jcmsqu.gov.cn", "xxgk.jcmsqu.gov.cn", "杭州市临平区人民政府"
	p := &Portal{Home: "http://" + host + "/", OffSite: []string{"https://zwfw.testsheng.gov.cn/col/col1/index.html"}}
	p.page(host, "/index.html", navPage(site, site,
		link{"首页", "/"}, link{"政府信息公开", "http://" + xxgk + "/col/col100/index.html"},
		link{"政务服务", "https://zwfw.testsheng.gov.cn/col/col1/index.html"}, link{"互动交流", "/col/col300/index.html"}))
	p.page(host, "/col/col300/index.html", navPage(site, "互动交流", link{"区长信箱", "/col/col301/index.html"}))
	p.page(xxgk, "/col/col100/index.html", navPage(site, "政府信息公开平台",
		link{"政府信息公开指南", "/col/col101/index.html"}, link{"政府信息公开年报", "/col/col1229001/index.html"},
		link{"部门信息公开", "/col/col200/index.html"}, link{"乡镇（街道）信息公开", "/col/col250/index.html"}))
	col := 1229001
	add := func(agency, name string, years ...int) string {
		s := &Site{Platform: "jcms", Column: fmt.Sprint(col), Name: name, SiteName: site, PageSize: 2, Reports: columnReports(agency, years...), News: 1}
		col++
		p.add(xxgk, s, len(years))
		u := "http://" + xxgk + s.ListPath()
		p.Columns = append(p.Columns, u)
		return s.ListPath()
	}
	add("杭州市临平区人民政府", "政府信息公开年报", 2021, 2022, 2023, 2024)
	p.page(xxgk, "/col/col200/index.html", navPage(site, "部门信息公开",
		link{"区发展和改革局", "/col/col201/index.html"}, link{"区财政局", "/col/col202/index.html"}))
	p.page(xxgk, "/col/col201/index.html", navPage(site, "区发展和改革局", link{"年报", add("杭州市临平区发展和改革局", "年报", 2023, 2024)}))
	p.page(xxgk, "/col/col202/index.html", navPage(site, "区财政局", link{"政府信息公开工作年度报告", add("杭州市临平区财政局", "政府信息公开工作年度报告", 2024)}))
	p.page(xxgk, "/col/col250/index.html", navPage(site, "乡镇（街道）信息公开", link{"东湖街道", "/col/col251/index.html"}))
	p.page(xxgk, "/col/col251/index.html", navPage(site, "东湖街道", link{"政府信息公开年报", add("杭州市临平区东湖街道办事处", "政府信息公开年报", 2024)}))
	sort.Strings(p.Columns)
	return p
}

// PlainCounty is a county portal on a plain CMS: unpaged lists of links,
// the 年报 column (信息公开年报) with year folders (2024/, 2023/) that are
// columns of their own, a 部门 directory, and a 政策解读 column whose
// entries name the report.
func PlainCounty() *Portal {
	const host, site = "www.plainxian.gov.cn", "测试县人民政府"
	p := &Portal{Home: "http://" + host + "/index.html"}
	p.page(host, "/index.html", navPage(site, site, link{"信息公开", "/xxgk/index.html"}, link{"政策解读", "/zcjd/index.html"}))
	p.page(host, "/xxgk/index.html", navPage(site, "信息公开",
		link{"信息公开年报", "/xxgk/xxgknb/index.html"}, link{"部门", "/xxgk/bm/index.html"}))
	years := ""
	for _, y := range []int{2024, 2023} {
		dir := fmt.Sprintf("/xxgk/xxgknb/%d/", y)
		years += fmt.Sprintf(`<p><a href="%s">%d年</a></p>`, dir, y)
		s := &Site{Platform: "plain", Dir: dir, Name: fmt.Sprintf("%d年", y), SiteName: site, Reports: columnReports("测试县人民政府", y)}
		p.add(host, s, 1)
		p.Columns = append(p.Columns, "http://"+host+dir+"index.html")
	}
	p.page(host, "/xxgk/xxgknb/index.html", `<html><head><meta charset="utf-8"><title>信息公开年报</title></head><body>`+years+`</body></html>`)
	p.page(host, "/xxgk/bm/index.html", navPage(site, "部门", link{"县农业农村局", "/xxgk/bm/nyj/index.html"}))
	p.page(host, "/xxgk/bm/nyj/index.html", navPage(site, "县农业农村局", link{"政府信息公开年报", "/xxgk/bm/nyj/nb/index.html"}))
	s := &Site{Platform: "plain", Dir: "/xxgk/bm/nyj/nb/", SiteName: site, Reports: columnReports("测试县农业农村局", 2023, 2024)}
	s.Reports = append(s.Reports, decoy("一图读懂测试县农业农村局2024年政府信息公开工作年度报告", "2025-01-25"))
	p.add(host, s, 2)
	p.Columns = append(p.Columns, "http://"+host+"/xxgk/bm/nyj/nb/index.html")
	z := &Site{Platform: "plain", Dir: "/zcjd/", Name: "政策解读", SiteName: site,
		Reports: []Report{decoy("《测试县人民政府2024年政府信息公开工作年度报告》解读", "2025-02-01")}}
	p.add(host, z, 0)
	sort.Strings(p.Columns)
	return p
}

func readAll(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	return b
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func readerOf(b []byte) nopCloser { return nopCloser{bytes.NewReader(b)} }

// Directory is a portal whose department directory lists n departments,
// each with a sub-platform and a 年报 column of one report: the size of a
// province's directory, for benchmarks.
func Directory(n int) *Portal {
	const host, site = "www.dirtest.gov.cn", "测试市人民政府"
	p := &Portal{Home: "http://" + host + "/"}
	p.page(host, "/index.html", navPage(site, site, link{"政务公开", "/zwgk/index.html"}))
	p.page(host, "/zwgk/index.html", navPage(site, "政务公开", link{"部门信息公开", "/zwgk/bm/index.html"}))
	var depts []link
	for i := range n {
		name := "市第" + strings.Map(func(r rune) rune { return []rune("零一二三四五六七八九")[r-'0'] }, fmt.Sprint(i)) + "局"
		dir := fmt.Sprintf("/zwgk/bm/%d/", i)
		depts = append(depts, link{name, dir + "index.html"})
		p.page(host, dir+"index.html", navPage(site, name, link{"政府信息公开年报", dir + "nb/index.html"}))
		s := &Site{Platform: "plain", Dir: dir + "nb/", SiteName: site, Reports: []Report{{Title: fmt.Sprintf("测试市第%d局2024年政府信息公开工作年度报告", i), Date: "2025-01-20", Body: []byte("<html></html>")}}}
		p.add(host, s, 1)
		p.Columns = append(p.Columns, "http://"+host+dir+"nb/index.html")
	}
	p.page(host, "/zwgk/bm/index.html", navPage(site, "部门信息公开", depts...))
	return p
}
