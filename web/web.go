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
	"html/template"
	"net/http"
	"strconv"

	"github.com/nianbao/nianbao/store"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Server serves one database.
type Server struct {
	DB   *store.DB // opened read-only (store.OpenReadOnly)
	tmpl *template.Template
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
	mux.HandleFunc("GET /doc/{sha}", s.document)
	mux.Handle("GET /static/", http.FileServerFS(assets))
	return secure(mux)
}

// secure sets the headers every response carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		if w.Header().Get("Content-Security-Policy") == "" {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; frame-src 'self'")
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
