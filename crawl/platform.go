package crawl

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/nianbao/nianbao"
)

// Entry is one item of a list page.
type Entry struct {
	Title string
	URL   string
	Date  string
	// Listed is set when the entry comes from the 年报 column's own list
	// (a jcms datastore, the jpaas or gkmlpt list API), not from every link
	// of a page, navigation included.
	Listed bool
}

// lister returns list page n (0 = newest) of a source: its entries and
// whether another page follows.
type lister func(ctx context.Context, n int) ([]Entry, bool, error)

var (
	dateRe      = regexp.MustCompile(`(19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}`)
	countPageRe = regexp.MustCompile(`countPage\s*=\s*(\d+)|createPageHTML\(\s*(\d+)`)
	colRe       = regexp.MustCompile(`/col/col(\d+)/`)
)

// detectPlatform picks an adapter from the first list page's body.
func detectPlatform(body string) string {
	switch {
	case strings.Contains(body, "<datastore>") || strings.Contains(body, "dataproxy.jsp"):
		return "jcms"
	case strings.Contains(body, "jpaas-publish-server") || strings.Contains(body, "tplSetId"):
		return "jpaas"
	case strings.Contains(body, "_CONFIG") && strings.Contains(body, "SID"):
		return "gkmlpt"
	case countPageRe.MatchString(body):
		return "trs"
	}
	return "links"
}

// newLister builds the adapter for a source from its first page.
func (c *Crawler) newLister(src SourceConfig, platform string, first *Response) (lister, error) {
	base, _ := url.Parse(first.FinalURL)
	body := htmlText(first)
	switch platform {
	case "jcms":
		return c.jcmsLister(src, base, body), nil
	case "jpaas":
		return c.jpaasLister(base, body)
	case "trs":
		return c.trsLister(base, body), nil
	case "gkmlpt":
		return c.gkmlptLister(src, base, body)
	}
	return func(ctx context.Context, n int) ([]Entry, bool, error) {
		if n > 0 {
			return nil, false, nil
		}
		return anchors(base, body), false, nil
	}, nil
}

// listed marks entries as coming from the column's own list.
func listed(es []Entry) []Entry {
	for i := range es {
		es[i].Listed = true
	}
	return es
}

// anchors lists the links of an HTML fragment with their titles and the
// date printed next to them. Linear in the page: the date is looked for in
// a bounded amount of text around each link, never in the whole parent
// (a list of 8,000 links in one <div> took minutes that way).
func anchors(base *url.URL, page string) []Entry {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil
	}
	var out []Entry
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		if seen[u.String()] {
			return
		}
		seen[u.String()] = true
		title := strings.TrimSpace(a.AttrOr("title", ""))
		n := a.Get(0)
		if title == "" {
			title = strings.Join(strings.Fields(boundedText(n, 1<<10)), "")
		}
		date := ""
		for p, up := n.Parent, 0; p != nil && date == "" && up < 2; p, up = p.Parent, up+1 {
			date = dateRe.FindString(boundedText(p, 512)) // the link's row, then the row's parent
		}
		out = append(out, Entry{Title: title, URL: u.String(), Date: date})
	})
	return out
}

// boundedText is the text of n's subtree, stopping after limit bytes or
// 4×limit nodes, so its cost does not depend on the subtree's size.
func boundedText(n *html.Node, limit int) string {
	var b strings.Builder
	nodes := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if nodes++; nodes > 4*limit || b.Len() >= limit {
			return false
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return b.String()
}

// jcmsLister: the first group of records is embedded in the column page as
// <datastore>; later groups come from POST dataproxy.jsp.
func (c *Crawler) jcmsLister(src SourceConfig, base *url.URL, body string) lister {
	param := func(name, def string) string {
		re := regexp.MustCompile(`(?i)` + name + `["']?\s*[:=]\s*["']?([0-9A-Za-z_]+)`)
		if m := re.FindStringSubmatch(body); m != nil {
			return m[1]
		}
		return def
	}
	column := ""
	if m := colRe.FindStringSubmatch(base.Path); m != nil {
		column = m[1]
	}
	column = param("columnid", column)
	unit := param("unitid", "")
	if m := regexp.MustCompile(`jpageform_(\d+)`).FindStringSubmatch(body); m != nil && unit == "" {
		unit = m[1]
	}
	perpage, _ := strconv.Atoi(param("perpage", "15"))
	first, total := parseDatastore(base, body)
	group := len(first)
	return func(ctx context.Context, n int) ([]Entry, bool, error) {
		if n == 0 {
			return first, group > 0 && total > group, nil
		}
		start := n*group + 1
		if group == 0 || start > total {
			return nil, false, nil
		}
		q := url.Values{"startrecord": {fmt.Sprint(start)}, "endrecord": {fmt.Sprint(start + group - 1)}, "perpage": {fmt.Sprint(perpage)}}
		proxy := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/module/web/jpage/dataproxy.jsp", RawQuery: q.Encode()}
		form := url.Values{"col": {"1"}, "appid": {"1"}, "webid": {param("webid", "")}, "path": {"/"}, "columnid": {column},
			"sourceContentType": {"1"}, "unitid": {unit}, "webname": {""}, "permissiontype": {"0"}}
		resp, err := c.fetch.PostForm(ctx, proxy.String(), form)
		if err != nil {
			return nil, false, err
		}
		entries, t := parseDatastore(base, htmlText(resp))
		if t > 0 {
			total = t
		}
		return entries, len(entries) > 0 && start+len(entries) <= total, nil
	}
}

// parseDatastore reads a jcms <datastore>: CDATA records of <li><a>.
func parseDatastore(base *url.URL, body string) ([]Entry, int) {
	i := strings.Index(body, "<datastore>")
	j := strings.Index(body, "</datastore>")
	if i < 0 || j < i {
		return nil, 0
	}
	var ds struct {
		Total   int      `xml:"totalrecord"`
		Records []string `xml:"recordset>record"`
	}
	if err := xml.Unmarshal([]byte(body[i:j+len("</datastore>")]), &ds); err != nil {
		return nil, 0
	}
	var out []Entry
	for _, r := range ds.Records {
		out = append(out, listed(anchors(base, r))...)
	}
	if ds.Total == 0 {
		if m := regexp.MustCompile(`totalRecord\s*:\s*(\d+)`).FindStringSubmatch(body); m != nil {
			ds.Total, _ = strconv.Atoi(m[1])
		}
	}
	return out, ds.Total
}

// jpaasLister calls the jpaas unit API with the ids scraped from the
// column page.
func (c *Crawler) jpaasLister(base *url.URL, body string) (lister, error) {
	get := func(name string) string {
		re := regexp.MustCompile(name + `["']?\s*[:=]\s*["']([^"']+)["']`)
		if m := re.FindStringSubmatch(body); m != nil {
			return m[1]
		}
		return ""
	}
	webID, tpl, tag := get("webId"), get("tplSetId"), get("tagId")
	page := ""
	if m := colRe.FindStringSubmatch(base.Path); m != nil {
		page = m[1]
	}
	if p := get("pageId"); p != "" {
		page = p
	}
	if webID == "" || tpl == "" || page == "" {
		return nil, fmt.Errorf("jpaas: webId/tplSetId/pageId not found on the column page")
	}
	const size = 20
	seen := 0
	return func(ctx context.Context, n int) ([]Entry, bool, error) {
		q := url.Values{"parseType": {"bulidstatic"}, "webId": {webID}, "tplSetId": {tpl}, "pageType": {"column"},
			"tagId": {tag}, "editType": {"null"}, "pageId": {page}, "paramJson": {fmt.Sprintf(`{"pageNo":%d,"pageSize":%d}`, n+1, size)}}
		api := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: "/api-gateway/jpaas-publish-server/front/page/build/unit", RawQuery: q.Encode()}
		resp, err := c.fetch.Get(ctx, api.String(), nil)
		if err != nil {
			return nil, false, err
		}
		var r struct {
			Success bool `json:"success"`
			Data    struct {
				HTML string `json:"html"`
			} `json:"data"`
		}
		if err := json.Unmarshal(resp.Body, &r); err != nil {
			return nil, false, fmt.Errorf("jpaas: %w", err)
		}
		entries := listed(anchors(base, r.Data.HTML))
		seen += len(entries)
		// The returned block prints the total ("count: N"); servers may cap
		// pageSize below what was asked, so page until the total is reached.
		if m := jpaasCountRe.FindStringSubmatch(r.Data.HTML); m != nil {
			total, _ := strconv.Atoi(m[1])
			return entries, len(entries) > 0 && seen < total, nil
		}
		return entries, len(entries) > 0, nil
	}, nil
}

// trsLister walks index.html, index_1.html … index_{countPage-1}.html.
func (c *Crawler) trsLister(base *url.URL, body string) lister {
	pages := 1
	if m := countPageRe.FindStringSubmatch(body); m != nil {
		v := m[1]
		if v == "" {
			v = m[2]
		}
		pages, _ = strconv.Atoi(v)
	}
	return func(ctx context.Context, n int) ([]Entry, bool, error) {
		if n == 0 {
			return anchors(base, body), pages > 1, nil
		}
		if n >= pages {
			return nil, false, nil
		}
		dir := base.Path[:strings.LastIndex(base.Path, "/")+1]
		u := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: fmt.Sprintf("%sindex_%d.html", dir, n)}
		resp, err := c.fetch.Get(ctx, u.String(), nil)
		if err != nil {
			return nil, false, err
		}
		pu, _ := url.Parse(resp.FinalURL)
		return anchors(pu, htmlText(resp)), n+1 < pages, nil
	}
}

// gkmlptLister calls /gkmlpt/api/all/<category>?page=n&sid=SID.
func (c *Crawler) gkmlptLister(src SourceConfig, base *url.URL, body string) (lister, error) {
	sid := ""
	if m := regexp.MustCompile(`SID["']?\s*:\s*["']?(\w+)`).FindStringSubmatch(body); m != nil {
		sid = m[1]
	}
	cat := src.Category
	if cat == "" {
		re := regexp.MustCompile(`["']?id["']?\s*:\s*(\d+)\s*,\s*["']?name["']?\s*:\s*["']([^"']*(?:年报|年度报告)[^"']*)["']`)
		if m := re.FindStringSubmatch(body); m != nil {
			cat = m[1]
		}
	}
	if sid == "" || cat == "" {
		return nil, fmt.Errorf("gkmlpt: SID or the 年报 category not found (set category in the sources file)")
	}
	root := base.Path[:strings.Index(base.Path+"/gkmlpt", "/gkmlpt")]
	return func(ctx context.Context, n int) ([]Entry, bool, error) {
		api := &url.URL{Scheme: base.Scheme, Host: base.Host, Path: root + "/gkmlpt/api/all/" + cat, RawQuery: fmt.Sprintf("page=%d&sid=%s", n+1, url.QueryEscape(sid))}
		resp, err := c.fetch.Get(ctx, api.String(), nil)
		if err != nil {
			return nil, false, err
		}
		var r struct {
			Total    int `json:"total"`
			Articles []struct {
				Title string `json:"title"`
				URL   string `json:"url"`
				Time  int64  `json:"display_publish_time"`
			} `json:"articles"`
		}
		if err := json.Unmarshal(resp.Body, &r); err != nil {
			return nil, false, fmt.Errorf("gkmlpt: %w", err)
		}
		var out []Entry
		for _, a := range r.Articles {
			u, err := base.Parse(a.URL)
			if err != nil {
				continue
			}
			d := ""
			if a.Time > 0 {
				d = time.Unix(a.Time, 0).UTC().Format("2006-01-02")
			}
			out = append(out, Entry{Title: a.Title, URL: u.String(), Date: d, Listed: true})
		}
		return out, len(out) > 0 && (n+1)*len(out) < r.Total, nil
	}, nil
}

var jpaasCountRe = regexp.MustCompile(`count[^0-9]{1,10}(\d+)`)

var (
	titleYearRe = regexp.MustCompile(`(19|20)\d{2}|[二〇○零一][〇○零一二三四五六七八九]{3}`)
)

// isReportEntry reports whether a list entry names an annual report: its
// title says so and names a year, or it comes from the column's own list.
// A link titled only "政府信息公开年报" is the column in the navigation.
func isReportEntry(e Entry) bool {
	return nianbao.NamesReport(e.Title) && (e.Listed || titleYearRe.MatchString(e.Title))
}

var attachmentRe = regexp.MustCompile(`(?i)\.(pdf|docx?|wps|xlsx?|et|ofd)(\?|$)|downfile\.jsp|/download`)

// articleLinks finds the attachments of an article page.
func articleLinks(base *url.URL, body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range anchors(base, body) {
		if attachmentRe.MatchString(e.URL) && !seen[e.URL] {
			seen[e.URL] = true
			out = append(out, e.URL)
		}
	}
	return out
}

// normalizeDate writes a listed date (2021-4-15, 2021/04/15, 2021年4月15日)
// as ISO 8601, or returns it unchanged when it is no such date.
func normalizeDate(s string) string {
	m := isoDateRe.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

var isoDateRe = regexp.MustCompile(`((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})`)
