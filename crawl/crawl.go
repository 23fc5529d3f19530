package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// Options tune a crawl run.
type Options struct {
	Full        bool      // walk every list page and re-check known articles
	Concurrency int       // sources crawled at once (hosts are still one request at a time)
	MaxPages    int       // list pages per source; 0: 5 incremental, 500 with Full
	Progress    io.Writer // one line per source when set
}

// Summary counts a run's outcomes.
type Summary struct {
	SourcesOK, Blocked, Missing, Failed   int
	ReportsNew, ReportsChanged, Unchanged int
	DocumentsFailed                       int
	Requests                              int
}

// String is the run's summary line.
func (s Summary) String() string {
	return fmt.Sprintf("sources: %d ok, %d blocked, %d missing, %d failed; reports: %d new, %d changed, %d unchanged; %d documents failed; %d requests",
		s.SourcesOK, s.Blocked, s.Missing, s.Failed, s.ReportsNew, s.ReportsChanged, s.Unchanged, s.DocumentsFailed, s.Requests)
}

// Crawler runs the sources of a Config against one database.
type Crawler struct {
	Config *Config
	DB     *store.DB
	fetch  *Fetcher
	in     *ingest.Ingester

	mu  sync.Mutex
	sum Summary
}

// New returns a crawler with a production fetcher; tests may replace
// Fetcher fields (timeouts, backoff) through SetFetcher.
func New(cfg *Config, db *store.DB) *Crawler {
	return &Crawler{Config: cfg, DB: db, fetch: NewFetcher(db, cfg.UserAgent, cfg.Delay.Duration), in: &ingest.Ingester{DB: db}}
}

// Fetcher exposes the crawler's fetcher for tuning before Run.
func (c *Crawler) Fetcher() *Fetcher { return c.fetch }

// Run crawls every source once. It holds the database's crawl lock, so two
// crawls cannot run on one database. A crashed run is simply run again:
// articles are marked done only once they and their attachments are stored.
func (c *Crawler) Run(ctx context.Context, opt Options) (Summary, error) {
	release, err := c.DB.LockCrawl(ctx, "nianbao crawl")
	if err != nil {
		return Summary{}, err
	}
	defer release()
	runID, err := c.DB.StartRun(ctx)
	if err != nil {
		return Summary{}, err
	}
	c.fetch.RunID = runID
	if opt.Concurrency <= 0 {
		opt.Concurrency = 16
	}
	if opt.MaxPages <= 0 {
		opt.MaxPages = 5
		if opt.Full {
			opt.MaxPages = 500
		}
	}
	sem := make(chan struct{}, opt.Concurrency)
	var wg sync.WaitGroup
	for _, src := range c.Config.Sources {
		wg.Add(1)
		sem <- struct{}{}
		go func(src SourceConfig) {
			defer wg.Done()
			defer func() { <-sem }()
			status, reason := c.source(ctx, src, opt)
			if opt.Progress != nil {
				fmt.Fprintf(opt.Progress, "%-8s %s %s\n", status, src.URL, reason)
			}
		}(src)
	}
	wg.Wait()
	c.mu.Lock()
	c.sum.Requests = c.fetch.Requests()
	sum := c.sum
	c.mu.Unlock()
	c.DB.FinishRun(context.WithoutCancel(ctx), runID, sum.String())
	return sum, ctx.Err()
}

func (c *Crawler) count(f func(*Summary)) {
	c.mu.Lock()
	f(&c.sum)
	c.mu.Unlock()
}

// source crawls one source and records its status.
func (c *Crawler) source(ctx context.Context, src SourceConfig, opt Options) (status, reason string) {
	id, err := c.DB.UpsertSource(ctx, store.Source{URL: src.URL, Agency: src.Agency, RegionCode: src.Region, Platform: src.Platform})
	if err != nil {
		return "failed", err.Error()
	}
	defer func() {
		c.DB.FinishSource(context.WithoutCancel(ctx), id, status, reason)
		c.count(func(s *Summary) {
			switch status {
			case "ok":
				s.SourcesOK++
			case "blocked":
				s.Blocked++
			case "missing":
				s.Missing++
			default:
				s.Failed++
			}
		})
	}()
	first, err := c.fetch.Get(ctx, src.URL, nil)
	if err != nil {
		return classifySource(err)
	}
	platform := src.Platform
	if platform == "auto" {
		platform = detectPlatform(string(first.Body))
	}
	list, err := c.newLister(src, platform, first)
	if err != nil {
		return "failed", err.Error()
	}
	resumed, err := c.DB.BeginWalk(ctx, id)
	if err != nil {
		return "failed", err.Error()
	}
	stopAtKnown := !opt.Full && resumed
	seenPages := map[string]bool{}
	for n := 0; n < opt.MaxPages; n++ {
		entries, more, err := list(ctx, n)
		if err != nil {
			return classifySource(err)
		}
		key := pageKey(entries)
		if seenPages[key] && len(entries) > 0 {
			break // the list repeats itself: no more pages
		}
		seenPages[key] = true
		known, reports := 0, 0
		for _, e := range entries {
			if !isReportEntry(e.Title) {
				continue
			}
			reports++
			done, err := c.article(ctx, id, src, e, opt)
			if err != nil {
				var fe *FetchError
				if errors.As(err, &fe) && fe.Class == ClassChallenge {
					return "blocked", err.Error()
				}
				if ctx.Err() != nil {
					return "failed", ctx.Err().Error()
				}
				continue
			}
			if done {
				known++
			}
		}
		if !more || (stopAtKnown && reports > 0 && known == reports) {
			break // last page, or a page whose every report is already known
		}
	}
	if err := c.DB.EndWalk(ctx, id); err != nil {
		return "failed", err.Error()
	}
	return "ok", platform
}

func pageKey(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.URL)
		b.WriteByte('\n')
	}
	return b.String()
}

func classifySource(err error) (string, string) {
	var fe *FetchError
	switch {
	case errors.As(err, &fe) && fe.Class == ClassChallenge:
		return "blocked", err.Error()
	case errors.As(err, &fe) && (fe.Class == ClassSoft404 || fe.Status == 404 || fe.Status == 410):
		return "missing", err.Error()
	case errors.As(err, &fe) && fe.Class == ClassRobots:
		return "blocked", err.Error()
	}
	return "failed", err.Error()
}

// article fetches and ingests one report page and its attachments. It
// returns done=true when the article was already complete from an earlier
// run and nothing was requested.
func (c *Crawler) article(ctx context.Context, sourceID int64, src SourceConfig, e Entry, opt Options) (bool, error) {
	u, err := url.Parse(e.URL)
	if err != nil || !c.Config.hostAllowed(u.Host) {
		return false, fmt.Errorf("%s: host not allowed", e.URL)
	}
	res, known, err := c.DB.Resource(ctx, e.URL)
	if err != nil {
		return false, err
	}
	if known && res.Done && !opt.Full {
		return true, nil
	}
	var v *Validators
	if known && res.Done && (res.ETag != "" || res.LastModified != "") {
		v = &Validators{ETag: res.ETag, LastModified: res.LastModified}
	}
	resp, err := c.fetch.Get(ctx, e.URL, v)
	if err != nil {
		c.count(func(s *Summary) { s.DocumentsFailed++ })
		return false, err
	}
	if resp.NotModified {
		c.count(func(s *Summary) { s.Unchanged++ })
		return true, c.DB.PutResource(ctx, store.Resource{URL: e.URL, Kind: "article", SourceID: sourceID, Status: 304, Done: true})
	}
	base, _ := url.Parse(resp.FinalURL)
	atts := articleLinks(base, string(resp.Body))
	var allowed []string
	for _, a := range atts {
		if au, err := url.Parse(a); err == nil && c.Config.hostAllowed(au.Host) {
			allowed = append(allowed, a)
		}
	}
	c.ingest(ctx, src, e.URL, resp, len(allowed) > 0)
	for _, a := range allowed {
		ar, err := c.fetch.Get(ctx, a, nil)
		if err != nil {
			c.count(func(s *Summary) { s.DocumentsFailed++ })
			var fe *FetchError
			if errors.As(err, &fe) && fe.Class == ClassChallenge {
				return false, err
			}
			return false, err // not done: the next run tries again
		}
		c.ingest(ctx, src, a, ar, false)
		c.DB.PutResource(ctx, store.Resource{URL: a, Kind: "attachment", SourceID: sourceID, Title: AttachmentName(ar.Header.Get("Content-Disposition")),
			SHA256: ar.SHA256, ETag: ar.Header.Get("ETag"), LastModified: ar.Header.Get("Last-Modified"), Status: ar.Status, Done: true})
	}
	return false, c.DB.PutResource(ctx, store.Resource{URL: e.URL, Kind: "article", SourceID: sourceID, Title: e.Title, ListedDate: e.Date,
		SHA256: resp.SHA256, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Status: resp.Status, Done: true})
}

// ingest hands a fetched body to the ingest path and counts the outcome.
func (c *Crawler) ingest(ctx context.Context, src SourceConfig, u string, resp *Response, hasAttachments bool) {
	r := c.in.BytesWith(ctx, u, resp.Body, ingest.Options{
		Extract:      extract.Options{ContentType: resp.Header.Get("Content-Type")},
		AgencyHint:   src.Agency,
		RegionCode:   src.Region,
		RequireCells: hasAttachments, // the article page only introduces the attached report
	})
	c.count(func(s *Summary) {
		switch r.Outcome {
		case store.Added:
			s.ReportsNew++
		case store.Replaced:
			s.ReportsChanged++
		case store.Unchanged:
			s.Unchanged++
		case store.Failed:
			if !hasAttachments {
				s.DocumentsFailed++
			}
		}
	})
}

// Deadline is the legal deadline of an agency's report on year y: 31 Jan
// for departments, 31 Mar for governments (条例 Art. 49).
func Deadline(agency string, year int) time.Time {
	if IsGovernment(agency) {
		return time.Date(year+1, 3, 31, 23, 59, 59, 0, time.UTC)
	}
	return time.Date(year+1, 1, 31, 23, 59, 59, 0, time.UTC)
}

// IsGovernment tells a people's government (人民政府, 管委会) from its departments.
func IsGovernment(agency string) bool {
	return strings.HasSuffix(agency, "人民政府") || strings.HasSuffix(agency, "管委会") || strings.HasSuffix(agency, "管理委员会")
}
