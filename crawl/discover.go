package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/region"
)

// DiscoverOptions bound a discovery.
type DiscoverOptions struct {
	MaxPages int       // pages fetched from one start URL; default 300
	MaxDepth int       // links followed from the start page; default 8
	Progress io.Writer // a line per page fetched, when set
}

// Discovery is what discovering one portal found.
type Discovery struct {
	Start    string   // the URL discovery started from
	Site     string   // the portal's name (its SiteName meta or title)
	Region   string   // the portal's division code, when its name resolves
	Columns  []Column // every 年报 column, once, in the order found
	NoColumn []Place  // sub-platforms (departments, towns) where none was found
	Pages    int      // pages fetched
	// Truncated is set when the page budget ran out before every link
	// worth following was followed: the list may be incomplete.
	Truncated bool
	Skipped   []string // links not followed: off-site or closed by robots.txt, with why
	Failed    []string // pages that could not be fetched, with why
}

// Column is one 年报 column of a portal.
type Column struct {
	URL      string
	Agency   string   // whose reports it lists (the directory's link text, made whole), "" for the portal's own
	Region   string   // the agency's division code, when known
	Platform string   // the crawl adapter its page calls for
	Chain    []string // link texts from the start page to the column: why it was kept
	Reports  int      // entries titled as reports on its first page; -1 when the list is loaded by script
}

// Place is a sub-platform of a directory (a department, a town) with its
// link chain.
type Place struct {
	URL, Agency string
	Chain       []string
}

// OK reports whether the discovery finished and found at least one column.
func (d *Discovery) OK() bool { return len(d.Columns) > 0 && !d.Truncated && len(d.Failed) == 0 }

// Errors of a discovery that found nothing to write.
var (
	ErrNoColumns = errors.New("no 年报 column found")
)

// The kinds of page discovery walks.
const (
	kindNav       = iota // home page, the 政府信息公开 platform
	kindDirectory        // a directory of departments or towns
	kindPlace            // one department's or town's sub-platform
	kindColumn           // a 年报 column (or a year sub-column)
)

type discoverNode struct {
	url    string
	kind   int
	depth  int
	chain  []string
	agency string
	place  string // URL of the sub-platform the node lies under
}

var (
	// columnNameRe is a 年报 column's name: 政府信息公开年报, 年度报告,
	// 信息公开年报, 公开年报, 政府信息公开工作年度报告 … (no year: with one it
	// is a report).
	columnNameRe = regexp.MustCompile(`年报|年度报告`)
	// notColumnRe are other yearly publications listed beside reports.
	notColumnRe = regexp.MustCompile(`法治|统计|预算|决算|审计|国民经济|社会责任|环境状况|解读|图解|一图|工作报告$|工作要点`)
	yearRe      = regexp.MustCompile(`(19|20)\d{2}`)
	// columnPathRe are path words of 年报 columns (hints: a link with one
	// and no other name is followed as a column).
	columnPathRe = regexp.MustCompile(`(?i)/(zfxxgknb|xxgknb|gknb|ndbg|zwgknb|nb)(/|_|\.|$)`)
	// yearColumnRe is a year sub-column's link text: 2023年度, 2023年, 2023.
	yearColumnRe = regexp.MustCompile(`^(19|20)\d{2}\s*年?度?(年报|报告)?$`)
	// yearPathRe is a year sub-column's path: nb_2023n/, 2023/, 2023nb/.
	yearPathRe = regexp.MustCompile(`/(nb_?)?(19|20)\d{2}(n|nb|nd)?/(index\.s?html?)?$`)
	// navNames are the names of an agency's 政府信息公开 platform.
	navNames = map[string]bool{"政务公开": true, "政府信息公开": true, "信息公开": true, "政府信息公开平台": true, "信息公开平台": true,
		"政府信息公开目录": true, "信息公开目录": true, "政府信息公开专栏": true, "政务公开专栏": true, "政府信息公开网": true}
	// directoryRe is a directory of departments' or towns' sub-platforms.
	directoryRe = regexp.MustCompile(`^(区直|县直|市直)?(部门|镇街|乡镇|街道|镇|乡|乡镇[（(]街道[)）]|镇[（(]街道[)）]|乡镇街道|部门和镇街|部门及镇街)(政府)?(信息)?(公开)?(目录|平台|专栏)?$`)
	// agencyNameRe is a department's or town's name in a directory.
	agencyNameRe = regexp.MustCompile(`^[\p{Han}（）()]{2,30}(局|委员会|委|办公室|办|院|馆|中心|所|站|队|镇|乡|街道|办事处|管委会|人民政府|分局|署|处)$`)
)

// isColumnName tells whether a link text names a 年报 column.
func isColumnName(s string) bool {
	return columnNameRe.MatchString(s) && !notColumnRe.MatchString(s) && !yearRe.MatchString(s) && utf8.RuneCountInString(s) <= 20
}

// isNavName tells whether a link text names an information-disclosure
// platform.
func isNavName(s string) bool { return navNames[s] }

// Discover walks a portal from start (its home page or its 政府信息公开
// platform page) and finds every 年报 column: the platform's own, the
// year sub-columns, and those of every department and town its
// directories list. It follows only navigation whose link text (or, for
// columns, path) says where it leads, stays on the portal's site (its
// host and the host's own subdomains), and is bounded by opt's page budget
// and depth. Requests go through f: robots.txt, the per-host delay and
// every body stored as the crawl does.
func Discover(ctx context.Context, f *Fetcher, start string, opt DiscoverOptions) (*Discovery, error) {
	if opt.MaxPages <= 0 {
		opt.MaxPages = 300
	}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = 8
	}
	su, err := url.Parse(start)
	if err != nil || (su.Scheme != "http" && su.Scheme != "https") || su.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", start)
	}
	ctx = AllowPrivate(ctx, f.privateHost(ctx, su.Hostname()))
	root := siteRoot(su.Host)
	onSite := func(host string) bool { return sameSite(root, host) }
	allow := f.AllowHost
	f.AllowHost = func(host string) bool { return onSite(host) || (allow != nil && allow(host)) }
	defer func() { f.AllowHost = allow }()

	d := &Discovery{Start: start}
	queue := []discoverNode{{url: su.String(), kind: kindNav}}
	seen := map[string]bool{canonicalURL(su): true}
	columns := map[string]int{}
	placeFound := map[string]bool{}
	var places []Place
	for len(queue) > 0 {
		if ctx.Err() != nil {
			return d, ctx.Err()
		}
		n := queue[0]
		queue = queue[1:]
		if d.Pages >= opt.MaxPages {
			d.Truncated = true
			break
		}
		resp, err := f.Get(ctx, n.url, nil)
		d.Pages++
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "discover %d/%d %s %s\n", d.Pages, opt.MaxPages, strings.Join(n.chain, " › "), n.url)
		}
		if err != nil {
			var fe *FetchError
			if errors.As(err, &fe) && fe.Class == ClassRobots {
				d.Pages-- // nothing was requested but robots.txt
				d.Skipped = append(d.Skipped, n.url+": closed by robots.txt")
				continue
			}
			d.Failed = append(d.Failed, err.Error())
			continue
		}
		if resp.Status != 200 {
			d.Failed = append(d.Failed, fmt.Sprintf("%s: HTTP %d", n.url, resp.Status))
			continue
		}
		base, _ := url.Parse(resp.FinalURL)
		body := htmlText(resp)
		if n.kind == kindNav && n.depth == 0 {
			d.Site = siteName(body)
			if a := region.Resolve(d.Site); a.RegionCode != "" {
				d.Region = a.RegionCode
			}
		}
		links := pageLinks(base, body)
		if n.kind == kindColumn {
			if _, dup := columns[canonicalURL(base)]; !dup {
				c := Column{URL: n.url, Agency: n.agency, Platform: detectPlatform(body), Chain: n.chain, Reports: reportsListed(base, body, links)}
				if c.Agency == "" {
					c.Agency = d.Site
				}
				c.Region = agencyRegion(c.Agency, d.Region)
				sub := 0
				for _, l := range links {
					if isYearColumn(l) && onSite(l.u.Host) {
						sub++
					}
				}
				// A column that only leads to its years is not a list of
				// reports itself: its year sub-columns are the sources.
				if !(sub > 0 && c.Reports == 0) {
					columns[canonicalURL(base)] = len(d.Columns)
					d.Columns = append(d.Columns, c)
				}
				if n.place != "" {
					placeFound[n.place] = true
				}
			}
		}
		if n.kind == kindPlace {
			places = append(places, Place{URL: n.url, Agency: n.agency, Chain: n.chain})
		}
		if n.depth >= opt.MaxDepth {
			continue
		}
		for _, l := range links {
			kind := -1
			agency, place := n.agency, n.place
			switch {
			case n.kind == kindColumn:
				if isYearColumn(l) {
					kind = kindColumn
				}
			case isColumnName(l.text) || (columnPathRe.MatchString(l.u.Path) && !yearRe.MatchString(l.text) && !nianbao.NamesReport(l.text) && !notColumnRe.MatchString(l.text)):
				kind = kindColumn
			case n.kind == kindDirectory && agencyNameRe.MatchString(l.text):
				kind, agency, place = kindPlace, wholeName(l.text, d.Site, d.Region), canonicalURL(l.u)
			case n.kind != kindDirectory && directoryRe.MatchString(l.text):
				kind = kindDirectory
			case (n.kind == kindNav || n.kind == kindPlace) && isNavName(l.text):
				kind = kindNav
			}
			if kind < 0 {
				continue
			}
			key := canonicalURL(l.u)
			if seen[key] {
				continue
			}
			if !onSite(l.u.Host) {
				seen[key] = true
				d.Skipped = append(d.Skipped, l.u.String()+": off the portal's site ("+l.text+")")
				continue
			}
			seen[key] = true
			chain := append(append([]string(nil), n.chain...), l.text)
			queue = append(queue, discoverNode{url: l.u.String(), kind: kind, depth: n.depth + 1, chain: chain, agency: agency, place: place})
		}
	}
	for _, p := range places {
		if !placeFound[canonicalURL(mustParse(p.URL))] {
			d.NoColumn = append(d.NoColumn, p)
		}
	}
	if len(d.Columns) == 0 && d.Pages > 0 && len(d.Failed) == 0 && !d.Truncated {
		return d, fmt.Errorf("%s: %w (%d pages read)", start, ErrNoColumns, d.Pages)
	}
	return d, nil
}

// pageLink is one link of a page: its text and resolved URL.
type pageLink struct {
	text string
	u    *url.URL
}

// pageLinks lists a page's links with their texts (the title attribute
// when the text is empty), each URL once.
func pageLinks(base *url.URL, body string) []pageLink {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var out []pageLink
	seen := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		u, err := base.Parse(strings.TrimSpace(a.AttrOr("href", "")))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		text := strings.Join(strings.Fields(boundedText(a.Get(0), 256)), "")
		// Lists cut long names (政府信息公开年…) and keep the whole in title.
		if title := strings.Join(strings.Fields(a.AttrOr("title", "")), ""); title != "" {
			cut := strings.TrimRight(text, ".…")
			if text == "" || (cut != text && strings.HasPrefix(title, cut)) {
				text = title
			}
		}
		if seen[u.String()] {
			return
		}
		seen[u.String()] = true
		out = append(out, pageLink{text: text, u: u})
	})
	return out
}

// isYearColumn tells whether a link on a 年报 column leads to one of its
// year sub-columns (2023年度 → nb_2023n/), not to a report.
func isYearColumn(l pageLink) bool {
	return yearColumnRe.MatchString(l.text) || (yearPathRe.MatchString(l.u.Path) && !nianbao.NamesReport(l.text) && utf8.RuneCountInString(l.text) <= 12)
}

// reportsListed counts the entries of a column's first page titled as
// reports (the jcms list is in its <datastore>); -1 when the list is
// loaded by script (jpaas, gkmlpt).
func reportsListed(base *url.URL, body string, links []pageLink) int {
	switch detectPlatform(body) {
	case "jpaas", "gkmlpt":
		return -1
	case "jcms":
		es, _ := parseDatastore(base, body)
		n := 0
		for _, e := range es {
			if nianbao.IsReportTitle(e.Title) {
				n++
			}
		}
		return n
	}
	n := 0
	for _, l := range links {
		if nianbao.IsReportTitle(l.text) {
			n++
		}
	}
	return n
}

// siteName is a portal's name: its SiteName meta, else its title without
// 门户网站 and the like.
func siteName(body string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return ""
	}
	if s := strings.TrimSpace(doc.Find(`meta[name="SiteName"]`).AttrOr("content", "")); s != "" {
		return s
	}
	t := strings.TrimSpace(doc.Find("title").First().Text())
	for _, cut := range []string{"门户网站", "官方网站", "网站", "官网"} {
		if i := strings.Index(t, cut); i > 0 {
			t = t[:i]
		}
	}
	return strings.Trim(t, " -_|")
}

// wholeName makes a directory's short link text (区交通运输局, 城关街道)
// an agency's whole name: resolved within the portal's division when it
// can be, else prefixed with the portal's place name.
func wholeName(text, site, code string) string {
	if code != "" {
		if a := region.Resolve(text, code); a.Resolved() && a.Name != "" {
			return a.Name
		}
	}
	place := strings.TrimSuffix(site, "人民政府")
	if place == site || place == "" {
		return text
	}
	if strings.HasPrefix(text, place) {
		return text
	}
	for _, lvl := range []string{"区", "县", "市"} {
		if strings.HasPrefix(text, lvl) && strings.HasSuffix(place, lvl) {
			return place + strings.TrimPrefix(text, lvl)
		}
	}
	return place + text
}

// agencyRegion is an agency's division code: from its name, within the
// portal's division when known.
func agencyRegion(agency, portal string) string {
	var hints []string
	if portal != "" {
		hints = append(hints, portal)
	}
	if a := region.Resolve(agency, hints...); a.RegionCode != "" {
		return a.RegionCode
	}
	return portal
}

// siteRoot is the site a host belongs to: for a *.gov.cn host the name
// just above gov.cn (www.yuhang.gov.cn → yuhang.gov.cn), else the host
// without www.; an address is its own site.
func siteRoot(host string) string {
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return host
	}
	if strings.HasSuffix(host, ".gov.cn") {
		labels := strings.Split(strings.TrimSuffix(host, ".gov.cn"), ".")
		return labels[len(labels)-1] + ".gov.cn"
	}
	return strings.TrimPrefix(host, "www.")
}

// sameSite tells whether host is the site root or one of its subdomains.
func sameSite(root, host string) bool {
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return host == root || strings.HasSuffix(host, "."+root)
}

// canonicalURL is a URL's identity for "seen": scheme-less, without a
// trailing index page.
func canonicalURL(u *url.URL) string {
	p := u.Path
	for _, idx := range []string{"index.html", "index.htm", "index.shtml"} {
		p = strings.TrimSuffix(p, idx)
	}
	if p == "" {
		p = "/"
	}
	s := strings.ToLower(u.Host) + p
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	return s
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Path: s}
	}
	return u
}
