package normalize

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/nianbao/nianbao"
)

// row is one line of the document seen as a table row: label cells followed
// by a trailing run of value cells. Paragraphs become rows too ("行政许可 97"),
// so tables flattened to text are read by the same code.
type row struct {
	labels []string           // printed label cells, blanks included
	values []string           // printed value cells (numbers, blanks, dashes)
	label  string             // folded label text, all label cells joined
	text   string             // folded text of the whole row
	table  bool               // the row came from a table
	long   bool               // a long narrative paragraph: not folded, never a label or anchor
	more   []string           // folded text of value paragraphs joined to the row, until text is final
	at     []nianbao.Position // where each value was printed, aligned with values; nil when unknown
}

// posOf returns where vals[i] was printed, vals being r.values or a slice
// of it (trimmed); nil when that cannot be told.
func (r *row) posOf(vals []string, i int) *nianbao.Position {
	if r.at == nil || i >= len(vals) || len(r.values) == 0 {
		return nil
	}
	for off := 0; off+i < len(r.values) && off+i < len(r.at); off++ {
		if &r.values[off+i] == &vals[i] {
			p := r.at[off+i]
			return &p
		}
	}
	return nil
}

// maxLabelBytes: paragraphs longer than this are narrative. Headings,
// labels and table lines are far shorter, and folding every long paragraph
// was a fifth of the time on a typical page.
const maxLabelBytes = 600

// hasValues reports whether the row carries at least one number.
func (r *row) hasValues() bool {
	for _, v := range r.values {
		if isNumber(v) {
			return true
		}
	}
	return false
}

// valueOnly reports whether the row is nothing but values.
func (r *row) valueOnly() bool {
	return r.label == "" && len(r.values) > 0
}

var furnitureRe = regexp.MustCompile(`^[-—–－―~]+[0-9]+[-—–－―~]+$|^第[0-9]+页(共[0-9]+页)?$|^[0-9]+/[0-9]+$`)

// buildRows turns the document's blocks into rows, in reading order. Page
// furniture (— 4 —) is dropped; a label-only paragraph directly followed by
// value-only paragraphs is merged with them (tables printed one cell per
// line).
func buildRows(doc *nianbao.Document) []row {
	rows := make([]row, 0, len(doc.Blocks)+64)
	pendingLabel := -1 // index of a label-only paragraph row that values may join
	for bi, b := range doc.Blocks {
		if b.Table != nil {
			pendingLabel = -1
			for ri, cells := range b.Table.Rows {
				texts := make([]string, len(cells))
				for i, c := range cells {
					texts[i] = c.Text
				}
				r := makeRow(texts, true)
				first := len(cells) - len(r.values)
				r.at = make([]nianbao.Position, len(r.values))
				for j := range r.values {
					c := cells[first+j]
					p := nianbao.Position{Block: bi, Row: ri, Col: first + j, Page: c.Page}
					if c.OCR {
						p.Source = "ocr"
						if c.Confidence > 0 {
							conf := math.Round(c.Confidence*100) / 100
							p.Confidence = &conf
						}
					}
					if c.W > 0 {
						p.Box = &[4]float64{round1(c.X), round1(c.Y), round1(c.W), round1(c.H)}
					}
					r.at[j] = p
				}
				rows = append(rows, r)
			}
			continue
		}
		t := strings.TrimSpace(b.Text)
		if t == "" || (len(t) < 24 && furnitureRe.MatchString(fold(t))) {
			continue
		}
		if len(t) > maxLabelBytes {
			rows = append(rows, row{long: true})
			pendingLabel = -1
			continue
		}
		r := paragraphRow(t)
		r.at = make([]nianbao.Position, len(r.values))
		nf := len(strings.Fields(t))
		for j := range r.values {
			r.at[j] = nianbao.Position{Block: bi, Row: -1, Col: nf - len(r.values) + j}
		}
		switch {
		case r.valueOnly() && len(rows) > 0 && !rows[len(rows)-1].table && (pendingLabel == len(rows)-1 || rows[len(rows)-1].valueOnly()):
			last := &rows[len(rows)-1]
			if last.at != nil && len(last.at) == len(last.values) {
				last.at = append(last.at, r.at...)
			} else {
				last.at = nil
			}
			last.values = append(last.values, r.values...)
			last.more = append(last.more, r.text) // joined once below: += here was quadratic
			continue
		case r.label != "" && len(r.values) == 0 && len([]rune(r.label)) <= 60:
			pendingLabel = len(rows)
		default:
			pendingLabel = -1
		}
		rows = append(rows, r)
	}
	for i := range rows {
		if r := &rows[i]; r.more != nil {
			r.text += strings.Join(r.more, "")
			r.more = nil
		}
	}
	return rows
}

// makeRow splits cells into leading labels and the trailing run of values.
func makeRow(cells []string, table bool) row {
	i := len(cells)
	// a value OCR could not read is a value cell, except as the row's
	// first cell, where it stands for an unread label
	for i > 0 && (isValue(cells[i-1]) || i > 1 && cells[i-1] == nianbao.Unreadable) {
		i--
	}
	r := row{labels: cells[:i], values: cells[i:], table: table}
	var lb, tb strings.Builder
	for _, c := range r.labels {
		lb.WriteString(fold(c))
	}
	r.label = lb.String()
	tb.WriteString(r.label)
	for _, c := range r.values {
		tb.WriteString(fold(c))
	}
	r.text = tb.String()
	return r
}

// paragraphRow reads a paragraph as a label followed by white-space
// separated numbers, when it ends in numbers; otherwise as a label only.
func paragraphRow(t string) row {
	if i := strings.LastIndexFunc(t, unicode.IsSpace); !isValue(t[i+1:]) {
		return makeRow([]string{t}, false) // does not end in a number: a label only
	}
	fields := strings.Fields(t)
	i := len(fields)
	for i > 0 && isValue(fields[i-1]) && ParseValue(fields[i-1]).Semantic != nianbao.Empty {
		i--
	}
	if i == len(fields) {
		return makeRow([]string{t}, false)
	}
	cells := append([]string{strings.Join(fields[:i], "")}, fields[i:]...)
	if i == 0 {
		cells = fields
	}
	r := makeRow(cells, false)
	if !r.hasValues() {
		return makeRow([]string{t}, false)
	}
	return r
}

// trimValues returns vals cut to n cells by dropping blank cells from the
// end, then from the start. ok is false when that cannot reach n.
func trimValues(vals []string, n int) ([]string, bool) {
	for len(vals) > n && strings.TrimSpace(vals[len(vals)-1]) == "" {
		vals = vals[:len(vals)-1]
	}
	for len(vals) > n && strings.TrimSpace(vals[0]) == "" {
		vals = vals[1:]
	}
	return vals, len(vals) == n
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
