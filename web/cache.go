package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/store"
)

// aggregates caches what pages compute over the whole database (reports
// per region and year, the problem and overdue lists, comparison totals):
// at a national scale each is a pass over every report. An entry stands
// while the database's state token (its newest report and document) is
// unchanged and for at most cacheTTL (a re-extraction in place changes no
// id).
type aggregates struct {
	mu      sync.Mutex
	token   string
	checked time.Time
	entries map[string]cached
}

type cached struct {
	v     any
	at    time.Time
	order bool // a comparison's order: large, so only maxOrders are kept
}

// maxOrders bounds the cached comparison orders (8 bytes per report each:
// ≈8 MB for every report of 1M, ≈1.2 MB for a national year).
const maxOrders = 8

// cacheTTL bounds how stale a cached aggregate may be.
const cacheTTL = 5 * time.Minute

// tokenEvery is how often the state token is read again (a cheap query,
// but not on every request).
const tokenEvery = 2 * time.Second

// get returns the cached value of key, computing it with fn when the
// database changed, the entry is older than cacheTTL, or there is none.
func get[T any](ctx context.Context, s *Server, key string, fn func() (T, error)) (T, error) {
	return cache(ctx, s, key, false, fn)
}

// orderOf is get for a comparison's order: of these, only the maxOrders
// most recently computed are kept.
func orderOf(ctx context.Context, s *Server, key string, fn func() ([]int64, error)) ([]int64, error) {
	return cache(ctx, s, "order "+key, true, fn)
}

// cache is get, with order marking a value bounded by maxOrders.
func cache[T any](ctx context.Context, s *Server, key string, order bool, fn func() (T, error)) (T, error) {
	c := &s.agg
	now := time.Now()
	c.mu.Lock()
	if now.Sub(c.checked) > tokenEvery {
		c.mu.Unlock()
		tok, err := s.DB.StateToken(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		c.mu.Lock()
		c.checked = now
		if tok != c.token || c.entries == nil {
			c.token, c.entries = tok, map[string]cached{}
		}
	}
	if e, ok := c.entries[key]; ok && now.Sub(e.at) < cacheTTL {
		c.mu.Unlock()
		return e.v.(T), nil
	}
	c.mu.Unlock()
	v, err := fn()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.entries != nil {
		c.entries[key] = cached{v, now, order}
		if order {
			c.evictOrders()
		}
	}
	c.mu.Unlock()
	return v, nil
}

// The cached whole-database aggregates, one key each, for the pages and Warm.

func (s *Server) regionYears(ctx context.Context) ([]store.RegionYear, error) {
	return get(ctx, s, "regionyears", func() ([]store.RegionYear, error) { return s.DB.RegionYears(ctx, 500) })
}

func (s *Server) problems(ctx context.Context) ([]store.ProblemReport, error) {
	return get(ctx, s, "problems", func() ([]store.ProblemReport, error) { return s.DB.ProblemReports(ctx, 100) })
}

func (s *Server) overdueCached(ctx context.Context) ([]overdueAgency, error) {
	return get(ctx, s, "overdue", func() ([]overdueAgency, error) { return s.overdue(ctx) })
}

func (s *Server) years(ctx context.Context) ([]int, error) {
	return get(ctx, s, "years", func() ([]int, error) { return s.DB.Years(ctx) })
}

func (s *Server) compareTotal(ctx context.Context, f compare.Filter) (int, error) {
	return get(ctx, s, fmt.Sprintf("count %+v", f), func() (int, error) { return s.DB.CountCompare(ctx, f) })
}

func (s *Server) agencyIndex(ctx context.Context) (*store.SearchIndex, error) {
	return get(ctx, s, "agencyindex", func() (*store.SearchIndex, error) { return s.DB.AgencyIndex(ctx) })
}

// Warm computes the whole-database aggregates once, so the first visitor
// of a large database does not wait for them (serve starts it beside the
// listener). Errors are left for the page that needs the value to show.
func (s *Server) Warm(ctx context.Context) {
	s.regionYears(ctx)
	s.problems(ctx)
	s.overdueCached(ctx)
	s.agencyIndex(ctx)
	// The latest year nationally, in the order its link opens it.
	if years, err := s.years(ctx); err == nil && len(years) > 0 {
		f := compare.Filter{Year: years[0]}
		if total, err := s.compareTotal(ctx, f); err == nil {
			f.Limit = pageSize
			s.comparePage(ctx, f, total)
		}
	}
}

// evictOrders drops the oldest cached orders beyond maxOrders (c.mu held).
func (c *aggregates) evictOrders() {
	for {
		n, oldest, at := 0, "", time.Time{}
		for k, e := range c.entries {
			if e.order {
				n++
				if oldest == "" || e.at.Before(at) {
					oldest, at = k, e.at
				}
			}
		}
		if n <= maxOrders {
			return
		}
		delete(c.entries, oldest)
	}
}
