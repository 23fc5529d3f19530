package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
)

// versionsState lists every report's ranking and every disagreement.
func versionsState(t testing.TB, db interface {
	Query(string, ...any) (*sql.Rows, error)
}) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, is_current, IFNULL(current_by, ''), IFNULL(form_of, 0) FROM reports ORDER BY id",
		"SELECT report_id, other_id, cell_id, value, other_value FROM form_disagreements ORDER BY report_id, cell_id",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		if err := dumpRows(rows, &b); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// randomVersion is one of a few reports of 乙局 2023, in one of several
// forms: dates, markers, completeness and a few cells vary.
func randomVersion(r *rand.Rand, i int) (Document, *nianbao.Report) {
	rep := &nianbao.Report{Agency: "乙局", Year: 2023, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
	base := r.IntN(3) // which report
	rep.Published = []string{"", "2024-01-10", "2024-03-01"}[base]
	if r.IntN(4) == 0 {
		rep.Published = []string{"", "2024-01-10", "2024-03-01"}[r.IntN(3)]
	}
	for j, id := range defaultDictionary().ids()[:40] {
		if !strings.HasPrefix(id, "t3.") {
			continue
		}
		v := float64(base*100 + j)
		if r.IntN(30) == 0 {
			v++ // a form that disagrees on a cell
		}
		rep.Cells[id] = nianbao.Cell{Value: &v, Raw: fmt.Sprint(v), Semantic: nianbao.Numeric}
	}
	if r.IntN(3) == 0 {
		rep.Completeness = map[string]nianbao.Completeness{"t3": {Found: 10 + r.IntN(2), Expected: 12}}
	}
	title := []string{"乙局2023年报", "乙局2023年报（更正）"}[r.IntN(2)]
	rep.Title = title
	doc := Document{SHA256: fmt.Sprintf("v%d", i), Path: fmt.Sprint(i), Format: "html",
		ListedDate: []string{"", "", "2024-02-01", "2024-02-15"}[r.IntN(4)]}
	return doc, rep
}

// Ranking a new version against the stored groups gives exactly what
// ranking every version from scratch gives, whatever the arrival order.
func TestIncrementalRankingEqualsFull(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(12) {
		db, err := Open(filepath.Join(t.TempDir(), "n.db"))
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		for i := range 25 {
			doc, rep := randomVersion(r, i)
			if _, err := db.Save(ctx, doc, rep); err != nil {
				t.Fatal(err)
			}
			got := versionsState(t, db.SQL())
			// From scratch: nothing stored about versions or forms.
			tx, _ := db.SQL().Begin()
			var agency int64
			tx.QueryRow("SELECT id FROM agencies").Scan(&agency)
			for _, q := range []string{"UPDATE reports SET is_current = 0, current_by = NULL, form_of = NULL", "DELETE FROM form_disagreements"} {
				if _, err := tx.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			if err := rankVersions(ctx, tx, agency, 2023, 0); err != nil {
				t.Fatal(err)
			}
			want := versionsState(t, tx)
			tx.Rollback()
			if got != want {
				t.Fatalf("seed %d, after version %d: incremental ranking\n%s\nfrom scratch\n%s", seed, i, got, want)
			}
		}
		var forms, current, disagree int
		db.SQL().QueryRow("SELECT COUNT(*) FILTER (WHERE form_of IS NOT NULL), COUNT(*) FILTER (WHERE is_current = 1), (SELECT COUNT(*) FROM form_disagreements) FROM reports").Scan(&forms, &current, &disagree)
		if forms == 0 || current != 1 || disagree == 0 {
			t.Errorf("seed %d: %d forms, %d current, %d disagreements: the test did not exercise forms", seed, forms, current, disagree)
		}
		db.Close()
	}
}

// BenchmarkSaveVersions saves k versions (identical re-uploads, the worst
// case for forms) of one agency-year; the time per save must stay flat
// as k doubles.
func BenchmarkSaveVersions(b *testing.B) {
	ctx := context.Background()
	for _, k := range []int{50, 100, 200, 400} {
		b.Run(fmt.Sprintf("versions=%d", k), func(b *testing.B) {
			var per time.Duration
			for b.Loop() {
				db, err := Open(filepath.Join(b.TempDir(), "n.db"))
				if err != nil {
					b.Fatal(err)
				}
				r := rand.New(rand.NewPCG(1, 1))
				start := time.Now()
				for i := range k {
					doc, rep := randomVersion(r, i)
					rep.Published, rep.Title, doc.ListedDate, rep.Completeness = "2024-01-10", "乙局2023年报", "", nil
					if _, err := db.Save(ctx, doc, rep); err != nil {
						b.Fatal(err)
					}
				}
				per = time.Since(start) / time.Duration(k)
				db.Close()
			}
			b.ReportMetric(float64(per.Microseconds()), "µs/save")
		})
	}
}
