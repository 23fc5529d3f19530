package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/nianbao/nianbao/store"
)

// demoDB runs the demo into a temporary folder and opens its database
// read-only.
func demoDB(t *testing.T) (dir, dbPath string, db *store.DB) {
	t.Helper()
	dir = t.TempDir()
	dbPath = filepath.Join(dir, "demo.db")
	if err := runDemo([]string{"--db", dbPath, "--out", filepath.Join(dir, "s.csv")}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenReadOnly(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return dir, dbPath, db
}

// TestParquetDemoReadsBackEqual exports the demo database's tables as
// Parquet and reads every file back with the Parquet library's reader: the
// same rows, value for value, integers as INT64, reals as DOUBLE, NULL as
// NULL, and the year from the partition folder.
func TestParquetDemoReadsBackEqual(t *testing.T) {
	dir, dbPath, db := demoDB(t)
	for _, table := range []string{"cells", "report_summary", "t2_wide", "t3_wide", "t4_wide", "checks", "xyear_checks", "cell_dictionary"} {
		out := filepath.Join(dir, "pq", table)
		var stderr bytes.Buffer
		if err := runExport([]string{"--db", dbPath, "--table", table, "--format", "parquet", "--out", out}, io.Discard, &stderr); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		want := sqliteRows(t, db, table)
		got := parquetRows(t, out)
		if len(want) == 0 && table != "xyear_checks" {
			t.Fatalf("%s: no rows in the demo database", table)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d rows read back, %d in SQLite", table, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: row differs\n parquet %s\n sqlite  %s", table, got[i], want[i])
				break
			}
		}
	}
	// A second export replaces the first; a folder with other files is refused.
	out := filepath.Join(dir, "pq", "cells")
	if err := runExport([]string{"--db", dbPath, "--table", "cells", "--format", "parquet", "--out", out}, io.Discard, io.Discard); err != nil {
		t.Errorf("re-export: %v", err)
	}
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	if err := runExport([]string{"--db", dbPath, "--table", "cells", "--format", "parquet", "--out", out}, io.Discard, io.Discard); err == nil {
		t.Error("a folder holding notes.txt was replaced")
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Error("notes.txt is gone")
	}
	file := filepath.Join(dir, "summary.csv")
	os.WriteFile(file, []byte("a,b\n"), 0o644)
	if err := runExport([]string{"--db", dbPath, "--format", "parquet", "--out", file}, io.Discard, io.Discard); err == nil {
		t.Error("--out naming a file was replaced by a folder")
	}
	if data, _ := os.ReadFile(file); string(data) != "a,b\n" {
		t.Errorf("the file --out named holds %q now", data)
	}
}

// canon writes one value with its type: i:12, f:0.5, s:text, null.
func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int64:
		return "i:" + strconv.FormatInt(x, 10)
	case float64:
		return "f:" + strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return "s:" + string(x)
	case string:
		return "s:" + x
	}
	return fmt.Sprintf("?%T", v)
}

// sqliteRows is the export's rows as sorted "col=value" lines, a REAL
// column's integral values written as reals (SQLite returns them so too).
func sqliteRows(t *testing.T, db *store.DB, table string) []string {
	types, err := db.ExportTypes(context.Background(), table, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Export(context.Background(), table, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		rows.Scan(ptrs...)
		var parts []string
		for i, c := range cols {
			v := vals[i]
			if x, ok := v.(int64); ok && types[i] == store.TypeReal {
				v = float64(x)
			}
			parts = append(parts, c+"="+canon(v))
		}
		sort.Strings(parts)
		out = append(out, strings.Join(parts, " "))
	}
	sort.Strings(out)
	return out
}

// parquetRows reads every part file under dir the same way, taking the
// partition column from the folder name.
func parquetRows(t *testing.T, dir string) []string {
	var out []string
	files, _ := filepath.Glob(filepath.Join(dir, "*", "part-*.parquet"))
	top, _ := filepath.Glob(filepath.Join(dir, "part-*.parquet"))
	files = append(files, top...)
	if len(files) == 0 {
		t.Fatalf("no Parquet files under %s", dir)
	}
	for _, p := range files {
		var partition string
		if k, v, ok := strings.Cut(filepath.Base(filepath.Dir(p)), "="); ok {
			partition = k + "=null"
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				partition = k + "=" + canon(n)
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		cols := f.Schema().Columns()
		r := parquet.NewReader(f)
		buf := make([]parquet.Row, 64)
		for {
			n, err := r.ReadRows(buf)
			for _, row := range buf[:n] {
				var parts []string
				if partition != "" {
					parts = append(parts, partition)
				}
				for _, v := range row {
					name := cols[v.Column()][0]
					var x any
					switch {
					case v.IsNull():
					case v.Kind() == parquet.Int64:
						x = v.Int64()
					case v.Kind() == parquet.Double:
						x = v.Double()
						if math.IsNaN(v.Double()) {
							x = "NaN"
						}
					case v.Kind() == parquet.ByteArray:
						x = string(v.ByteArray())
					default:
						x = struct{}{}
					}
					parts = append(parts, name+"="+canon(x))
				}
				sort.Strings(parts)
				out = append(out, strings.Join(parts, " "))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
		}
		r.Close()
	}
	sort.Strings(out)
	return out
}

// TestIntegersStayIntegers: counts were stored and exported as REAL (51.0,
// Parquet DOUBLE though the README says INT64). The views give integers as
// integers, so CSV says 51, and Parquet stores a count column as INT64
// (a column holding any non-integer stays DOUBLE: nothing is truncated).
func TestIntegersStayIntegers(t *testing.T) {
	dir, dbPath, db := demoDB(t)
	var typ, cellTyp, wideTyp, rateTyp string
	db.SQL().QueryRow("SELECT typeof(requests_received), typeof(grant_rate) FROM report_summary WHERE agency = '宁海县市场监督管理局'").Scan(&typ, &rateTyp)
	db.SQL().QueryRow("SELECT typeof(value) FROM cells WHERE cell_id = 't3.new_received.total' LIMIT 1").Scan(&cellTyp)
	db.SQL().QueryRow("SELECT typeof(t3_new_received_total) FROM t3_wide LIMIT 1").Scan(&wideTyp)
	if typ != "integer" || cellTyp != "integer" || wideTyp != "integer" || rateTyp != "real" {
		t.Errorf("types: summary %s, cells %s, wide %s, rate %s", typ, cellTyp, wideTyp, rateTyp)
	}
	out := filepath.Join(dir, "pq")
	if err := runExport([]string{"--db", dbPath, "--table", "report_summary", "--format", "parquet", "--out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*", "*.parquet"))
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"requests_received", "checks_failed"} {
		leaf, ok := pf.Schema().Lookup(col)
		if !ok || leaf.Node.Type().Kind() != parquet.Int64 {
			t.Errorf("Parquet %s: %v", col, leaf.Node.Type())
		}
	}
	if leaf, _ := pf.Schema().Lookup("grant_rate"); leaf.Node.Type().Kind() != parquet.Double {
		t.Errorf("Parquet grant_rate: %v", leaf.Node.Type())
	}
	var csv bytes.Buffer
	runExport([]string{"--db", dbPath}, &csv, io.Discard)
	if !strings.Contains(csv.String(), ",51,") || strings.Contains(csv.String(), "51.0") {
		t.Errorf("CSV: %.300s", csv.String())
	}
}
