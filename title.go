package nianbao

import "regexp"

// reportTitleRe matches titles that name an open-government-information
// annual report: 信息公开/政务公开/公开工作 … 年度报告/年报/工作报告, or
// 年度报告/年报 … 信息公开.
var reportTitleRe = regexp.MustCompile(`(信息公开|政务公开|公开工作).*(年度报告|年报|工作报告)|(年度报告|年报).*信息公开`)

// aboutReportRe matches pages about a report that are not the report: its
// 解读 (interpretation), 图解 / 一图读懂 (illustrated summary), a 政策解读
// column page.
var aboutReportRe = regexp.MustCompile(`解读|图解|一图读懂|一图看懂|图说|视频|问答`)

// NamesReport tells whether a title names an annual report at all — the
// report or a page about it. The crawler fetches such list entries (and
// classifies what it gets); see IsReportTitle.
func NamesReport(s string) bool { return reportTitleRe.MatchString(s) }

// AboutReport tells whether a title is of a page about a report (its
// 解读, an illustrated summary), not the report.
func AboutReport(s string) bool { return NamesReport(s) && aboutReportRe.MatchString(s) }

// IsReportTitle tells whether a title is an open-government-information
// annual report's own: it names one and is not a page about one (解读,
// 图解 …). The one definition: the normalizer (which title line is the
// report's) and the verdict on a page without tables use it.
func IsReportTitle(s string) bool { return NamesReport(s) && !aboutReportRe.MatchString(s) }
