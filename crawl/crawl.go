package crawl

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
)

// Options tune a crawl run.
type Options struct {
	Full     bool      // walk every list page and re-check known articles
	MaxHosts int       // hosts crawled at once, default 64; one host's sources run one after another
	MaxPages int       // list pages per source; 0: 5 incremental, 500 with Full
	Progress io.Writer // one line per source when set
}

// Source states after a run (sources.status). Only ok is good news.
const (
	StatusOK          = "ok"          // walked; every listed report fetched and stored
	StatusEmpty       = "empty"       // the list answered but named no report
	StatusBlocked     = "blocked"     // an anti-bot challenge page: not worked around
	StatusUnreachable = "unreachable" // DNS, connection or timeout: the host did not answer
	StatusInterrupted = "interrupted" // the run was stopped before the source finished: its state is kept
	StatusDisabled    = "disabled"    // enabled = false in the sources file: not crawled
	StatusMissing     = "missing"     // the list page is gone (404, 410, soft 404)
	StatusFailed      = "failed"      // anything else, including listed reports that could not be fetched
)

// Summary counts a run's outcomes.
type Summary struct {
	SourcesOK, Empty, Blocked, Unreachable, Missing, Failed int
	ReportsNew, ReportsChanged, Unchanged                   int
	Incomplete                                              int // stored reports missing cells of their template
	DocumentsFailed                                         int
	Waiting                                                 int // articles and attachments whose next try is after this run (store.Waiting)
	Requests                                                int
	HostsDown                                               []string // hosts the circuit breaker took out of the run
	NotReports                                              int      // pages fetched that are not reports (解读, 图解 …): stored with their class
	Expected                                                int      // sources that ended in the state their `expect` names: recorded, not a failure
	Unexpected                                              int      // sources that failed in a way nobody expected: what alerts fire for
	Disabled                                                int      // sources listed with enabled = false: not crawled
	Interrupted                                             int      // sources the run was stopped in (Ctrl-C, SIGTERM): their state kept
}

// String is the run's summary line.
func (s Summary) String() string {
	return fmt.Sprintf("sources: %d ok, %d empty, %d blocked, %d unreachable, %d missing, %d failed; reports: %d new, %d changed, %d unchanged, %d incomplete; %d documents failed, %d waiting to retry; %d requests",
		s.SourcesOK, s.Empty, s.Blocked, s.Unreachable, s.Missing, s.Failed, s.ReportsNew, s.ReportsChanged, s.Unchanged, s.Incomplete, s.DocumentsFailed, s.Waiting, s.Requests) + s.downNote()
}

// OK reports whether the run met no failure anybody should be told of:
// every source ok or in the state its `expect` names, every document
// stored, the run not interrupted. Cron and systemd alert on the exit code
// this decides.
func (s Summary) OK() bool {
	return s.Unexpected+s.DocumentsFailed+s.Interrupted == 0
}

// Crawler runs the sources of a Config against one database.
type Crawler struct {
	Config *Config
	DB     *store.DB
	fetch  *Fetcher
	in     *ingest.Ingester

	// RetryAfter is the wait before a failed attachment is tried again on a
	// later run; it doubles with each failure, up to a week.
	RetryAfter time.Duration

	mu    sync.Mutex
	sum   Summary
	runID int64
}

// MaxAttachments caps the attachments followed per article; links beyond
// it are reported, not fetched.
const MaxAttachments = 20

// New returns a crawler with a production fetcher; tests may tune its
// fields (timeouts, backoff) through Fetcher.
func New(cfg *Config, db *store.DB) *Crawler {
	f := NewFetcher(db, cfg.UserAgent, cfg.Delay.Duration)
	f.AllowHost = cfg.hostAllowed
	return &Crawler{Config: cfg, DB: db, fetch: f, in: &ingest.Ingester{DB: db}, RetryAfter: time.Hour}
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
	c.runID = runID
	if opt.MaxHosts <= 0 {
		opt.MaxHosts = 64
	}
	if opt.MaxPages <= 0 {
		opt.MaxPages = 5
		if opt.Full {
			opt.MaxPages = 500
		}
	}
	// The frontier is by host: a host's sources share its queue (and the
	// fetcher's per-host delay), so they never hold more than one worker,
	// and up to MaxHosts hosts run at once whatever the listing order.
	sem := make(chan struct{}, opt.MaxHosts)
	var wg sync.WaitGroup
	for _, group := range byHost(c.Config.Sources) {
		wg.Add(1)
		sem <- struct{}{}
		go func(group []SourceConfig) {
			defer wg.Done()
			defer func() { <-sem }()
			for _, src := range group {
				status, reason := c.source(ctx, src, opt)
				if opt.Progress != nil {
					c.mu.Lock()
					fmt.Fprintf(opt.Progress, "%-8s %s %s\n", status, src.URL, reason)
					c.mu.Unlock()
				}
			}
		}(group)
	}
	wg.Wait()
	c.mu.Lock()
	c.sum.Requests = c.fetch.Requests()
	c.sum.HostsDown = c.fetch.HostsDown()
	if n, _, err := c.DB.Waiting(context.WithoutCancel(ctx), time.Now()); err == nil {
		c.sum.Waiting = n // what status shows too: every failed fetch with a next try still to come
	}
	sum := c.sum
	c.mu.Unlock()
	c.DB.FinishRun(context.WithoutCancel(ctx), runID, sum.String(), sum.Unexpected+sum.DocumentsFailed, ctx.Err() != nil)
	return sum, ctx.Err()
}

// byHost groups sources by their URL's host (case-insensitive), hosts in
// order of first listing and sources in listing order within a host.
func byHost(srcs []SourceConfig) [][]SourceConfig {
	var groups [][]SourceConfig
	at := map[string]int{}
	for _, src := range srcs {
		host := src.URL
		if u, err := url.Parse(src.URL); err == nil && u.Host != "" {
			host = strings.ToLower(u.Host)
		}
		i, ok := at[host]
		if !ok {
			i = len(groups)
			at[host] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], src)
	}
	return groups
}

func (c *Crawler) count(f func(*Summary)) {
	c.mu.Lock()
	f(&c.sum)
	c.mu.Unlock()
}

// source crawls one source and records its status.
func (c *Crawler) source(ctx context.Context, src SourceConfig, opt Options) (status, reason string) {
	id, err := c.DB.UpsertSource(ctx, store.Source{URL: src.URL, Agency: src.Agency, RegionCode: src.Region, Platform: src.Platform,
		Expect: src.Expect, Enabled: src.On()}, c.runID)
	if err != nil {
		return StatusFailed, err.Error()
	}
	if !src.On() {
		c.count(func(s *Summary) { s.Disabled++ })
		return StatusDisabled, "enabled = false in the sources file"
	}
	defer func() {
		if ctx.Err() != nil {
			// Stopped (Ctrl-C, SIGTERM): what this run saw of the source is
			// not its state, and no failure is counted against it.
			status = StatusInterrupted
			c.count(func(s *Summary) { s.Interrupted++ })
			return
		}
		c.DB.FinishSource(context.WithoutCancel(ctx), id, status, reason)
		c.count(func(s *Summary) {
			switch {
			case status == StatusOK:
			case status == src.Expect:
				s.Expected++
			default:
				s.Unexpected++
			}
			switch status {
			case StatusOK:
				s.SourcesOK++
			case StatusEmpty:
				s.Empty++
			case StatusBlocked:
				s.Blocked++
			case StatusUnreachable:
				s.Unreachable++
			case StatusMissing:
				s.Missing++
			default:
				s.Failed++
			}
		})
	}()
	if u, err := url.Parse(src.URL); err == nil {
		ctx = AllowPrivate(ctx, c.fetch.privateHost(ctx, u.Hostname()))
	}
	first, err := c.fetch.Get(ctx, src.URL, nil)
	if err != nil {
		return classifySource(err)
	}
	platform := src.Platform
	if platform == "auto" {
		platform = detectPlatform(htmlText(first))
	}
	list, err := c.newLister(src, platform, first)
	if err != nil {
		return StatusFailed, err.Error()
	}
	resumed, err := c.DB.BeginWalk(ctx, id)
	if err != nil {
		return StatusFailed, err.Error()
	}
	stopAtKnown := !opt.Full && resumed
	seenPages := map[string]bool{}
	listed, failed := 0, 0
	var firstErr error
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
			if !isReportEntry(e) {
				continue
			}
			reports++
			done, err := c.article(ctx, id, src, e, opt)
			if err != nil {
				var fe *FetchError
				if errors.As(err, &fe) && fe.Class == ClassChallenge {
					return StatusBlocked, err.Error()
				}
				if ctx.Err() != nil {
					return StatusFailed, ctx.Err().Error()
				}
				if !errors.Is(err, errWaiting) {
					failed++
					firstErr = cmp.Or(firstErr, err)
				}
				continue
			}
			if done {
				known++
			}
		}
		listed += reports
		if !more || (stopAtKnown && reports > 0 && known == reports) {
			break // last page, or a page whose every report is already known
		}
	}
	if err := c.DB.EndWalk(ctx, id); err != nil {
		return StatusFailed, err.Error()
	}
	switch {
	case listed == 0:
		return StatusEmpty, "the list named no annual report (" + platform + "): check the URL or the platform"
	case failed > 0:
		return StatusFailed, fmt.Sprintf("%d of %d listed reports could not be fetched (retried next run); first: %v", failed, listed, firstErr)
	}
	return StatusOK, platform
}

// htmlText decodes a fetched HTML page with the same charset logic as the
// HTML reader: the Content-Type header, a <meta> tag, else sniffing.
func htmlText(r *Response) string {
	s, _ := extract.DecodeHTML(r.Body, r.Header.Get("Content-Type"))
	return s
}

func pageKey(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.URL)
		b.WriteByte('\n')
	}
	return b.String()
}

// classifySource names a source's state from the error that stopped it.
// blocked means an anti-bot challenge and nothing else.
func classifySource(err error) (string, string) {
	var fe *FetchError
	if !errors.As(err, &fe) {
		return StatusFailed, err.Error()
	}
	switch {
	case fe.Class == ClassChallenge:
		return StatusBlocked, err.Error()
	case fe.Class == ClassSoft404 || fe.Status == 404 || fe.Status == 410:
		return StatusMissing, err.Error()
	case fe.Class == ClassDNS || fe.Class == ClassConnect || fe.Class == ClassTimeout:
		return StatusUnreachable, err.Error()
	}
	return StatusFailed, err.Error()
}

// downNote names pages that were not reports and the hosts taken out of
// the run, if any.
func (s Summary) downNote() string {
	note := ""
	if s.Expected > 0 || s.Disabled > 0 {
		note += fmt.Sprintf("; %d sources in their expected state, %d disabled", s.Expected, s.Disabled)
	}
	if s.Interrupted > 0 {
		note += fmt.Sprintf("; INTERRUPTED: %d sources not finished (their state is kept; run again)", s.Interrupted)
	}
	if s.NotReports > 0 {
		note += fmt.Sprintf("; %d pages not reports (解读, 图解 …), kept as such", s.NotReports)
	}
	if len(s.HostsDown) > 0 {
		note += fmt.Sprintf("; %d hosts stopped answering, their remaining sources not tried: %s", len(s.HostsDown), strings.Join(s.HostsDown, ", "))
	}
	return note
}

// errWaiting marks an article whose failed attachment is not yet due for
// another try.
var errWaiting = errors.New("waiting to retry")

// article fetches and ingests one report page and its attachments. It
// returns done=true when the article was already complete from an earlier
// run and nothing was requested. Every attachment is tried even when one
// fails; a failed one is recorded with a retry time (doubling per failure)
// and the article stays not done, so a later run tries it again.
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
	if known && !res.Done && res.Error != "" && time.Now().Before(res.NextTry) {
		return false, errWaiting // the article page itself failed: not before its next try
	}
	var v *Validators
	if known && res.Done && (res.ETag != "" || res.LastModified != "") {
		v = &Validators{ETag: res.ETag, LastModified: res.LastModified}
	}
	resp, err := c.fetch.Get(ctx, e.URL, v)
	if err != nil && ctx.Err() != nil {
		return false, err // the run was stopped: no failure of the article, no wait before its next try
	}
	if err != nil {
		c.count(func(s *Summary) { s.DocumentsFailed++ })
		c.DB.FailResource(context.WithoutCancel(ctx), store.Resource{URL: e.URL, Kind: "article", SourceID: sourceID, Title: e.Title, ListedDate: e.Date}, err.Error(), c.RetryAfter)
		return false, err
	}
	if resp.NotModified {
		c.count(func(s *Summary) { s.Unchanged++ })
		return true, c.DB.PutResource(ctx, store.Resource{URL: e.URL, Kind: "article", SourceID: sourceID, Status: 304, Done: true})
	}
	base, _ := url.Parse(resp.FinalURL)
	links := articleLinks(base, htmlText(resp))
	var atts []string
	for _, a := range links {
		if au, err := url.Parse(a); err == nil && c.Config.hostAllowed(au.Host) {
			atts = append(atts, a)
		}
	}
	var problems []error
	if len(atts) > MaxAttachments {
		problems = append(problems, fmt.Errorf("%s: %d attachment links, only the first %d followed", e.URL, len(atts), MaxAttachments))
		atts = atts[:MaxAttachments]
	}
	c.ingest(ctx, src, e, "", e.URL, resp, len(atts) > 0, c.pageImages(ctx, base, sourceID, e.URL))
	waiting := false
	hashes := map[string]bool{}
	for _, a := range atts {
		ar, known, err := c.DB.Resource(ctx, a)
		if err != nil {
			return false, err
		}
		if known && ar.Done && !opt.Full {
			continue
		}
		if known && !ar.Done && time.Now().Before(ar.NextTry) {
			waiting = true
			continue
		}
		got, err := c.fetch.Get(ctx, a, nil)
		if err != nil {
			var fe *FetchError
			if errors.As(err, &fe) && fe.Class == ClassChallenge || ctx.Err() != nil {
				return false, err
			}
			c.count(func(s *Summary) { s.DocumentsFailed++ })
			c.DB.FailResource(context.WithoutCancel(ctx), store.Resource{URL: a, Kind: "attachment", SourceID: sourceID, Article: e.URL}, err.Error(), c.RetryAfter)
			problems = append(problems, err)
			continue
		}
		if !hashes[got.SHA256] { // the same file under another link is stored once
			hashes[got.SHA256] = true
			c.ingest(ctx, src, e, e.URL, a, got, false, nil)
		}
		c.DB.PutResource(ctx, store.Resource{URL: a, Kind: "attachment", SourceID: sourceID, Article: e.URL, Title: AttachmentName(got.Header.Get("Content-Disposition")),
			SHA256: got.SHA256, ETag: got.Header.Get("ETag"), LastModified: got.Header.Get("Last-Modified"), Status: got.Status, Done: true})
	}
	complete := len(problems) == 0 && !waiting
	if err := c.DB.PutResource(ctx, store.Resource{URL: e.URL, Kind: "article", SourceID: sourceID, Title: e.Title, ListedDate: e.Date,
		SHA256: resp.SHA256, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Status: resp.Status, Done: complete}); err != nil {
		return false, err
	}
	switch {
	case len(problems) > 0:
		return false, errors.Join(problems...)
	case waiting:
		return false, errWaiting
	}
	return false, nil
}

// MaxPageImages bounds the images fetched for one article page whose body
// is page images.
const MaxPageImages = 60

// pageImages fetches, when extraction asks for them, the images an article
// page shows (an article whose body is page images: they are its report):
// on the allowed hosts only, politely like every request, at most
// MaxPageImages, each logged as a resource of kind image.
func (c *Crawler) pageImages(ctx context.Context, base *url.URL, sourceID int64, article string) extract.ImageSource {
	n := 0
	return func(src string) ([]byte, error) {
		u, err := base.Parse(strings.TrimSpace(src))
		switch {
		case err != nil:
			return nil, err
		case u.Scheme != "http" && u.Scheme != "https":
			return nil, fmt.Errorf("not an http(s) image")
		case !c.Config.hostAllowed(u.Host):
			return nil, fmt.Errorf("on another site (%s): not fetched", u.Host)
		}
		if n++; n > MaxPageImages {
			return nil, fmt.Errorf("more than %d images: not fetched", MaxPageImages)
		}
		got, err := c.fetch.Get(ctx, u.String(), nil)
		if err != nil {
			c.DB.FailResource(context.WithoutCancel(ctx), store.Resource{URL: u.String(), Kind: "image", SourceID: sourceID, Article: article}, err.Error(), c.RetryAfter)
			return nil, err
		}
		c.DB.PutResource(ctx, store.Resource{URL: u.String(), Kind: "image", SourceID: sourceID, Article: article, SHA256: got.SHA256,
			ETag: got.Header.Get("ETag"), LastModified: got.Header.Get("Last-Modified"), Status: got.Status, Done: true})
		return got.Body, nil
	}
}

// ingest hands a fetched body to the ingest path and counts the outcome.
// e is the list entry it came from; article, for an attachment, the page
// that linked it.
func (c *Crawler) ingest(ctx context.Context, src SourceConfig, e Entry, article, u string, resp *Response, hasAttachments bool, images extract.ImageSource) {
	r := c.in.BytesWith(ctx, u, resp.Body, ingest.Options{
		Extract:     extract.Options{ContentType: resp.Header.Get("Content-Type"), Images: images},
		AgencyHint:  src.Agency,
		RegionCode:  src.Region,
		ListedTitle: e.Title,
		ListedDate:  normalizeDate(e.Date),
		ArticleURL:  article,
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
			switch {
			case nianbao.ClassOf(r.Err) == nianbao.ClassNotReport:
				s.NotReports++ // a 解读 or 图解 page in the column: kept, classed, not a failure
			case !hasAttachments:
				s.DocumentsFailed++
			}
		}
		if (r.Outcome == store.Added || r.Outcome == store.Replaced) && r.Incomplete() {
			s.Incomplete++
		}
	})
}
