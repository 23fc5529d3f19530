package normalize

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao"
)

var numberRe = regexp.MustCompile(`^([+-]?)([0-9][0-9,]*)(\.[0-9]+)?(万元|元|件|项|个|条|次|宗|起)?(?:\(([^()]*)\)?)?$`)

var naMarks = map[string]bool{
	"-": true, "--": true, "—": true, "——": true, "–": true, "/": true, "\\": true, "无": true,
	"不适用": true, "―": true, "-—": true, "/-": true, "N/A": true, "n/a": true, "NA": true, "×": true,
}

// ParseValue classifies and parses one printed cell. A blank is Empty and a
// dash or 无 is NA: neither is ever read as 0 here.
func ParseValue(raw string) nianbao.Cell {
	raw = strings.TrimSpace(raw)
	c := nianbao.Cell{Raw: raw}
	s := fold(raw)
	switch {
	case s == "":
		c.Semantic = nianbao.Empty
		return c
	case naMarks[s]:
		c.Semantic = nianbao.NA
		return c
	}
	m := numberRe.FindStringSubmatch(s)
	if m == nil {
		c.Semantic = nianbao.Text
		return c
	}
	digits := strings.ReplaceAll(m[2], ",", "") + m[3]
	v, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		c.Semantic = nianbao.Text
		return c
	}
	if m[1] == "-" {
		v = -v
	}
	c.Value = &v
	c.Unit = m[4]
	c.Note = m[5]
	if v == 0 {
		c.Semantic = nianbao.Zero
	} else {
		c.Semantic = nianbao.Numeric
	}
	return c
}

// isValue reports whether a printed cell is value-like: a number, a blank or
// a not-applicable mark, as opposed to a label.
func isValue(raw string) bool {
	switch ParseValue(raw).Semantic {
	case nianbao.Text:
		return false
	}
	return true
}

// isNumber reports whether a printed cell holds a number.
func isNumber(raw string) bool {
	return ParseValue(raw).Value != nil
}
