package nianbao

import "regexp"

// reportTitleRe matches the titles of open-government-information annual
// reports: 信息公开/政务公开/公开工作 … 年度报告/年报/工作报告, or 年度报告/年报 … 信息公开.
var reportTitleRe = regexp.MustCompile(`(信息公开|政务公开|公开工作).*(年度报告|年报|工作报告)|(年度报告|年报).*信息公开`)

// IsReportTitle tells whether a title names an open-government-information
// annual report. The one definition: the normalizer (which title line is
// the report's), ingestion (a page without tables titled as a report) and
// the crawler (which list entries to fetch) all call it.
func IsReportTitle(s string) bool { return reportTitleRe.MatchString(s) }
