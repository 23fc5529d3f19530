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
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0 // fullwidth ASCII, exactly as NFKC maps it
		case r < 0x80, r >= 0x4E00 && r <= 0x9FFF:
		case r == 0x3001, r == 0x3002, r >= 0x3008 && r <= 0x3011, r == 0x2014, r >= 0x2018 && r <= 0x201D, r == 0x3000:
		default:
			// A character NFKC may change (Kangxi radicals, compatibility
			// ideographs, ellipsis, circled digits…): take the full path.
			return strings.Map(dropSpaceQuote, norm.NFKC.String(s))
		}
		if r = dropSpaceQuote(r); r >= 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
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
