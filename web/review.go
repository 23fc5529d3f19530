package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/store"
)

// Reviewing lets the server record corrections: /review walks the review
// queue with each cell's image crop and a form to correct or accept it.
// db is opened read-write; reviewer names who corrects. Forms carry a
// token made for this server's run, and a POST must come from its own
// pages (CSRF): another site's page cannot correct the data.
func (s *Server) Reviewing(db *store.DB, reviewer string) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	s.review, s.reviewer, s.token = db, reviewer, hex.EncodeToString(b)
	return nil
}

// reviewItem is one queue entry as the page shows it.
type reviewItem struct {
	store.ReviewItem
	Label, Now string
	OCR        bool
}

// reviewPage lists the queue, filtered like `nianbao review`.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	if s.review == nil {
		s.notFound(w, "审核未开启：以 nianbao serve --review 启动。Review is off: start with nianbao serve --review.", "")
		return
	}
	q := r.URL.Query()
	f := store.ReviewFilter{Region: q.Get("region"), Year: atoi(q.Get("year")), Limit: 50}
	if reason := q.Get("reason"); reason != "" {
		f.Reasons = []string{reason}
	}
	items, total, err := s.review.Review(r.Context(), f)
	if err != nil {
		serverError(w, err)
		return
	}
	out := make([]reviewItem, len(items))
	for i, it := range items {
		out[i] = reviewItem{ReviewItem: it, OCR: it.Source == "ocr" && it.Page > 0}
		if d, ok := nianbao.LookupCell(it.Cell); ok {
			out[i].Label = d.Label
		}
		if it.Raw != nil {
			out[i].Now = *it.Raw
		}
	}
	s.render(w, "review.html", map[string]any{"Items": out, "Total": total, "Token": s.token, "Who": s.reviewer,
		"Query": r.URL.RawQuery, "Done": q.Get("done"), "Region": f.Region, "Year": q.Get("year"), "Reason": q.Get("reason")})
}

// Bounds of a correction form.
const (
	maxForm      = 8 << 10
	maxWhy       = 1000
	maxCellValue = 64
)

// reviewPost records one correction or acceptance from the review page.
func (s *Server) reviewPost(w http.ResponseWriter, r *http.Request) {
	if s.review == nil {
		http.Error(w, "review is off", http.StatusNotFound)
		return
	}
	if err := s.sameOrigin(r); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(s.token)) != 1 {
		http.Error(w, "the form's token is not this server's: reload the review page", http.StatusForbidden)
		return
	}
	report, err := strconv.ParseInt(r.PostForm.Get("report"), 10, 64)
	cell, value, why, who := r.PostForm.Get("cell"), r.PostForm.Get("value"), strings.TrimSpace(r.PostForm.Get("why")), strings.TrimSpace(r.PostForm.Get("who"))
	accept := r.PostForm.Get("action") == "accept"
	switch {
	case err != nil:
		http.Error(w, "report must be a number", http.StatusBadRequest)
		return
	case len(value) > maxCellValue || len(why) > maxWhy || len(who) > maxCellValue || !utf8.ValidString(value+why+who):
		http.Error(w, "value, why or who too long or not UTF-8", http.StatusBadRequest)
		return
	case why == "":
		http.Error(w, "why is required: say what you checked", http.StatusBadRequest)
		return
	}
	if who == "" {
		who = s.reviewer
	}
	c, err := s.review.Correct(r.Context(), report, cell, value, accept, who, why)
	if errors.Is(err, store.ErrNoReport) {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	back := url.Values{}
	for _, k := range []string{"region", "year", "reason"} {
		if v := r.PostForm.Get(k); v != "" {
			back.Set(k, v)
		}
	}
	back.Set("done", "报告 "+strconv.FormatInt(report, 10)+" "+c.Cell+" → "+strconv.Quote(c.Value)+" ("+c.State+")")
	http.Redirect(w, r, "/review?"+back.Encode(), http.StatusSeeOther)
}

// sameOrigin refuses a POST another site's page sent: browsers say where
// a request comes from (Sec-Fetch-Site, Origin).
func (s *Server) sameOrigin(r *http.Request) error {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return errors.New("refused: the form was sent from another site (" + site + ")")
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return errors.New("refused: the form was sent from " + o + ", not from this server's pages")
		}
	}
	return nil
}
