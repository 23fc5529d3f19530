package web

import (
	"html/template"
	"net/url"

	"github.com/nianbao/nianbao/compare"
)

var funcs = template.FuncMap{
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
}
