// Package coverage tells how much of a region the dataset covers: the
// agencies expected to publish (its governments from the division list —
// the county or city and its towns and streets —, the agencies the crawl's
// sources file lists there, and every agency that ever published a report
// there) against the reports found each year, the
// missing ones flagged once the legal deadline has passed.
package coverage

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/region"
	"github.com/nianbao/nianbao/store"
)

// State of an agency's report for a year.
const (
	Found   = "found"   // a current report is stored
	Missing = "missing" // none, and the legal deadline has passed
	NotYet  = "not yet" // none, the deadline is still ahead
)

// Agency is one expected agency and its state each year.
type Agency struct {
	Key, Name, Kind string
	Why             string   // why it is expected: the division list, or its own earlier reports
	States          []string // per year of Table.Years
}

// Table is a region's coverage.
type Table struct {
	Region, RegionName string
	Years              []int
	Agencies           []Agency
	Found, Expected    []int // per year: agencies with a report, agencies expected
}

// Share is the completeness of year i: found / expected (0 when nothing
// is expected).
func (t Table) Share(i int) float64 {
	if t.Expected[i] == 0 {
		return 0
	}
	return float64(t.Found[i]) / float64(t.Expected[i])
}

// Compute builds the coverage of a region (a division code, or a name the
// division list resolves) for years at time now.
func Compute(ctx context.Context, db *store.DB, regionArg string, years []int, now time.Time) (Table, error) {
	d, err := division(regionArg)
	if err != nil {
		return Table{}, err
	}
	t := Table{Region: d.Code, RegionName: region.FullName(d), Years: years}
	expected := map[string]*Agency{}
	var order []string
	add := func(key, name, kind, why string) *Agency {
		if a, ok := expected[key]; ok {
			return a
		}
		a := &Agency{Key: key, Name: name, Kind: kind, Why: why}
		expected[key] = a
		order = append(order, key)
		return a
	}
	// Governments by law: the region's own and those of every division in it.
	for _, g := range append([]*region.Division{d}, region.Within(d.Code)...) {
		key, name := region.GovernmentKey(g), region.FullName(g)+region.GovernmentOrgan(g)
		add(key, name, nianbao.KindGovernment, "division list")
	}
	published, err := db.RegionAgencies(ctx, region.CodePrefix(d.Code))
	if err != nil {
		return Table{}, err
	}
	found := map[string]map[int]bool{}
	// The agencies the crawl's sources file lists here (discover writes
	// every department and town a portal's directories list, those
	// without a 年报 column too).
	sources, err := db.Sources(ctx)
	if err != nil {
		return Table{}, err
	}
	prefix := region.CodePrefix(d.Code)
	for _, s := range sources {
		if !s.Current || s.Agency == "" {
			continue
		}
		id := store.Identity(s.Agency, s.RegionCode)
		code := id.RegionCode
		if code == "" {
			code = s.RegionCode
		}
		if code == "" || !strings.HasPrefix(code, prefix) {
			continue
		}
		key := id.Key
		if key == "" {
			key = store.ProvisionalKey(s.Agency)
		}
		why := "sources file"
		if !s.Enabled {
			why = "sources file (no 年报 column found)"
		}
		name := id.CanonicalName
		if name == "" {
			name = s.Agency
		}
		add(key, name, id.Kind, why)
	}
	for _, p := range published {
		key := p.Key
		if key == "" {
			key = store.ProvisionalKey(p.Name)
		}
		a := add(key, p.Name, p.Kind, "published here before")
		if a.Why == "division list" {
			a.Name = p.Name // the printed name of a government it has
		}
		if found[key] == nil {
			found[key] = map[int]bool{}
		}
		for y := range p.Years {
			found[key][y] = true
		}
	}
	t.Found, t.Expected = make([]int, len(years)), make([]int, len(years))
	for _, key := range order {
		a := expected[key]
		kind := a.Kind
		if kind == "" {
			kind = nianbao.KindOf(a.Name)
		}
		first := 0 // an agency that published is expected from its first year on
		if a.Why != "division list" {
			for y := range found[key] {
				if first == 0 || y < first {
					first = y
				}
			}
		}
		for i, y := range years {
			state := NotYet
			switch {
			case found[key][y]:
				state = Found
			case first != 0 && y < first:
				state = "" // not expected before it first published
			case now.After(nianbao.DeadlineFor(kind, y)):
				state = Missing
			}
			a.States = append(a.States, state)
			if state != "" {
				t.Expected[i]++
			}
			if state == Found {
				t.Found[i]++
			}
		}
		t.Agencies = append(t.Agencies, *a)
	}
	sort.SliceStable(t.Agencies, func(i, j int) bool { return t.Agencies[i].Key < t.Agencies[j].Key })
	return t, nil
}

// division resolves a region argument: a code, or a name.
func division(arg string) (*region.Division, error) {
	if _, err := strconv.Atoi(arg); err == nil {
		if d, ok := region.ByCode(arg); ok {
			return d, nil
		}
		return nil, fmt.Errorf("no division with code %s", arg)
	}
	a := region.Resolve(arg)
	if a.RegionCode == "" {
		return nil, fmt.Errorf("region %q: %s", arg, a.How)
	}
	d, _ := region.ByCode(a.RegionCode)
	return d, nil
}
