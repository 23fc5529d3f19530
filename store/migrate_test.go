package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/internal/readme"
	"github.com/nianbao/nianbao/pipeline"
)

// frozenHashes pins every released migration file: editing one fails
// TestMigrationsFrozen. Append a file (and its hash) for a change.
var frozenHashes = map[string]string{
	"0001.sql": "d3ebcb4f1331d33dd388431e8a2fd9692ef5afa06561c8dc519016a0eff3836b",
	"0002.sql": "b560e056edcea74c2d4cc6b4dbc939a4141ccc907fc4ba39078255040fb09a24",
	"0003.sql": "8d8911d8df34aa43efd95814743b6f06385f83afea4b30c18629769ecb19a643",
	"0004.sql": "87b9b44694ad296b070b62a51f773752cfec03ffbb41d30d74fd3b1fb3eaf084",
	"0005.sql": "5319b6507ec0325b31ae858e5046966003f03bd23a95f57a11d57208d08bebaa",
	"0006.sql": "4625350490e41244e5fdd0402dad96ca7dfcb573ce2a3e55cf4fbf836bf8a6b7",
	"0007.sql": "b19d4991cfedc606a392bdb6d5183093907e10a6dc8af3b937da3e1d69ab3413",
	"0008.sql": "80b8ec4b7fcc031718013efcf71b741a0a79a90dccbf35efcaef1bd177d8d2a9",
	"0009.sql": "ea8cb205d61cd8ae14c1c221bc54ed4cee604c1757dcfb45521d7e237682f400",
	"0010.sql": "92a56c7cea820f4b63b7968dfdc023c1643359b2feaec46009a9488b2b5980a3",
	"0011.sql": "870cd162dcd29528fc8850bd42e9f8d7d9b303ae33f3896ea3aca5035f4b9cd8",
	"0012.sql": "ad4a949ed3c71636d6e91a8a3f7312c97f418d02233b7ae1a47a93cab2356cea",
	"0013.sql": "d380682e762916b19dfe39c6cd5b004b2f1bbf220097c3bb9abb2919958ca320",
	"0014.sql": "cd28c6b5486fa5953d285140c14e1f6ad2f7ad14257e7ba45d9799ab0b4927f8",
	"0015.sql": "167b8294fdb24d3c59a78735dcbea38a9ce4845c085dff693dd2d9dfaf18ac1e",
	"0016.sql": "30cd1cc65660980447d7c55d7151831e0004643cebe351482be0ebab90bb81c8",
	"0017.sql": "9307130c2327829324893e013cc5a2ebd5c3aaba96b4c83eea14410f177230cc",
	"0018.sql": "465791b7f9806bee7743d3388690aa8235f5a718f09a87db9361500eb4165776",
	"0019.sql": "871e9f96abfcfe6be1d9e92cc467ed7d004e56dd70c65e5d453b3c3457126b63",
	"0020.sql": "df794d3cefff3bf4fbf99bc9f9471616393912c33da0e05a463342391bcbaf0e",
	"0021.sql": "cb8d5c67dbeb1c4c004067affb3ec155483d18f6c64ae6ebd89116b32484ed5b",
	"0022.sql": "76dee2880bbdad6d8c343bd735ac9361eeccc7e0f773e0591c930e0778e7216b",
}

// TestMigrationsFrozen checks that no released migration was edited.
func TestMigrationsFrozen(t *testing.T) {
	want := frozenHashes
	if len(migrations) != len(want) {
		t.Fatalf("%d migration files, %d pinned: pin the new file's hash in frozenHashes", len(migrations), len(want))
	}
	for i, m := range migrations {
		name := fmt.Sprintf("%04d.sql", i+1)
		sum := sha256.Sum256([]byte(m))
		if got := hex.EncodeToString(sum[:]); got != want[name] {
			t.Errorf("migrations/%s: sha256 %s, pinned %s: a released migration must never change (add a new file)", name, got, want[name])
		}
	}
}

// releases are database files written by released builds (see
// testdata/README.md for how each was made): the first schema, the last
// before agency identity, and the last before the frozen history.
var releases = []struct {
	file    string
	version int
}{{"release-v1.db", 1}, {"release-v8.db", 8}, {"release-v15.db", 15}}

// copyRelease copies a committed release file into a temporary folder.
func copyRelease(t *testing.T, name string) string {
	t.Helper()
	src, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p := filepath.Join(t.TempDir(), name)
	dst, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// shape describes a database's schema: every table's columns with types,
// constraints and foreign keys, every index and every view, as sorted lines.
func shape(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT type, name, tbl_name, IFNULL(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	type obj struct{ typ, name, tbl, sql string }
	var objs []obj
	for rows.Next() {
		var o obj
		rows.Scan(&o.typ, &o.name, &o.tbl, &o.sql)
		objs = append(objs, o)
	}
	rows.Close()
	space := regexp.MustCompile(`\s+`)
	var out []string
	for _, o := range objs {
		switch o.typ {
		case "table":
			cols, err := db.Query("SELECT cid, name, type, \"notnull\", IFNULL(dflt_value, 'NULL'), pk, hidden FROM pragma_table_xinfo(?)", o.name)
			if err != nil {
				t.Fatal(err)
			}
			for cols.Next() {
				var cid, notnull, pk, hidden int
				var name, typ, dflt string
				cols.Scan(&cid, &name, &typ, &notnull, &dflt, &pk, &hidden)
				out = append(out, fmt.Sprintf("table %s column %d %s %s notnull=%d default=%s pk=%d hidden=%d", o.name, cid, name, typ, notnull, dflt, pk, hidden))
			}
			cols.Close()
			fks, err := db.Query("SELECT \"table\", \"from\", IFNULL(\"to\", ''), on_delete FROM pragma_foreign_key_list(?)", o.name)
			if err != nil {
				t.Fatal(err)
			}
			for fks.Next() {
				var tbl, from, to, del string
				fks.Scan(&tbl, &from, &to, &del)
				out = append(out, fmt.Sprintf("table %s fk %s -> %s(%s) on delete %s", o.name, from, tbl, to, del))
			}
			fks.Close()
			out = append(out, fmt.Sprintf("table %s without rowid=%v", o.name, strings.Contains(o.sql, "WITHOUT ROWID")))
		default:
			out = append(out, fmt.Sprintf("%s %s on %s: %s", o.typ, o.name, o.tbl, space.ReplaceAllString(o.sql, " ")))
		}
	}
	slices.Sort(out)
	return out
}

func freshShape(t *testing.T, d *dictionary) []string {
	t.Helper()
	db, err := open(filepath.Join(t.TempDir(), "fresh.db"), d)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return shape(t, db.sql)
}

func diffLines(a, b []string) string {
	var d []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			d = append(d, "- "+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			d = append(d, "+ "+x)
		}
	}
	return strings.Join(d, "\n")
}

// TestUpgradeReleasedFiles upgrades files written by released builds: each
// ends in exactly the shape of a fresh database, keeps every document,
// report and printed value, and answers the README's queries.
func TestUpgradeReleasedFiles(t *testing.T) {
	fresh := freshShape(t, defaultDictionary())
	for _, rel := range releases {
		t.Run(rel.file, func(t *testing.T) {
			p := copyRelease(t, rel.file)
			raw, err := sql.Open("sqlite3", "file:"+p)
			if err != nil {
				t.Fatal(err)
			}
			var v int
			raw.QueryRow("PRAGMA user_version").Scan(&v)
			before := dump(t, raw, "SELECT d.sha256, r.year, k.cell_id, v.value, v.raw FROM cell_values v JOIN cell_keys k ON k.cell_no = v.cell_no JOIN reports r ON r.id = v.report_id JOIN documents d ON d.id = r.document_id ORDER BY 1, 3")
			docs := dump(t, raw, "SELECT sha256, IFNULL(error, '') FROM documents ORDER BY sha256")
			raw.Close()
			if v != rel.version {
				t.Fatalf("%s has schema version %d, want %d", rel.file, v, rel.version)
			}
			db, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if d := diffLines(fresh, shape(t, db.sql)); d != "" {
				t.Errorf("upgraded %s differs from a fresh database:\n%s", rel.file, d)
			}
			after := dump(t, db.sql, "SELECT d.sha256, r.year, c.cell_id, c.value, NULLIF(c.raw, CAST(CAST(c.value AS INTEGER) AS TEXT)) FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id ORDER BY 1, 3")
			if len(before) < 400 || strings.Join(before, "\n") != strings.Join(after, "\n") {
				t.Errorf("%d printed values before the upgrade, %d after; the same expected (and at least 400)", len(before), len(after))
			}
			if got := dump(t, db.sql, "SELECT sha256, IFNULL(error, '') FROM documents ORDER BY sha256"); strings.Join(got, "\n") != strings.Join(docs, "\n") {
				t.Errorf("documents changed: %v, was %v", got, docs)
			}
			var classed int
			db.sql.QueryRow("SELECT COUNT(*) FROM documents WHERE error_class = 'unsupported'").Scan(&classed)
			if classed != 1 {
				t.Errorf("%d failed documents classed unsupported, want the 1 binary file", classed)
			}
			var figures, reports, keyed int
			db.sql.QueryRow("SELECT COUNT(*) FROM report_figures").Scan(&figures)
			db.sql.QueryRow("SELECT COUNT(*) FROM reports").Scan(&reports)
			db.sql.QueryRow("SELECT COUNT(*) FROM report_summary WHERE agency_key IS NOT NULL").Scan(&keyed)
			if figures != reports || reports < 7 || keyed == 0 {
				t.Errorf("%d figure rows for %d reports (at least 7), %d summary rows with an agency key", figures, reports, keyed)
			}
			for _, q := range readmeQueries(t) {
				if _, err := db.sql.Exec(q); err != nil {
					t.Errorf("README query on upgraded %s: %v\n%s", rel.file, err, q)
				}
			}
		})
	}
}

// TestReleasedFileAnswersAsFresh checks that the file of the last release
// before this history, upgraded, answers the README's queries exactly as
// a fresh database holding the same documents does.
func TestReleasedFileAnswersAsFresh(t *testing.T) {
	up, err := Open(copyRelease(t, "release-v15.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	fresh, err := Open(filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	// The release ingested these files in this order (testdata/README.md).
	for _, f := range []string{"../../shared/corpus/raw/000-linping-jiaotong-2023.txt", "../../shared/corpus/raw/008-pingtan-gwh-2019.txt",
		"../../shared/corpus/raw/009-pingtan-gwh-2020.txt", fixtures.Path("103-one-cell-per-line-2024.txt"), fixtures.Path("104-t19-blanks-2020.html"),
		fixtures.Path("105-wrong-totals-2023.md"), fixtures.Path("106-tab-text-2021.txt")} {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) && strings.Contains(f, "shared") {
			t.Skip("../shared/corpus not present")
		}
		if err != nil {
			t.Fatal(err)
		}
		res := pipeline.Process(f, data, extract.Options{})
		if res.Report == nil {
			t.Fatalf("%s: %v", f, res.Err)
		}
		doc := Document{SHA256: res.Source.SHA256, Path: f, Format: string(res.Source.Format), Size: len(data),
			Agency: Identity(res.Report.Agency)}
		if _, err := fresh.Save(context.Background(), doc, res.Report); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range readmeQueries(t) {
		a, b := dump(t, up.sql, q), dump(t, fresh.sql, q)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("README query answers differently on the upgraded release and a fresh database:\n%s\nupgraded: %v\nfresh:    %v", q, a, b)
		}
	}
}

// readmeQueries are the SQL statements of the README's researchers' block.
func readmeQueries(t *testing.T) []string {
	t.Helper()
	out, err := readme.SQL("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 5 {
		t.Fatalf("%d README queries found, want at least 5", len(out))
	}
	return out
}

// dump runs a query and prints every row.
func dump(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

// TestNewCellAndFigureKeepExistingDatabase inserts a cell in the middle of
// a copy of the dictionary and adds a figure, then opens a database made
// with the real dictionary (the last release's file): stored values keep
// their cell numbers, the new cell gets the next free number and a wide
// column, the new figure a column filled for every stored report, and a
// report printing the new cell is saved and read back.
func TestNewCellAndFigureKeepExistingDatabase(t *testing.T) {
	p := copyRelease(t, "release-v15.db")
	raw, err := sql.Open("sqlite3", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	keysBefore := dump(t, raw, "SELECT cell_no, cell_id FROM cell_keys ORDER BY cell_no")
	valuesBefore := dump(t, raw, "SELECT report_id, cell_no, value FROM cell_values ORDER BY 1, 2")
	raw.Close()

	base := defaultDictionary()
	d := &dictionary{crosswalks: base.crosswalks, checks: base.checks, figures: append(slices.Clone(base.figures), "suits_pending")}
	const newID = "t4.suit_after_review.remanded"
	for _, c := range base.cells {
		if c.ID == "t4.suit_after_review.upheld" {
			d.cells = append(d.cells, nianbao.CellDef{ID: newID, Table: "t4", Template: "both", Label: "行政诉讼/复议后起诉/发回重审", Unit: "件"})
		}
		d.cells = append(d.cells, c)
	}
	d.figure = func(r *nianbao.Report) []nianbao.Figure {
		figs := base.figure(r)
		f := nianbao.Figure{Name: "suits_pending", Basis: nianbao.BasisMissing}
		if c, ok := r.Cells["t4.suit_direct.pending"]; ok && c.Value != nil {
			v := *c.Value
			f.Value, f.Basis = &v, nianbao.BasisPrinted
		}
		return append(figs, f)
	}
	db, err := open(p, d)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keysAfter := dump(t, db.sql, "SELECT cell_no, cell_id FROM cell_keys ORDER BY cell_no")
	if want := append(slices.Clone(keysBefore), fmt.Sprintf("%d|%s", len(keysBefore)+1, newID)); strings.Join(keysAfter, "\n") != strings.Join(want, "\n") {
		t.Errorf("cell_keys after the sync: last %v, want the old %d numbers unchanged and %s appended", keysAfter[len(keysAfter)-1], len(keysBefore), newID)
	}
	if got := dump(t, db.sql, "SELECT report_id, cell_no, value FROM cell_values ORDER BY 1, 2"); strings.Join(got, "\n") != strings.Join(valuesBefore, "\n") {
		t.Error("stored values changed their cell numbers")
	}
	var withFigure, reports int
	db.sql.QueryRow("SELECT COUNT(*) FROM report_summary WHERE suits_pending_basis IN ('printed', 'missing')").Scan(&withFigure)
	db.sql.QueryRow("SELECT COUNT(*) FROM reports WHERE is_current = 1").Scan(&reports)
	if withFigure != reports || reports == 0 {
		t.Errorf("the new figure has a basis in %d of %d summary rows", withFigure, reports)
	}
	// A new report printing the new cell.
	data, err := os.ReadFile(fixtures.Path("106-tab-text-2021.txt"))
	if err != nil {
		t.Fatal(err)
	}
	res := pipeline.Process("new.txt", append(data, " "...), extract.Options{})
	v := 3.0
	res.Report.Cells[newID] = nianbao.Cell{Value: &v, Raw: "3", Semantic: nianbao.Numeric}
	res.Report.Agency, res.Report.Year = "某市某局", 2031
	if _, err := db.Save(context.Background(), Document{SHA256: "new", Path: "new.txt", Format: "text"}, res.Report); err != nil {
		t.Fatal(err)
	}
	var wide, long sql.NullFloat64
	var pending sql.NullFloat64
	db.sql.QueryRow("SELECT t4_suit_after_review_remanded FROM t4_wide WHERE year = 2031").Scan(&wide)
	db.sql.QueryRow("SELECT value FROM cells WHERE cell_id = ? AND report_id = (SELECT report_id FROM report_summary WHERE year = 2031)", newID).Scan(&long)
	db.sql.QueryRow("SELECT suits_pending FROM report_summary WHERE year = 2031").Scan(&pending)
	if wide.Float64 != 3 || long.Float64 != 3 || !pending.Valid {
		t.Errorf("new cell in t4_wide %v, in cells %v; new figure %v", wide, long, pending)
	}
	// And the real dictionary still opens the file, keeping the new column.
	db.Close()
	again, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := again.sql.Exec("SELECT t4_suit_after_review_remanded FROM t4_wide"); err != nil {
		t.Errorf("the other build's wide column is gone: %v", err)
	}
}
