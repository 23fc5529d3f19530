package normalize

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/nianbao/nianbao"
)

// Label variants of template-spec §7, each with the row key it must reach.
func TestT3LabelVariants(t *testing.T) {
	cases := []struct{ printed, want string }{
		{"一、本年新收政府信息公开申请数量", "new_received"},
		{"二、上年结转政府信息公开申请数量", "carried_over"},
		{"三、\n本\n年\n度\n办\n理\n结\n果（一）予以公开", "granted"},
		{"（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）", "partially_granted"},
		{"(二)部分公开", "partially_granted"},
		{"（三）不\n予公开1.属于国家秘密", "refused.state_secret"},
		{"2.其他法律行政法规禁止公开", "refused.other_law"},
		{"2.其他法律行政止公开", "refused.other_law"}, // typo in 003/004
		{"3.危及“三安全一稳定”", "refused.security_stability"},
		{`3.危及"三安全一稳定"`, "refused.security_stability"},
		{"3.危及三安全一稳定", "refused.security_stability"},
		{"4、保护第三方合法权益", "refused.third_party"},
		{"5.属于三类内部事务信\n息", "refused.internal_affairs"},
		{"6．属于四类过程性信息", "refused.process_info"},
		{"7.属于行政执法案卷", "refused.enforcement_file"},
		{"8.属于行政查询事项", "refused.admin_query"},
		{"（四）无\n法提供1.本机关不掌握相关政\n府信息", "unavailable.not_held"},
		{"2.没有现成信息需要另\n行制作", "unavailable.needs_creation"},
		{"3.补正后申请内容仍不\n明确", "unavailable.unclear"},
		{"1.信访举报投诉类申请", "not_processed.petition"},
		{"2.重复申请", "not_processed.duplicate"},
		{"3.要求提供公开出版物", "not_processed.publication"},
		{"4.无正当理由大量反复\n申请", "not_processed.excessive"},
		{"5.要求行政机关确认或重新出具已获取信息", "not_processed.confirm_reissue"},
		{"1.申请人无正当理由逾\n期不补正、行政机关不\n再处理其政府信息公开\n申请", "other.no_correction"},
		{"（六）其他处理1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"},
		{"2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.fee_unpaid"},
		{"缴纳费用、行政机关不再处理其政", "other.fee_unpaid"},
		{"3.其他", "other.other"},
		{"3、其他", "other.other"},
		{"（六）其他处理", "other"},
		{"(六)其\n他处理", "other"},
		{"（七）总计", "total"},
		{"(七)总计", "total"},
		{"七、总计", "total"},
		{"总计（7）", "total"},
		{"办理结果合计", "total"},
		{"四、结转下年度继续办理", "carried_forward"},
		{"四、结转下一年度继续办理", "carried_forward"},
		{"商 业 企\n业", ""},
		{"行政机关不再处理其政府信息公", ""}, // ambiguous: placed by position, not by label
		{"", ""},
	}
	for _, c := range cases {
		if got := t3Label(fold(c.printed)); got != c.want {
			t.Errorf("t3Label(%q) = %q, want %q", c.printed, got, c.want)
		}
	}
}

func TestT2LabelVariants(t *testing.T) {
	cases := []struct{ printed, want string }{
		{"规章", "t2.art20_1.rules"},
		{"规章（设区的市、自治州人民政府应提供相关数据）", "t2.art20_1.rules"},
		{"行政规范性文件", "t2.art20_1.normative_docs"},
		{"规范性文件", "t2.art20_1.normative_docs"},
		{"行 政 许 可", "t2.art20_5.admin_licensing"},
		{"其他对外管理服务事项", "t2.art20_5.other_external_services"},
		{"⾏政处罚", "t2.art20_6.admin_penalty"}, // Kangxi radical ⾏ (U+2F8F)
		{"行政强制", "t2.art20_6.admin_coercion"},
		{"行政事业性收费", "t2.art20_8.admin_fees"},
		{"政府集中采购", "t2.art20_9.central_procurement"},
		{"其他主动公开文件", ""},
		{"全年公开政策文件4件", ""},
	}
	for _, c := range cases {
		got := ""
		if d := t2Match(fold(c.printed)); d != nil {
			got = d.prefix
		}
		if got != c.want {
			t.Errorf("t2Match(%q) = %q, want %q", c.printed, got, c.want)
		}
	}
}

func TestParseValue(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		raw        string
		value      *float64
		sem        nianbao.Semantic
		unit, note string
	}{
		{"5070", f(5070), nianbao.Numeric, "", ""},
		{"0", f(0), nianbao.Zero, "", ""},
		{"", nil, nianbao.Empty, "", ""},
		{"\u00a0", nil, nianbao.Empty, "", ""},
		{"\u3000", nil, nianbao.Empty, "", ""},
		{"１２３", f(123), nianbao.Numeric, "", ""},
		{"3,985,758", f(3985758), nianbao.Numeric, "", ""},
		{"3，985，758", f(3985758), nianbao.Numeric, "", ""},
		{"96171.6", f(96171.6), nianbao.Numeric, "", ""},
		{"+1036", f(1036), nianbao.Numeric, "", ""},
		{"-8", f(-8), nianbao.Numeric, "", ""},
		{"251000元", f(251000), nianbao.Numeric, "元", ""},
		{"22（其中修订16件）", f(22), nianbao.Numeric, "", "其中修订16件"},
		{"55 （含自然失效 29 件）", f(55), nianbao.Numeric, "", "含自然失效29件"},
		{"12 件", f(12), nianbao.Numeric, "件", ""},
		{"—", nil, nianbao.NA, "", ""},
		{"——", nil, nianbao.NA, "", ""},
		{"-", nil, nianbao.NA, "", ""},
		{"/", nil, nianbao.NA, "", ""},
		{"／", nil, nianbao.NA, "", ""},
		{"无", nil, nianbao.NA, "", ""},
		{"不适用", nil, nianbao.NA, "", ""},
		{"若干", nil, nianbao.Text, "", ""},
		{"1 2", f(12), nianbao.Numeric, "", ""}, // one number split across runs
	}
	for _, c := range cases {
		got := ParseValue(c.raw)
		if got.Semantic != c.sem || got.Unit != c.unit || got.Note != c.note ||
			(got.Value == nil) != (c.value == nil) || (got.Value != nil && *got.Value != *c.value) {
			t.Errorf("ParseValue(%q) = %+v (value %v), want %v %s unit=%q note=%q", c.raw, got, deref(got.Value), deref(c.value), c.sem, c.unit, c.note)
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func TestStripEnum(t *testing.T) {
	for in, want := range map[string]string{
		"一、本年新收": "本年新收", "(一)予以公开": "予以公开", "1.属于": "属于", "1、属于": "属于",
		"三、(一)予以公开": "予以公开", "(1)其他": "其他", "规章": "规章", "2023年": "2023年",
	} {
		if got := stripEnum(fold(in)); got != want {
			t.Errorf("stripEnum(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGapPlacement checks the alignment of rows whose labels were lost: a
// gap is filled only when its size matches the template.
func TestGapPlacement(t *testing.T) {
	mk := func(keys ...string) []t3Row {
		var c []t3Row
		for _, k := range keys {
			c = append(c, t3Row{key: k, matched: k != ""})
		}
		return c
	}
	got := placeT3(mk("new_received", "carried_over", "granted", "", "refused.state_secret"), t3Order21)
	if got[3].key != "partially_granted" {
		t.Errorf("one-row gap: got %q, want partially_granted", got[3].key)
	}
	got = placeT3(mk("not_processed.excessive", "", "", "", "other.other"), t3Order21)
	for i, want := range []string{"not_processed.confirm_reissue", "other.no_correction", "other.fee_unpaid"} {
		if got[i+1].key != want {
			t.Errorf("three-row gap: row %d = %q, want %q", i+1, got[i+1].key, want)
		}
	}
	got = placeT3(mk("not_processed.excessive", "", "", "", "", "other.other"), t3Order21)
	for i := 1; i <= 4; i++ {
		if got[i].key != "" {
			t.Errorf("four rows in a three-slot gap: row %d placed as %q; must stay unplaced", i, got[i].key)
		}
	}
	got = placeT3(mk("granted", "", "", "refused.third_party"), t3Order21)
	if got[1].key != "" || got[2].key != "" {
		t.Errorf("two rows in a four-slot gap were placed (%q, %q): ambiguous gaps must stay unplaced", got[1].key, got[2].key)
	}
}

// TestFoldMatchesNFKC checks the fast path of fold against full NFKC.
func TestFoldMatchesNFKC(t *testing.T) {
	for _, s := range []string{"（一）予以公开，１２３：", "⾏政处罚", "商 业\n企业", "“三安全一稳定”", "　全角空格", "…", "①", "ＡＢＣ／－"} {
		want := strings.Map(dropSpaceQuote, norm.NFKC.String(s))
		if got := fold(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSubtotalColumn(t *testing.T) {
	tbl := &nianbao.Table{Rows: [][]nianbao.TableCell{
		{{Text: "申请人情况"}},
		{{Text: "自然人"}, {Text: "商业企业"}, {Text: "科研机构"}, {Text: "社会公益组织"}, {Text: "法律服务机构"}, {Text: "其他"}, {Text: "法人或其他组织小计"}, {Text: "总计"}},
		{{Text: "一、本年新收政府信息公开申请数量"}, {Text: "5"}, {Text: "1"}, {Text: "0"}, {Text: "0"}, {Text: "2"}, {Text: "0"}, {Text: "3"}, {Text: "8"}},
		{{Text: "（七）总计"}, {Text: "5"}, {Text: "1"}, {Text: "0"}, {Text: "0"}, {Text: "2"}, {Text: "0"}, {Text: "3"}, {Text: "8"}},
	}}
	rep := Normalize(&nianbao.Document{Blocks: []nianbao.Block{{Table: tbl}}})
	if c := rep.Cells["t3.new_received.total"]; c.Value == nil || *c.Value != 8 {
		t.Errorf("total = %+v, want 8 (the subtotal column dropped)", c)
	}
	if c := rep.Cells["t3.new_received.legal_service_org"]; c.Value == nil || *c.Value != 2 {
		t.Errorf("legal_service_org = %+v, want 2", c)
	}
}

func TestValueBeyondFloatPrecision(t *testing.T) {
	for _, raw := range []string{"99999999999999999999", "1234567890123456", "9007199254740993件"} {
		c := ParseValue(raw)
		if c.Value != nil || c.Semantic != nianbao.Text || c.Note != NoteTooPrecise {
			t.Errorf("%s: %+v, want text with the precision note, never a rounded number", raw, c)
		}
		if !isValue(raw) {
			t.Errorf("%s: not taken as a value cell: the row's labels would swallow it", raw)
		}
	}
	for raw, want := range map[string]float64{"999999999999999": 999999999999999, "0.000000000000001": 1e-15, "123456789012345": 123456789012345} {
		if c := ParseValue(raw); c.Value == nil || *c.Value != want {
			t.Errorf("%s: %+v, want %v", raw, c, want)
		}
	}
}

// TestT3Continued: Table 3 continued from a page the document lacks (the
// second page of a report posted alone) has neither its first row nor
// its heading; it starts at its first labelled row.
func TestT3Continued(t *testing.T) {
	row := func(label string, v ...string) []nianbao.TableCell {
		cells := []nianbao.TableCell{{Text: label}}
		for _, x := range v {
			cells = append(cells, nianbao.TableCell{Text: x})
		}
		return cells
	}
	tbl := &nianbao.Table{Rows: [][]nianbao.TableCell{
		row("4.保护第三方合法权益", "0", "0", "0", "0", "0", "0", "0"),
		row("（七）总计", "59", "7", "0", "0", "1", "0", "67"),
		row("四、结转下年度继续办理", "2", "0", "0", "0", "0", "0", "2"),
	}}
	rep := Normalize(&nianbao.Document{Blocks: []nianbao.Block{{Table: tbl}}})
	for id, want := range map[string]float64{"t3.total.total": 67, "t3.total.commercial_enterprise": 7, "t3.carried_forward.natural_person": 2} {
		if c := rep.Cells[id]; c.Value == nil || *c.Value != want {
			t.Errorf("%s = %+v, want %v", id, c, want)
		}
	}
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.HasPrefix(w, "incomplete: template not recognised") }) {
		t.Errorf("a partial report of no known template is not said to be partial: %q", rep.Warnings)
	}
}
