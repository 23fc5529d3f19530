package crawltest

import "github.com/nianbao/nianbao/fixtures"

// Sample returns reports in every published form, made from the bundled
// fixtures: a DOCX attachment, pages rendered from tab text and Markdown, a
// GBK portal page, and a PDF attachment that republishes the DOCX's report
// (so it becomes a new version of it).
func Sample() ([]Report, error) {
	read := func(name string) ([]byte, error) { return fixtures.FS.ReadFile(name) }
	var err error
	get := func(name string) []byte {
		b, e := read(name)
		if e != nil && err == nil {
			err = e
		}
		return b
	}
	page := func(title, agency, date, name string) []byte {
		b, e := Page(title, agency, date, get(name))
		if e != nil && err == nil {
			err = e
		}
		return b
	}
	rs := []Report{
		{Title: "德清县人民政府办公室2020年政府信息公开工作年度报告", Agency: "德清县人民政府办公室", Date: "2021-03-30", Body: get("107-t19-blanks-2020.docx"),
			Attachment: "德清县2020年政府信息公开年报.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", GBKName: true},
		{Title: "象山县交通运输局2021年度政府信息公开工作年度报告", Agency: "象山县交通运输局", Date: "2022-01-25",
			Body: page("象山县交通运输局2021年度政府信息公开工作年度报告", "象山县交通运输局", "2022-01-25", "106-tab-text-2021.txt")},
		{Title: "宁海县市场监督管理局2022年政府信息公开工作年度报告", Agency: "宁海县市场监督管理局", Date: "2023-01-28", Body: get("101-gbk-portal-2022.html"), ContentType: "text/html; charset=GBK"},
		{Title: "慈溪市教育局2023年度政府信息公开工作年度报告", Agency: "慈溪市教育局", Date: "2024-01-25",
			Body: page("慈溪市教育局2023年度政府信息公开工作年度报告", "慈溪市教育局", "2024-01-25", "105-wrong-totals-2023.md")},
		{Title: "余姚市梨洲街道办事处2024年政府信息公开工作年度报告", Agency: "余姚市梨洲街道办事处", Date: "2025-01-20",
			Body: page("余姚市梨洲街道办事处2024年政府信息公开工作年度报告", "余姚市梨洲街道办事处", "2025-01-20", "103-one-cell-per-line-2024.txt")},
		{Title: "德清县人民政府办公室2020年政府信息公开工作年度报告（更正）", Agency: "德清县人民政府办公室", Date: "2021-04-15", Body: get("108-t19-blanks-2020.pdf"),
			Attachment: "2020年报更正.pdf", ContentType: "application/pdf"},
	}
	return rs, err
}
