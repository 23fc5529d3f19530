package normalize

import (
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

var naMarks = map[string]bool{
	"-": true, "--": true, "—": true, "——": true, "–": true, "/": true, "\\": true, "无": true,
	"不适用": true, "―": true, "-—": true, "/-": true, "N/A": true, "n/a": true, "NA": true, "×": true,
}

// ParseValue classifies and parses one printed cell. A blank is Empty and a
// dash or 无 is NA: neither is ever read as 0 here.
func ParseValue(raw string) nianbao.Cell {
	raw = strings.TrimSpace(raw)
	c := nianbao.Cell{Raw: raw}
	if plainInt(raw) { // most cells: skip folding
		v, _ := strconv.ParseFloat(raw, 64)
		c.Value = &v
		c.Semantic = nianbao.Numeric
		if v == 0 {
			c.Semantic = nianbao.Zero
		}
		return c
	}
	s := fold(raw)
	switch {
	case s == "":
		c.Semantic = nianbao.Empty
		return c
	case naMarks[s]:
		c.Semantic = nianbao.NA
		return c
	}
	sign, digits, unit, note, ok := splitNumber(s)
	if !ok {
		c.Semantic = nianbao.Text
		return c
	}
	if significantDigits(digits) > 15 {
		// A float64 holds 15 significant digits exactly: beyond that the
		// number would be stored rounded (99999999999999999999 → 1e20).
		c.Semantic, c.Unit, c.Note = nianbao.Text, unit, NoteTooPrecise
		return c
	}
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		c.Semantic = nianbao.Text
		return c
	}
	if sign == '-' {
		v = -v
	}
	c.Value = &v
	c.Unit = unit
	c.Note = note
	if v == 0 {
		c.Semantic = nianbao.Zero
	} else {
		c.Semantic = nianbao.Numeric
	}
	return c
}

// NoteTooPrecise is the note of a number printed with more digits than a
// float64 holds exactly; the cell is kept as text (and fails the range
// check) rather than rounded.
const NoteTooPrecise = "more than 15 significant digits: kept as text, not rounded"

// significantDigits counts digits after leading zeros, the point excluded.
func significantDigits(digits string) int {
	n, lead := 0, true
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case c == '.':
		case lead && c == '0':
		default:
			lead = false
			n++
		}
	}
	return n
}

var units = []string{"万元", "元", "件", "项", "个", "条", "次", "宗", "起"}

// splitNumber parses folded text of the form [+-]digits[,digits][.digits]
// [unit][(note)] without regular expressions (it runs on every cell).
func splitNumber(s string) (sign byte, digits, unit, note string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		sign = s[i]
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return 0, "", "", "", false
	}
	var b []byte
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == ',') {
		if s[i] != ',' {
			b = append(b, s[i])
		}
		i++
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		b = append(b, '.')
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
			i++
		}
	}
	rest := s[i:]
	for _, u := range units {
		if strings.HasPrefix(rest, u) {
			unit, rest = u, rest[len(u):]
			break
		}
	}
	if strings.HasPrefix(rest, "(") {
		note = strings.TrimSuffix(rest[1:], ")")
		if strings.ContainsAny(note, "()") {
			return 0, "", "", "", false
		}
		rest = ""
	}
	if rest != "" {
		return 0, "", "", "", false
	}
	return sign, string(b), unit, note, true
}

// isValue reports whether a printed cell is value-like: a number, a blank or
// a not-applicable mark, as opposed to a label.
func isValue(raw string) bool {
	c := ParseValue(raw)
	return c.Semantic != nianbao.Text || c.Note == NoteTooPrecise
}

// isNumber reports whether a printed cell holds a number.
func isNumber(raw string) bool {
	return ParseValue(raw).Value != nil
}

// plainInt reports whether s is 1–15 ASCII digits with no leading zero
// (or just "0").
func plainInt(s string) bool {
	if len(s) == 0 || len(s) > 15 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
