package normalize

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao"
)

// t3Cols are the seven applicant columns of Table 3, in printed order.
var t3Cols = nianbao.ApplicantColumns

// t3Keywords identifies Table-3 rows by a keyword of the folded label
// (template-spec §7). Order matters: the first match wins.
var t3Keywords = []struct {
	key   string
	words []string
}{
	{"carried_forward", []string{"结转下", "转下年", "转入下"}},
	{"carried_over", []string{"上年结转"}},
	{"new_received", []string{"本年新收", "新收政府信息"}},
	{"partially_granted", []string{"部分公开"}},
	{"refused.state_secret", []string{"国家秘密"}},
	{"refused.other_law", []string{"禁止公开", "行政止公开", "其他法律"}},
	{"refused.security_stability", []string{"三安全", "一稳定"}},
	{"refused.third_party", []string{"第三方"}},
	{"refused.internal_affairs", []string{"内部事务"}},
	{"refused.process_info", []string{"过程性"}},
	{"refused.enforcement_file", []string{"执法案卷"}},
	{"refused.admin_query", []string{"查询事项"}},
	{"unavailable.not_held", []string{"不掌握"}},
	{"unavailable.needs_creation", []string{"另行制作", "没有现成"}},
	{"other.no_correction", []string{"不补正"}},
	{"unavailable.unclear", []string{"补正后", "仍不明确"}},
	{"not_processed.petition", []string{"信访"}},
	{"not_processed.duplicate", []string{"重复申请"}},
	{"not_processed.publication", []string{"出版物"}},
	{"not_processed.excessive", []string{"大量反复"}},
	{"not_processed.confirm_reissue", []string{"确认或重新出具", "重新出具"}},
	{"other.fee_unpaid", []string{"缴纳费用", "收费通知"}},
	{"granted", []string{"予以公开"}},
	{"total", []string{"总计", "合计"}},
}

// t3Label maps a folded row label to a Table-3 row key, or "".
func t3Label(label string) string {
	if label == "" {
		return ""
	}
	for _, k := range t3Keywords {
		for _, w := range k.words {
			if strings.Contains(label, w) {
				return k.key
			}
		}
	}
	bare := stripEnum(label)
	switch {
	case strings.HasSuffix(label, "其他处理") || bare == "其他处理":
		return "other"
	case bare == "其他" || strings.HasSuffix(label, "3.其他") || strings.HasSuffix(label, "3、其他"):
		return "other.other"
	}
	return ""
}

// Row orders of Table 3: the 2021 layout with three 其他处理 rows, and the
// single-row layout of 2019 (also printed by some 2021 reports).
var (
	t3Head = []string{"new_received", "carried_over", "granted", "partially_granted",
		"refused.state_secret", "refused.other_law", "refused.security_stability", "refused.third_party",
		"refused.internal_affairs", "refused.process_info", "refused.enforcement_file", "refused.admin_query",
		"unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
		"not_processed.petition", "not_processed.duplicate", "not_processed.publication",
		"not_processed.excessive", "not_processed.confirm_reissue"}
	t3Order21 = append(append(append([]string{}, t3Head...), "other.no_correction", "other.fee_unpaid", "other.other"), "total", "carried_forward")
	t3Order19 = append(append([]string{}, t3Head...), "other", "total", "carried_forward")
)

type t3Row struct {
	key     string // assigned row key, "" while unplaced
	matched bool   // key came from the label, not from the position
	row     row
	values  []string
}

type t3Result struct {
	rows       map[string][]string            // row key → 7 printed values
	at         map[string][]*nianbao.Position // row key → where each was printed
	threeOther bool                           // the 2021 three-row 其他处理 layout was found
	found      bool
}

// readT3 finds the Table-3 value rows between start and end and places them
// on template rows: rows whose label is recognised fix their place; rows
// whose label was lost fill the gaps between them in template order, when
// the gap has exactly as many rows as the template expects there.
func readT3(rows []row, start, end int, rep *nianbao.Report) *t3Result {
	res := &t3Result{rows: map[string][]string{}, at: map[string][]*nianbao.Position{}}
	var cands []t3Row
	subtotal := hasSubtotalColumn(rows, start)
	if subtotal {
		rep.Warnings = append(rep.Warnings, "t3: the table has a 法人或其他组织小计 column, not in the template: read as derived and dropped")
	}
	for _, r := range rows[start:end] {
		if len(r.values) < 7 {
			continue
		}
		if subtotal {
			if v, ok := trimValues(r.values, 8); ok {
				r.values = dropSubtotal(v, rep, r)
			}
		}
		vals, ok := trimValues(r.values, 7)
		key := t3Label(r.label)
		if !ok {
			if key == "" && len(vals)%7 == 0 && r.hasValues() {
				for i := 0; i < len(vals); i += 7 {
					cands = append(cands, t3Row{row: r, values: vals[i : i+7]})
				}
				continue
			}
			if r.table && (key != "" || r.hasValues()) {
				rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t3", Label: strings.Join(r.labels, ""), Raw: r.values})
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: row '%s' has %d value cells, expected 7", shortLabel(r), len(r.values)))
			}
			continue
		}
		if key == "" && !r.hasValues() {
			continue
		}
		cands = append(cands, t3Row{key: key, matched: key != "", row: r, values: vals})
	}
	if len(cands) == 0 {
		return res
	}
	res.found = true
	three, single := 0, 0
	for _, c := range cands {
		switch c.key {
		case "other.no_correction", "other.fee_unpaid", "other.other":
			three++
		case "other":
			single++
		}
	}
	order := t3Order21
	switch {
	case single > 0 && three == 0:
		order = t3Order19
	case three == 0 && single == 0:
		// Let the gaps decide: the layout that places every row wins.
		a := placeT3(cloneT3(cands), t3Order21)
		b := placeT3(cloneT3(cands), t3Order19)
		if countPlaced(b) > countPlaced(a) {
			order = t3Order19
		}
	}
	cands = placeT3(cands, order)
	for _, c := range cands {
		switch {
		case c.key == "":
			rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t3", Label: strings.Join(c.row.labels, ""), Raw: c.values})
			if c.row.label != "" {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: row label '%s' matched no known row", shortLabel(c.row)))
			} else {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: unlabelled value row %v could not be placed", c.values))
			}
		case res.rows[c.key] != nil:
			rep.Unmatched = append(rep.Unmatched, nianbao.Unmatched{Table: "t3", Label: strings.Join(c.row.labels, ""), Raw: c.values})
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: second row for %s ignored", c.key))
		default:
			if !c.matched {
				what := "unlabelled"
				if c.row.label != "" {
					what = "label '" + shortLabel(c.row) + "'"
				}
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: %s row placed as %s by its position", what, c.key))
			}
			res.rows[c.key] = c.values
			for i := range c.values {
				res.at[c.key] = append(res.at[c.key], c.row.posOf(c.values, i))
			}
			if c.key == "other.no_correction" || c.key == "other.fee_unpaid" || c.key == "other.other" {
				res.threeOther = true
			}
		}
	}
	return res
}

// hasSubtotalColumn reports whether the header rows just above Table 3
// print a 法人或其他组织小计 column (some provinces add one).
func hasSubtotalColumn(rows []row, start int) bool {
	for i := max(0, start-6); i < start; i++ {
		if strings.Contains(rows[i].text, "小计") {
			return true
		}
	}
	return false
}

// dropSubtotal removes the subtotal (7th of 8 values), warning when it is
// not the sum of the five organisation columns.
func dropSubtotal(v []string, rep *nianbao.Report, r row) []string {
	sum := 0.0
	for _, x := range v[1:6] {
		if c := ParseValue(x); c.Value != nil {
			sum += *c.Value
		}
	}
	if c := ParseValue(v[6]); c.Value != nil && *c.Value != sum {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("t3: row '%s': 小计 %v is not the sum of the organisation columns (%v)", shortLabel(r), *c.Value, sum))
	}
	return append(append([]string{}, v[:6]...), v[7])
}

func cloneT3(c []t3Row) []t3Row { return append([]t3Row(nil), c...) }

func countPlaced(c []t3Row) int {
	n := 0
	for _, r := range c {
		if r.key != "" {
			n++
		}
	}
	return n
}

// placeT3 assigns keys to unlabelled candidates: each run of unlabelled rows
// between two recognised rows takes the free template slots between them,
// if and only if the counts agree.
func placeT3(cands []t3Row, order []string) []t3Row {
	pos := map[string]int{}
	for i, k := range order {
		pos[k] = i
	}
	taken := map[int]bool{}
	for i := range cands {
		if cands[i].key == "" {
			continue
		}
		p, ok := pos[cands[i].key]
		if !ok {
			cands[i].key, cands[i].matched = "", false
			continue
		}
		taken[p] = true
	}
	prev := -1
	for i := 0; i <= len(cands); i++ {
		if i < len(cands) && cands[i].key == "" {
			continue
		}
		next := len(order)
		if i < len(cands) {
			next = pos[cands[i].key]
		}
		// the run of unlabelled candidates is (j, i)
		j := i - 1
		for j >= 0 && cands[j].key == "" {
			j--
		}
		run := cands[j+1 : i]
		if len(run) > 0 && next > prev {
			var free []int
			for p := prev + 1; p < next; p++ {
				if !taken[p] {
					free = append(free, p)
				}
			}
			if len(free) == len(run) {
				for k := range run {
					run[k].key = order[free[k]]
					taken[free[k]] = true
				}
			}
		}
		if i < len(cands) && next > prev {
			prev = next
		}
	}
	return cands
}

func shortLabel(r row) string {
	l := []rune(r.label)
	if len(l) > 40 {
		return string(l[:40]) + "…"
	}
	return string(l)
}
