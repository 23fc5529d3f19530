package store

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ValidText returns s as valid UTF-8, so every TEXT value in the database
// can be read by any client (Python's sqlite3 refuses invalid UTF-8): s
// itself when valid, else s decoded as GB18030 when that decodes every
// byte (raw GBK header bytes), else s with each invalid byte
// percent-escaped (%FF), which loses nothing.
func ValidText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := simplifiedchinese.GB18030.NewDecoder().String(s); err == nil && !strings.ContainsRune(d, utf8.RuneError) {
		return d
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// text is nullString over ValidText: "" is NULL.
func text(s string) any {
	if s == "" {
		return nil
	}
	return ValidText(s)
}
