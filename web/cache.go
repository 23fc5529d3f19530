package web

import (
	"context"
	"sync"
	"time"

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
	v  any
	at time.Time
}

// cacheTTL bounds how stale a cached aggregate may be.
const cacheTTL = 5 * time.Minute

// tokenEvery is how often the state token is read again (a cheap query,
// but not on every request).
const tokenEvery = 2 * time.Second

// get returns the cached value of key, computing it with fn when the
// database changed, the entry is older than cacheTTL, or there is none.
func get[T any](ctx context.Context, s *Server, key string, fn func() (T, error)) (T, error) {
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
		c.entries[key] = cached{v, now}
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
	s.years(ctx)
	s.agencyIndex(ctx)
}
