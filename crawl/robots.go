package crawl

import (
	"bufio"
	"strconv"
	"strings"
	"time"
)

// robots is the group of a robots.txt that applies to our user agent.
type robots struct {
	rules       []robotsRule
	crawlDelay  time.Duration
	disallowAll bool
}

type robotsRule struct {
	allow  bool
	prefix string
}

// parseRobots reads robots.txt for the given user agent token: the group
// naming it, else the * group. Matching is by longest prefix, with * and $
// wildcards (RFC 9309).
func parseRobots(body, agent string) *robots {
	agent = strings.ToLower(agent)
	if i := strings.IndexAny(agent, "/ "); i > 0 {
		agent = agent[:i]
	}
	type group struct {
		agents []string
		r      robots
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if !lastWasAgent || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			lastWasAgent = true
			continue
		case "allow", "disallow":
			if cur != nil && (v != "" || k == "allow") {
				cur.r.rules = append(cur.r.rules, robotsRule{allow: k == "allow", prefix: v})
			}
		case "crawl-delay":
			if cur != nil {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
					cur.r.crawlDelay = time.Duration(min(f, 120) * float64(time.Second))
				}
			}
		}
		lastWasAgent = false
	}
	var star *robots
	for _, g := range groups {
		for _, a := range g.agents {
			if a == agent {
				return &g.r
			}
			if a == "*" && star == nil {
				star = &g.r
			}
		}
	}
	if star != nil {
		return star
	}
	return &robots{}
}

// allowed reports whether a path (with query) may be fetched.
func (r *robots) allowed(p string) bool {
	if r.disallowAll {
		return false
	}
	if p == "" {
		p = "/"
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if n := robotsMatch(rule.prefix, p); n > best || (n == best && rule.allow) {
			if n >= 0 {
				best, allow = n, rule.allow
			}
		}
	}
	return allow
}

// robotsMatch returns the pattern length when pattern matches the start of
// p, or -1.
func robotsMatch(pattern, p string) int {
	anchored := strings.HasSuffix(pattern, "$")
	pat := strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pat, "*")
	pos := 0
	for i, part := range parts {
		if i == 0 {
			if !strings.HasPrefix(p, part) {
				return -1
			}
			pos = len(part)
			continue
		}
		j := strings.Index(p[pos:], part)
		if j < 0 {
			return -1
		}
		pos += j + len(part)
	}
	if anchored && pos != len(p) && !strings.HasSuffix(pattern, "*$") {
		if len(parts) == 1 || !strings.HasSuffix(p, parts[len(parts)-1]) {
			return -1
		}
	}
	return len(pattern)
}
