package crawl

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MergeStats says what writing discoveries into a sources file changed.
type MergeStats struct {
	Added int // columns not in the file before
	Kept  int // discovered columns already there (their note refreshed)
	Gone  int // columns discovered earlier that the portal no longer has: commented out
	Own   int // the operator's own entries, left as they were
}

// String is the stats in one line.
func (m MergeStats) String() string {
	return fmt.Sprintf("%d new, %d kept, %d gone (commented out), %d of the operator's own entries left as they were", m.Added, m.Kept, m.Gone, m.Own)
}

// discoverMark opens the note discover writes inside each [[source]] it
// made; the start URL follows it. Entries without one are the operator's.
const discoverMark = "# discover: "

var (
	urlLineRe    = regexp.MustCompile(`^\s*url\s*=\s*["']([^"']*)["']`)
	sourceHeadRe = regexp.MustCompile(`^\s*\[\[\s*source\s*\]\]\s*(#.*)?$`)
)

// sourceBlock is one [[source]] entry of a sources file, as text.
type sourceBlock struct {
	lines []string
	url   string
	start string // the discovery that wrote it, "" for the operator's own
}

// MergeSources writes discoveries into a sources file's text (existing
// is "" for a new file) and returns the new text. Everything the operator
// wrote — settings, comments, entries — stays as it was. An entry discover
// wrote earlier for the same start URL keeps its text (and any key the
// operator added) with its note refreshed; one whose column the portal no
// longer has is commented out, never deleted — and only when that
// discovery was complete (a partial walk removes nothing). New columns are
// appended under a header naming the portal and the day.
func MergeSources(existing string, ds []*Discovery, now time.Time) (string, MergeStats) {
	var st MergeStats
	head, blocks := splitSources(existing)
	found := map[string]map[string]string{} // start → url → its note
	complete := map[string]bool{}
	for _, d := range ds {
		m := map[string]string{}
		for _, c := range d.Columns {
			m[c.URL] = note(d.Start, c)
		}
		for _, p := range d.NoColumn {
			m[p.URL] = placeNote(d.Start, p)
		}
		found[d.Start] = m
		complete[d.Start] = d.OK()
	}
	listed := map[string]bool{}
	var out strings.Builder
	out.WriteString(strings.Join(head, "\n"))
	for _, b := range blocks {
		cols, ours := found[b.start]
		switch {
		case b.start == "" || !ours:
			if b.start == "" {
				st.Own++
			}
			listed[b.url] = true
			writeLines(&out, b.lines)
		case cols[b.url] != "":
			st.Kept++
			listed[b.url] = true
			for _, l := range b.lines {
				if strings.HasPrefix(strings.TrimSpace(l), discoverMark) {
					l = cols[b.url]
				}
				out.WriteString("\n" + l)
			}
		case !complete[b.start]:
			listed[b.url] = true // a partial walk proves nothing gone
			writeLines(&out, b.lines)
		default:
			st.Gone++
			fmt.Fprintf(&out, "\n# gone: %s no longer lists this column (discover, %s); kept here commented out", b.start, now.Format("2006-01-02"))
			for _, l := range b.lines {
				out.WriteString("\n# " + l)
			}
		}
	}
	text := strings.TrimRight(out.String(), "\n")
	out.Reset()
	out.WriteString(text)
	for _, d := range ds {
		var fresh []Column
		for _, c := range d.Columns {
			if !listed[c.URL] {
				listed[c.URL] = true
				fresh = append(fresh, c)
			}
		}
		var bare []Place
		for _, p := range d.NoColumn {
			if !listed[p.URL] {
				listed[p.URL] = true
				bare = append(bare, p)
			}
		}
		if len(fresh) == 0 && len(bare) == 0 {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		fmt.Fprintf(&out, "# nianbao discover %s (%s) on %s: %d columns, %d new", d.Start, oneLine(d.Site), now.Format("2006-01-02"), len(d.Columns), len(fresh))
		if d.Truncated {
			out.WriteString("\n# the page budget ran out: more columns may exist (run again with a larger --max-pages)")
		}
		for _, c := range fresh {
			st.Added++
			out.WriteString("\n\n[[source]]\n" + note(d.Start, c))
			if c.Agency != "" {
				out.WriteString("\nagency = " + tomlString(c.Agency))
			}
			if c.Region != "" {
				out.WriteString("\nregion = " + tomlString(c.Region))
			}
			out.WriteString("\nurl = " + tomlString(c.URL))
			out.WriteString("\nplatform = " + tomlString(c.Platform))
		}
		// A place the portal lists without a 年报 column: listed, not
		// crawled, so status and coverage know the agency is expected.
		for _, p := range bare {
			st.Added++
			out.WriteString("\n\n[[source]]\n" + placeNote(d.Start, p))
			if p.Agency != "" {
				out.WriteString("\nagency = " + tomlString(p.Agency))
			}
			if code := agencyRegion(p.Agency, d.Region); code != "" {
				out.WriteString("\nregion = " + tomlString(code))
			}
			out.WriteString("\nurl = " + tomlString(p.URL))
			out.WriteString("\nenabled = false")
		}
	}
	text = strings.TrimLeft(out.String(), "\n")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text, st
}

func writeLines(out *strings.Builder, lines []string) {
	for _, l := range lines {
		out.WriteString("\n" + l)
	}
}

// placeNote is the comment on a place without a 年报 column.
func placeNote(start string, p Place) string {
	return fmt.Sprintf("%s%s | %s | none | %s | no 年报 column found: point url at its column and remove enabled = false", discoverMark, start, oneLine(p.Agency), oneLine(strings.Join(p.Chain, " › ")))
}

// note is the comment discover writes inside an entry: where it was found,
// whose it is, the platform, the chain of link texts and what it lists.
func note(start string, c Column) string {
	listed := "its list is loaded by script"
	if c.Reports >= 0 {
		listed = fmt.Sprintf("reports on its first page: %d", c.Reports)
	}
	return fmt.Sprintf("%s%s | %s | %s | %s | %s", discoverMark, start, oneLine(c.Agency), c.Platform, oneLine(strings.Join(c.Chain, " › ")), listed)
}

// splitSources cuts a sources file into the lines before its first
// [[source]] and its entries; an entry runs to the next table header.
func splitSources(text string) (head []string, blocks []sourceBlock) {
	if text == "" {
		return nil, nil
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	i := 0
	for ; i < len(lines) && !sourceHeadRe.MatchString(lines[i]); i++ {
		head = append(head, lines[i])
	}
	for i < len(lines) {
		b := sourceBlock{lines: []string{lines[i]}}
		for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "["); i++ {
			b.lines = append(b.lines, lines[i])
		}
		for _, l := range b.lines {
			t := strings.TrimSpace(l)
			if m := urlLineRe.FindStringSubmatch(l); m != nil && b.url == "" {
				b.url = m[1]
			}
			if strings.HasPrefix(t, discoverMark) && b.start == "" {
				b.start, _, _ = strings.Cut(strings.TrimPrefix(t, discoverMark), " ")
			}
		}
		blocks = append(blocks, b)
	}
	return head, blocks
}

// oneLine keeps a value on its comment line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
