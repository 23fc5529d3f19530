package pdf

import (
	"errors"
	"math"
	"sort"
)

// Spatial indexes that keep the page layout near-linear in glyphs, rules
// and boxes. Every candidate an index visits is charged to a layoutBudget,
// so even an adversarial page (boxes all overlapping) stops in bounded time.

// errLayoutBudget ends the table layout of a page whose geometry would take
// more than maxLayoutWork candidate visits; its text is then read as lines.
var errLayoutBudget = errors.New("page geometry too complex for table layout: read as lines")

// maxLayoutWork bounds candidate visits per page (a dense real page needs
// well under a million).
var maxLayoutWork = 30_000_000

type layoutBudget struct{ left int }

func (b *layoutBudget) spend(n int) {
	b.left -= n
	if b.left < 0 {
		panic(errLayoutBudget)
	}
}

// ruleIndex holds rules of one orientation sorted by position.
type ruleIndex struct {
	segs []segment // sorted by at
	b    *layoutBudget
}

func newRuleIndex(segs []segment, b *layoutBudget) ruleIndex {
	s := append([]segment(nil), segs...)
	sort.Slice(s, func(i, j int) bool { return s[i].at < s[j].at })
	return ruleIndex{s, b}
}

// maxRuleScan bounds how many rules a nearest-rule search passes over.
const maxRuleScan = 512

// nearest returns the nearest rule strictly above (up) or below v whose
// extent covers across (within tol), scanning outward from v.
func (ix ruleIndex) nearest(v, across float64, up bool) (segment, bool) {
	i := sort.Search(len(ix.segs), func(i int) bool { return ix.segs[i].at > v })
	step := 1
	if !up {
		i, step = sort.Search(len(ix.segs), func(i int) bool { return ix.segs[i].at >= v })-1, -1
	}
	for n := 0; i >= 0 && i < len(ix.segs) && n < maxRuleScan; i, n = i+step, n+1 {
		ix.b.spend(1)
		if s := ix.segs[i]; across >= s.lo-tol && across <= s.hi+tol {
			return s, true
		}
	}
	return segment{}, false
}

// each calls f for every rule with lo ≤ at ≤ hi.
func (ix ruleIndex) each(lo, hi float64, f func(segment)) {
	i := sort.Search(len(ix.segs), func(i int) bool { return ix.segs[i].at >= lo })
	for ; i < len(ix.segs) && ix.segs[i].at <= hi; i++ {
		ix.b.spend(1)
		f(ix.segs[i])
	}
}

// at reports whether a rule lies at position v (within tol) and covers
// across.
func (ix ruleIndex) at(v, across float64) bool {
	found := false
	ix.each(v-tol, v+tol, func(s segment) {
		if across >= s.lo-tol && across <= s.hi+tol {
			found = true
		}
	})
	return found
}

// boxGrid buckets boxes by the grid squares they cover.
type boxGrid struct {
	size    float64
	buckets map[[2]int32][]int
	b       *layoutBudget
}

const gridCell = 24.0 // points

func gridKey(v float64) int32 {
	return int32(math.Floor(math.Max(-1e6, math.Min(1e6, v)) / gridCell))
}

func newBoxGrid(boxes []rect, skip []bool, b *layoutBudget) *boxGrid {
	g := &boxGrid{size: gridCell, buckets: map[[2]int32][]int{}, b: b}
	for i, r := range boxes {
		if skip != nil && skip[i] {
			continue
		}
		g.visit(r, func(k [2]int32) { g.buckets[k] = append(g.buckets[k], i) })
	}
	return g
}

func (g *boxGrid) visit(r rect, f func([2]int32)) {
	x0, x1, y0, y1 := gridKey(r.x0), gridKey(r.x1), gridKey(r.y0), gridKey(r.y1)
	g.b.spend(int(x1-x0+1) * int(y1-y0+1))
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			f([2]int32{x, y})
		}
	}
}

// near calls f for each box sharing a grid square with r (a box may be
// reported more than once); f returns false to stop.
func (g *boxGrid) near(r rect, f func(int) bool) {
	stop := false
	g.visit(r, func(k [2]int32) {
		if stop {
			return
		}
		ids := g.buckets[k]
		g.b.spend(len(ids))
		for _, j := range ids {
			if !f(j) {
				stop = true
				return
			}
		}
	})
}
