package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
)

func TestValidText(t *testing.T) {
	cases := map[string]string{
		"plain": "plain",
		"attachment; filename=\"" + "\xc4\xea\xb1\xa8.pdf\"": "attachment; filename=\"年报.pdf\"", // GBK 年报
		"bad \xff byte": "bad %FF byte",
	}
	for in, want := range cases {
		if got := store.ValidText(in); got != want {
			t.Errorf("ValidText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every TEXT value written must be valid UTF-8, whatever bytes a server
// sent in its headers.
func TestFetchLogIsUTF8(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	gbk := "attachment; filename=\"\xc4\xea\xb1\xa8.pdf\""
	if err := db.LogFetch(ctx, store.Fetch{URL: "http://x/\xff", ContentDisposition: gbk, ContentType: "text/html; charset=\xb0", Error: "e\xfe"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutResource(ctx, store.Resource{URL: "http://x/a", Kind: "attachment", Title: "\xc4\xea\xb1\xa8"}); err != nil {
		t.Fatal(err)
	}
	assertAllUTF8(t, db)
	var cd string
	db.SQL().QueryRow("SELECT content_disposition FROM fetches").Scan(&cd)
	if !strings.Contains(cd, "年报.pdf") {
		t.Errorf("content_disposition = %q, want the GBK name decoded", cd)
	}
}

// assertAllUTF8 reads every TEXT value of every table as bytes.
func assertAllUTF8(t *testing.T, db *store.DB) {
	t.Helper()
	rows, err := db.SQL().Query("SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tbl := range tables {
		r, err := db.SQL().Query("SELECT * FROM " + tbl)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			for i, v := range vals {
				var b []byte
				switch x := v.(type) {
				case string:
					b = []byte(x)
				case []byte:
					b = x
				}
				if !utf8.Valid(b) {
					t.Errorf("%s.%s holds invalid UTF-8: %q", tbl, cols[i], b)
				}
			}
		}
		r.Close()
	}
}

func TestExportIsReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, store.Document{SHA256: "a1", Path: "a", Format: "text"}, sampleReport("甲局", 2023, 4)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	attach := filepath.Join(filepath.Dir(path), "evil.db")
	for _, where := range []string{
		"1); DELETE FROM cell_values; DROP TABLE unmatched; SELECT (1",
		"1) UNION SELECT 1 --",
		"year = 2023; ATTACH DATABASE '" + attach + "' AS x",
	} {
		rows, err := ro.Export(ctx, "cells", store.Filter{Where: where})
		if err == nil {
			for rows.Next() {
			}
			rows.Close()
			t.Errorf("--where %q was run", where)
		}
	}
	// Even past the clause check, the connection itself refuses writes.
	if _, err := ro.SQL().Exec("DELETE FROM cell_values"); err == nil {
		t.Error("a DELETE ran on the read-only connection")
	}
	if _, err := ro.SQL().Exec("ATTACH DATABASE '" + attach + "' AS x"); err == nil {
		if _, err := os.Stat(attach); err == nil {
			t.Error("ATTACH created a file through the read-only connection")
		}
	}
	var n int
	ro.SQL().QueryRow("SELECT COUNT(*) FROM cell_values").Scan(&n)
	if n != 3 {
		t.Errorf("%d cell rows after the attempts, want 3", n)
	}
	rows, err := ro.Export(ctx, "cells", store.Filter{Where: "cell_id IN ('t3.total.total', 'x') AND value > 1"})
	if err != nil {
		t.Fatalf("a plain condition was refused: %v", err)
	}
	rows.Close()
}

func TestErrorsNameTheDatabase(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "malformed.db")
	os.WriteFile(bad, []byte(strings.Repeat("not a database ", 100)), 0o644)
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o644)
	for _, path := range []string{bad, filepath.Join(notDir, "n.db")} {
		_, err := store.Open(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s): error %v does not name the file", path, err)
		}
		_, err = store.OpenReadOnly(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("OpenReadOnly(%s): error %v does not name the file", path, err)
		}
	}
}

// Every cell row carries a unit (printed, else the template's) and every
// check id is explained in check_dictionary.
func TestUnitsAndCheckDictionary(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep := sampleReport("丙局", 2023, 4)
	rep.Cells["t2.art20_8.admin_fees.amount_wan_yuan"] = nianbao.Cell{Value: f(1.5), Raw: "1.5", Semantic: nianbao.Numeric}
	rep.Checks = append(rep.Checks, nianbao.Check{ID: "T2.FEE_SCALE", Scope: "admin_fees", Status: nianbao.Pass})
	if _, err := db.Save(ctx, store.Document{SHA256: "u1", Path: "u", Format: "text"}, rep); err != nil {
		t.Fatal(err)
	}
	var noUnit, fees int
	db.SQL().QueryRow("SELECT COUNT(*) FROM cells WHERE unit IS NULL OR unit = ''").Scan(&noUnit)
	db.SQL().QueryRow("SELECT COUNT(*) FROM cells WHERE cell_id = 't2.art20_8.admin_fees.amount_wan_yuan' AND unit = '万元'").Scan(&fees)
	if noUnit != 0 || fees != 1 {
		t.Errorf("%d cell rows without a unit, fees in 万元: %d", noUnit, fees)
	}
	var unexplained int
	db.SQL().QueryRow("SELECT COUNT(*) FROM checks k WHERE NOT EXISTS (SELECT 1 FROM check_dictionary d WHERE d.check_id = k.check_id)").Scan(&unexplained)
	if unexplained != 0 {
		t.Errorf("%d stored checks missing from check_dictionary", unexplained)
	}
}
