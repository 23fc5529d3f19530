package pdf

import (
	"io"
	"math"
	"strings"

	"github.com/nianbao/nianbao/internal/pdfobj"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

// pdfFont is what the content walker needs of a font: how to split a
// string into codes, what each code means, and how far it advances.
type pdfFont struct {
	codeLen  int     // bytes per code: 2 for Identity/UCS-2 CID fonts, else 1
	gbk      bool    // GBK-EUC encoded CID font: 1 or 2 bytes per code
	vertical bool    // a -V encoding: glyphs advance downwards
	scale    float64 // glyph-space to text-space: 1/1000, or FontMatrix[0] for Type3
	toUni    *toUnicode
	cidW     []float32 // CID fonts: widths from W by CID; NaN where W says nothing
	dw       float64   // CID fonts: default width
	first    int       // simple fonts: FirstChar
	widths   []float64 // simple fonts: Widths
	missing  float64   // simple fonts: MissingWidth
	ucs2     bool      // UniGB-UCS2 / UTF16: the code is the character
	cache    map[string]string
	// suspect holds codes whose ToUnicode entry is implausible: a Type 3
	// font of CJK glyphs (names gXXXX, as Ghostscript writes them) mapping
	// some of them to Latin letters or Latin-1 symbols.
	suspect map[string]bool
}

func loadFont(v pdfobj.Value) *pdfFont {
	f := &pdfFont{codeLen: 1, scale: 0.001, cache: map[string]string{}}
	subtype := v.Key("Subtype").Name()
	if tu := v.Key("ToUnicode"); tu.Kind() == pdfobj.Stream {
		f.toUni = parseToUnicode(tu)
	}
	switch subtype {
	case "Type0":
		enc := v.Key("Encoding").Name()
		f.vertical = strings.HasSuffix(enc, "-V")
		switch {
		case strings.HasPrefix(enc, "Identity"), strings.Contains(enc, "UCS2"), strings.Contains(enc, "UTF16"):
			f.codeLen = 2
			f.ucs2 = strings.Contains(enc, "UCS2") || strings.Contains(enc, "UTF16")
		case strings.Contains(enc, "GBK") || strings.Contains(enc, "GB-EUC") || strings.Contains(enc, "GBpc"):
			f.gbk = true
		default:
			f.codeLen = 2
		}
		d := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if dw := d.Key("DW"); dw.Kind() == pdfobj.Integer || dw.Kind() == pdfobj.Real {
			f.dw = dw.Float64()
		}
		f.cidW = readCIDWidths(d.Key("W"))
	default:
		f.first = int(v.Key("FirstChar").Int64())
		w := v.Key("Widths")
		n := min(w.Len(), 65536)
		f.widths = make([]float64, n)
		for i := 0; i < n; i++ {
			f.widths[i] = w.Index(i).Float64()
		}
		f.missing = v.Key("FontDescriptor").Key("MissingWidth").Float64()
		if subtype == "Type3" {
			if m := v.Key("FontMatrix"); m.Len() >= 1 && m.Index(0).Float64() != 0 {
				f.scale = m.Index(0).Float64()
			}
			f.suspect = suspectCodes(v, f.toUni)
		}
	}
	return f
}

// readCIDWidths reads a W array: c [w1 w2 …] or cfirst clast w.
func readCIDWidths(w pdfobj.Value) []float32 {
	var m []float32
	set := func(cid int, v float64) {
		if cid < 0 || cid >= 1<<16 {
			return
		}
		for len(m) <= cid {
			m = append(m, float32(math.NaN()))
		}
		m[cid] = float32(v)
	}
	n := w.Len()
	for i := 0; i < n; {
		c := int(w.Index(i).Int64())
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == pdfobj.Array {
			for j := 0; j < next.Len() && j < 1<<16; j++ {
				set(c+j, next.Index(j).Float64())
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		last, wd := int(next.Int64()), w.Index(i+2).Float64()
		for k := c; k <= last && k-c < 1<<16; k++ {
			set(k, wd)
		}
		i += 3
	}
	return m
}

// codes splits a shown string into character codes.
func (f *pdfFont) codes(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		n := f.codeLen
		if f.gbk {
			n = 1
			if s[i] >= 0x81 && s[i] <= 0xFE {
				n = 2
			}
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		out = append(out, s[i:i+n])
		i += n
	}
	return out
}

func codeInt(code string) int {
	n := 0
	for i := 0; i < len(code); i++ {
		n = n<<8 | int(code[i])
	}
	return n
}

// width returns the code's horizontal advance in glyph space units.
func (f *pdfFont) width(code string) float64 {
	c := codeInt(code)
	if f.cidW != nil || f.codeLen == 2 || f.gbk {
		if c < len(f.cidW) && !math.IsNaN(float64(f.cidW[c])) {
			return float64(f.cidW[c])
		}
		return f.dw
	}
	if i := c - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	return f.missing
}

// text decodes one code to Unicode: ToUnicode first, then the encoding.
func (f *pdfFont) text(code string) string {
	if s, ok := f.cache[code]; ok {
		return s
	}
	s := ""
	if f.toUni != nil {
		s = f.toUni.lookup(code)
	}
	if s == "" {
		switch {
		case f.ucs2 && len(code) == 2:
			s = string(rune(codeInt(code)))
		case f.gbk:
			if b, err := simplifiedchinese.GB18030.NewDecoder().String(code); err == nil {
				s = b
			}
		case len(code) == 1 && code[0] >= 0x20:
			s = string(rune(code[0])) // Latin-1 / WinAnsi for the ASCII range that matters: digits
		}
	}
	s = foldRadicals(s)
	if len(f.cache) < 1<<16 {
		f.cache[code] = s
	}
	return s
}

// radicalSupplement maps CJK Radicals Supplement code points that NFKC
// leaves alone to the characters fonts meant by them.
var radicalSupplement = map[rune]rune{
	'⻔': '门', '⻋': '车', '⻓': '长', '⻅': '见', '⻆': '角', '⻘': '青', '⻝': '食', '⻢': '马',
	'⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟', '⻜': '飞', '⻛': '风', '⻚': '页', '⻉': '贝', '⻈': '讠',
	// Noto CJK (Chromium's CJK font) maps these glyphs to the radicals.
	'⺠': '民', '⺟': '母', '⺩': '王', '⻄': '西', '⻣': '骨', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟',
	'⻩': '黄', '⻨': '麦', '⻁': '虎', '⻧': '卤', '⻪': '黾', '⻙': '韦', '⻗': '雨',
}

// foldRadicals turns radical code points that some fonts' ToUnicode maps
// give (⾏ for 行, Chrome's Type 3 fonts) into the ordinary characters.
func foldRadicals(s string) string {
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x2FDF {
			return strings.Map(func(r rune) rune {
				if m, ok := radicalSupplement[r]; ok {
					return m
				}
				if r >= 0x2F00 && r <= 0x2FDF {
					if n := []rune(norm.NFKC.String(string(r))); len(n) == 1 {
						return n[0]
					}
				}
				return r
			}, s)
		}
	}
	return s
}

// toUnicode is a parsed ToUnicode CMap.
type toUnicode struct {
	chars  map[string]string
	ranges []cmapRange
}

type cmapRange struct {
	lo, hi string
	dst    string   // first destination, incremented along the range
	arr    []string // or one destination per code
}

func (t *toUnicode) lookup(code string) string {
	if s, ok := t.chars[code]; ok {
		return s
	}
	for _, r := range t.ranges {
		if len(r.lo) != len(code) || code < r.lo || code > r.hi {
			continue
		}
		off := codeInt(code) - codeInt(r.lo)
		if r.arr != nil {
			if off < len(r.arr) {
				return utf16BE(r.arr[off])
			}
			return ""
		}
		b := []byte(r.dst)
		if len(b) < 2 {
			return ""
		}
		v := int(b[len(b)-2])<<8 | int(b[len(b)-1]) + off
		b[len(b)-2], b[len(b)-1] = byte(v>>8), byte(v)
		return utf16BE(string(b))
	}
	return ""
}

// utf16BE decodes a UTF-16BE string (surrogate pairs included).
func utf16BE(s string) string {
	var out []rune
	for i := 0; i+1 < len(s); i += 2 {
		r := rune(s[i])<<8 | rune(s[i+1])
		if r >= 0xD800 && r < 0xDC00 && i+3 < len(s) {
			r2 := rune(s[i+2])<<8 | rune(s[i+3])
			if r2 >= 0xDC00 && r2 < 0xE000 {
				r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
				i += 2
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// parseToUnicode reads the bfchar and bfrange sections of a ToUnicode CMap
// with a small tokenizer of its own: the library's PostScript interpreter
// panics on the usual "/CIDInit /ProcSet findresource begin" preamble.
func parseToUnicode(v pdfobj.Value) *toUnicode {
	t := &toUnicode{chars: map[string]string{}}
	rd := v.Reader()
	defer rd.Close()
	data, err := io.ReadAll(io.LimitReader(rd, 8<<20))
	if err != nil && len(data) == 0 {
		return t
	}
	toks := cmapTokens(data)
	for i := 0; i < len(toks); i++ {
		switch toks[i].kw {
		case "beginbfchar":
			for i++; i+1 < len(toks) && toks[i].kw == "" && len(t.chars) < 1<<17; i += 2 {
				t.chars[toks[i].str] = utf16BE(toks[i+1].str)
			}
		case "beginbfrange":
			for i++; i+2 < len(toks) && toks[i].kw == "" && len(t.ranges) < 1<<14; i += 3 {
				r := cmapRange{lo: toks[i].str, hi: toks[i+1].str, dst: toks[i+2].str, arr: toks[i+2].arr}
				if len(r.lo) == len(r.hi) && len(r.lo) > 0 {
					t.ranges = append(t.ranges, r)
				}
			}
		}
	}
	return t
}

// cmapToken is a hex string, an array of hex strings, or a keyword.
type cmapToken struct {
	kw  string
	str string
	arr []string
}

func cmapTokens(b []byte) []cmapToken {
	var out []cmapToken
	var arr []string
	inArr := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '<' && i+1 < len(b) && b[i+1] != '<':
			j := i + 1
			var hex []byte
			for j < len(b) && b[j] != '>' {
				if h := unhex(b[j]); h >= 0 {
					hex = append(hex, byte(h))
				}
				j++
			}
			if len(hex)%2 == 1 {
				hex = append(hex, 0)
			}
			s := make([]byte, len(hex)/2)
			for k := range s {
				s[k] = hex[2*k]<<4 | hex[2*k+1]
			}
			if inArr {
				arr = append(arr, string(s))
			} else {
				out = append(out, cmapToken{str: string(s)})
			}
			i = j + 1
		case c == '[':
			inArr, arr = true, nil
			i++
		case c == ']':
			if inArr {
				out = append(out, cmapToken{arr: arr})
			}
			inArr = false
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
				j++
			}
			out = append(out, cmapToken{kw: string(b[i:j])})
			i = j
		default:
			i++
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// suspectCodes finds the codes of a Type 3 font whose ToUnicode map cannot
// be right: the font's glyphs are named by glyph id (g4E2D…) and map to CJK
// characters, yet some of them map to Latin letters, Latin-1 symbols or
// controls. Ghostscript's pdfwrite produces such maps when it re-encodes
// CJK fonts; poppler reads the same wrong characters. They are reported,
// not guessed at.
func suspectCodes(font pdfobj.Value, tu *toUnicode) map[string]bool {
	if tu == nil {
		return nil
	}
	diffs := font.Key("Encoding").Key("Differences")
	cjk := 0
	odd := map[string]bool{}
	code := 0
	for i := 0; i < diffs.Len() && i < 1024; i++ {
		e := diffs.Index(i)
		if e.Kind() == pdfobj.Integer {
			code = int(e.Int64())
			continue
		}
		name := e.Name()
		c := string([]byte{byte(code)})
		code++
		if len(name) < 2 || name[0] != 'g' || strings.Trim(name[1:], "0123456789ABCDEFabcdef") != "" || code > 256 {
			continue
		}
		r := []rune(tu.lookup(c))
		switch {
		case len(r) != 1:
		case r[0] >= 0x2E80:
			cjk++
		case r[0] < 0x20 || (r[0] >= 0x7F && r[0] <= 0x24F && r[0] != 0xB7 && r[0] != 0xD7) || (r[0] >= 'A' && r[0] <= 'Z') || (r[0] >= 'a' && r[0] <= 'z'):
			odd[c] = true
		}
	}
	if cjk == 0 || len(odd) == 0 {
		return nil
	}
	return odd
}
