package crawl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/store"
)

// Error classes of failed fetches, as logged in the fetches table.
const (
	ClassDNS       = "dns"
	ClassConnect   = "connect"
	ClassTLS       = "tls"
	ClassTimeout   = "timeout"
	Class4xx       = "http4xx"
	Class5xx       = "http5xx"
	ClassChallenge = "challenge"
	ClassSoft404   = "soft404"
	ClassTooLarge  = "too_large"
	ClassRedirects = "redirects"
	ClassRobots    = "robots"
	ClassRefused   = "refused"  // a redirect to a host, scheme or address the crawl may not visit
	ClassProtocol  = "protocol" // a malformed answer (oversized header block, bad status line)
	ClassSlow      = "slow"     // the answer started but its body did not arrive within the deadline
)

// FetchError is a failed fetch with its class.
type FetchError struct {
	URL    string
	Class  string
	Status int
	Err    error
}

// Error describes the failure with its class and status.
func (e *FetchError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: %s (HTTP %d): %v", e.URL, e.Class, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.URL, e.Class, e.Err)
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// Response is a fetched body, already stored in the blob store.
type Response struct {
	URL, FinalURL string
	Status        int
	Header        http.Header
	Body          []byte
	SHA256        string
	NotModified   bool // 304 to a conditional GET: Body is empty
}

// Fetcher performs polite HTTP requests: robots.txt first, one request at
// a time per host with a minimum gap, retries with backoff on 5xx, timeouts
// and connection errors (never on 4xx), a body size limit and a redirect
// limit. Every body is stored in the blob store and every attempt logged.
type Fetcher struct {
	Client    *http.Client
	UserAgent string
	Delay     time.Duration // minimum gap between requests to one host
	MaxBody   int64
	Retries   int           // extra attempts after the first
	Backoff   time.Duration // first retry wait; doubles each time
	// URLDeadline bounds all attempts and redirects of one URL together,
	// so a server dribbling bytes cannot hold a URL for minutes.
	URLDeadline time.Duration
	// AllowHost says whether a redirect may lead to host; nil allows any.
	AllowHost func(host string) bool
	// Lookup resolves a start URL's host to decide whether it is private
	// (see AllowPrivate); nil uses DNS. Tests route it to loopback.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	DB     *store.DB
	RunID  int64

	mu       sync.Mutex
	hosts    map[string]*hostSlot
	robots   map[string]*robots
	requests int
}

type hostSlot struct {
	robots sync.Mutex // held while the host's robots.txt is being fetched
	mu     sync.Mutex
	next   time.Time
	delay  time.Duration
	// failures counts consecutive requests the host did not answer (DNS,
	// connection, timeout, after their retries); down is set when they
	// reach HostFailures: the host's other URLs are not tried this run.
	failures int
	down     bool
}

// HostFailures is how many consecutive requests a host may leave
// unanswered (each after its retries) before the rest of its URLs this run
// fail at once as unreachable — a per-host circuit breaker, so a dead host
// with 10,000 sources costs seconds, not hours under the crawl lock.
const HostFailures = 2

// ErrHostDown marks a URL not requested because its host stopped
// answering earlier in the run.
var ErrHostDown = errors.New("not requested: the host did not answer its last requests this run")

// NewFetcher returns a fetcher with production defaults: 30 s per attempt,
// 60 s per URL in all, 10 redirects, 64 MiB bodies, 3 retries starting at
// 2 s, 1 MiB of response headers. Redirects are followed by the fetcher
// itself, each hop checked like a first request (host, scheme, address,
// robots.txt) and made in its host's slot.
func NewFetcher(db *store.DB, userAgent string, delay time.Duration) *Fetcher {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = guardedDial(&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second})
	tr.MaxResponseHeaderBytes = 1 << 20
	return &Fetcher{
		Client: &http.Client{
			Timeout:   30 * time.Second,
			Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // followed in do, hop by hop
			},
		},
		UserAgent: userAgent, Delay: delay, MaxBody: 64 << 20, Retries: 3, Backoff: 2 * time.Second,
		URLDeadline: 60 * time.Second, DB: db,
	}
}

// maxRedirects bounds the hops of one URL.
const maxRedirects = 10

// HostsDown lists the hosts the circuit breaker took out of this run.
func (f *Fetcher) HostsDown() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for h, s := range f.hosts {
		s.mu.Lock()
		if s.down {
			out = append(out, h)
		}
		s.mu.Unlock()
	}
	sort.Strings(out)
	return out
}

// Requests counts the HTTP requests made so far.
func (f *Fetcher) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *Fetcher) slot(host string) *hostSlot {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hosts == nil {
		f.hosts = map[string]*hostSlot{}
	}
	s, ok := f.hosts[host]
	if !ok {
		s = &hostSlot{delay: f.Delay}
		f.hosts[host] = s
	}
	return s
}

// Validators make a GET conditional.
type Validators struct{ ETag, LastModified string }

// Get fetches a URL (conditionally when v is not nil).
func (f *Fetcher) Get(ctx context.Context, rawURL string, v *Validators) (*Response, error) {
	return f.do(ctx, http.MethodGet, rawURL, nil, v)
}

// PostForm posts a form, as list endpoints such as jcms dataproxy.jsp want.
func (f *Fetcher) PostForm(ctx context.Context, rawURL string, form url.Values) (*Response, error) {
	return f.do(ctx, http.MethodPost, rawURL, []byte(form.Encode()), nil)
}

func (f *Fetcher) do(ctx context.Context, method, rawURL string, body []byte, v *Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &FetchError{URL: rawURL, Class: Class4xx, Err: fmt.Errorf("bad URL")}
	}
	if f.URLDeadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.URLDeadline)
		defer cancel()
	}
	asked := u
	for hop := 0; ; hop++ {
		if hop > 0 {
			if err := f.checkRedirect(ctx, rawURL, u, hop); err != nil {
				return nil, err
			}
		}
		if u.Path != "/robots.txt" {
			rb, err := f.robotsFor(ctx, u)
			if err != nil {
				return nil, err
			}
			if !rb.allowed(u.RequestURI()) {
				fe := &FetchError{URL: u.String(), Class: ClassRobots, Err: errors.New("disallowed by robots.txt")}
				f.log(ctx, store.Fetch{URL: u.String(), ErrorClass: ClassRobots, Error: fe.Err.Error()})
				return nil, fe
			}
		}
		resp, next, err := f.attempts(ctx, method, u, asked, body, v)
		if err != nil || next == nil {
			if resp != nil {
				resp.URL = rawURL
			}
			return resp, err
		}
		if method == http.MethodPost && resp.Status != http.StatusTemporaryRedirect && resp.Status != http.StatusPermanentRedirect {
			method, body = http.MethodGet, nil
		}
		u, v = next, nil
	}
}

// checkRedirect refuses a redirect hop the first request would not have
// been allowed to make: too many hops, a scheme other than http(s), a host
// outside the crawl's hosts. (Addresses are checked when dialling.)
func (f *Fetcher) checkRedirect(ctx context.Context, from string, u *url.URL, hop int) error {
	var why string
	switch {
	case hop > maxRedirects:
		fe := &FetchError{URL: from, Class: ClassRedirects, Err: fmt.Errorf("stopped after %d redirects", maxRedirects)}
		f.log(ctx, store.Fetch{URL: from, FinalURL: u.String(), ErrorClass: fe.Class, Error: fe.Err.Error()})
		return fe
	case u.Scheme != "http" && u.Scheme != "https":
		why = "redirect to a " + u.Scheme + ": URL"
	case u.Host == "":
		why = "redirect without a host"
	case f.AllowHost != nil && !f.AllowHost(u.Host):
		why = "redirect to host " + u.Host + ", not a source host or in allow_hosts"
	default:
		return nil
	}
	fe := &FetchError{URL: from, Class: ClassRefused, Err: errors.New(why)}
	f.log(ctx, store.Fetch{URL: from, FinalURL: u.String(), ErrorClass: fe.Class, Error: why})
	return fe
}

// attempts makes one hop's request with retries on transient failures. A
// redirect answer returns the next URL.
func (f *Fetcher) attempts(ctx context.Context, method string, u, asked *url.URL, body []byte, v *Validators) (resp *Response, next *url.URL, err error) {
	slot := f.slot(u.Host)
	slot.mu.Lock()
	down := slot.down
	slot.mu.Unlock()
	if down {
		fe := &FetchError{URL: u.String(), Class: ClassConnect, Err: ErrHostDown}
		f.log(ctx, store.Fetch{URL: u.String(), ErrorClass: fe.Class, Error: fe.Err.Error()})
		return nil, nil, fe
	}
	defer func() {
		var fe *FetchError
		unanswered := errors.As(err, &fe) && (fe.Class == ClassDNS || fe.Class == ClassConnect || fe.Class == ClassTimeout)
		if errors.Is(ctx.Err(), context.Canceled) {
			return // the run was stopped: says nothing of the host
		}
		slot.mu.Lock()
		defer slot.mu.Unlock()
		switch {
		case unanswered:
			slot.failures++
			slot.down = slot.down || slot.failures >= HostFailures
		default:
			slot.failures = 0 // it answered, even if with an error
		}
	}()
	var lastErr error
	for attempt := 0; attempt <= f.Retries; attempt++ {
		if attempt > 0 {
			wait := f.Backoff << (attempt - 1)
			select {
			case <-ctx.Done():
				return nil, nil, lastErr
			case <-time.After(wait):
			}
		}
		resp, next, err := f.once(ctx, method, u, asked, body, v)
		if err == nil {
			return resp, next, nil
		}
		lastErr = err
		var fe *FetchError
		if !errors.As(err, &fe) || !retryable(fe.Class) || ctx.Err() != nil || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, nil, err // a refused connection is an answer: nobody listens there now
		}
	}
	return nil, nil, lastErr
}

// retryable: a server error, or no answer at all. A refusal, a malformed
// answer, a 4xx, a slow body and a too-large body are not retried.
func retryable(class string) bool {
	return class == Class5xx || class == ClassTimeout || class == ClassConnect || class == ClassDNS
}

// once makes one request in the host's slot. A 3xx with a Location returns
// the URL to go to next.
func (f *Fetcher) once(ctx context.Context, method string, u, asked *url.URL, body []byte, v *Validators) (*Response, *url.URL, error) {
	slot := f.slot(u.Host)
	slot.mu.Lock()
	defer slot.mu.Unlock()
	if d := time.Until(slot.next); d > 0 {
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(d):
		}
	}
	defer func() { slot.next = time.Now().Add(slot.delay) }()
	f.mu.Lock()
	f.requests++
	f.mu.Unlock()

	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, &FetchError{URL: u.String(), Class: Class4xx, Err: err}
	}
	req.Header.Set("User-Agent", f.UserAgent)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	}
	if v != nil {
		if v.ETag != "" {
			req.Header.Set("If-None-Match", v.ETag)
		}
		if v.LastModified != "" {
			req.Header.Set("If-Modified-Since", v.LastModified)
		}
	}
	start := time.Now()
	entry := store.Fetch{URL: u.String()}
	resp, err := f.Client.Do(req)
	if err != nil {
		fe := &FetchError{URL: u.String(), Class: classify(err), Err: err}
		entry.ErrorClass, entry.Error, entry.Elapsed = fe.Class, err.Error(), time.Since(start)
		f.log(ctx, entry)
		return nil, nil, fe
	}
	defer resp.Body.Close()
	entry.FinalURL, entry.Status = resp.Request.URL.String(), resp.StatusCode
	entry.ContentType, entry.ETag, entry.LastModified = resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	entry.ContentDisposition = resp.Header.Get("Content-Disposition")
	out := &Response{URL: u.String(), FinalURL: entry.FinalURL, Status: resp.StatusCode, Header: resp.Header}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		entry.Elapsed = time.Since(start)
		f.log(ctx, entry)
		return out, nil, nil
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
		entry.Elapsed = time.Since(start)
		f.log(ctx, entry)
		next, err := u.Parse(loc)
		if err != nil {
			return nil, nil, &FetchError{URL: u.String(), Class: ClassProtocol, Status: resp.StatusCode, Err: fmt.Errorf("bad Location %q", loc)}
		}
		next.Fragment = ""
		return out, next, nil
	}
	if resp.ContentLength > f.MaxBody {
		fe := &FetchError{URL: u.String(), Class: ClassTooLarge, Status: resp.StatusCode, Err: fmt.Errorf("Content-Length %d over the %d-byte limit", resp.ContentLength, f.MaxBody)}
		entry.ErrorClass, entry.Error, entry.Elapsed = fe.Class, fe.Err.Error(), time.Since(start)
		f.log(ctx, entry)
		return nil, nil, fe
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.MaxBody+1))
	entry.Elapsed = time.Since(start)
	if err != nil {
		class := classify(err)
		if class == ClassTimeout {
			class = ClassSlow // the server answered, then dribbled: retrying would only wait again
		}
		fe := &FetchError{URL: u.String(), Class: class, Status: resp.StatusCode, Err: err}
		entry.ErrorClass, entry.Error = fe.Class, err.Error()
		f.log(ctx, entry)
		return nil, nil, fe
	}
	if int64(len(data)) > f.MaxBody {
		fe := &FetchError{URL: u.String(), Class: ClassTooLarge, Status: resp.StatusCode, Err: fmt.Errorf("body over the %d-byte limit", f.MaxBody)}
		entry.ErrorClass, entry.Error = fe.Class, fe.Err.Error()
		f.log(ctx, entry)
		return nil, nil, fe
	}
	// The body is kept whatever it is, before anything else looks at it.
	sum, err := f.DB.Blobs.Put(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: storing the body: %w", u, err)
	}
	s := sha256.Sum256(data)
	out.Body, out.SHA256 = data, hex.EncodeToString(s[:])
	entry.SHA256, entry.Size = sum, int64(len(data))
	var fe *FetchError
	switch {
	case isChallenge(resp.StatusCode, data):
		fe = &FetchError{URL: u.String(), Class: ClassChallenge, Status: resp.StatusCode, Err: errors.New("anti-bot challenge page")}
	case resp.StatusCode >= 500:
		fe = &FetchError{URL: u.String(), Class: Class5xx, Status: resp.StatusCode, Err: errors.New(http.StatusText(resp.StatusCode))}
	case resp.StatusCode >= 400:
		fe = &FetchError{URL: u.String(), Class: Class4xx, Status: resp.StatusCode, Err: errors.New(http.StatusText(resp.StatusCode))}
	case isSoft404(asked, u, data):
		fe = &FetchError{URL: u.String(), Class: ClassSoft404, Status: resp.StatusCode, Err: errors.New("page says it does not exist")}
	}
	if fe != nil {
		entry.ErrorClass, entry.Error = fe.Class, fe.Err.Error()
		f.log(ctx, entry)
		return nil, nil, fe
	}
	f.log(ctx, entry)
	return out, nil, nil
}

func (f *Fetcher) log(ctx context.Context, e store.Fetch) {
	e.RunID = f.RunID
	f.DB.LogFetch(context.WithoutCancel(ctx), e)
}

// robotsFor returns the host's robots rules, fetching them once per run:
// 4xx means no rules, 5xx or no answer means stay away this run (RFC 9309).
func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*robots, error) {
	key := u.Scheme + "://" + u.Host
	slot := f.slot(u.Host)
	slot.robots.Lock()
	defer slot.robots.Unlock()
	f.mu.Lock()
	rb, ok := f.robots[key]
	f.mu.Unlock()
	if ok {
		return rb, nil
	}
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	if cached, ok := f.cachedRobots(ctx, ru.String()); ok {
		rb = cached
		f.remember(u, key, rb)
		return rb, nil
	}
	resp, err := f.do(ctx, http.MethodGet, ru.String(), nil, nil)
	var fe *FetchError
	switch {
	case err == nil:
		rb = parseRobots(string(resp.Body), f.UserAgent)
		f.DB.PutResource(context.WithoutCancel(ctx), store.Resource{URL: ru.String(), Kind: "robots", SHA256: resp.SHA256, Status: resp.Status})
	case errors.As(err, &fe) && fe.Class == Class4xx:
		rb = &robots{}
		f.DB.PutResource(context.WithoutCancel(ctx), store.Resource{URL: ru.String(), Kind: "robots", Status: fe.Status})
	case errors.As(err, &fe) && fe.Class == ClassSoft404:
		rb = &robots{}
	case errors.As(err, &fe) && fe.Class == Class5xx:
		// RFC 9309: a server error on robots.txt means stay away. Said as
		// what it is, not as a disallow rule the site never wrote.
		return nil, &FetchError{URL: ru.String(), Class: ClassRobots, Status: fe.Status,
			Err: errors.New("robots.txt answered with a server error: the host is not crawled this run (RFC 9309)")}
	default: // unreachable, refused, challenge, cancelled: the caller sees why
		return nil, err
	}
	f.remember(u, key, rb)
	return rb, nil
}

// RobotsTTL is how long a host's robots.txt is reused across runs.
var RobotsTTL = 24 * time.Hour

// cachedRobots returns a robots.txt fetched by an earlier run within
// RobotsTTL, so that a run finding nothing new requests list pages only.
func (f *Fetcher) cachedRobots(ctx context.Context, u string) (*robots, bool) {
	r, ok, err := f.DB.Resource(ctx, u)
	if err != nil || !ok || r.Kind != "robots" || time.Since(r.LastSeen) > RobotsTTL {
		return nil, false
	}
	if r.SHA256 == "" {
		return &robots{}, r.Status >= 400 && r.Status < 500 // a 4xx: no rules
	}
	body, err := f.DB.Blobs.Get(r.SHA256)
	if err != nil {
		return nil, false
	}
	return parseRobots(string(body), f.UserAgent), true
}

func (f *Fetcher) remember(u *url.URL, key string, rb *robots) {
	if rb.crawlDelay > f.Delay {
		f.slot(u.Host).delay = rb.crawlDelay
	}
	f.mu.Lock()
	if f.robots == nil {
		f.robots = map[string]*robots{}
	}
	f.robots[key] = rb
	f.mu.Unlock()
}

func classify(err error) string {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var nerr net.Error
	var refused *addressError
	switch {
	case errors.As(err, &dns):
		return ClassDNS
	case errors.As(err, &cert), errors.As(err, &unknownAuth), errors.As(err, &hostname),
		strings.Contains(err.Error(), "tls:"), strings.Contains(err.Error(), "x509:"):
		return ClassTLS
	case errors.As(err, &refused):
		return ClassRefused
	case strings.Contains(err.Error(), "response headers exceeded"), strings.Contains(err.Error(), "malformed HTTP"),
		strings.Contains(err.Error(), "unsupported protocol scheme"):
		return ClassProtocol
	case errors.As(err, &nerr) && nerr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout
	}
	return ClassConnect
}

// isChallenge recognises JS anti-bot pages (Ruishu 412 + $_ts, Jiasule
// __jsluid reload). They are recorded, never executed or worked around.
func isChallenge(status int, body []byte) bool {
	head := body[:min(len(body), 64<<10)]
	return status == http.StatusPreconditionFailed ||
		bytes.Contains(head, []byte("$_ts=window['$_ts']")) || bytes.Contains(head, []byte(`$_ts=window["$_ts"]`)) ||
		(bytes.Contains(head, []byte("__jsluid")) && bytes.Contains(head, []byte("location.reload")))
}

var soft404Marks = [][]byte{[]byte("页面不存在"), []byte("找不到页面"), []byte("页面未找到"), []byte("您访问的页面不存在"), []byte("404 Not Found")}

// isSoft404 recognises "not found" pages served with status 200, and a
// redirect from a deep URL to the site's home page.
func isSoft404(asked, final *url.URL, body []byte) bool {
	home := func(p string) bool {
		return p == "" || p == "/" || p == "/index.html" || p == "/index.htm" || p == "/index.shtml"
	}
	if final.Host == asked.Host && !home(asked.Path) && home(final.Path) {
		return true // a deep link redirected to the home page
	}
	if len(body) > 8<<10 {
		return false
	}
	for _, m := range soft404Marks {
		if bytes.Contains(body, m) {
			return true
		}
	}
	return false
}

// AttachmentName returns the file name of a Content-Disposition header,
// decoding RFC 5987 (filename*=UTF-8”…), percent-encoding and raw GBK.
func AttachmentName(header string) string {
	if header == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(header)
	name := params["filename"]
	if err != nil || name == "" {
		// Raw 8-bit names break the MIME parser: take filename="…" by hand.
		if i := strings.Index(strings.ToLower(header), "filename="); i >= 0 {
			name = strings.Trim(strings.TrimSpace(strings.SplitN(header[i+len("filename="):], ";", 2)[0]), `"'`)
		}
	}
	if strings.Contains(name, "%") {
		if un, err := url.PathUnescape(name); err == nil {
			name = un
		}
	}
	if !utf8.ValidString(name) {
		if b, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
			name = b
		}
	}
	return name
}

// addressError is a connection the fetcher refused to open.
type addressError struct{ addr, why string }

func (e *addressError) Error() string { return "refused to connect to " + e.addr + ": " + e.why }

type privateOKKey struct{}

// AllowPrivate returns a context in which the fetcher may connect to
// loopback, private and link-local addresses: set for a source whose own
// address is one (a portal on an intranet, a test server), so that a public
// portal can never redirect or resolve the crawler into the local network.
func AllowPrivate(ctx context.Context, ok bool) context.Context {
	return context.WithValue(ctx, privateOKKey{}, ok)
}

// IsPrivateHost reports whether host (a name or an address) resolves to a
// loopback, private, link-local or unspecified address.
func IsPrivateHost(ctx context.Context, host string) bool {
	return isPrivateHost(ctx, host, nil)
}

// privateHost is IsPrivateHost through the fetcher's Lookup.
func (f *Fetcher) privateHost(ctx context.Context, host string) bool {
	return isPrivateHost(ctx, host, f.Lookup)
}

func isPrivateHost(ctx context.Context, host string, lookup func(context.Context, string) ([]netip.Addr, error)) bool {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return privateAddr(ip)
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	addrs, err := lookup(ctx, host)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if privateAddr(a) {
			return true
		}
	}
	return false
}

func privateAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() ||
		ip.IsMulticast() || (ip.Is4() && ip.As4()[0] == 100 && ip.As4()[1]&0xC0 == 64) // 100.64/10 carrier NAT
}

// guardedDial resolves the host itself and refuses private addresses unless
// the request's context allows them, so neither a redirect nor a DNS answer
// can point the crawler at the local network.
func guardedDial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if ips, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host); err != nil {
			return nil, err
		}
		ok, _ := ctx.Value(privateOKKey{}).(bool)
		var lastErr error = &addressError{addr, "no address"}
		for _, ip := range ips {
			if privateAddr(ip) && !ok {
				lastErr = &addressError{addr, ip.String() + " is a loopback or private address and the source is not"}
				continue
			}
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			lastErr = err
		}
		return nil, lastErr
	}
}
