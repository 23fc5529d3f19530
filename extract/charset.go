package extract

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// charsetParam returns the charset parameter of a Content-Type value.
func charsetParam(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// htmlDeclaredCharset finds a charset declared in a <meta> tag near the top.
func htmlDeclaredCharset(data []byte) string {
	head := data[:min(len(data), 16384)]
	if m := metaCharset.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// lookupEncoding maps a charset label to an encoding. Every GBK-family label
// decodes as GB18030, its superset, since publishers mislabel freely.
func lookupEncoding(label string) (encoding.Encoding, string) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch l {
	case "":
		return nil, ""
	case "gbk", "gb2312", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "windows-936", "gb18030", "euc-cn", "csgb2312", "chinese", "iso-ir-58":
		return simplifiedchinese.GB18030, "gb18030"
	case "utf8", "utf-8", "unicode-1-1-utf-8":
		return unicode.UTF8, "utf-8"
	}
	e, err := htmlindex.Get(l)
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(e)
	return e, name
}

// DecodeHTML decodes an HTML page to UTF-8 the way ReadHTML does: the
// charset of the Content-Type header, else of a <meta> tag, else sniffed;
// a declaration the bytes contradict is overridden. The warning says what
// was overridden or replaced, or is "".
func DecodeHTML(data []byte, contentType string) (string, string) {
	declared := charsetParam(contentType)
	if declared == "" {
		declared = htmlDeclaredCharset(data)
	}
	return decodeText(data, declared)
}

// decodeText decodes data to UTF-8. declared is a charset label from the
// transport or the document itself, or "". Between UTF-8 and GB18030 (the
// usual charset of Chinese portals) the decoding with fewer errors wins, so
// one bad byte never flips a file's charset: the few invalid sequences are
// replaced with U+FFFD and a warning says how many. Cost is linear.
func decodeText(data []byte, declared string) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return utf8Replaced(data[3:], "")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(out), ""
		}
	}
	enc, name := lookupEncoding(declared)
	if enc != nil && name != "utf-8" && name != "gb18030" {
		out, err := enc.NewDecoder().Bytes(data)
		if err != nil {
			return strings.ToValidUTF8(string(data), "\uFFFD"), "charset " + declared + ": " + err.Error()
		}
		return string(out), ""
	}
	if isASCII(data) {
		return string(data), ""
	}
	u, g := utf8Errors(data), gbErrors(data)
	useUTF8 := u <= g
	if name == "gb18030" && u > 0 {
		useUTF8 = u*4 < g // a GBK declaration stands unless UTF-8 is clearly better
	}
	var warn string
	switch {
	case name == "utf-8" && !useUTF8:
		warn = "declared charset utf-8 but bytes are not UTF-8: decoded as GB18030"
	case name == "gb18030" && useUTF8:
		warn = "declared charset " + declared + " but bytes are UTF-8: decoded as UTF-8"
	}
	if useUTF8 {
		return utf8Replaced(data, warn)
	}
	return gb18030(data), warn
}

// utf8Replaced returns data as UTF-8 with invalid sequences replaced by
// U+FFFD, adding their count to warn.
func utf8Replaced(data []byte, warn string) (string, string) {
	if n := utf8Errors(data); n > 0 {
		if warn != "" {
			warn += "; "
		}
		warn += fmt.Sprintf("%d invalid UTF-8 byte sequence(s) replaced with U+FFFD", n)
		return strings.ToValidUTF8(string(data), "\uFFFD"), warn
	}
	return string(data), warn
}

// utf8Errors counts invalid UTF-8 sequences (a run of bad bytes counts once
// per byte, as decoders report them).
func utf8Errors(data []byte) int {
	n := 0
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			n++
		}
		i += size
	}
	return n
}

// gbErrors counts what decoding as GB18030 gets wrong: undecodable bytes
// and characters outside common CJK, CJK punctuation, fullwidth forms and
// Latin-1 punctuation, which is what UTF-8 text read as GB18030 turns into.
func gbErrors(data []byte) int {
	n := 0
	for _, r := range gb18030(data) {
		if r < 0x80 || isCommonCJK(r) {
			continue
		}
		n++
	}
	return n
}

func isCommonCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FA5) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		r == 0x2014 || r == 0x2026 || r == 0x2018 || r == 0x2019 || r == 0x201C || r == 0x201D || r == 0xB7 || r == 0xD7
}

func gb18030(data []byte) string {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
