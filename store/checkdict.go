package store

// checkDef documents one identity (勾稽关系) or plausibility rule.
type checkDef struct {
	ID, Formula, LHS, RHS, Severity, ZH, EN string
}

// checkDictionary is the check_dictionary table: what each check computes
// and what its lhs and rhs columns hold. Checks read blank and NA cells as
// 0; when only that makes one fail, its status is incomplete, not fail.
var checkDictionary = []checkDef{
	{"T3.BALANCE", "new_received + carried_over = total + carried_forward, per applicant column",
		"new requests + carried over from last year", "answered (total) + carried forward to next year", "error",
		"第一项加第二项之和等于第三项加第四项之和（按申请人类别列）", "received plus carried over equals answered plus carried forward, per column"},
	{"T3.RESULT_SUM", "total = Σ result rows (granted, partially granted, refused …, other), per column",
		"the printed total (七)总计", "the sum of the result rows above it", "error",
		"办理结果总计等于各项办理结果之和", "the total of results equals the sum of the result rows"},
	{"T3.ROW_TOTAL", "row total = Σ applicant columns, per row",
		"the row's printed 总计 cell", "the sum of its applicant columns", "error",
		"每行总计等于各类申请人之和", "each row's total equals the sum of its applicant columns"},
	{"T3.RANGE", "every Table-3 value a whole number ≥ 0",
		"the number of cells out of range (listed in cells)", "0", "error",
		"表三数值均为非负整数", "Table 3 values are whole numbers, not negative"},
	{"T4.GROUP_SUM", "total = upheld + corrected + other + pending, per group (review, suit direct, suit after review)",
		"the group's printed 总计", "the sum of its four outcomes", "error",
		"复议、诉讼各组总计等于四种结果之和", "each review/suit group's total equals its outcomes"},
	{"T4.RANGE", "every Table-4 value a whole number ≥ 0",
		"the number of cells out of range (listed in cells)", "0", "error",
		"表四数值均为非负整数", "Table 4 values are whole numbers, not negative"},
	{"T2.RANGE", "Table-2 values ≥ 0, whole numbers except money, signed only where the template allows",
		"the number of cells out of range (listed in cells)", "0", "error",
		"表二数值在模板允许范围内", "Table 2 values are within what the template allows"},
	{"T19.PUBLISHED", "2019 template: items published this year ≤ total published",
		"本年新公开数量", "对外公开总数量", "warning",
		"本年新公开数量不大于对外公开总数量", "newly published ≤ total published (2019 template)"},
	{"T2.FEE_SCALE", "fees in 万元 below 1,000,000 (a figure in 元 printed as 万元?)",
		"the printed fee", "1,000,000", "warning",
		"收费金额单位为万元，数值过大可能误填为元", "fees are in 万元; a huge figure may be 元"},
	{"T3.XYEAR", "this year's carried_over = last year's carried_forward, per column (view xyear_checks)",
		"carried over this year", "carried forward in last year's report", "warning",
		"本年上年结转等于上年结转下年度", "carried over equals last year's carried forward"},
	{"T2.XYEAR_IN_FORCE", "2021 template: in force = last year's in force + issued − repealed (view xyear_checks)",
		"现行有效件数", "last year's 现行有效 + 本年制发 − 本年废止", "warning",
		"现行有效件数等于上年现行有效加本年制发减本年废止", "documents in force follow from last year's"},
	{"T3.TEXT", "a request count stated in the narrative = the table's",
		"the number in the prose (scope: the phrase)", "the table's cell", "warning",
		"正文所述申请数与表三一致", "the narrative's request figures match Table 3"},
	{"T4.TEXT", "a review or lawsuit count stated in the narrative = the table's",
		"the number in the prose (scope: the phrase)", "the table's cell", "warning",
		"正文所述复议、诉讼数与表四一致", "the narrative's review/suit figures match Table 4"},
	{"T2.TEXT", "a count of documents or fees stated in the narrative = the table's",
		"the number in the prose (scope: the phrase)", "the table's cell", "warning",
		"正文所述规范性文件、收费等数与表二一致", "the narrative's Table-2 figures match the table"},
}

// ChineseValues translates the coded values of exported columns for
// --lang zh: statuses, semantics, bases, severities, kinds and levels.
func ChineseValues() map[string]string {
	return map[string]string{
		"pass": "通过", "fail": "未通过", "incomplete": "不完整（含空白）",
		"numeric": "数值", "zero": "零", "empty": "空白", "na": "不适用", "text": "文字",
		"printed": "原表数值", "from_parts": "由分项相加", "lower_bound": "下限（部分分项空白）", "missing": "缺失",
		"error": "错误", "warning": "提示",
		"government": "人民政府", "department": "部门",
		"province": "省级", "city": "市级", "county": "县级", "township": "乡镇（街道）",
		"unknown": "未识别",
	}
}
