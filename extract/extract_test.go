package extract

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/internal/doctest"
)

var (
	rowTexts = doctest.RowTexts
	tables   = doctest.Tables
)

func TestTabText(t *testing.T) {
	src := "标题\n\n\t结果维持\n\t结果\n纠正\n\t\n\n\t0\n\t12\n\n  四、下一节\n\t孤立\n"
	doc := ReadTabText(src)
	ts := tables(doc)
	if len(ts) != 2 {
		t.Fatalf("got %d tables, want 2", len(ts))
	}
	got := rowTexts(ts[0])
	want := [][]string{{"结果维持", "结果\n纠正", ""}, {"0", "12"}}
	if len(got) != 2 || strings.Join(got[0], "|") != strings.Join(want[0], "|") || strings.Join(got[1], "|") != strings.Join(want[1], "|") {
		t.Errorf("rows = %q, want %q", got, want)
	}
	if doc.Blocks[0].Text != "标题" || doc.Blocks[2].Text != "四、下一节" {
		t.Errorf("paragraphs = %q, %q", doc.Blocks[0].Text, doc.Blocks[2].Text)
	}
}

func TestSniff(t *testing.T) {
	cases := map[string]nianbao.Format{
		"%PDF-1.4\n...":                         nianbao.FormatPDF,
		"<p>报告</p>":                             nianbao.FormatHTML,
		"\xEF\xBB\xBF<!DOCTYPE html><html>":     nianbao.FormatHTML,
		"报告\n| a | b |\n|---|---|\n| 1 | 2 |\n": nianbao.FormatPlain, // refined by sniffText
		"PK\x03\x04....word/document.xml":       nianbao.FormatDOCX,
	}
	for in, want := range cases {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %s, want %s", in, got, want)
		}
	}
	if got := sniffText("a\n| a | b |\n|---|---|\n| 1 | 2 |\n"); got != nianbao.FormatMarkdown {
		t.Errorf("sniffText(markdown) = %s", got)
	}
	if got := sniffText(strings.Repeat("\tcell\n", 10)); got != nianbao.FormatTabText {
		t.Errorf("sniffText(tab) = %s", got)
	}
}

func TestMarkdown(t *testing.T) {
	doc := ReadMarkdown("## 表三\n| 类别 | 数据1 |\n|---|---|\n| 本年新收 | 5 |\n| - | - |\n— 4 —\n| a \\| b | 1<br>2 |\n")
	ts := tables(doc)
	if len(ts) != 2 {
		t.Fatalf("got %d tables, want 2", len(ts))
	}
	got := rowTexts(ts[0])
	if len(got) != 3 || got[1][1] != "5" || got[2][0] != "-" {
		t.Errorf("first table rows = %q (a row of single dashes below data is not a separator)", got)
	}
	if r := rowTexts(ts[1]); r[0][0] != "a | b" || r[0][1] != "1\n2" {
		t.Errorf("escaped pipe / <br>: %q", r)
	}
	if doc.Blocks[0].Text != "表三" {
		t.Errorf("heading = %q", doc.Blocks[0].Text)
	}
}

const wordCell = `<td rowspan="2" colspan="3"><p class="MsoNormal"><span style="font-family:仿宋">自然</span><font face="Times">人</font><o:p></o:p></p><p>第二行</p></td>`

func TestHTMLTables(t *testing.T) {
	page := `<html><head><title>T</title><meta name="PubDate" content="2024-01-17"><script>document.write("<table><tr><td>x</td></tr></table>")</script></head><body>
<table class="layout"><tr><td><div>导航</div>
<table><tr>` + wordCell + `<td>1<span>2</span>3</td><td>&nbsp;</td></tr><tr><td>４</td></tr></table>
<p>正文<br>下一行</p></td></tr></table></body></html>`
	doc, err := ReadHTML([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("got %d tables, want only the inner data table", len(ts))
	}
	rows := ts[0].Rows
	if rows[0][0].Text != "自然人\n第二行" || rows[0][0].RowSpan != 2 || rows[0][0].ColSpan != 3 {
		t.Errorf("word-pasted cell = %+v", rows[0][0])
	}
	if rows[0][1].Text != "123" || rows[0][2].Text != "" || rows[1][0].Text != "４" {
		t.Errorf("cells = %q", rowTexts(ts[0]))
	}
	var paras []string
	for _, b := range doc.Blocks {
		if b.Table == nil {
			paras = append(paras, b.Text)
		}
	}
	if strings.Join(paras, "|") != "导航|正文|下一行" {
		t.Errorf("paragraphs = %q", paras)
	}
	if doc.Title != "T" || doc.Meta["PubDate"] != "2024-01-17" {
		t.Errorf("title %q meta %v", doc.Title, doc.Meta)
	}
	grid := ts[0].Grid()
	if len(grid) != 2 || len(grid[0]) != 5 || !grid[1][2].Covered || grid[1][3].Text != "４" {
		t.Errorf("grid = %+v", grid)
	}
}

func TestHTMLCharsets(t *testing.T) {
	body := "<html><head>%s</head><body><p>沭阳县政府信息公开工作年度报告</p></body></html>"
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name, ct string
		data     []byte
		warn     bool
	}{
		{"utf8 declared", "", []byte(strings.Replace(body, "%s", `<meta charset="utf-8">`, 1)), false},
		{"gbk meta", "", gbk(strings.Replace(body, "%s", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, 1)), false},
		{"gbk header", "text/html; charset=GBK", gbk(strings.Replace(body, "%s", "", 1)), false},
		{"gbk undeclared", "", gbk(strings.Replace(body, "%s", "", 1)), false},
		{"gbk declared utf-8", "", gbk(strings.Replace(body, "%s", `<meta charset="utf-8">`, 1)), true},
		{"utf8 declared gbk", "", []byte(strings.Replace(body, "%s", `<meta charset="gbk">`, 1)), true},
	}
	for _, c := range cases {
		doc, err := ReadHTML(c.data, c.ct)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(doc.Blocks) != 1 || doc.Blocks[0].Text != "沭阳县政府信息公开工作年度报告" {
			t.Errorf("%s: blocks = %+v", c.name, doc.Blocks)
		}
		if (len(doc.Warnings) > 0) != c.warn {
			t.Errorf("%s: warnings = %q", c.name, doc.Warnings)
		}
	}
}

func TestReadErrors(t *testing.T) {
	cases := map[string]error{
		"":                                     ErrEmpty,
		"PK\x03\x04 not word":                  ErrZip,
		"\x00\x01\x02\x03\x04\x05\x06\x07\x08": ErrBinary,
	}
	for in, want := range cases {
		if _, err := Read("x", []byte(in), Options{}); err != want {
			t.Errorf("Read(%q) error = %v, want %v", in, err, want)
		}
	}
	// An OLE header with nothing behind it goes to the .doc reader and fails
	// with a .doc error.
	if _, err := Read("x.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), Options{}); err == nil || !strings.Contains(err.Error(), ".doc") {
		t.Errorf("bare OLE header: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	big := make([]byte, MaxSize+1)
	copy(big, "%PDF-1.7\n")
	if _, err := Read("big.pdf", big, Options{}); err != ErrTooLarge {
		t.Errorf("a %d-byte PDF: error %v, want ErrTooLarge", len(big), err)
	}
}

// TestHTMLImages: the reader lists body images in order, not those in
// skipped content, and at most MaxImages.
func TestHTMLImages(t *testing.T) {
	page := "<html><body><img src=' a.jpg '><noscript><img src=hidden.jpg></noscript><table><tr><td><img src=b.png></td></tr></table><img alt=x>" +
		strings.Repeat("<img src=c.gif>", nianbao.MaxImages+5) + "</body></html>"
	d, err := ReadHTML([]byte(page), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Images) != nianbao.MaxImages || d.Images[0] != "a.jpg" || d.Images[1] != "b.png" || d.Images[2] != "c.gif" {
		t.Errorf("images %d %q", len(d.Images), d.Images[:3])
	}
}

// TestHTMLImageLinks: page images attached as links are the page's
// images too, in order; a thumbnail inside such a link is not another
// page; links to other files are not images.
func TestHTMLImageLinks(t *testing.T) {
	page := `<p><a href="p1.jpg"><img src="thumb1.jpg"></a></p><p><a href=" p2.JPG?v=1 ">第2页</a>` +
		`<a href="report.pdf">报告.pdf</a><a href="a.html"><img src="in-link.png"></a><a href="x.jpg.html">x</a></p><img src=after.png>`
	d, err := ReadHTML([]byte(page), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"p1.jpg", "p2.JPG?v=1", "in-link.png", "after.png"}
	if !slices.Equal(d.Images, want) {
		t.Errorf("images %q, want %q", d.Images, want)
	}
}
