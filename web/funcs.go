package web

import (
	"github.com/nianbao/nianbao/store"
	"html/template"
	"net/url"
	"path"
	"strings"

	"github.com/nianbao/nianbao/compare"
)

var funcs = template.FuncMap{
	"reasons": func() []string { return store.ReviewReasons },
	"num":     compare.Num,
	"pct":     compare.Percent,
	"blankOr": func(s string) string { return s },
	"query": func(base url.Values, kv ...string) template.URL { // the page's query with some keys changed
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				q.Del(kv[i])
			} else {
				q.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(q.Encode()) // Encode escapes every key and value
	},
	"parse": func(s string) url.Values { v, _ := url.ParseQuery(s); return v },
	"lower": func(basis string) bool { return basis == "lower_bound" },
	"add1":  func(n int) int { return n + 1 },
	"sub1":  func(n int) int { return n - 1 },
	// docname is the file name a stored document is downloaded under: the
	// last part of its path or URL (the handler checks its extension).
	"docname": func(p string) string {
		if u, err := url.Parse(p); err == nil && u.Path != "" {
			p = u.Path
		}
		return path.Base(strings.ReplaceAll(p, "\\", "/"))
	},
}
