package extract

import (
	"bytes"
	"path"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/nianbao/nianbao"
)

// ReadHTML parses an HTML page in any charset into paragraphs and tables.
// contentType is the HTTP Content-Type, if known. The page is tokenized in
// one streaming pass (no DOM), so deeply nested or malformed markup costs
// linear time. Tables that contain other tables are layout tables: their
// cells become paragraphs, and only innermost tables are kept as tables.
func ReadHTML(data []byte, contentType string) (*nianbao.Document, error) {
	declared := charsetParam(contentType)
	if declared == "" {
		declared = htmlDeclaredCharset(data)
	}
	text, warn := decodeText(data, declared)
	if looksBinary(text) {
		return nil, ErrBinary
	}
	b := &htmlBuilder{doc: &nianbao.Document{Format: nianbao.FormatHTML, Meta: map[string]string{}}}
	if warn != "" {
		b.doc.Warnings = append(b.doc.Warnings, warn)
	}
	b.run(html.NewTokenizer(strings.NewReader(text)))
	return b.doc, nil
}

// htmlTable is a table being built; layout tables flush their content as
// paragraphs instead of keeping rows.
type htmlTable struct {
	rows   [][]nianbao.TableCell
	row    []nianbao.TableCell
	inRow  bool
	inCell bool
	cell   nianbao.TableCell
	buf    strings.Builder
	layout bool
}

type htmlBuilder struct {
	doc     *nianbao.Document
	para    strings.Builder
	tables  []*htmlTable
	skip    int // depth inside script/style/… whose text is not content
	inTitle bool
	title   strings.Builder
	inImage bool // inside a link to an image (<a href="p1.jpg">): an <img> in it is its thumbnail
}

var skipTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "math": true,
	"iframe": true, "object": true, "embed": true, "select": true, "textarea": true, "head": false,
}

var blockTags = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true, "section": true,
	"article": true, "header": true, "footer": true, "nav": true, "aside": true, "main": true,
	"blockquote": true, "pre": true, "form": true, "fieldset": true, "address": true, "center": true,
	"hr": true, "br": true, "figure": true, "figcaption": true, "caption": true, "body": true, "html": true,
	"ucapcontent": true,
}

func (b *htmlBuilder) run(z *html.Tokenizer) {
	z.SetMaxBuf(MaxSize)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			b.finish()
			return
		case html.TextToken:
			if b.skip > 0 {
				continue
			}
			if b.inTitle {
				b.title.Write(z.Text())
				continue
			}
			b.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			var attrs tagAttrs
			if hasAttr && (tag == "td" || tag == "th" || tag == "meta" || tag == "img" || tag == "a") {
				attrs = readAttrs(z)
			}
			b.start(tag, attrs, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			b.end(string(name))
		}
	}
}

// tagAttrs holds the few attributes the reader uses.
type tagAttrs struct {
	rowspan, colspan        int
	name, property, content string
	src, href               string
}

// readAttrs reads only the attributes that matter, without building a map:
// Word-pasted cells carry long style attributes on every <td>.
func readAttrs(z *html.Tokenizer) tagAttrs {
	a := tagAttrs{rowspan: 1, colspan: 1}
	for {
		k, v, more := z.TagAttr() // keys come lower-cased
		switch string(k) {
		case "rowspan":
			a.rowspan = spanAttr(string(v))
		case "colspan":
			a.colspan = spanAttr(string(v))
		case "name":
			a.name = string(v)
		case "property":
			a.property = string(v)
		case "content":
			a.content = string(v)
		case "src":
			a.src = strings.TrimSpace(string(v))
		case "href":
			a.href = strings.TrimSpace(string(v))
		}
		if !more {
			return a
		}
	}
}

func (b *htmlBuilder) cur() *htmlTable {
	if len(b.tables) == 0 {
		return nil
	}
	return b.tables[len(b.tables)-1]
}

// sink is where text goes now: the open cell of a data table, or the
// paragraph buffer.
func (b *htmlBuilder) sink() *strings.Builder {
	if t := b.cur(); t != nil && !t.layout && t.inCell {
		return &t.buf
	}
	return &b.para
}

var wsReplacer = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ", "\f", " ")

func (b *htmlBuilder) text(raw []byte) {
	s := b.sink()
	if len(bytes.TrimLeft(raw, " \t\r\n\f")) == 0 {
		if s.Len() > 0 {
			s.WriteByte(' ')
		}
		return
	}
	for _, c := range raw {
		switch c {
		case '\r', '\n', '\t', '\f':
			c = ' '
		}
		s.WriteByte(c)
	}
}

func (b *htmlBuilder) start(tag string, attrs tagAttrs, selfClosing bool) {
	if v, ok := skipTags[tag]; ok && v {
		if !selfClosing {
			b.skip++
		}
		return
	}
	if b.skip > 0 {
		return
	}
	switch tag {
	case "title":
		if !selfClosing {
			b.inTitle = true
		}
		return
	case "meta":
		b.meta(attrs)
		return
	case "img":
		if attrs.src != "" && !b.inImage {
			b.image(attrs.src)
		}
		return
	case "a":
		// a page image attached as a link (附件: 第1页.jpg …), often
		// around its thumbnail: the link is the full-size page
		if b.inImage = imageLink(attrs.href); b.inImage {
			b.image(attrs.href)
		}
	case "table":
		if t := b.cur(); t != nil && !t.layout {
			b.toLayout(t)
		}
		b.flushPara()
		b.tables = append(b.tables, &htmlTable{})
		return
	}
	t := b.cur()
	if t != nil && !t.layout {
		switch tag {
		case "tr":
			b.endRow(t)
			t.inRow = true
			return
		case "td", "th":
			b.endCell(t)
			t.inRow = true
			t.inCell = true
			t.cell = nianbao.TableCell{RowSpan: max(attrs.rowspan, 1), ColSpan: max(attrs.colspan, 1)}
			return
		}
		if t.inCell && (blockTags[tag] || tag == "br") {
			t.buf.WriteByte('\n')
			return
		}
	}
	if t != nil && t.layout && (tag == "td" || tag == "th" || tag == "tr") {
		b.flushPara()
		return
	}
	if blockTags[tag] {
		if tag == "br" {
			b.para.WriteByte('\n')
			return
		}
		b.flushPara()
	}
}

// imageLink tells whether a link is to an image file (JPEG, PNG, TIFF):
// its path ends so.
func imageLink(href string) bool {
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	switch strings.ToLower(path.Ext(href)) {
	case ".jpg", ".jpeg", ".png", ".tif", ".tiff":
		return true
	}
	return false
}

func (b *htmlBuilder) image(src string) {
	if len(b.doc.Images) < nianbao.MaxImages {
		b.doc.Images = append(b.doc.Images, src)
	}
}

func (b *htmlBuilder) end(tag string) {
	if v, ok := skipTags[tag]; ok && v {
		if b.skip > 0 {
			b.skip--
		}
		return
	}
	if b.skip > 0 {
		return
	}
	switch tag {
	case "a":
		b.inImage = false
	case "title":
		b.inTitle = false
		if b.doc.Title == "" {
			b.doc.Title = strings.TrimSpace(wsReplacer.Replace(b.title.String()))
		}
		return
	case "table":
		if t := b.cur(); t != nil {
			b.closeTable(t)
		}
		return
	}
	t := b.cur()
	if t != nil && !t.layout {
		switch tag {
		case "tr":
			b.endRow(t)
		case "td", "th":
			b.endCell(t)
		default:
			if t.inCell && blockTags[tag] {
				t.buf.WriteByte('\n')
			}
		}
		return
	}
	if blockTags[tag] || tag == "td" || tag == "th" || tag == "tr" {
		b.flushPara()
	}
}

func (b *htmlBuilder) endCell(t *htmlTable) {
	if !t.inCell {
		return
	}
	t.cell.Text = cleanHTMLCell(t.buf.String())
	t.buf.Reset()
	t.row = append(t.row, t.cell)
	t.inCell = false
}

func (b *htmlBuilder) endRow(t *htmlTable) {
	b.endCell(t)
	if t.inRow && len(t.row) > 0 {
		t.rows = append(t.rows, t.row)
	}
	t.row = nil
	t.inRow = false
}

// toLayout turns a table found to contain another table into a layout
// table: what it holds so far becomes paragraphs, in order.
func (b *htmlBuilder) toLayout(t *htmlTable) {
	b.endCell(t)
	if len(t.row) > 0 {
		t.rows = append(t.rows, t.row)
		t.row = nil
	}
	for _, r := range t.rows {
		for _, c := range r {
			if c.Text != "" {
				b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: c.Text})
			}
		}
	}
	t.rows = nil
	t.layout = true
	t.inCell = false
}

func (b *htmlBuilder) closeTable(t *htmlTable) {
	b.tables = b.tables[:len(b.tables)-1]
	if t.layout {
		b.flushPara()
		return
	}
	b.endRow(t)
	if len(t.rows) > 0 {
		b.flushPara()
		b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Table: &nianbao.Table{Rows: t.rows}})
	}
}

func (b *htmlBuilder) flushPara() {
	if b.para.Len() == 0 {
		return
	}
	for _, line := range strings.Split(b.para.String(), "\n") {
		if s := strings.TrimSpace(collapseSpaces(line)); s != "" {
			b.doc.Blocks = append(b.doc.Blocks, nianbao.Block{Text: s})
		}
	}
	b.para.Reset()
}

func (b *htmlBuilder) finish() {
	for len(b.tables) > 0 {
		b.closeTable(b.cur())
	}
	b.flushPara()
	if b.doc.Title == "" && b.title.Len() > 0 {
		b.doc.Title = strings.TrimSpace(wsReplacer.Replace(b.title.String()))
	}
}

func (b *htmlBuilder) meta(attrs tagAttrs) {
	name := attrs.name
	if name == "" {
		name = attrs.property
	}
	if name == "" || attrs.content == "" {
		return
	}
	if _, seen := b.doc.Meta[name]; !seen {
		b.doc.Meta[name] = strings.TrimSpace(attrs.content)
	}
}

func spanAttr(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1000)
}

// cleanHTMLCell trims each line of a cell and drops empty lines.
func cleanHTMLCell(s string) string {
	if !strings.Contains(s, "\n") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(collapseSpaces(line)); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}

func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
