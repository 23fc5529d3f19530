// Package web is `nianbao serve`: a small local web application over a
// nianbao database for readers who do not write SQL. Every page is a plain
// URL with its filters in the query string: an overview, the comparison of
// a region's (or any) agencies in one year with charts and CSV/XLSX
// downloads, an agency's reports over the years with its tables as
// printed, and where any number was printed. Templates and styles are
// embedded (no CDN; it works offline); charts are server-rendered SVG.
//
// Safe by construction: every value goes through html/template; queries
// take bound parameters only, never SQL from the URL; the database is
// opened read-only; stored documents (crawled pages are untrusted HTML) are
// served with Content-Security-Policy: sandbox and nosniff, so no script
// of theirs runs in the application's origin.
package web

import (
	"embed"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/store"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Server serves one database.
type Server struct {
	DB *store.DB // opened read-only (store.OpenReadOnly)
	// Hosts are the host names (besides IP literals and localhost) a
	// request's Host header may name: a page reached through another name
	// is refused, so a web page cannot rebind its own name to this
	// server's address (DNS rebinding) and read the data.
	Hosts []string
	tmpl  *template.Template
	agg   aggregates // whole-database aggregates, cached per database state
	// review, when set (Reviewing), records corrections; token guards its
	// forms.
	review          *store.DB
	reviewer, token string
}

// New prepares a server for a read-only database.
func New(db *store.DB) (*Server, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &Server{DB: db, tmpl: t}, nil
}

// Handler returns the application's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.overview)
	mux.HandleFunc("GET /compare", s.compare)
	mux.HandleFunc("GET /compare.csv", s.compareCSV)
	mux.HandleFunc("GET /compare.xlsx", s.compareXLSX)
	mux.HandleFunc("GET /agency", s.agency)
	mux.HandleFunc("GET /cell", s.cell)
	mux.HandleFunc("GET /crop", s.crop)
	mux.HandleFunc("GET /review", s.reviewPage)
	mux.HandleFunc("POST /review", s.reviewPost)
	mux.HandleFunc("GET /methodology", s.methodology)
	mux.HandleFunc("GET /ranking", s.ranking)
	mux.HandleFunc("GET /coverage", s.coveragePage)
	mux.HandleFunc("GET /doc/{sha}", s.document)
	mux.Handle("GET /static/", http.FileServerFS(assets))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		s.notFound(w, "没有这个页面 "+r.URL.Path+"。No such page.", "")
	})
	return s.guard(secure(mux))
}

// guard refuses requests for another host name (421) and query strings
// outside their bounds (400, with the reason), before any handler runs.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			http.Error(w, "this server answers only to its own address (IP or localhost); start it with --host NAME to allow NAME", http.StatusMisdirectedRequest)
			return
		}
		if err := checkParams(r.URL.RawQuery); err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hostAllowed accepts IP literals, localhost and the configured names.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || net.ParseIP(host) != nil {
		return true
	}
	for _, n := range s.Hosts {
		if strings.EqualFold(n, host) {
			return true
		}
	}
	return false
}

// Bounds of the query string: every parameter of every page is short.
const (
	maxQuery  = 4096 // bytes of the whole query string
	maxValue  = 200  // bytes of one text value (a name, a search)
	maxValues = 50   // values of one parameter (key=…&key=…)
)

// numeric parameters and their ranges.
var numeric = map[string][2]int64{"year": {1900, 2200}, "report": {1, 1 << 53}, "desc": {0, 1}, "page": {1, 1 << 31}}

// checkParams validates a query string: its size, each value's length and
// encoding, and the numbers (a 50,000-byte search once reached SQLite as
// a LIKE pattern "too complex" and answered 500).
func checkParams(raw string) error {
	if len(raw) > maxQuery {
		return fmt.Errorf("query string of %d bytes, at most %d", len(raw), maxQuery)
	}
	q, _ := url.ParseQuery(raw) // pairs it cannot parse are dropped, as the pages' own r.URL.Query() drops them
	for k, vs := range q {
		if len(vs) > maxValues {
			return fmt.Errorf("%s given %d times, at most %d", k, len(vs), maxValues)
		}
		for _, v := range vs {
			if len(v) > maxValue {
				return fmt.Errorf("%s is %d bytes long, at most %d", k, len(v), maxValue)
			}
			if !utf8.ValidString(v) {
				return fmt.Errorf("%s is not valid UTF-8", k)
			}
			if r, ok := numeric[k]; ok && v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < r[0] || n > r[1] {
					return fmt.Errorf("%s must be a whole number from %d to %d, not %q", k, r[0], r[1], v)
				}
			}
		}
	}
	return nil
}

// secure sets the headers every response carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		if w.Header().Get("Content-Security-Policy") == "" {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data: blob:; script-src 'self'; frame-src 'self'")
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.ExecuteTemplate(w, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
