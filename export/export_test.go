package export_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/export"
)

func sampleRows(t *testing.T) (*sql.DB, func() *sql.Rows) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		"CREATE TABLE t (agency TEXT, year INTEGER, rate REAL, note TEXT)",
		`INSERT INTO t VALUES ('杭州市临平区交通运输局', 2023, 0.5, '=HYPERLINK("http://x")'), ('上海市"科委", 分局', 2024, -8, '-8'), ('@x', NULL, NULL, '+1 件')`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	return db, func() *sql.Rows {
		r, err := db.Query("SELECT * FROM t")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

func TestCSV(t *testing.T) {
	db, rows := sampleRows(t)
	defer db.Close()
	var buf bytes.Buffer
	n, err := export.CSV(&buf, rows(), export.Options{Headers: map[string]string{"agency": "机关", "year": "年度"}})
	if err != nil || n != 3 {
		t.Fatalf("CSV: %d rows, %v", n, err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Error("no UTF-8 BOM")
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("records must end in CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"机关", "年度", "rate", "note"},
		{"杭州市临平区交通运输局", "2023", "0.5", `'=HYPERLINK("http://x")`},
		{`上海市"科委", 分局`, "2024", "-8", "-8"},
		{"'@x", "", "", "'+1 件"},
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
	buf.Reset()
	export.CSV(&buf, rows(), export.Options{NoBOM: true})
	if strings.HasPrefix(buf.String(), "\uFEFF") || !strings.HasPrefix(buf.String(), "agency,") {
		t.Errorf("--no-bom output starts %q", buf.String()[:10])
	}
}

func TestXLSX(t *testing.T) {
	db, rows := sampleRows(t)
	defer db.Close()
	var buf bytes.Buffer
	if n, err := export.XLSX(&buf, rows(), "report_summary", export.Options{}); err != nil || n != 3 {
		t.Fatalf("XLSX: %d rows, %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue("report_summary", "A2")
	y, _ := f.GetCellValue("report_summary", "B3")
	if v != "杭州市临平区交通运输局" || y != "2024" {
		t.Errorf("A2 = %q, B3 = %q", v, y)
	}
}

// The workbook a journalist opens: header frozen and filtered, fractions as
// percentages, blanks blank, a Notes sheet.
func TestXLSXPolish(t *testing.T) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	db.Exec("CREATE TABLE s (agency TEXT, grant_rate REAL, reviews REAL)")
	db.Exec("INSERT INTO s VALUES ('甲局', 0.342, 3), ('乙局', NULL, NULL)")
	rows, _ := db.Query("SELECT * FROM s")
	var buf bytes.Buffer
	if _, err := export.XLSX(&buf, rows, "report_summary", export.Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	panes, _ := f.GetPanes("report_summary")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	if got, _ := f.GetCellValue("report_summary", "B2"); got != "34.20%" {
		t.Errorf("grant_rate shown as %q, want 34.20%%", got)
	}
	if got, _ := f.GetCellValue("report_summary", "B3"); got != "" {
		t.Errorf("a blank rate shown as %q", got)
	}
	if got, _ := f.GetCellValue("Notes", "B1"); !strings.Contains(got, "never 0") {
		t.Errorf("notes sheet: %q", got)
	}
	if dn := f.GetDefinedName(); len(dn) == 0 || !strings.Contains(dn[0].Name, "FilterDatabase") {
		t.Errorf("no autofilter: %+v", dn)
	}
}

// A part that fails stops the export with its error; a cancelled context
// is an error too, never a short file reported as whole.
func TestCSVPartsErrors(t *testing.T) {
	db, rows := sampleRows(t)
	defer db.Close()
	boom := errors.New("part 2 failed")
	part := func(ctx context.Context, i int, read func(*sql.Rows) error) error {
		if i == 2 {
			return boom
		}
		rows, err := db.QueryContext(ctx, "SELECT * FROM t")
		if err != nil {
			return err
		}
		defer rows.Close()
		return read(rows)
	}
	var out bytes.Buffer
	n, err := export.CSVParts(context.Background(), &out, 5, 1, part, export.Options{})
	if !errors.Is(err, boom) || n != 6 {
		t.Errorf("CSVParts = %d rows, %v; want the 6 rows before part 2 and its error", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := export.CSVParts(ctx, io.Discard, 5, 2, part, export.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: %v, want context.Canceled", err)
	}
	// One part is CSV.
	var whole bytes.Buffer
	export.CSV(&whole, rows(), export.Options{})
	var one bytes.Buffer
	whole1 := func(ctx context.Context, i int, read func(*sql.Rows) error) error {
		r := rows()
		defer r.Close()
		return read(r)
	}
	if _, err := export.CSVParts(context.Background(), &one, 1, 2, whole1, export.Options{}); err != nil || one.String() != whole.String() {
		t.Errorf("one part: %q (%v), want %q", one.String(), err, whole.String())
	}
}
