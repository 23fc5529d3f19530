// Package crawltest serves fake government portals on loopback for tests
// and the demo, shaped like the real platforms (shared/research/
// portal-samples): a Hanweb jcms column (<datastore> in the column page,
// POST dataproxy.jsp for later groups) and a TRS list (index.html,
// index_1.html … with countPage). Articles carry the national meta tags and
// an 索引号/发布机构/发布日期 header; reports are in the page body or attached.
package crawltest

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
)

// Report is one published report.
type Report struct {
	Title, Agency, Date string // Date: YYYY-MM-DD
	// Body is the report: an HTML page served as the article itself when
	// Attachment is empty, else the attached file's bytes.
	Body        []byte
	Attachment  string // file name of the attachment, e.g. 2023年报.pdf
	ContentType string // of the article page or the attachment
	GBKName     bool   // send the attachment name as raw GBK bytes in Content-Disposition
}

// Site is one fake portal.
type Site struct {
	Platform string // jcms, jpaas, trs, gkmlpt, or plain (one unpaged list of links)
	Column   string // jcms column id
	Dir      string // trs and plain: the column's directory; default /zfxxgk/ndbg/
	Name     string // the column's name on its page; default 政府信息公开年报
	SiteName string // the portal's name in the page's meta; default 测试县人民政府
	Reports  []Report
	News     int    // unrelated list entries mixed in
	PageSize int    // list entries per page (jcms: per group)
	Robots   string // robots.txt body; "" serves 404
	// Prelude is HTML shown above the list (trs and plain): links to year
	// sub-columns, say.
	Prelude string

	// Hook, when set, sees every request first; it returns true when it
	// wrote the response itself (fault injection).
	Hook func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests map[string]int
}

// ListPath is the path of the site's list page.
func (s *Site) ListPath() string {
	switch s.Platform {
	case "trs", "plain":
		return s.dir() + "index.html"
	case "gkmlpt":
		return "/gkmlpt/index"
	}
	return "/col/col" + s.column() + "/index.html"
}

func (s *Site) dir() string {
	if s.Dir == "" {
		return "/zfxxgk/ndbg/"
	}
	return s.Dir
}

func (s *Site) column() string {
	if s.Column == "" {
		return "1229000001"
	}
	return s.Column
}

// Requests returns how often each path (with its query) was requested.
func (s *Site) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

type entry struct {
	title, href, date string
	report            int // index in Reports, or -1 for news
}

// entries lists reports and news, newest first.
func (s *Site) entries() []entry {
	var out []entry
	for i := len(s.Reports) - 1; i >= 0; i-- {
		r := s.Reports[i]
		out = append(out, entry{r.Title, s.articlePath(i), r.Date, i})
		if i < s.News {
			out = append(out, entry{fmt.Sprintf("关于开展第%d次安全生产检查的通知", i+1), s.newsPath(i), r.Date, -1})
		}
	}
	return out
}

func (s *Site) articlePath(i int) string {
	d := strings.ReplaceAll(s.Reports[i].Date, "-", "")
	switch s.Platform {
	case "trs":
		return fmt.Sprintf("%s%s/t%s_%d.html", s.dir(), d[:6], d, 1000+i)
	case "plain":
		return fmt.Sprintf("%scontent_%d.html", s.dir(), 1000+i)
	}
	return fmt.Sprintf("/art/%s/%s/%s/art_%s_%d.html", d[:4], strings.TrimLeft(d[4:6], "0"), strings.TrimLeft(d[6:], "0"), s.column(), 1000+i)
}

func (s *Site) newsPath(i int) string { return fmt.Sprintf("/art/news/art_%d.html", 5000+i) }

func (s *Site) pageSize() int {
	if s.PageSize <= 0 {
		return 3
	}
	return s.PageSize
}

// ServeHTTP implements http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.requests == nil {
		s.requests = map[string]int{}
	}
	s.requests[r.URL.RequestURI()]++
	s.mu.Unlock()
	if s.Hook != nil && s.Hook(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		if s.Robots == "" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, s.Robots)
	case p == s.ListPath():
		s.listPage(w, 0)
	case s.Platform == "trs" && strings.HasPrefix(p, s.dir()+"index_"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, s.dir()+"index_"), ".html"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		s.listPage(w, n)
	case p == "/api-gateway/jpaas-publish-server/front/page/build/unit":
		s.jpaasUnit(w, r)
	case strings.HasPrefix(p, "/gkmlpt/api/all/"):
		s.gkmlptAPI(w, r)
	case p == "/module/web/jpage/dataproxy.jsp" && r.Method == http.MethodPost:
		start, _ := strconv.Atoi(r.URL.Query().Get("startrecord"))
		end, _ := strconv.Atoi(r.URL.Query().Get("endrecord"))
		r.ParseForm()
		if r.PostForm.Get("columnid") != s.column() {
			http.Error(w, "bad columnid", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		fmt.Fprint(w, s.datastore(start, end))
	case strings.HasPrefix(p, "/module/download/"):
		s.attachment(w, r)
	default:
		for i := range s.Reports {
			if p == s.articlePath(i) {
				s.article(w, i)
				return
			}
		}
		for i := 0; i < s.News; i++ {
			if p == s.newsPath(i) {
				fmt.Fprintf(w, "<html><head><meta name=\"ArticleTitle\" content=\"通知\"></head><body><p>通知正文 %d</p></body></html>", i)
				return
			}
		}
		http.NotFound(w, r)
	}
}

func record(e entry) string {
	return fmt.Sprintf(`<li><a href="%s" target="_blank" title="%s"><span>%s</span><i>%s</i></a></li>`, e.href, html.EscapeString(e.title), html.EscapeString(e.title), e.date)
}

// datastore renders records start..end (1-based, inclusive) as jcms XML.
func (s *Site) datastore(start, end int) string {
	all := s.entries()
	var b strings.Builder
	fmt.Fprintf(&b, "<datastore>\n<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n<recordset>\n", len(all), (len(all)+s.pageSize()-1)/s.pageSize())
	for i := start - 1; i < end && i < len(all) && i >= 0; i++ {
		fmt.Fprintf(&b, "<record><![CDATA[%s]]></record>\n", record(all[i]))
	}
	b.WriteString("</recordset>\n</datastore>")
	return b.String()
}

func (s *Site) listPage(w http.ResponseWriter, n int) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	all := s.entries()
	name, site := s.Name, s.SiteName
	if name == "" {
		name = "政府信息公开年报"
	}
	if site == "" {
		site = "测试县人民政府"
	}
	head := fmt.Sprintf(`<html><head><meta charset="utf-8"><meta name="SiteName" content="%[2]s"><meta name="ColumnName" content="%[1]s"><title>%[1]s</title></head><body><div class="nav"><a href="/">首页</a></div>`,
		html.EscapeString(name), html.EscapeString(site))
	switch s.Platform {
	case "jcms":
		fmt.Fprintf(w, "%s<div id=\"%s\"><script type=\"text/xml\">%s</script></div>\n<script>var jpageform_%s; webid=3095; unitid=6101313; perpage=%d; columnid=%s;</script></body></html>",
			head, "div"+s.column(), s.datastore(1, s.pageSize()), "6101313", s.pageSize(), s.column())
		return
	case "jpaas":
		// a shell page: the list comes from the unit API
		fmt.Fprintf(w, `%s<div id="list"></div><script>var queryData = {webId: "2945", tplSetId: "quSyqDUrFfjv1nGRQhEEH", tagId: "阳光政务_分页列表", pageId: "%s"};</script><script src="/jpaas-publish-server/static/list.js"></script></body></html>`, head, s.column())
		return
	case "gkmlpt":
		fmt.Fprintf(w, `%s<script>window._CONFIG = { SID: '755031', TREE: [{"id": 2811, "name": "政策文件"}, {"id": 5, "name": "政府信息公开年报"}] };</script></body></html>`, head)
		return
	case "plain":
		var out strings.Builder
		out.WriteString(head + s.Prelude + `<ul class="list">`)
		for _, e := range all {
			fmt.Fprintf(&out, `<li><a href="%s">%s</a><span>%s</span></li>`, e.href, html.EscapeString(e.title), e.date)
		}
		out.WriteString("</ul></body></html>")
		fmt.Fprint(w, out.String())
		return
	}
	pages := (len(all) + s.pageSize() - 1) / s.pageSize()
	// TRS lists link relative to the list directory
	var out strings.Builder
	out.WriteString(head + s.Prelude + `<table><tr><th>名称</th><th>发布日期</th></tr>`)
	for i := n * s.pageSize(); i < (n+1)*s.pageSize() && i < len(all); i++ {
		e := all[i]
		href := e.href
		if strings.HasPrefix(href, s.dir()) {
			href = "./" + strings.TrimPrefix(href, s.dir())
		}
		fmt.Fprintf(&out, `<tr><td><a href="%s" title="%s">%s</a></td><td>%s</td></tr>`, href, html.EscapeString(e.title), html.EscapeString(e.title), e.date)
	}
	fmt.Fprintf(&out, `</table><div class="page"><script>var countPage = %d; var currentPage = %d; createPageHTML(countPage, currentPage, "index", "html");</script></div></body></html>`, pages, n)
	fmt.Fprint(w, out.String())
}

// jpaasUnit answers the jpaas list API: {"success":true,"data":{"html":…}}.
func (s *Site) jpaasUnit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("webId") != "2945" || q.Get("pageId") != s.column() {
		http.Error(w, `{"success":false}`, http.StatusBadRequest)
		return
	}
	var p struct{ PageNo, PageSize int }
	fmt.Sscanf(strings.NewReplacer(`"pageNo":`, "", `"pageSize":`, "", "{", "", "}", "", ",", " ").Replace(q.Get("paramJson")), "%d %d", &p.PageNo, &p.PageSize)
	p.PageSize = min(max(p.PageSize, 1), s.pageSize()) // the server caps the page size
	all := s.entries()
	var b strings.Builder
	b.WriteString(`<div id="阳光政务_分页列表"><ul class="page-content">`)
	for i := (p.PageNo - 1) * p.PageSize; i < p.PageNo*p.PageSize && i < len(all) && i >= 0; i++ {
		e := all[i]
		fmt.Fprintf(&b, `<li><a class="news" href="%s" title="%s">%s</a><span class="time">%s</span></li>`, e.href, html.EscapeString(e.title), html.EscapeString(e.title), e.date)
	}
	fmt.Fprintf(&b, `</ul><div>count: %d pageNo: %d</div></div>`, len(all), p.PageNo)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"success": true, "data": map[string]string{"html": b.String()}})
}

// gkmlptAPI answers /gkmlpt/api/all/<category>?page=n&sid=….
func (s *Site) gkmlptAPI(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/gkmlpt/api/all/5" || r.URL.Query().Get("sid") != "755031" {
		http.Error(w, "{}", http.StatusBadRequest)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	all := s.entries()
	type art struct {
		Title string `json:"title"`
		URL   string `json:"url"`
		Time  int64  `json:"display_publish_time"`
	}
	var arts []art
	for i := (page - 1) * s.pageSize(); i < page*s.pageSize() && i < len(all) && i >= 0; i++ {
		e := all[i]
		t, _ := time.Parse("2006-01-02", e.date)
		arts = append(arts, art{e.title, e.href, t.Unix()})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"total": len(all), "articles": arts})
}

func (s *Site) article(w http.ResponseWriter, i int) {
	r := s.Reports[i]
	if r.Attachment == "" {
		ct := r.ContentType
		if ct == "" {
			ct = "text/html; charset=UTF-8"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("ETag", fmt.Sprintf(`"a%d-%d"`, i, len(r.Body)))
		w.Write(r.Body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	fmt.Fprintf(w, `<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="%[1]s"><meta name="PubDate" content="%[2]s"><meta name="ContentSource" content="%[3]s"><title>%[1]s</title></head>
<body><table class="xxgk"><tr><td>索引号：</td><td>001/%[2]s-0001</td><td>发布机构：</td><td>%[3]s</td></tr><tr><td>发布日期：</td><td>%[2]s</td></tr></table>
<div id="zoom"><p>%[1]s见附件。</p><p>附件：<a href="/module/download/downfile.jsp?classid=0&amp;filename=%[4]s">%[5]s</a></p></div></body></html>`,
		html.EscapeString(r.Title), r.Date, html.EscapeString(r.Agency), url.QueryEscape(r.Attachment), html.EscapeString(r.Attachment))
}

func (s *Site) attachment(w http.ResponseWriter, req *http.Request) {
	name := req.URL.Query().Get("filename")
	for _, r := range s.Reports {
		if r.Attachment != name {
			continue
		}
		if r.GBKName {
			gbk, _ := simplifiedchinese.GBK.NewEncoder().String(r.Attachment)
			w.Header().Set("Content-Disposition", `attachment; filename="`+gbk+`"`)
		} else {
			w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(r.Attachment))
		}
		w.Header().Set("Content-Type", r.ContentType)
		w.Write(r.Body)
		return
	}
	http.NotFound(w, req)
}

// Page renders any readable report (text, Markdown, PDF…) as an HTML
// article page with the national meta tags, so fixtures of every form can
// be published on a fake portal.
func Page(title, agency, date string, data []byte) ([]byte, error) {
	doc, err := extract.Read(title, data, extract.Options{})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="%[1]s"><meta name="PubDate" content="%[2]s"><meta name="ContentSource" content="%[3]s"><title>%[1]s</title></head><body>`,
		html.EscapeString(title), date, html.EscapeString(agency))
	fmt.Fprintf(&b, `<table class="xxgk"><tr><td>发布机构：</td><td>%s</td><td>发布日期：</td><td>%s</td></tr></table><div class="article">`, html.EscapeString(agency), date)
	for _, blk := range doc.Blocks {
		writeBlock(&b, blk)
	}
	b.WriteString("</div></body></html>")
	return []byte(b.String()), nil
}

func writeBlock(b *strings.Builder, blk nianbao.Block) {
	if blk.Table == nil {
		fmt.Fprintf(b, "<p>%s</p>\n", html.EscapeString(blk.Text))
		return
	}
	b.WriteString(`<table border="1">`)
	for _, row := range blk.Table.Rows {
		b.WriteString("<tr>")
		for _, c := range row {
			attrs := ""
			if c.RowSpan > 1 {
				attrs += fmt.Sprintf(` rowspan="%d"`, c.RowSpan)
			}
			if c.ColSpan > 1 {
				attrs += fmt.Sprintf(` colspan="%d"`, c.ColSpan)
			}
			fmt.Fprintf(b, "<td%s>%s</td>", attrs, strings.ReplaceAll(html.EscapeString(c.Text), "\n", "<br>"))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>\n")
}
