// Package sample builds a database of generated reports for researchers
// to try queries on at scale (`nianbao sample`): agencies of real counties
// (the division list), every year from 2019 with the template of its year,
// values drawn from a seed so the same seed gives the same database, and
// the imperfections of real reports — blank cells, a few printed totals
// that do not add up — so checks, blanks and lower bounds all appear. No
// document bytes exist for these reports.
package sample

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/normalize"
	"github.com/nianbao/nianbao/region"
	"github.com/nianbao/nianbao/store"
)

// Departments are the organs each generated county publishes for (its
// government first).
var Departments = []string{"人民政府", "人民政府办公室", "发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局",
	"人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
	"商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "医疗保障局", "统计局", "城市管理局", "退役军人事务局"}

// Options say what to build.
type Options struct {
	Reports int    // how many reports
	Seed    uint64 // the same seed gives the same values
	// FirstYear is the first statistics year (default 2019); each agency
	// gets consecutive years from it.
	FirstYear int
}

// Build saves opt.Reports generated reports into db; progress, when set,
// is told the count so far.
func Build(ctx context.Context, db *store.DB, opt Options, progress func(done int)) error {
	if opt.FirstYear == 0 {
		opt.FirstYear = 2019
	}
	years := 2025 - opt.FirstYear + 1
	counties := region.Counties()
	if len(counties) == 0 {
		return fmt.Errorf("sample: the division list is empty")
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	// Counties in a seeded order, agencies by county then department.
	order := r.Perm(len(counties))
	for i := 0; i < opt.Reports; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		agencyNo, year := i/years, opt.FirstYear+i%years
		county := counties[order[(agencyNo/len(Departments))%len(counties)]]
		dept := Departments[agencyNo%len(Departments)]
		name := regionName(county) + dept
		rep := Report(r, name, year)
		doc := store.Document{SHA256: fmt.Sprintf("sample-%d-%d", opt.Seed, i), Path: fmt.Sprintf("sample://%d/%d", opt.Seed, i),
			Format: "sample", Agency: store.Identity(name, county.Code)}
		if _, err := db.Save(ctx, doc, rep); err != nil {
			return err
		}
		if progress != nil && (i+1)%1000 == 0 {
			progress(i + 1)
		}
	}
	return nil
}

// regionName is a county's printed place name: its city and itself.
func regionName(d *region.Division) string {
	var b strings.Builder
	for _, p := range region.Path(d)[1:] { // the province left out, as agencies print it
		if p.Name != "市辖区" && p.Name != "县" {
			b.WriteString(p.Name)
		}
	}
	return b.String()
}

// Report generates one agency-year: the template of its year, Table 3
// consistent by construction (row totals, result sums, the balance), Table
// 4 groups summing, a few Table 2 counts; then about 3 % of the cells
// blank and one report in 40 with a printed total off by a few, as real
// reports have.
func Report(r *rand.Rand, agency string, year int) *nianbao.Report {
	tpl := nianbao.Template2021
	if year < 2021 {
		tpl = nianbao.Template2019
	}
	rep := &nianbao.Report{Agency: agency, Year: year, Template: tpl, Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, year),
		Published: fmt.Sprintf("%d-0%d-%02d", year+1, 1+r.IntN(3), 1+r.IntN(28)), Cells: map[string]nianbao.Cell{}}
	set := func(id string, v float64) {
		rep.Cells[id] = nianbao.Cell{Value: &v, Raw: strconv.FormatFloat(v, 'f', -1, 64), Semantic: semantic(v)}
	}
	cols := nianbao.ApplicantColumns[:6]
	scale := []float64{30, 6, 1, 1, 1, 2}[:]
	size := 0.2 + r.Float64()*r.Float64()*4 // a few busy agencies, many quiet ones
	var results []string                    // result rows of this template
	for _, d := range nianbao.CellDefs() {
		if d.Table != "t3" || !d.InTemplate(tpl) || !strings.HasSuffix(d.ID, ".total") {
			continue
		}
		row := strings.TrimSuffix(d.ID, ".total")
		switch row {
		case "t3.new_received", "t3.carried_over", "t3.total", "t3.carried_forward":
			continue
		}
		results = append(results, row)
	}
	sum := func(row string) float64 {
		t := 0.0
		for _, c := range cols {
			t += *rep.Cells[row+"."+c].Value
		}
		return t
	}
	for ci, c := range cols {
		total := 0.0
		for _, row := range results {
			weight := 0.02
			switch {
			case row == "t3.granted":
				weight = 0.45
			case row == "t3.partially_granted":
				weight = 0.1
			case strings.HasPrefix(row, "t3.unavailable.not_held"):
				weight = 0.2
			}
			v := float64(poisson(r, scale[ci]*size*weight))
			set(row+"."+c, v)
			total += v
		}
		set("t3.total."+c, total)
		forward := float64(r.IntN(1 + int(total/10)))
		over := float64(r.IntN(1 + int(total+forward))) // new_received = total + forward − over ≥ 0
		set("t3.carried_forward."+c, forward)
		set("t3.carried_over."+c, over)
		set("t3.new_received."+c, total+forward-over)
	}
	for _, row := range append(results, "t3.total", "t3.new_received", "t3.carried_over", "t3.carried_forward") {
		set(row+".total", sum(row))
	}
	for _, g := range []string{"review", "suit_direct", "suit_after_review"} {
		t := 0.0
		for _, o := range []string{"upheld", "corrected", "other", "pending"} {
			v := float64(poisson(r, size*0.3))
			set("t4."+g+"."+o, v)
			t += v
		}
		set("t4."+g+".total", t)
	}
	for _, d := range nianbao.CellDefs() {
		if d.Table == "t2" && d.InTemplate(tpl) {
			if _, ok := rep.Cells[d.ID]; !ok {
				set(d.ID, float64(poisson(r, size*20)))
			}
		}
	}
	for _, p := range []string{"t2.art20_1.rules", "t2.art20_1.normative_docs"} { // 2019: published this year ≤ in all
		if n, t := rep.Cells[p+".new_published"], rep.Cells[p+".total_published"]; n.Value != nil && t.Value != nil {
			set(p+".total_published", *n.Value+*t.Value)
		}
	}
	// The imperfections of real reports.
	for _, id := range slices.Sorted(maps.Keys(rep.Cells)) { // in a fixed order: the seed decides
		if r.Float64() < 0.03 {
			rep.Cells[id] = nianbao.Cell{Semantic: nianbao.Empty}
		}
	}
	if r.IntN(40) == 0 {
		if c := rep.Cells["t3.total.total"]; c.Value != nil {
			set("t3.total.total", *c.Value+float64(1+r.IntN(3)))
		}
	}
	normalize.Check(rep)
	return rep
}

func semantic(v float64) nianbao.Semantic {
	if v == 0 {
		return nianbao.Zero
	}
	return nianbao.Numeric
}

// poisson draws a count with mean lambda (Knuth's method for small means,
// a rounded normal approximation for large ones).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(lambda+r.NormFloat64()*math.Sqrt(lambda)+0.5))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
