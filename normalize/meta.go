package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

var (
	titleYearRe  = regexp.MustCompile(`((?:19|20)[0-9]{2})年`)
	periodYearRe = regexp.MustCompile(`(?:统计期限|统计周期|统计时限|数据统计)[^0-9]{0,12}((?:19|20)[0-9]{2})年`)
	dateRe       = regexp.MustCompile(`((?:19|20)[0-9]{2})(?:年|[-/.])([0-9]{1,2})(?:月|[-/.])([0-9]{1,2})日?`)
	onlyDateRe   = regexp.MustCompile(`^[(\[]?((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日[)\]]?$`)
	agencyCutRe  = regexp.MustCompile(`(?:(?:19|20)[0-9]{2}年度?|政府信息公开|政务公开|信息公开工作|年度报告|年报)`)
	leadYearRe   = regexp.MustCompile(`^(?:(?:19|20)[0-9]{2}年度?)`)
)

// headerKeys are the field names of a portal article's 信息公开 header.
var headerKeys = []string{"发布日期", "发布机构", "索引号", "文号", "成文日期", "主题分类", "公开方式", "公开范围", "有效性", "来源", "发文机关"}

// Keys under which containers print the publication date, in order of trust.
var pubKeys = []string{"发布日期", "公开日期", "发布时间", "PubDate", "pubdate", "publishdate", "firstpublishedtime", "成文日期"}

// readMeta fills title, agency, statistics year and publication date.
func readMeta(doc *nianbao.Document, rep *nianbao.Report) {
	rep.Title = findTitle(doc)
	ft := fold(rep.Title)
	if m := titleYearRe.FindStringSubmatch(ft); m != nil {
		rep.Year, _ = strconv.Atoi(m[1])
	}
	rep.Agency = agencyFromTitle(ft)
	for _, k := range []string{"索引号", "索 引 号", "IndexNo"} {
		if code := nianbao.CreditCodeOf(lookupKey(doc, k)); code != "" {
			rep.CreditCode = code
			break
		}
	}
	if rep.Agency == "" {
		for _, k := range []string{"ContentSource", "发布机构", "来源"} {
			if v := strings.TrimSpace(lookupKey(doc, k)); v != "" {
				rep.Agency = fold(v)
				break
			}
		}
	}
	if rep.Year == 0 {
		for _, b := range doc.Blocks {
			if b.Table == nil {
				if m := periodYearRe.FindStringSubmatch(fold(b.Text)); m != nil {
					rep.Year, _ = strconv.Atoi(m[1])
					break
				}
			}
		}
	}
	rep.Published = findPublished(doc)
	if rep.Year == 0 && rep.Published != "" {
		y, _ := strconv.Atoi(rep.Published[:4])
		rep.Year = y - 1
		rep.Warnings = append(rep.Warnings, "year: not printed; taken as the year before publication")
	}
}

// yearRe finds a year in a title.
var yearRe = regexp.MustCompile(`(?:19|20)[0-9]{2}`)

// findTitle prefers the container's article title, then a heading in the
// body that names the report, then the page <title>.
func findTitle(doc *nianbao.Document) string {
	for _, k := range []string{"ArticleTitle", "articletitle", "标题"} {
		if v := lookupKey(doc, k); isReportTitle(v) {
			return cleanTitle(v)
		}
	}
	n := 0
	first := "" // a title without a year (a navigation link 政府信息公开年报) yields to one with a year
	for i, b := range doc.Blocks {
		if b.Table != nil {
			continue
		}
		if n++; n > 40 {
			break
		}
		t := b.Text
		if strings.Contains(t, "政府信息公开") && !strings.Contains(t, "报告") && len([]rune(t)) < 40 && i+1 < len(doc.Blocks) {
			if next := doc.Blocks[i+1].Text; strings.Contains(next, "报告") && len([]rune(next)) < 20 {
				t += next
			}
		}
		if isReportTitle(t) {
			t = cleanTitle(t)
			// "淮安市人民政府" / "2024年政府信息公开工作年度报告" on two lines
			if agencyFromTitle(t) == "" && i > 0 && doc.Blocks[i-1].Table == nil {
				if prev := fold(doc.Blocks[i-1].Text); looksLikeAgency(prev) {
					t = prev + t
				}
			}
			if !yearRe.MatchString(t) {
				if first == "" {
					first = t
				}
				continue
			}
			return t
		}
	}
	if first != "" {
		return first
	}
	if isReportTitle(doc.Title) {
		return cleanTitle(doc.Title)
	}
	return strings.TrimSpace(doc.Title)
}

var agencySuffixes = []string{"政府", "办公厅", "办公室", "局", "委员会", "委", "厅", "院", "办事处", "管委会", "中心", "街道", "镇", "乡", "署", "会", "部", "所", "站", "队", "处"}

// looksLikeAgency reports whether a short folded line reads as an agency name.
func looksLikeAgency(s string) bool {
	if n := len([]rune(s)); n < 3 || n > 30 || strings.ContainsAny(s, "，。；：,.;:") {
		return false
	}
	for _, suf := range agencySuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func isReportTitle(s string) bool { return nianbao.IsReportTitle(s) }

// cleanTitle cuts a title to the report's name: a leading "标题：" label,
// a site suffix after " - " or "_", and any narrative after 报告.
func cleanTitle(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"标题：", "标题:", "名称：", "名称:"} {
		s = strings.TrimPrefix(s, p)
	}
	for _, sep := range []string{" - ", "-", "_", "|", "——"} {
		if i := strings.Index(s, sep); i > 0 && strings.Contains(s[:i], "报告") {
			s = s[:i]
		}
	}
	if i := strings.LastIndex(s, "报告"); i > 0 && len(s) > i+len("报告") {
		rest := s[i+len("报告"):]
		if !strings.HasPrefix(rest, "（") && !strings.HasPrefix(rest, "(") {
			s = s[:i+len("报告")]
		}
	}
	return fold(s)
}

// agencyFromTitle takes the agency name from a folded title such as
// 2019年上海市人民政府办公厅政府信息公开工作年度报告.
func agencyFromTitle(t string) string {
	t = titlePrefixRe.ReplaceAllString(t, "")
	// 2024年政府信息公开工作年度报告（某市某区某镇人民政府）: the agency in
	// parentheses after the title.
	if m := trailingAgencyRe.FindStringSubmatch(t); m != nil && looksLikeAgency(m[1]) {
		return m[1]
	}
	t = leadYearRe.ReplaceAllString(t, "")
	loc := agencyCutRe.FindStringIndex(t)
	if loc == nil || loc[0] == 0 {
		return ""
	}
	return strings.Trim(t[:loc[0]], "《》:：、,，")
}

var (
	// titlePrefixRe is what some titles print before the agency: 关于, 关于印发《,
	// a label such as 文字解读：.
	titlePrefixRe = regexp.MustCompile(`^(?:\p{Han}{1,6}[：:])?(?:关于(?:印发|公布|发布|公开)?)?《?`)
	// trailingAgencyRe is a title ending in its agency in parentheses.
	trailingAgencyRe = regexp.MustCompile(`(?:年度报告|年报)[（(]([^（）()]{2,40})[）)]$`)
)

// lookupKey finds a "key：value" pair in the container metadata, in the
// first paragraphs, or in adjacent table cells (portal header tables).
func lookupKey(doc *nianbao.Document, key string) string {
	if v, ok := doc.Meta[key]; ok {
		return v
	}
	for i, b := range doc.Blocks {
		if i > 400 {
			break
		}
		if b.Table == nil {
			if v, ok := keyValue(b.Text, key); ok {
				return v
			}
			continue
		}
		for _, r := range b.Table.Rows {
			for j, c := range r {
				if v, ok := keyValue(c.Text, key); ok {
					if v == "" && j+1 < len(r) {
						v = strings.TrimSpace(r[j+1].Text)
					}
					if v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

// keyValue reads "key：value" or a cell that is just "key".
func keyValue(text, key string) (string, bool) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, key) {
		return "", false
	}
	rest := strings.TrimSpace(t[len(key):])
	switch {
	case rest == "" || rest == ":" || rest == "：":
		return "", true
	case strings.HasPrefix(rest, ":"):
		return firstField(rest[1:]), true
	case strings.HasPrefix(rest, "："):
		return firstField(rest[len("："):]), true
	}
	return "", false
}

func firstField(s string) string {
	s = strings.TrimSpace(s)
	// A header line laid out without gaps (a PDF of an article's 信息公开
	// header) runs into the next key: "发布机构：某局发布日期：2023-01-28".
	for _, k := range headerKeys {
		if i := strings.Index(s, k); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	if len([]rune(s)) > 60 {
		s = string([]rune(s)[:60])
	}
	return s
}

// findPublished returns the ISO publication date: a labelled date from the
// container, else the signature date (a paragraph that is only a date, the
// last one in the document).
func findPublished(doc *nianbao.Document) string {
	for _, k := range pubKeys {
		if v := lookupKey(doc, k); v != "" {
			if d := isoDate(fold(v)); d != "" {
				return d
			}
		}
	}
	last := ""
	for _, b := range doc.Blocks {
		if b.Table != nil {
			continue
		}
		if m := onlyDateRe.FindStringSubmatch(fold(b.Text)); m != nil {
			last = mkDate(m[1], m[2], m[3])
		}
	}
	return last
}

func isoDate(s string) string {
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return mkDate(m[1], m[2], m[3])
}

func mkDate(y, m, d string) string {
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return ""
	}
	return fmt.Sprintf("%s-%02d-%02d", y, mi, di)
}
