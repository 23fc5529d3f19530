package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

// Narrative checks: reports restate their key figures in prose (全年新收政府
// 信息公开申请42件，上年结转2件，共办结43件 …). Each statement found is
// compared with the table's cell as checks T3.TEXT, T4.TEXT and T2.TEXT
// (severity warning; lhs the prose number, rhs the table's; scope the
// phrase). They catch a table pasted from the wrong year. A statement is
// read only when its number is bound to its subject ("申请42件"), never
// when it is a change ("增加10件") or a share.

type claim struct {
	check string
	re    *regexp.Regexp
	cells [][]string // the table cells whose sum the prose states; alternatives when the phrase is read either way
	zero  bool       // the phrase states zero (未发生行政复议)
}

var claims = []claim{
	{"T3.TEXT", regexp.MustCompile(`(?:新收|收到|接收|接到)(?:各类)?(?:政府信息公开|依申请公开|信息公开)?(?:的)?(?:申请)(?:共计|总计|合计|共)?(\d+)(?:件|条|份|个)`), [][]string{{"t3.new_received.total"}}, false},
	// 受理 is read both ways: the new requests, or those with last year's
	{"T3.TEXT", regexp.MustCompile(`受理(?:各类)?(?:政府信息公开|依申请公开|信息公开)?(?:的)?(?:申请)(?:共计|总计|合计|共)?(\d+)(?:件|条|份|个)`), [][]string{{"t3.new_received.total"}, {"t3.new_received.total", "t3.carried_over.total"}}, false},
	{"T3.TEXT", regexp.MustCompile(`上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(\d+)(?:件|条)`), [][]string{{"t3.carried_over.total"}}, false},
	{"T3.TEXT", regexp.MustCompile(`(?:共|全部|已|均已)?办结(?:政府信息公开|依申请公开)?(?:申请)?(\d+)(?:件|条)`), [][]string{{"t3.total.total"}}, false},
	{"T3.TEXT", regexp.MustCompile(`结转(?:至|到)?下(?:一)?年(?:度)?(?:继续)?(?:办理)?(\d+)(?:件|条)`), [][]string{{"t3.carried_forward.total"}}, false},
	{"T4.TEXT", regexp.MustCompile(`(?:被申请|发生|收到|涉及)?行政复议(?:案件|申请)?(?:共)?(\d+)(?:件|起|宗)`), [][]string{{"t4.review.total"}}, false},
	{"T4.TEXT", regexp.MustCompile(`(?:被提起|发生|涉及)?行政诉讼(?:案件)?(?:共)?(\d+)(?:件|起|宗)`), [][]string{{"t4.suit_direct.total", "t4.suit_after_review.total"}}, false},
	{"T4.TEXT", regexp.MustCompile(`(?:未发生|没有发生|未出现|没有|无)(?:因)?(?:政府信息公开(?:工作)?)?(?:而)?(?:被申请)?行政复议(?:和|及|、|或)?(?:行政诉讼)?`), [][]string{{"t4.review.total"}}, true},
	{"T4.TEXT", regexp.MustCompile(`(?:未发生|没有发生|未出现|没有|无)(?:因)?(?:政府信息公开(?:工作)?)?(?:而)?(?:被申请)?(?:行政复议(?:和|及|、|或))?(?:被提起)?行政诉讼`), [][]string{{"t4.suit_direct.total", "t4.suit_after_review.total"}}, true},
	{"T2.TEXT", regexp.MustCompile(`现行有效(?:的)?(?:行政)?规范性文件(?:共)?(\d+)件`), [][]string{{"t2.art20_1.normative_docs.in_force"}}, false},
	{"T2.TEXT", regexp.MustCompile(`(?:制发|出台|印发)(?:行政)?规范性文件(?:共)?(\d+)件`), [][]string{{"t2.art20_1.normative_docs.issued"}}, false},
}

// changeWords before a number make it a change or a comparison, not a
// figure: 同比增加10件, 较上年减少5件.
var changeWords = []string{"增加", "减少", "增长", "下降", "上升", "同比", "较上年", "比上年", "其中"}

// narrativeChecks reads the prose statements of a report's figures.
func narrativeChecks(doc *nianbao.Document, rep *nianbao.Report) {
	seen := map[string]bool{}
	n := 0
	for _, b := range doc.Blocks {
		if b.Table != nil || len(b.Text) > 4000 {
			continue
		}
		if n++; n > 400 {
			break
		}
		text := strings.Join(strings.Fields(fold(b.Text)), "")
		for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == ';' || r == '；' }) {
			for _, c := range claims {
				for _, m := range c.re.FindAllStringSubmatchIndex(sentence, 4) {
					phrase := sentence[m[0]:m[1]]
					pre := sentence[max(0, m[0]-9):m[0]]
					if changed(pre + phrase) {
						continue
					}
					var said float64
					if !c.zero {
						v, err := strconv.Atoi(sentence[m[2]:m[3]])
						if err != nil {
							continue
						}
						said = float64(v)
					}
					key := c.check + strings.Join(c.cells[0], ",")
					if seen[key] {
						continue // the first statement of a figure is the one checked
					}
					if addTextCheck(rep, c, phrase, said) {
						seen[key] = true
					}
				}
			}
		}
	}
}

func changed(s string) bool {
	for _, w := range changeWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// addTextCheck compares a prose figure with the table's (any of the
// readings the phrase allows); it adds nothing when the table does not
// show the cells.
func addTextCheck(rep *nianbao.Report, c claim, phrase string, said float64) bool {
	status, best := "", 0.0
	var cells []string
	for _, alt := range c.cells {
		table, blank, shown := 0.0, false, true
		for _, id := range alt {
			cell, ok := rep.Cells[id]
			if !ok {
				shown = false
				break
			}
			if cell.Value == nil {
				blank = true
				continue
			}
			table += *cell.Value
		}
		if !shown {
			continue
		}
		st := nianbao.Pass
		switch {
		case said != table && blank:
			st = nianbao.Incomplete
		case said != table:
			st = nianbao.Fail
		}
		if status == "" || st == nianbao.Pass || (st == nianbao.Incomplete && status == nianbao.Fail) {
			status, best, cells = st, table, alt
		}
	}
	if status == "" {
		return false
	}
	if len([]rune(phrase)) > 40 {
		phrase = string([]rune(phrase)[:40])
	}
	rep.Checks = append(rep.Checks, nianbao.Check{ID: c.check, Scope: phrase, Status: status, LHS: said, RHS: best,
		Cells: append([]string(nil), cells...), Severity: "warning"})
	if status == nianbao.Fail {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: the text says %q but the table has %g", c.check, phrase, best))
	}
	return true
}
