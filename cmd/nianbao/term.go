package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/store"
)

// quoteName makes text safe to print on a terminal: control characters —
// an ANSI escape or a newline in a file name, a crawled title — are shown
// escaped as Go writes them (\x1b, \n), never sent raw; invalid UTF-8 too.
func quoteName(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case unicode.IsControl(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// quoteErr is quoteName of an error's message.
func quoteErr(err error) string { return quoteName(err.Error()) }

// mustExist refuses a database file that is not there: a command that
// reads or edits a database never creates an empty one.
func mustExist(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database at %s (%v): pass --db FILE, or crawl or ingest first", quoteName(path), err)
	}
	return nil
}

// openRead opens a database for a read-only command, telling the user on
// stderr when it had to be read in a special way (read-only media).
func openRead(path string, stderr io.Writer) (*store.DB, error) {
	db, err := store.OpenReadOnly(path)
	if err == nil && db.Notice != "" {
		fmt.Fprintf(stderr, "notice: %s: %s\n", quoteName(path), db.Notice)
	}
	return db, err
}

// openExisting opens a database that must already exist, for writing:
// a command that changes it never creates an empty one by mistake.
func openExisting(path string) (*store.DB, error) {
	if err := mustExist(path); err != nil {
		return nil, err
	}
	return store.Open(path)
}

// stamped prefixes every line written to w with the time (UTC, RFC 3339).
func stamped(w io.Writer) io.Writer { return &stampWriter{w: w, now: time.Now} }

type stampWriter struct {
	w       io.Writer
	now     func() time.Time
	midLine bool
}

func (s *stampWriter) Write(p []byte) (int, error) {
	var b []byte
	for _, c := range p {
		if !s.midLine {
			b = s.now().UTC().AppendFormat(b, "2006-01-02T15:04:05Z ")
			s.midLine = true
		}
		b = append(b, c)
		if c == '\n' {
			s.midLine = false
		}
	}
	if _, err := s.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}
