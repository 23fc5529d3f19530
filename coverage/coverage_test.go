package coverage_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/coverage"
	"github.com/nianbao/nianbao/store"
)

// TestCoverageOfACounty: 宁海县's governments (the county and its towns and
// streets, from the division list) and the agencies that published there,
// against the reports found each year; missing after the deadline, not yet
// before it, and an agency not expected before its first report.
func TestCoverageOfACounty(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, r := range []struct {
		agency string
		year   int
	}{{"宁海县人民政府", 2022}, {"宁海县人民政府", 2023}, {"宁海县市场监督管理局", 2023}, {"宁海县跃龙街道办事处", 2022}} {
		rep := &nianbao.Report{Agency: r.agency, Year: r.year, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
		if _, err := db.Save(ctx, store.Document{SHA256: string(rune('a' + i)), Path: "x", Agency: store.Identity(r.agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	// 2024-02-15: departments' 2023 deadline (31 Jan) has passed, governments' (31 Mar) not yet.
	now := time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC)
	tab, err := coverage.Compute(ctx, db, "宁海县", []int{2022, 2023}, now)
	if err != nil {
		t.Fatal(err)
	}
	state := map[string][]string{}
	for _, a := range tab.Agencies {
		state[a.Key] = a.States
	}
	for key, want := range map[string][]string{
		"330226:人民政府":    {coverage.Found, coverage.Found},
		"330226:市场监督管理局": {"", coverage.Found}, // not expected before its first report
		"330226001:办事处":  {coverage.Found, coverage.NotYet},
		"330226002:办事处":  {coverage.Missing, coverage.NotYet},
	} {
		if !slices.Equal(state[key], want) {
			t.Errorf("%s: %v, want %v", key, state[key], want)
		}
	}
	if tab.Region != "330226" || tab.Expected[0] < 15 || tab.Found[0] != 2 || tab.Found[1] != 2 {
		t.Errorf("region %s: found %v of %v", tab.Region, tab.Found, tab.Expected)
	}
	if _, err := coverage.Compute(ctx, db, "不存在的地方", []int{2023}, now); err == nil {
		t.Error("an unknown region gave a table")
	}
}

// TestCoverageCountsSources: the agencies the sources file lists in the
// region (a column discover found, a place without one) are expected even
// before they publish; sources of other regions are not.
func TestCoverageCountsSources(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []store.Source{
		{URL: "http://www.ninghai.gov.cn/jtj/nb/", Agency: "宁海县交通运输局", RegionCode: "330226", Platform: "trs", Enabled: true},
		{URL: "http://www.ninghai.gov.cn/dag/", Agency: "宁海县档案馆", RegionCode: "330226", Platform: "auto"},
		{URL: "http://www.xiangshan.gov.cn/jtj/nb/", Agency: "象山县交通运输局", RegionCode: "330225", Platform: "trs", Enabled: true},
	} {
		if _, err := db.UpsertSource(ctx, s, 0); err != nil {
			t.Fatal(err)
		}
	}
	rep := &nianbao.Report{Agency: "宁海县交通运输局", Year: 2023, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{}}
	if _, err := db.Save(ctx, store.Document{SHA256: "j", Path: "x", Agency: store.Identity(rep.Agency)}, rep); err != nil {
		t.Fatal(err)
	}
	tab, err := coverage.Compute(ctx, db, "330226", []int{2022, 2023}, time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]coverage.Agency{}
	for _, a := range tab.Agencies {
		got[a.Name] = a
	}
	jtj := got[store.Identity("宁海县交通运输局").CanonicalName]
	if !slices.Equal(jtj.States, []string{"", coverage.Found}) || jtj.Why != "sources file" {
		t.Errorf("交通运输局: %+v", jtj)
	}
	var dag coverage.Agency
	for name, a := range got {
		if strings.Contains(name, "档案馆") {
			dag = a
		}
	}
	if !slices.Equal(dag.States, []string{coverage.Missing, coverage.Missing}) || !strings.Contains(dag.Why, "no 年报 column") {
		t.Errorf("档案馆 (listed without a column): %+v", dag)
	}
	for name := range got {
		if strings.Contains(name, "象山") {
			t.Errorf("%s of another county counted", name)
		}
	}
}
