package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

// Some copies of reports (web-archive text dumps) print every table cell
// with no separator: "一、本年新收政府信息公开申请数量230 000023" is
// 23 | 0 | 0 | 0 | 0 | 0 | 23. The digits can still be split, because the
// table constrains them: a cell is 0 or has no leading zero, a space only
// ever ends a cell, Table 3's seven columns end in their total and Table 4's
// three groups of five end in theirs. runTogetherRows turns such text into
// rows, and only where exactly one split satisfies the constraints; an
// ambiguous run stays unread and is reported.

// segment is a label followed by a run of digits.
type segment struct {
	label  string // folded
	digits string // digits, spaces and decimal points as printed
}

var rowMarkerRe = regexp.MustCompile(`(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[0-9]{1,2}[.、])`)

// segments cuts folded-but-spaced text into label/digit-run pairs. A digit
// directly followed by "." or "、" opens the next label (an enumerator).
func segments(text string) []segment {
	var out []segment
	r := []rune(text)
	labelStart := 0
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			i++
			continue
		}
		j := i
		for j < len(r) && (isDigit(r[j]) || r[j] == ' ' || (r[j] == '.' && j > i && isDigit(r[j-1]) && j+1 < len(r) && isDigit(r[j+1])) ||
			((r[j] == '-' || r[j] == '+') && j > i && j+1 < len(r) && isDigit(r[j+1]))) {
			j++
		}
		end := j
		for end > i && r[end-1] == ' ' {
			end--
		}
		// an enumerator of the next label: "…0000002.其他法律"; a lone
		// enumerator ("(六)其他处理1.申请人…") is no value at all
		enumerator := false
		if j < len(r) && (r[j] == '.' || r[j] == '、') && end == j {
			if end-1 == i {
				i = j + 1
				continue
			}
			end--
			j = end
			enumerator = true
		}
		label := string(r[labelStart:i])
		if end > i && strings.TrimSpace(label) != "" {
			out = append(out, segment{label: label, digits: string(r[i:end])})
		}
		labelStart, i = j, j
		if enumerator {
			i++ // the enumerator digit opens the next label
		}
	}
	return out
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// ownLabel keeps the part of a label after its last row marker.
func ownLabel(l string) string {
	locs := rowMarkerRe.FindAllStringIndex(l, -1)
	if len(locs) == 0 {
		return l
	}
	return l[locs[len(locs)-1][0]:]
}

// splits lists the ways to cut digits into n cells: no leading zeros,
// spaces always end a cell, decimals only when allowDecimal. check filters
// the candidates. At most limit are returned.
func splits(digits string, n int, allowDecimal bool, check func([]float64) bool, limit int) [][]string {
	return splitsSigned(digits, n, allowDecimal, -1, check, limit)
}

// splitsSigned is splits where a sign may open the cell in column signed
// (T19 本年增/减); a sign anywhere always starts a new cell.
func splitsSigned(digits string, n int, allowDecimal bool, signed int, check func([]float64) bool, limit int) [][]string {
	var chunks []string
	for _, f := range strings.Fields(digits) {
		start := 0
		for k := 1; k < len(f); k++ {
			if f[k] == '-' || f[k] == '+' {
				chunks = append(chunks, f[start:k])
				start = k
			}
		}
		chunks = append(chunks, f[start:])
	}
	var out [][]string
	cur := make([]string, 0, n)
	var rec func(ci, pos int)
	rec = func(ci, pos int) {
		if len(out) >= limit {
			return
		}
		if ci < len(chunks) && pos == len(chunks[ci]) {
			rec(ci+1, 0)
			return
		}
		if ci == len(chunks) {
			if len(cur) != n {
				return
			}
			vals := make([]float64, n)
			for k, c := range cur {
				vals[k], _ = strconv.ParseFloat(c, 64)
			}
			if check == nil || check(vals) {
				out = append(out, append([]string(nil), cur...))
			}
			return
		}
		if len(cur) >= n {
			return
		}
		chunk := chunks[ci]
		if chunk[pos] == '.' {
			return
		}
		if chunk[pos] == '-' || chunk[pos] == '+' {
			if len(cur) != signed || pos+1 >= len(chunk) {
				return
			}
			for e := pos + 2; e <= len(chunk); e++ {
				if chunk[pos+1] == '0' && e > pos+2 {
					break
				}
				cur = append(cur, chunk[pos:e])
				rec(ci, e)
				cur = cur[:len(cur)-1]
			}
			return
		}
		if chunk[pos] == '0' && !(allowDecimal && pos+1 < len(chunk) && chunk[pos+1] == '.') {
			cur = append(cur, "0")
			rec(ci, pos+1)
			cur = cur[:len(cur)-1]
			return
		}
		for e := pos + 1; e <= len(chunk); e++ {
			cell := chunk[pos:e]
			if strings.HasSuffix(cell, ".") || (strings.Contains(cell, ".") && !allowDecimal) {
				continue
			}
			cur = append(cur, cell)
			rec(ci, e)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0, 0)
	return out
}

// rowSum: the last value is the sum of the others.
func rowSum(v []float64) bool {
	s := 0.0
	for _, x := range v[:len(v)-1] {
		s += x
	}
	return s == v[len(v)-1]
}

// groupSums: Table 4's three groups of five each end in their total.
func groupSums(v []float64) bool {
	return rowSum(v[0:5]) && rowSum(v[5:10]) && rowSum(v[10:15])
}

// runTogetherRows decodes the run-together text of a document into rows
// that the table readers understand.
func runTogetherRows(doc *nianbao.Document, tpl nianbao.Template, rep *nianbao.Report) []row {
	var b strings.Builder
	for _, blk := range doc.Blocks {
		if blk.Table == nil {
			b.WriteString(blk.Text)
			b.WriteByte('\n')
		}
	}
	text := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\u3000' || r == '\u00a0' {
			return ' '
		}
		return r
	}, fold2(b.String()))
	var rows []row
	var t3 []t3Cand
	region := ""
	for _, seg := range segments(text) {
		label := strings.ReplaceAll(ownLabel(seg.label), " ", "")
		full := strings.ReplaceAll(seg.label, " ", "")
		switch {
		case region != "t4" && strings.Contains(full, "复议") && strings.HasSuffix(full, "总计"):
			region = "t4"
			rows = append(rows, t3Rows(t3, rep)...)
			t3 = nil
			rows = append(rows, row{labels: []string{full}, label: full, text: full})
			if c := splits(seg.digits, 15, false, groupSums, 2); len(c) == 1 {
				rows = append(rows, row{values: c[0], text: strings.Join(c[0], "")})
			} else {
				warnRun(rep, seg.digits, "表四", 15, len(c))
			}
			continue
		case region == "t4":
			continue
		case t3Label(label) == "new_received" || (region == "t3" && t3Label(label) != ""):
			region = "t3"
			t3 = append(t3, t3Cand{label: label, digits: seg.digits, cands: splits(seg.digits, 7, false, rowSum, 64)})
			continue
		case strings.Contains(full, "第二十条"):
			region = "t2"
		}
		if region != "t2" {
			continue
		}
		def := t2Suffix(full)
		if def == nil {
			continue
		}
		cols := def.cols21
		if tpl == nianbao.Template2019 {
			cols = def.cols19
		}
		signed := -1
		for k, c := range cols {
			if c == "items_delta" {
				signed = k
			}
		}
		c := splitsSigned(seg.digits, len(cols), len(cols) == 1 || def.prefix == "t2.art20_9.central_procurement", signed, nil, 2)
		if len(cols) == 0 || len(c) != 1 {
			warnRun(rep, seg.digits, def.labels[0], len(cols), len(c))
			continue
		}
		rows = append(rows, row{labels: []string{def.labels[0]}, values: c[0], label: def.labels[0], text: def.labels[0] + strings.Join(c[0], "")})
	}
	return append(rows, t3Rows(t3, rep)...)
}

func warnRun(rep *nianbao.Report, digits, label string, n, found int) {
	if found == 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("run-together digits %q after '%s': no split into %d cells fits the table", digits, shortText(label), n))
		return
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("run-together digits %q after '%s': more than one split into %d cells fits; left unread", digits, shortText(label), n))
}

// t3Cand is a Table-3 row with every split its digits allow.
type t3Cand struct {
	label, digits string
	cands         [][]string
}

// t3Rows resolves rows with several splits jointly: the choice must make
// every column's identities hold (T3.BALANCE, T3.RESULT_SUM), and only a
// unique such choice is taken.
func t3Rows(cs []t3Cand, rep *nianbao.Report) []row {
	if len(cs) == 0 {
		return nil
	}
	var amb []int
	combos := 1
	for i, c := range cs {
		if len(c.cands) > 1 {
			amb = append(amb, i)
			combos *= len(c.cands)
		}
	}
	pick := make([]int, len(cs))
	if len(amb) > 0 && combos <= 200000 {
		found, first := 0, []int(nil)
		var rec func(k int)
		rec = func(k int) {
			if found > 1 {
				return
			}
			if k == len(amb) {
				if identitiesHold(cs, pick) {
					found++
					if found == 1 {
						first = append([]int(nil), pick...)
					}
				}
				return
			}
			for j := range cs[amb[k]].cands {
				pick[amb[k]] = j
				rec(k + 1)
			}
		}
		rec(0)
		if found == 1 {
			copy(pick, first)
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("run-together digits: %d table-3 rows had several splits; the only choice satisfying every column identity was taken", len(amb)))
		} else {
			for _, i := range amb {
				cs[i].cands = nil // unresolved: leave unread
			}
		}
	} else if len(amb) > 0 {
		for _, i := range amb {
			cs[i].cands = nil
		}
	}
	var rows []row
	for i, c := range cs {
		if len(c.cands) == 0 {
			warnRun(rep, c.digits, c.label, 7, len(c.cands))
			rows = append(rows, row{labels: []string{c.label}, label: c.label, text: c.label})
			continue
		}
		v := c.cands[pick[i]]
		rows = append(rows, row{labels: []string{c.label}, values: v, label: c.label, text: c.label + strings.Join(v, "")})
	}
	return rows
}

// identitiesHold checks T3.BALANCE and T3.RESULT_SUM on every column for
// one choice of splits.
func identitiesHold(cs []t3Cand, pick []int) bool {
	vals := map[string][]float64{}
	for i, c := range cs {
		key := t3Label(c.label)
		if key == "" || len(c.cands) == 0 {
			continue
		}
		v := make([]float64, 7)
		for k, x := range c.cands[pick[i]] {
			v[k], _ = strconv.ParseFloat(x, 64)
		}
		vals[key] = v
	}
	total, ok := vals["total"]
	if !ok {
		return false
	}
	for col := 0; col < 7; col++ {
		sum := 0.0
		for key, v := range vals {
			switch key {
			case "new_received", "carried_over", "total", "carried_forward":
			default:
				sum += v[col]
			}
		}
		if sum != total[col] {
			return false
		}
		if nr, ok := vals["new_received"]; ok {
			if co, ok := vals["carried_over"]; ok {
				if cf, ok := vals["carried_forward"]; ok && nr[col]+co[col] != total[col]+cf[col] {
					return false
				}
			}
		}
	}
	return true
}

// fold2 is fold without removing white space, which marks cell ends here.
func fold2(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '“' || r == '”' || r == '"':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// t2Suffix finds the Table-2 row whose name ends a label.
func t2Suffix(label string) *t2Row {
	l := stripParens(label)
	var best *t2Row
	bestLen := 0
	for i := range t2Rows {
		for _, w := range t2Rows[i].labels {
			if strings.HasSuffix(l, w) && len(w) > bestLen {
				best, bestLen = &t2Rows[i], len(w)
			}
		}
	}
	return best
}

func shortText(s string) string {
	r := []rune(s)
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}
