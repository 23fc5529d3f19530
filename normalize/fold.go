package normalize

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold prepares printed text for matching: NFKC (fullwidth digits, brackets
// and Kangxi radicals become their common forms), every kind of white space
// removed (line breaks inside labels, U+3000, NBSP, characters spaced out by
// PDF converters), and quote marks dropped.
func fold(s string) string {
	if isPlainASCII(s) {
		return strings.Map(dropSpaceQuote, s)
	}
	return strings.Map(dropSpaceQuote, norm.NFKC.String(s))
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func dropSpaceQuote(r rune) rune {
	switch {
	case unicode.IsSpace(r), r == '\u200b', r == '\ufeff':
		return -1
	case r == '"' || r == '\'' || r == '“' || r == '”' || r == '‘' || r == '’' || r == '「' || r == '」' || r == '『' || r == '』':
		return -1
	case r == '【':
		return '['
	case r == '】':
		return ']'
	}
	return r
}

// enumRe matches leading enumerators: 一、 (一) 1. 1、 1． (1) 第一，
// possibly repeated ("三、(一)").
var enumRe = regexp.MustCompile(`^(?:\(?[一二三四五六七八九十]+[)、.]|\(?[0-9]{1,2}[)、.]|\([一二三四五六七八九十0-9]{1,2}\))+`)

// stripEnum removes leading enumerators from folded text.
func stripEnum(s string) string {
	return enumRe.ReplaceAllString(s, "")
}

var parenRe = regexp.MustCompile(`\([^()]*\)?`)

// stripParens removes parenthetical instructions from folded text
// ("规章(设区的市…提供相关数据)" → "规章").
func stripParens(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	return parenRe.ReplaceAllString(s, "")
}
