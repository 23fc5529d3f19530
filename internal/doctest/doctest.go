// Package doctest has the assertions the readers' tests share about a
// nianbao.Document.
package doctest

import (
	"testing"

	"github.com/nianbao/nianbao"
)

// Tables returns the document's tables in order.
func Tables(doc *nianbao.Document) []*nianbao.Table {
	var ts []*nianbao.Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			ts = append(ts, b.Table)
		}
	}
	return ts
}

// RowTexts returns a table's cell texts row by row.
func RowTexts(t *nianbao.Table) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		var cells []string
		for _, c := range r {
			cells = append(cells, c.Text)
		}
		out = append(out, cells)
	}
	return out
}

// Check asserts what every reader guarantees for any input: no empty table
// row, and a grid that expands within its bounds.
func Check(t testing.TB, doc *nianbao.Document) {
	t.Helper()
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		for _, r := range b.Table.Rows {
			if len(r) == 0 {
				t.Fatal("empty row in table")
			}
		}
		b.Table.Grid()
	}
}
