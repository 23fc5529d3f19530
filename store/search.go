package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"unicode/utf8"
)

// SearchIndex finds agencies by any spelling of their name, in memory: a
// national dataset has about 150,000 agencies, which a scan in Go covers
// in milliseconds where a LIKE over every spelling takes a second. Build it
// once per database state (AgencyIndex) and search it many times.
type SearchIndex struct {
	entries []searchEntry
}

type searchEntry struct {
	ref   AgencyRef
	texts []string // the name, the canonical name and every spelling, spaces removed
}

// AgencyIndex reads every agency with its spellings into a SearchIndex.
func (db *DB) AgencyIndex(ctx context.Context) (*SearchIndex, error) {
	type row struct {
		ref             AgencyRef
		canon, spelling string
	}
	rows, err := collect(ctx, db, func(rows *sql.Rows) (r row, err error) {
		return r, rows.Scan(&r.ref.ID, &r.ref.Name, &r.ref.Key, &r.ref.Region, &r.canon, &r.spelling)
	}, `SELECT a.id, a.name, IFNULL(a.agency_key, ''), IFNULL(a.region_name, ''), IFNULL(a.canonical_name, ''), IFNULL(n.name, '')
		FROM agencies a LEFT JOIN agency_names n ON n.agency_id = a.id ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	idx := &SearchIndex{}
	for _, r := range rows {
		if n := len(idx.entries); n == 0 || idx.entries[n-1].ref.ID != r.ref.ID {
			idx.entries = append(idx.entries, searchEntry{ref: r.ref, texts: []string{squeeze(r.ref.Name)}})
			if r.canon != "" {
				idx.entries[len(idx.entries)-1].texts = append(idx.entries[len(idx.entries)-1].texts, squeeze(r.canon))
			}
		}
		if r.spelling != "" {
			e := &idx.entries[len(idx.entries)-1]
			e.texts = append(e.texts, squeeze(r.spelling))
		}
	}
	return idx, nil
}

// Search returns at most limit agencies whose name, canonical name or a
// spelling contains the text typed (first) or its characters in order (临平交通
// → 杭州市临平区交通运输局, 市监局 → 市场监督管理局), shorter names first.
func (idx *SearchIndex) Search(q string, limit int) []AgencyRef {
	q = squeeze(q)
	if q == "" || idx == nil {
		return nil
	}
	type hit struct {
		ref   AgencyRef
		exact bool
	}
	var hits []hit
	for _, e := range idx.entries {
		exact, loose := false, false
		for _, t := range e.texts {
			if strings.Contains(t, q) {
				exact = true
				break
			}
			loose = loose || subsequence(t, q)
		}
		if exact || loose {
			hits = append(hits, hit{e.ref, exact})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.exact != b.exact {
			return a.exact
		}
		if la, lb := utf8.RuneCountInString(a.ref.Name), utf8.RuneCountInString(b.ref.Name); la != lb {
			return la < lb
		}
		return a.ref.Name < b.ref.Name
	})
	var out []AgencyRef
	for i := 0; i < len(hits) && i < limit; i++ {
		out = append(out, hits[i].ref)
	}
	return out
}

// subsequence reports whether q's characters appear in s in order.
func subsequence(s, q string) bool {
	for _, r := range q {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

// squeeze removes white space.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
