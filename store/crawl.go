package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Source is one configured crawl source and its state.
type Source struct {
	ID                  int64
	URL                 string
	Agency              string
	RegionCode          string
	Platform            string
	Status              string // ok, blocked, missing, failed
	Reason              string
	LastAttempt         string
	LastSuccess         string
	ConsecutiveFailures int
	Expect              string // the failure the sources file expects of it (e.g. blocked): not alerted
	Enabled             bool   // false: listed but not crawled
	Current             bool   // listed by the sources file of the latest run
}

// UpsertSource registers a source of run (or refreshes its hints, its
// expectation and whether it is enabled) and returns its id.
func (db *DB) UpsertSource(ctx context.Context, s Source, run int64) (int64, error) {
	_, err := db.exec(ctx, `INSERT INTO sources (url, agency, region_code, platform, expect, enabled, last_run) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET agency = excluded.agency, region_code = excluded.region_code, platform = excluded.platform,
		expect = excluded.expect, enabled = excluded.enabled, last_run = excluded.last_run`,
		ValidText(s.URL), text(s.Agency), text(s.RegionCode), s.Platform, text(s.Expect), s.Enabled, nullInt64(run))
	if err != nil {
		return 0, db.wrap(fmt.Errorf("source: %w", err))
	}
	var id int64
	err = db.sql.QueryRowContext(ctx, "SELECT id FROM sources WHERE url = ?", s.URL).Scan(&id)
	return id, err
}

// BeginWalk marks a source's list walk as started and reports whether the
// previous walk finished. A walk cut short (a killed run) must not stop at
// the first known page next time: older pages may never have been read.
func (db *DB) BeginWalk(ctx context.Context, id int64) (previousComplete bool, err error) {
	var c int
	if err := db.sql.QueryRowContext(ctx, "SELECT walk_complete FROM sources WHERE id = ?", id).Scan(&c); err != nil {
		return false, err
	}
	_, err = db.exec(ctx, "UPDATE sources SET walk_complete = 0 WHERE id = ?", id)
	return c == 1, err
}

// EndWalk marks a source's list walk as finished.
func (db *DB) EndWalk(ctx context.Context, id int64) error {
	_, err := db.exec(ctx, "UPDATE sources SET walk_complete = 1 WHERE id = ?", id)
	return err
}

// FinishSource records a source's outcome for this run.
func (db *DB) FinishSource(ctx context.Context, id int64, status, reason string) error {
	now := time.Now().UTC().Format(time.RFC3339)
	var err error
	if status == "ok" {
		_, err = db.exec(ctx, `UPDATE sources SET status = 'ok', reason = NULL, last_attempt = ?, last_success = ?, consecutive_failures = 0 WHERE id = ?`, now, now, id)
	} else {
		_, err = db.exec(ctx, `UPDATE sources SET status = ?, reason = ?, last_attempt = ?, consecutive_failures = consecutive_failures + 1 WHERE id = ?`, status, ValidText(reason), now, id)
	}
	return err
}

// Sources lists every source with its state.
func (db *DB) Sources(ctx context.Context) ([]Source, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, url, IFNULL(agency, ''), IFNULL(region_code, ''), platform, IFNULL(status, ''), IFNULL(reason, ''),
		IFNULL(last_attempt, ''), IFNULL(last_success, ''), consecutive_failures, IFNULL(expect, ''), enabled,
		IFNULL(last_run, 0) >= IFNULL((SELECT MAX(id) FROM crawl_runs), 0) OR last_run IS NULL AND (SELECT COUNT(*) FROM crawl_runs) = 0
		FROM sources ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var s Source
		if err := rows.Scan(&s.ID, &s.URL, &s.Agency, &s.RegionCode, &s.Platform, &s.Status, &s.Reason, &s.LastAttempt, &s.LastSuccess, &s.ConsecutiveFailures,
			&s.Expect, &s.Enabled, &s.Current); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Fetch is one logged HTTP exchange.
type Fetch struct {
	RunID              int64
	URL, FinalURL      string
	Status             int
	ContentType        string
	ETag, LastModified string
	ContentDisposition string
	SHA256             string
	Size               int64
	Elapsed            time.Duration
	ErrorClass, Error  string
}

// LogFetch appends to the fetch log.
func (db *DB) LogFetch(ctx context.Context, f Fetch) error {
	_, err := db.exec(ctx, `INSERT INTO fetches (run_id, ts, url, final_url, status, content_type, etag, last_modified,
		content_disposition, sha256, size, elapsed_ms, error_class, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullInt64(f.RunID), time.Now().UTC().Format(time.RFC3339Nano), ValidText(f.URL), text(f.FinalURL), nullInt(f.Status), text(f.ContentType),
		text(f.ETag), text(f.LastModified), text(f.ContentDisposition), nullString(f.SHA256), f.Size,
		f.Elapsed.Milliseconds(), nullString(f.ErrorClass), text(f.Error))
	return err
}

// Resource is what the crawler knows about one URL.
type Resource struct {
	URL, Kind          string
	SourceID           int64
	Title, ListedDate  string
	SHA256             string
	ETag, LastModified string
	Status             int
	Done               bool
	Article            string    // for an attachment: the article page that linked it
	Attempts           int       // failed attempts since the last success; set by Resource
	NextTry            time.Time // not retried before; set by Resource
	Error              string    // the last failure; set by Resource
	LastSeen           time.Time // when it was last recorded; set by Resource
}

// Resource looks a URL up.
func (db *DB) Resource(ctx context.Context, url string) (Resource, bool, error) {
	r := Resource{URL: url}
	var done int
	var last, next string
	err := db.sql.QueryRowContext(ctx, `SELECT kind, IFNULL(source_id, 0), IFNULL(title, ''), IFNULL(listed_date, ''), IFNULL(sha256, ''),
		IFNULL(etag, ''), IFNULL(last_modified, ''), IFNULL(status, 0), done, last_seen, IFNULL(article, ''), attempts, IFNULL(next_try, ''), IFNULL(error, '')
		FROM resources WHERE url = ?`, ValidText(url)).
		Scan(&r.Kind, &r.SourceID, &r.Title, &r.ListedDate, &r.SHA256, &r.ETag, &r.LastModified, &r.Status, &done, &last, &r.Article, &r.Attempts, &next, &r.Error)
	r.LastSeen, _ = time.Parse(time.RFC3339, last)
	r.NextTry, _ = time.Parse(time.RFC3339, next)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	r.Done = done == 1
	return r, err == nil, err
}

// PutResource records what was learnt about a URL.
func (db *DB) PutResource(ctx context.Context, r Resource) error {
	now := time.Now().UTC().Format(time.RFC3339)
	done := 0
	if r.Done {
		done = 1
	}
	_, err := db.exec(ctx, `INSERT INTO resources (url, kind, source_id, title, listed_date, sha256, etag, last_modified, status, first_seen, last_seen, done, article)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, source_id = excluded.source_id,
			title = COALESCE(excluded.title, title), listed_date = COALESCE(excluded.listed_date, listed_date),
			sha256 = COALESCE(excluded.sha256, sha256), etag = COALESCE(excluded.etag, etag),
			last_modified = COALESCE(excluded.last_modified, last_modified), status = COALESCE(excluded.status, status),
			article = COALESCE(excluded.article, article), last_seen = excluded.last_seen, done = MAX(done, excluded.done),
			attempts = CASE WHEN excluded.done = 1 THEN 0 ELSE attempts END,
			next_try = CASE WHEN excluded.done = 1 THEN NULL ELSE next_try END,
			error = CASE WHEN excluded.done = 1 THEN NULL ELSE error END`,
		ValidText(r.URL), r.Kind, nullInt64(r.SourceID), text(r.Title), text(r.ListedDate), nullString(r.SHA256),
		text(r.ETag), text(r.LastModified), nullInt(r.Status), now, now, done, text(r.Article))
	return db.wrap(err)
}

// FailResource records a failed fetch of a URL: one more attempt, the
// error, and the earliest time to try again, wait × 2^(attempts−1) capped
// at a week. A resource already done stays done.
func (db *DB) FailResource(ctx context.Context, r Resource, why string, wait time.Duration) error {
	now := time.Now().UTC()
	var attempts int
	db.sql.QueryRowContext(ctx, "SELECT attempts FROM resources WHERE url = ?", ValidText(r.URL)).Scan(&attempts)
	backoff := wait << min(attempts, 20)
	if week := 7 * 24 * time.Hour; backoff > week || backoff < 0 {
		backoff = week
	}
	_, err := db.exec(ctx, `INSERT INTO resources (url, kind, source_id, title, listed_date, first_seen, last_seen, done, article, attempts, next_try, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?)
		ON CONFLICT(url) DO UPDATE SET last_seen = excluded.last_seen, attempts = attempts + 1, next_try = excluded.next_try,
			error = excluded.error, article = COALESCE(excluded.article, article), title = COALESCE(excluded.title, title),
			listed_date = COALESCE(excluded.listed_date, listed_date)`,
		ValidText(r.URL), r.Kind, nullInt64(r.SourceID), text(r.Title), text(r.ListedDate), now.Format(time.RFC3339), now.Format(time.RFC3339),
		text(r.Article), now.Add(backoff).Format(time.RFC3339), ValidText(why))
	return db.wrap(err)
}

// Waiting counts the articles and attachments not done whose next try is
// after now, and the earliest of those tries ("" for none).
func (db *DB) Waiting(ctx context.Context, now time.Time) (n int, next string, err error) {
	err = db.sql.QueryRowContext(ctx, "SELECT COUNT(*), IFNULL(MIN(next_try), '') FROM resources WHERE done = 0 AND next_try > ?",
		now.UTC().Format(time.RFC3339)).Scan(&n, &next)
	return n, next, db.wrap(err)
}

// StartRun opens a crawl run and returns its id.
func (db *DB) StartRun(ctx context.Context) (int64, error) {
	res, err := db.exec(ctx, "INSERT INTO crawl_runs (started) VALUES (?)", time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// FinishRun closes a crawl run with its summary line, the number of
// failures nobody expected, and whether it was stopped (Ctrl-C, SIGTERM)
// before the end.
func (db *DB) FinishRun(ctx context.Context, id int64, summary string, unexpected int, interrupted bool) error {
	_, err := db.exec(ctx, "UPDATE crawl_runs SET finished = ?, summary = ?, unexpected = ?, interrupted = ? WHERE id = ?",
		time.Now().UTC().Format(time.RFC3339), summary, unexpected, interrupted, id)
	return err
}

// Run is one crawl run as recorded.
type Run struct {
	ID                int64
	Started, Finished string // UTC, RFC 3339; Finished "" while running or when killed
	Summary           string
	Unexpected        int // failures nobody expected; -1 when not recorded
	Interrupted       bool
}

// LastRun returns the latest crawl run; ok false when none has run.
func (db *DB) LastRun(ctx context.Context) (r Run, ok bool, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT id, started, IFNULL(finished, ''), IFNULL(summary, ''), IFNULL(unexpected, -1), interrupted
		FROM crawl_runs ORDER BY id DESC LIMIT 1`).Scan(&r.ID, &r.Started, &r.Finished, &r.Summary, &r.Unexpected, &r.Interrupted)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, db.wrap(err)
}

// PruneSources deletes the sources the latest run's sources file no
// longer listed (their fetched documents and reports stay); it returns
// their URLs.
func (db *DB) PruneSources(ctx context.Context) ([]string, error) {
	srcs, err := db.Sources(ctx)
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, s := range srcs {
		if s.Current {
			continue
		}
		for _, q := range []string{"UPDATE resources SET source_id = NULL WHERE source_id = ?", "DELETE FROM sources WHERE id = ?"} {
			if _, err := db.exec(ctx, q, s.ID); err != nil {
				return gone, db.wrap(err)
			}
		}
		gone = append(gone, s.URL)
	}
	return gone, nil
}

// ErrLocked means another crawl holds the database.
var ErrLocked = errors.New("another crawl is running on this database")

// LockCrawl takes the database's crawl lock. A lock left by a process that
// no longer exists on this machine is taken over. The returned function
// releases it.
func (db *DB) LockCrawl(ctx context.Context, holder string) (func(), error) {
	now := time.Now().UTC().Format(time.RFC3339)
	pid := os.Getpid()
	for attempt := 0; attempt < 2; attempt++ {
		_, err := db.exec(ctx, "INSERT INTO crawl_lock (id, holder, pid, since) VALUES (1, ?, ?, ?)", holder, pid, now)
		if err == nil {
			return func() { db.exec(context.Background(), "DELETE FROM crawl_lock WHERE id = 1 AND pid = ?", pid) }, nil
		}
		var other int
		var since string
		if qerr := db.sql.QueryRowContext(ctx, "SELECT pid, since FROM crawl_lock WHERE id = 1").Scan(&other, &since); qerr != nil {
			return nil, fmt.Errorf("store: crawl lock: %w", err)
		}
		if other == pid || processAlive(other) {
			return nil, fmt.Errorf("%w (pid %d since %s)", ErrLocked, other, since)
		}
		db.exec(ctx, "DELETE FROM crawl_lock WHERE id = 1 AND pid = ?", other) // stale
	}
	return nil, ErrLocked
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

func nullInt64(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// SetAgencyRegion records an agency's region code where none is known yet.
func (db *DB) SetAgencyRegion(ctx context.Context, agency, code string) error {
	_, err := db.exec(ctx, "UPDATE agencies SET region_code = ? WHERE name = ? AND region_code IS NULL", code, agency)
	return err
}
