package normalize

import (
	"fmt"
	"testing"

	"github.com/nianbao/nianbao"
)

func TestSplits(t *testing.T) {
	cases := []struct {
		digits string
		n      int
		check  func([]float64) bool
		want   string // all splits, or "ambiguous"
	}{
		{"230 000023", 7, rowSum, "[[23 0 0 0 0 0 23]]"},    // a space ends a cell
		{"20 0 00 0 121", 7, rowSum, "[[20 0 0 0 0 1 21]]"}, // 009 (七)总计
		{"640020470", 7, rowSum, "[[64 0 0 2 0 4 70]]"},     // 010
		{"0000000", 7, rowSum, "[[0 0 0 0 0 0 0]]"},         // zeros are single digits
		{"220000022", 7, rowSum, "ambiguous"},               // 22|0…|22 or 2|20|0…|22
		{"10203120001200000", 15, groupSums, "[[1 0 2 0 3 12 0 0 0 12 0 0 0 0 0]]"},
		{"25380363300630003", 15, groupSums, "[[25 3 8 0 36 3 3 0 0 6 3 0 0 0 3]]"},
		{"000", 3, nil, "[[0 0 0]]"},
		{"898989", 3, nil, "ambiguous"},
	}
	for _, c := range cases {
		got := splits(c.digits, c.n, false, c.check, 2)
		s := fmt.Sprint(got)
		if len(got) > 1 {
			s = "ambiguous"
		}
		if s != c.want {
			t.Errorf("splits(%q, %d) = %s, want %s", c.digits, c.n, s, c.want)
		}
	}
	if got := splitsSigned("35-15", 2, false, 1, nil, 2); fmt.Sprint(got) != "[[35 -15]]" {
		t.Errorf("signed split = %v", got)
	}
	if got := splitsSigned("2648-18538", 3, false, 1, nil, 2); len(got) != 2 {
		t.Errorf("2648-18538 into 3 must stay ambiguous, got %v", got)
	}
}

func TestRunTogetherDocument(t *testing.T) {
	text := "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件5845546" +
		"第二十条第（五）项信息内容本年处理决定数量行政许可2418" +
		"三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他" +
		"一、本年新收政府信息公开申请数量15130000154二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开100000010" +
		"（二）部分公开（区分处理的，只计这一情形，不计其他情形）5000005（三）不予公开1.属于国家秘密0000000" +
		"（四）无法提供1.本机关不掌握相关政府信息4910000502.没有现成信息需要另行制作0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 8000008" +
		"（七）总计14830000151四、结转下年度继续办理3000003" +
		"四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计25380363300630003五、存在的主要问题"
	rep := Normalize(&nianbao.Document{Blocks: []nianbao.Block{{Text: text}}})
	want := map[string]float64{
		"t3.new_received.natural_person": 151, "t3.new_received.commercial_enterprise": 3, "t3.new_received.total": 154,
		"t3.granted.total": 10, "t3.unavailable.not_held.natural_person": 49, "t3.unavailable.not_held.total": 50,
		"t3.other.no_correction.total": 8, "t3.total.total": 151, "t3.carried_forward.total": 3,
		"t4.review.upheld": 25, "t4.review.total": 36, "t4.suit_after_review.total": 3,
		"t2.art20_5.admin_licensing.decisions": 2418, "t2.art20_1.rules.in_force": 0,
	}
	for id, v := range want {
		c, ok := rep.Cells[id]
		if !ok || c.Value == nil || *c.Value != v {
			t.Errorf("%s = %+v, want %v", id, c, v)
		}
	}
	if _, ok := rep.Cells["t2.art20_1.normative_docs.issued"]; ok {
		t.Error("an ambiguous run (5845546 into 3 cells) must be left unread")
	}
}
