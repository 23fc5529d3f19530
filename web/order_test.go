package web

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/store"
)

// TestCachedOrderPagesAsSQL: a large sorted comparison paged from its
// cached order shows, page by page, exactly the rows SQL's LIMIT/OFFSET
// gives — for every sort key both ways, with blanks, ties and previous
// years — and a report saved afterwards is in the next order.
func TestCachedOrderPagesAsSQL(t *testing.T) {
	defer func(n int) { sortedMin = n }(sortedMin)
	sortedMin = 1
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(i, year int) {
		rep := &nianbao.Report{Agency: fmt.Sprintf("测试县第%02d局", i%40), Year: year, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		for k, id := range []string{"t3.new_received.total", "t3.granted.total", "t3.total.total", "t3.refused.third_party.total", "t4.review.total"} {
			if (i+k)%9 == 0 { // blanks
				rep.Cells[id] = nianbao.Cell{Semantic: nianbao.Empty}
				continue
			}
			v := float64((i*7 + k*13) % 5) // few values: many ties
			rep.Cells[id] = nianbao.Cell{Value: &v, Raw: fmt.Sprint(v), Semantic: nianbao.Numeric}
		}
		if _, err := db.Save(ctx, store.Document{SHA256: fmt.Sprintf("%d-%d", i, year), Path: "x"}, rep); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		save(i, 2022)
		save(i+3, 2023)
	}
	srv, err := New(db)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rows []compare.Row) []int64 {
		var out []int64
		for _, r := range rows {
			out = append(out, r.ReportID)
		}
		return out
	}
	check := func(f compare.Filter) {
		t.Helper()
		total, err := srv.DB.CountCompare(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off < total+7; off += 7 {
			f.Limit, f.Offset = 7, off
			want, err := compare.Query(ctx, db, f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := srv.comparePage(ctx, f, total)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("%s desc=%v year=%d offset %d: cached order %v, SQL %v", f.Sort, f.Desc, f.Year, off, ids(got), ids(want))
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s offset %d: row by id %+v, SQL %+v", f.Sort, off, got[0], want[0])
			}
		}
	}
	for _, year := range []int{0, 2023} {
		check(compare.Filter{Year: year})
		for key := range store.CompareSorts {
			check(compare.Filter{Year: year, Sort: key})
			check(compare.Filter{Year: year, Sort: key, Desc: true})
		}
	}
	before, _ := srv.comparePage(ctx, compare.Filter{Sort: "received", Limit: 100}, 80)
	save(77, 2024) // a new report, after the order was cached
	srv.agg.mu.Lock()
	srv.agg.checked = srv.agg.checked.Add(-tokenEvery * 2)
	srv.agg.mu.Unlock()
	after, err := srv.comparePage(ctx, compare.Filter{Sort: "received", Limit: 100}, 81)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 80 || len(after) != 81 {
		t.Errorf("after a report was saved the order has %d rows (before %d), want 81", len(after), len(before))
	}
	check(compare.Filter{Sort: "received"})
}

// TestOrdersBounded: at most maxOrders comparison orders are kept.
func TestOrdersBounded(t *testing.T) {
	s := &Server{}
	s.agg.entries = map[string]cached{"years": {v: []int{1}}}
	s.agg.checked = time.Now()
	for i := range maxOrders + 5 {
		orderOf(context.Background(), s, fmt.Sprint(i), func() ([]int64, error) { return []int64{int64(i)}, nil })
	}
	n := 0
	for _, e := range s.agg.entries {
		if e.order {
			n++
		}
	}
	if _, ok := s.agg.entries["years"]; n != maxOrders || !ok {
		t.Errorf("%d orders kept (want %d), other aggregates kept: %v", n, maxOrders, ok)
	}
	if _, ok := s.agg.entries["order "+fmt.Sprint(maxOrders+4)]; !ok {
		t.Error("the newest order was evicted")
	}
}
