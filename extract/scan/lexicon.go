package scan

import (
	"strings"
	"sync"
	"unicode"

	"github.com/nianbao/nianbao"
)

// The labels of the official templates (every part of every cell's label
// path), for correcting OCR'd labels: a label read with a character or
// two wrong (总计 as 冯计) is put right when one template label is clearly
// nearest, so the normalizer matches it. Numbers are never corrected.
var (
	lexOnce sync.Once
	lexicon []lexEntry
)

type lexEntry struct {
	label string
	key   []rune // the label without punctuation and spaces
}

func loadLexicon() {
	seen := map[string]bool{}
	add := func(l string) {
		l = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), "…"))
		if l == "" || seen[l] || strings.HasSuffix(l, "…") {
			return
		}
		seen[l] = true
		if k := labelKey(l); len(k) >= 2 {
			lexicon = append(lexicon, lexEntry{l, k})
		}
	}
	for _, d := range nianbao.CellDefs() {
		for _, part := range strings.Split(d.Label, "/") {
			for _, p := range strings.Split(part, " × ") {
				add(p)
			}
		}
	}
	for _, l := range []string{"申请人情况", "法人或其他组织", "信息内容", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "三、本年度办理结果", "（四）无法提供", "（五）不予处理", "（六）其他处理", "（三）不予公开"} {
		add(l)
	}
}

// labelKey is a label's characters that OCR reads reliably enough to
// compare: letters and digits, no punctuation, brackets or spaces.
func labelKey(s string) []rune {
	var out []rune
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, r)
		}
	}
	return out
}

// correctLabel returns the template label nearest an OCR'd label when it
// is near enough (at most a quarter of its characters wrong, at least one
// allowed in two-character labels) and nearer than any other; else the
// text as read.
func correctLabel(s string) string {
	lexOnce.Do(loadLexicon)
	k := labelKey(s)
	if len(k) < 2 || len(k) > 40 {
		return s
	}
	best, second, at := 1<<30, 1<<30, -1
	for i, e := range lexicon {
		if abs(len(e.key)-len(k)) > max(1, len(e.key)/4) {
			continue
		}
		d := distance(k, e.key)
		if d < best {
			best, second, at = d, best, i
		} else if d < second {
			second = d
		}
	}
	if at < 0 || best == 0 {
		return s
	}
	if best <= max(1, len(lexicon[at].key)/4) && best < second {
		return lexicon[at].label
	}
	return s
}

// distance is the edit distance of two rune strings.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// templateWord tells whether s, as read, is a label of the templates
// (其他, 总计) or what reports print for none (无).
func templateWord(s string) bool {
	lexOnce.Do(loadLexicon)
	k := string(labelKey(s))
	if k == "无" {
		return true
	}
	for _, e := range lexicon {
		if string(e.key) == k {
			return true
		}
	}
	return false
}
