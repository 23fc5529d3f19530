package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSchemaDocumented checks docs/schema.md against the live schema of a
// fresh database: every table and view is named, and every column of
// them, except the columns that follow the dictionary by the rule the
// document states (a wide column per cell, a _basis per figure).
func TestSchemaDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z0-9_]+)`").FindAllStringSubmatch(string(doc), -1) {
		named[m[1]] = true
	}
	db, err := Open(filepath.Join(t.TempDir(), "doc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.sql.Query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var objects []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		objects = append(objects, n)
	}
	rows.Close()
	cell := map[string]bool{}
	for _, id := range db.keys.ids {
		cell[wideColumn(id)] = true
	}
	var missing []string
	for _, o := range objects {
		if !named[o] {
			missing = append(missing, "table or view "+o)
		}
		cols, err := columnList(t.Context(), db.sql, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if named[c] || cell[c] || strings.HasSuffix(c, "_basis") && named[strings.TrimSuffix(c, "_basis")] {
				continue
			}
			missing = append(missing, o+"."+c)
		}
	}
	if len(missing) > 0 {
		t.Errorf("docs/schema.md does not name:\n%s", strings.Join(missing, "\n"))
	}
}
