package nianbao_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/region"
)

// TestKindOneRule: the deadlines and agency identity once disagreed on
// street offices and zone committees (deadline.go called them departments,
// due 31 January; region called them governments, due 31 March).
func TestKindOneRule(t *testing.T) {
	for name, kind := range map[string]string{"余姚市梨洲街道办事处": nianbao.KindGovernment, "杭州市临平区人民政府": nianbao.KindGovernment,
		"福建省平潭综合实验区管理委员会": nianbao.KindZone} {
		if k := nianbao.KindOf(name); k != kind {
			t.Errorf("KindOf(%s) = %s, want %s", name, k, kind)
		}
		if d := nianbao.Deadline(name, 2023); !d.Equal(time.Date(2024, 3, 31, 23, 59, 59, 0, time.UTC)) {
			t.Errorf("Deadline(%s, 2023) = %v, want 31 March 2024", name, d)
		}
		if a := region.Resolve(name); a.Resolved() && a.Kind != nianbao.KindOf(name) {
			t.Errorf("region says %s is a %s, KindOf says %s", name, a.Kind, nianbao.KindOf(name))
		}
	}
	if k := nianbao.KindOf("杭州市临平区交通运输局"); k != nianbao.KindDepartment {
		t.Errorf("a bureau is a %s", k)
	}
}

// TestReportTitleOneRule: the crawler and the normalizer disagreed — a
// title without 年度 ("工作报告") was a report to one and not the other.
func TestReportTitleOneRule(t *testing.T) {
	for title, want := range map[string]bool{
		"2019年政府信息公开工作报告":          true,
		"平潭综合实验区2023年政府信息公开工作年度报告": true,
		"关于2022年度政务公开工作年报的说明":      true,
		"政府信息公开年度报告（2024年）":        true,
		"2023年政府工作报告":              false,
		"2023年法治政府建设年度报告":          false,
		"统计公报":                     false,
		"图解：2023年政府信息公开工作年度报告":     false,
		"《2023年政府信息公开工作年度报告》解读":    false,
	} {
		if got := nianbao.IsReportTitle(title); got != want {
			t.Errorf("IsReportTitle(%s) = %v, want %v", title, got, want)
		}
		if about := strings.Contains(title, "解读") || strings.Contains(title, "图解"); nianbao.NamesReport(title) != (want || about) {
			t.Errorf("NamesReport(%s) = %v", title, !(want || about))
		}
	}
}

// TestInTemplate: one rule of which cells a template has.
func TestInTemplate(t *testing.T) {
	d21, _ := nianbao.LookupCell("t2.art20_1.rules.issued")
	d19, _ := nianbao.LookupCell("t2.art20_1.rules.new_made")
	both, _ := nianbao.LookupCell("t3.granted.total")
	for _, c := range []struct {
		d    nianbao.CellDef
		tpl  nianbao.Template
		want bool
	}{
		{d21, nianbao.Template2021, true}, {d21, nianbao.Template2019, false},
		{d19, nianbao.Template2019, true}, {d19, nianbao.Template2021, false},
		{both, nianbao.Template2019, true}, {both, nianbao.Template2021, true},
		{d19, nianbao.TemplateUnknown, true},
	} {
		if got := c.d.InTemplate(c.tpl); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.d.ID, c.tpl, got, c.want)
		}
	}
	if len(nianbao.ApplicantColumns) != 7 || nianbao.ApplicantColumns[6] != "total" {
		t.Errorf("applicant columns %v", nianbao.ApplicantColumns)
	}
}

// TestCreditCode: the check character decides (a fake index number is not
// taken for a credit code).
func TestCreditCode(t *testing.T) {
	for in, want := range map[string]string{
		"11330226MB12345679/2023-00012": "11330226MB12345679",
		"11330226MB1234567X/2023-00012": "", // wrong check character
		"91310000MA1FL4XX19":            "91310000MA1FL4XX19",
		"002500000/2024-00001":          "",
		"":                              "",
	} {
		if got := nianbao.CreditCodeOf(in); got != want {
			t.Errorf("CreditCodeOf(%q) = %q, want %q", in, got, want)
		}
	}
}
