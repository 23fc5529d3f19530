// Package crawl fetches annual reports from government portals politely
// and incrementally: robots.txt honoured, one request at a time per host
// with a delay, bounded retries, anti-bot challenges and soft 404s
// recognised (never worked around), every body stored content-addressed
// before anything else, and every new report handed to the same ingest
// path that `nianbao ingest` uses.
package crawl

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Platforms an adapter exists for.
var Platforms = []string{"auto", "jcms", "jpaas", "trs", "gkmlpt", "links"}

// Config is a sources file.
type Config struct {
	UserAgent  string         `toml:"user_agent"`
	Delay      duration       `toml:"delay"`       // minimum gap between requests to one host
	AllowHosts []string       `toml:"allow_hosts"` // hosts links may lead to besides the configured ones
	Sources    []SourceConfig `toml:"source"`
	// Warnings are problems the file has that did not stop it (an
	// identical source listed twice, kept once), for the operator.
	Warnings []string `toml:"-"`
}

// SourceConfig is one [[source]] entry.
type SourceConfig struct {
	Agency   string `toml:"agency"`   // optional hint, used when the report does not name its agency
	Region   string `toml:"region"`   // optional 行政区划代码
	URL      string `toml:"url"`      // the list (column) page
	Platform string `toml:"platform"` // auto, jcms, jpaas, trs, gkmlpt, links
	Category string `toml:"category"` // gkmlpt: category id of the 年报 list, if not found on the page
	// Expect is the state this source is known to end in (e.g. "blocked":
	// a portal behind an anti-bot wall): that state is recorded but is not
	// a failure of the run, so alerts fire only for what nobody expected.
	Expect string `toml:"expect"`
	// Enabled false keeps the source listed (and in status) but not crawled.
	Enabled *bool `toml:"enabled"`
}

// On reports whether the source is crawled (enabled unless set false).
func (s SourceConfig) On() bool { return s.Enabled == nil || *s.Enabled }

// Expectable are the states a source may be expected to end in.
var Expectable = []string{"blocked", "unreachable", "missing", "empty", "failed"}

type duration struct{ time.Duration }

// UnmarshalText parses a Go duration such as "2s".
func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// DefaultUserAgent names the crawler honestly.
const DefaultUserAgent = "nianbao/0.1 (+https://github.com/nianbao/nianbao)"

// LoadConfig reads and checks a sources file.
func LoadConfig(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return ParseConfig(string(data), file)
}

// ParseConfig parses sources-file text; name is used in errors.
func ParseConfig(text, name string) (*Config, error) {
	var c Config
	md, err := toml.Decode(text, &c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("%s: unknown key %s", name, und[0])
	}
	// The decoder matches keys regardless of case, and of [[source]] and
	// [[Source]] keeps one array only: entries would be lost unsaid.
	for _, k := range md.Keys() {
		if !knownKeys[k[0]] || (len(k) > 1 && !knownKeys[k[0]+"."+k[len(k)-1]]) {
			return nil, fmt.Errorf("%s: unknown key %s (keys are lower case: %s)", name, k, strings.Join(slices.Sorted(maps.Keys(knownKeys)), ", "))
		}
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	switch {
	case c.Delay.Duration == 0:
		c.Delay.Duration = 2 * time.Second
	case c.Delay.Duration < 0 || c.Delay.Duration > MaxDelay:
		// a negative delay would switch politeness off; hours between
		// requests would hold the crawl lock for days
		return nil, fmt.Errorf("%s: delay %s must be between 0 and %s", name, c.Delay.Duration, MaxDelay)
	}
	if c.AllowHosts == nil {
		c.AllowHosts = []string{"*.gov.cn"}
	}
	if len(c.Sources) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoSources)
	}
	lines := sourceLines(text)
	line := func(i int) string {
		if i < len(lines) {
			return fmt.Sprintf("line %d", lines[i])
		}
		return fmt.Sprintf("source %d", i+1)
	}
	seen := map[string]int{}
	var kept []SourceConfig
	for i, s := range c.Sources {
		j, dup := seen[s.URL]
		if !dup {
			seen[s.URL] = i
			kept = append(kept, s)
			continue
		}
		first := c.Sources[j]
		if first.Agency != s.Agency || first.Region != s.Region || first.Platform != s.Platform || first.Category != s.Category {
			return nil, fmt.Errorf("%s: %s and %s list %s with different agency, region or platform: keep one", name, line(j), line(i), s.URL)
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %s repeats %s (%s): crawled once", name, line(i), line(j), s.URL))
	}
	c.Sources = kept
	for i, s := range c.Sources {
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s: source %d: url %q is not an http(s) URL", name, i+1, s.URL)
		}
		if s.Platform == "" {
			c.Sources[i].Platform = "auto"
		}
		ok := false
		for _, p := range Platforms {
			ok = ok || p == c.Sources[i].Platform
		}
		if !ok {
			return nil, fmt.Errorf("%s: source %d: platform %q is not one of %s", name, i+1, s.Platform, strings.Join(Platforms, ", "))
		}
		if s.Expect != "" && !slices.Contains(Expectable, s.Expect) {
			return nil, fmt.Errorf("%s: %s: expect %q is not one of %s", name, line(i), s.Expect, strings.Join(Expectable, ", "))
		}
	}
	return &c, nil
}

// knownKeys are the keys of a sources file, spelled exactly.
var knownKeys = map[string]bool{"user_agent": true, "delay": true, "allow_hosts": true, "source": true,
	"source.agency": true, "source.region": true, "source.url": true, "source.platform": true, "source.category": true,
	"source.expect": true, "source.enabled": true}

// ErrNoSources is a sources file without a [[source]] entry (settings
// only, say, before discover fills it).
var ErrNoSources = errors.New("no [[source]] entries")

// MaxDelay bounds the delay between requests to one host.
const MaxDelay = 10 * time.Minute

// sourceLines returns the line number of each [[source]] header, in order.
func sourceLines(text string) []int {
	var out []int
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "[[source]]") {
			out = append(out, i+1)
		}
	}
	return out
}

// hostAllowed reports whether links may be followed to host: configured
// source hosts always, others when they match an allow_hosts pattern.
func (c *Config) hostAllowed(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") {
		host = h
	}
	for _, s := range c.Sources {
		if u, err := url.Parse(s.URL); err == nil && strings.EqualFold(u.Hostname(), host) {
			return true
		}
	}
	for _, p := range c.AllowHosts {
		p = strings.ToLower(p)
		if ok, _ := path.Match(p, host); ok || (strings.HasPrefix(p, "*.") && host == p[2:]) {
			return true
		}
	}
	return false
}
