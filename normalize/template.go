package normalize

import (
	"strings"

	"github.com/nianbao/nianbao"
)

// Header tokens that identify the template (template-spec §1), folded.
var (
	tokens2021 = []string{"本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"}
	tokens2019 = []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "第二十条第(九)项", "政府集中采购", "采购总金额", "其他对外管理服务事项"}
)

// templateEvidence is what decided the template.
type templateEvidence int

// What can decide the template, strongest first.
const (
	byNothing     templateEvidence = iota
	byT2Headers                    // Table 2's column headers (the templates differ most there)
	byT3OtherRows                  // Table 3 prints three 其他处理 rows (2021 only)
	byYear                         // the statistics year (2021 on: the 2021 template)
)

// String says it in a warning's words.
func (e templateEvidence) String() string {
	return [...]string{"nothing", "table 2 headers", "table 3 has three 其他处理 rows", "statistics year"}[e]
}

// detectTemplate decides the template from table headers, then from the
// Table-3 rows, then from the statistics year.
func detectTemplate(rows []row, t3 *t3Result, year int) (nianbao.Template, templateEvidence) {
	n21, n19 := 0, 0
	for _, r := range rows {
		if len(r.label) > 240 {
			continue // narrative, not a header
		}
		for _, tok := range tokens2021 {
			if strings.Contains(r.label, tok) {
				n21++
			}
		}
		for _, tok := range tokens2019 {
			if strings.Contains(r.label, tok) {
				n19++
			}
		}
	}
	switch {
	case n21 > n19:
		return nianbao.Template2021, byT2Headers
	case n19 > n21:
		return nianbao.Template2019, byT2Headers
	case t3 != nil && t3.threeOther:
		return nianbao.Template2021, byT3OtherRows
	case year >= 2021:
		return nianbao.Template2021, byYear
	case year >= 2019:
		return nianbao.Template2019, byYear
	}
	return nianbao.TemplateUnknown, byNothing
}
