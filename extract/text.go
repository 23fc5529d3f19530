package extract

import (
	"strings"

	"github.com/nianbao/nianbao"
)

// ReadTabText parses the tab-indented text form: a line starting with TAB is
// a cell, a blank line ends a row, a bare TAB is an empty or merged cell, and
// a line without TAB inside a row continues the previous cell. Consecutive
// rows form one table; other lines are paragraphs. Linear in the input.
func ReadTabText(s string) *nianbao.Document {
	doc := &nianbao.Document{Format: nianbao.FormatTabText}
	var table *nianbao.Table
	var row []nianbao.TableCell
	var cont []string // continuation lines of the row's last cell
	endCell := func() {
		if len(cont) > 0 {
			last := &row[len(row)-1]
			if last.Text != "" {
				cont = append([]string{last.Text}, cont...)
			}
			last.Text = strings.Join(cont, "\n")
			cont = cont[:0]
		}
	}
	endRow := func() {
		endCell()
		if row == nil {
			return
		}
		if table == nil {
			table = &nianbao.Table{}
		}
		table.Rows = append(table.Rows, row)
		row = nil
	}
	endTable := func() {
		endRow()
		if table != nil {
			doc.Blocks = append(doc.Blocks, nianbao.Block{Table: table})
			table = nil
		}
	}
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(line, "\t"):
			endCell()
			row = append(row, nianbao.TableCell{Text: strings.TrimSpace(line[1:])})
		case strings.TrimSpace(line) == "":
			endRow()
		case row != nil:
			cont = append(cont, strings.TrimSpace(line)) // joined by endCell: += was quadratic
		default:
			endTable()
			doc.Blocks = append(doc.Blocks, nianbao.Block{Text: strings.TrimSpace(line)})
		}
	}
	endTable()
	return doc
}

// ReadMarkdown parses converter output: pipe-table lines become table rows
// (separator lines dropped), consecutive rows one table; every other
// non-blank line is a paragraph, with heading marks removed. One pass:
// linear in the input.
func ReadMarkdown(s string) *nianbao.Document {
	doc := &nianbao.Document{Format: nianbao.FormatMarkdown}
	var table *nianbao.Table
	endTable := func() {
		if table != nil {
			doc.Blocks = append(doc.Blocks, nianbao.Block{Table: table})
			table = nil
		}
	}
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 2 {
			cells := splitPipeRow(t)
			if isSeparatorRow(cells, table == nil || len(table.Rows) == 1) {
				continue
			}
			if table == nil {
				table = &nianbao.Table{}
			}
			table.Rows = append(table.Rows, cells)
			continue
		}
		endTable()
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "#") {
			t = strings.TrimSpace(strings.TrimLeft(t, "#"))
		}
		if t != "" {
			doc.Blocks = append(doc.Blocks, nianbao.Block{Text: t})
		}
	}
	endTable()
	return doc
}

func splitPipeRow(t string) []nianbao.TableCell {
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimSuffix(t, "|")
	var cells []nianbao.TableCell
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '\\' && i+1 < len(t) && t[i+1] == '|':
			b.WriteByte('|')
			i++
		case t[i] == '|':
			cells = append(cells, nianbao.TableCell{Text: cleanCell(b.String())})
			b.Reset()
		default:
			b.WriteByte(t[i])
		}
	}
	return append(cells, nianbao.TableCell{Text: cleanCell(b.String())})
}

func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "<br>", "\n")
	s = strings.ReplaceAll(s, "<br/>", "\n")
	s = strings.ReplaceAll(s, "<br />", "\n")
	return strings.TrimSpace(s)
}

// isSeparatorRow reports whether cells form a header separator (|---|). A
// row of single dashes counts only right under the header: elsewhere "-" is
// a printed not-applicable mark.
func isSeparatorRow(cells []nianbao.TableCell, afterHeader bool) bool {
	for _, c := range cells {
		if c.Text == "" || strings.Trim(c.Text, ":- ") != "" {
			return false
		}
		if !afterHeader && strings.Count(c.Text, "-") < 3 {
			return false
		}
	}
	return true
}

// ReadPlain parses plain text: every non-blank line is a paragraph. Tables
// printed one cell per line are recovered by the normalizer, which knows
// what rows to expect. One pass: linear in the input.
func ReadPlain(s string) *nianbao.Document {
	doc := &nianbao.Document{Format: nianbao.FormatPlain}
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			doc.Blocks = append(doc.Blocks, nianbao.Block{Text: t})
		}
	}
	return doc
}
