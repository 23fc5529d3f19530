package normalize

import "testing"

// TestAgencyFromTitleShapes: titles of real report pages whose agency was
// not found: in parentheses after the title, behind 关于…/文字解读：.
func TestAgencyFromTitleShapes(t *testing.T) {
	for title, want := range map[string]string{
		"2024年政府信息公开工作年度报告（某市某区某镇人民政府）":        "某市某区某镇人民政府",
		"2023年度政府信息公开工作年度报告(宁海县市场监督管理局)":       "宁海县市场监督管理局",
		"关于印发《宁海县市场监督管理局2023年政府信息公开工作年度报告》的通知": "宁海县市场监督管理局",
		"文字解读：仁寿县文林镇2023年政府信息公开工作年度报告":         "仁寿县文林镇",
		"关于宁海县教育局2022年度政府信息公开工作年度报告":           "宁海县教育局",
		"2019年上海市人民政府办公厅政府信息公开工作年度报告":          "上海市人民政府办公厅",
		"2024年政府信息公开工作年度报告":                    "",
	} {
		if got := agencyFromTitle(fold(title)); got != want {
			t.Errorf("%s: agency %q, want %q", title, got, want)
		}
	}
}
