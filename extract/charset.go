package extract

import (
	"bytes"
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

// decodeText decodes data to UTF-8. declared is a charset label from the
// transport or the document itself, or "". Undeclared bytes that are not
// valid UTF-8 are decoded as GB18030, the usual charset of Chinese portals.
// The returned warning is non-empty when the declaration had to be
// overridden.
func decodeText(data []byte, declared string) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return string(data[3:]), ""
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(out), ""
		}
	}
	enc, name := lookupEncoding(declared)
	valid := utf8.Valid(data)
	switch {
	case enc == nil && valid:
		return string(data), ""
	case enc == nil:
		return gb18030(data), ""
	case name == "utf-8" && !valid:
		return gb18030(data), "declared charset utf-8 but bytes are not UTF-8: decoded as GB18030"
	case name == "gb18030" && valid && !isASCII(data) && !decodesCleanly(data):
		return string(data), "declared charset " + declared + " but bytes are UTF-8: decoded as UTF-8"
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), "charset " + declared + ": " + err.Error()
	}
	return string(out), ""
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

// decodesCleanly reports whether data decodes as GB18030 into mostly CJK text;
// UTF-8 Chinese decoded as GB18030 yields rare characters and punctuation.
func decodesCleanly(data []byte) bool {
	s := gb18030(data[:min(len(data), 4096)])
	common, total := 0, 0
	for _, r := range s {
		if r < 0x80 {
			continue
		}
		total++
		if (r >= 0x4E00 && r <= 0x9FA5) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) {
			common++
		}
	}
	return total == 0 || common*10 >= total*9
}
