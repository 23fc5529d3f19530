// Package ingest is the one path from bytes to the database: keep the raw
// bytes (content-addressed), extract, normalize, and save in one
// transaction per document. `nianbao ingest` and the crawler both use it.
package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/buildinfo"
	"github.com/nianbao/nianbao/internal/ordered"
	"github.com/nianbao/nianbao/pipeline"
	"github.com/nianbao/nianbao/store"
)

// Result is what happened to one document.
type Result struct {
	Path    string
	SHA256  string
	Outcome store.Outcome
	Err     error // why it failed; nil otherwise
	Report  *pipeline.Result
}

// Ingester writes documents into one database.
type Ingester struct {
	DB *store.DB
	// Process extracts one document; nil means pipeline.Process. Tests set
	// it to stand for another build's rules.
	Process func(path string, data []byte, opt extract.Options) pipeline.Result
}

func (in *Ingester) process(path string, data []byte, opt extract.Options) pipeline.Result {
	if in.Process != nil {
		return in.Process(path, data, opt)
	}
	return pipeline.Process(path, data, opt)
}

// Options tune one document's ingestion.
type Options struct {
	Extract    extract.Options // e.g. the HTTP content type it was served with
	AgencyHint string          // agency to record when the report does not name one
	RegionCode string          // 行政区划代码 to record for the agency, when known
	// Where a crawled document was listed (kept with the document, and used
	// to tell which version of a report is current).
	ListedTitle, ListedDate, ArticleURL string
}

// Bytes ingests one document's bytes. source is its path or URL; opt carries
// the HTTP content type when it was fetched.
func (in *Ingester) Bytes(ctx context.Context, source string, data []byte, opt extract.Options) Result {
	return in.BytesWith(ctx, source, data, Options{Extract: opt})
}

// BytesWith ingests one document's bytes with hints.
func (in *Ingester) BytesWith(ctx context.Context, source string, data []byte, opt Options) Result {
	return in.commit(ctx, in.prepare(source, data, opt))
}

// prepared is a document read and extracted, ready to be saved: the part
// of ingestion that may run on several goroutines.
type prepared struct {
	source string
	opt    Options
	doc    store.Document
	res    *pipeline.Result
	err    error // the bytes could not be kept
}

// prepare keeps the bytes and extracts them; it touches no table.
func (in *Ingester) prepare(source string, data []byte, opt Options) prepared {
	sum, err := in.DB.Blobs.Put(data)
	if err != nil {
		return prepared{source: source, err: fmt.Errorf("%s: keeping its bytes: %w", source, err)}
	}
	res := in.process(source, data, opt.Extract)
	if res.Report != nil && res.Report.Agency == "" && opt.AgencyHint != "" {
		res.Report.Agency = opt.AgencyHint
		res.Report.Warnings = append(res.Report.Warnings, "agency: not printed; taken from the source's hint")
	}
	doc := store.Document{SHA256: sum, Path: source, Format: string(res.Source.Format), Size: len(data),
		ListedTitle: opt.ListedTitle, ListedDate: opt.ListedDate, ArticleURL: opt.ArticleURL, Extractor: buildinfo.Version,
		Agency: identity(res, opt.RegionCode)}
	parts, err := in.keepParts(res.Parts)
	if err != nil {
		return prepared{source: source, err: fmt.Errorf("%s: keeping its page images: %w", source, err)}
	}
	doc.Parts = parts
	res.Listed(source, opt.ListedTitle)
	if res.Err != nil { // pipeline.Verdict: no cell is no report
		doc.Error, doc.ErrorClass = res.Err.Error(), nianbao.ClassOf(res.Err)
	}
	return prepared{source: source, opt: opt, doc: doc, res: &res}
}

// keepParts stores the page images a document was read from.
func (in *Ingester) keepParts(parts []extract.Part) ([]store.Part, error) {
	var out []store.Part
	for _, p := range parts {
		sum, err := in.DB.Blobs.Put(p.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, store.Part{Src: p.Src, SHA256: sum, Size: len(p.Data)})
	}
	return out, nil
}

// storedImages is the ImageSource of a stored document: the page images
// kept with it.
func (in *Ingester) storedImages(ctx context.Context, sha string) (extract.ImageSource, error) {
	parts, err := in.DB.DocumentParts(ctx, sha)
	if err != nil || len(parts) == 0 {
		return nil, err
	}
	bySrc := map[string]string{}
	for _, p := range parts {
		bySrc[p.Src] = p.SHA256
	}
	return func(src string) ([]byte, error) {
		sum, ok := bySrc[src]
		if !ok {
			return nil, fmt.Errorf("not kept with the page")
		}
		return in.DB.Blobs.Get(sum)
	}, nil
}

// commit saves a prepared document in one transaction: the single writer.
func (in *Ingester) commit(ctx context.Context, p prepared) Result {
	if p.err != nil {
		return Result{Path: p.source, Outcome: store.Failed, Err: p.err}
	}
	out, err := in.DB.Save(ctx, p.doc, p.res.Report)
	if err == nil && p.opt.RegionCode != "" && p.res.Report != nil && p.res.Report.Agency != "" {
		err = in.DB.SetAgencyRegion(ctx, p.res.Report.Agency, p.opt.RegionCode)
	}
	r := Result{Path: p.source, SHA256: p.doc.SHA256, Outcome: out, Report: p.res}
	switch {
	case err != nil:
		r.Outcome, r.Err = store.Failed, err
	case out == store.Failed:
		r.Err = p.res.Err
	}
	return r
}

// FilesParallel ingests files with jobs goroutines reading and extracting
// and one writer saving, in the files' order: the database ends up exactly
// as a serial run leaves it. each is called with every result, in order.
func (in *Ingester) FilesParallel(ctx context.Context, paths []string, jobs int, each func(Result)) {
	ordered.Map(ctx, len(paths), jobs, func(i int) prepared {
		path := paths[i]
		data, err := extract.ReadFile(path)
		if err != nil {
			return prepared{source: path, err: err}
		}
		return in.prepare(path, data, Options{Extract: extract.Options{Images: extract.FilesBeside(path)}})
	}, func(_ int, p prepared) {
		each(in.commit(ctx, p))
	})
}

// File ingests one file from disk.
func (in *Ingester) File(ctx context.Context, path string) Result {
	data, err := extract.ReadFile(path)
	if err != nil {
		return Result{Path: path, Outcome: store.Failed, Err: err}
	}
	return in.Bytes(ctx, path, data, extract.Options{Images: extract.FilesBeside(path)})
}

// Files lists the files named by paths, walking folders recursively in name
// order and skipping hidden files.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if name := d.Name(); q != p && len(name) > 0 && name[0] == '.' {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				found = append(found, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, pageImagesOut(found)...)
	}
	return out, nil
}

// pageImagesOut leaves out of a walked folder the images a saved HTML page
// in it shows or links to (Document.Images): they are read as the page's pages (extract.FilesBeside),
// not as reports of their own (page 2 of a report alone is a partial one).
func pageImagesOut(files []string) []string {
	shown := map[string]bool{}
	for _, f := range files {
		if ext := strings.ToLower(filepath.Ext(f)); ext != ".html" && ext != ".htm" && ext != ".shtml" {
			continue
		}
		data, err := extract.ReadFile(f)
		if err != nil {
			continue // reported when the page itself is read
		}
		doc, err := extract.ReadHTML(data, "")
		if err != nil {
			continue
		}
		for _, src := range doc.Images {
			if strings.Contains(src, ":") || strings.HasPrefix(src, "/") {
				continue
			}
			if i := strings.IndexAny(src, "?#"); i >= 0 {
				src = src[:i]
			}
			shown[filepath.Join(filepath.Dir(f), filepath.FromSlash(src))] = true
		}
	}
	if len(shown) == 0 {
		return files
	}
	out := files[:0:0]
	for _, f := range files {
		if !shown[filepath.Clean(f)] {
			out = append(out, f)
		}
	}
	return out
}

// Summary counts outcomes of a run.
type Summary struct {
	Ingested, Unchanged, Failed int
	Incomplete                  int // ingested reports missing cells of their template
}

// Add counts one result.
func (s *Summary) Add(r Result) {
	switch r.Outcome {
	case store.Unchanged:
		s.Unchanged++
	case store.Failed:
		s.Failed++
	default:
		s.Ingested++
		if r.Incomplete() {
			s.Incomplete++
		}
	}
}

// Incomplete reports whether the document's report lacks cells of its
// template (a table missing or short).
func (r Result) Incomplete() bool {
	if r.Report == nil || r.Report.Report == nil {
		return false
	}
	c, ok := r.Report.Report.Overall()
	return ok && c.Found < c.Expected
}

// String is the plain summary line.
func (s Summary) String() string {
	return fmt.Sprintf("%d ingested, %d unchanged, %d failed; %d reports incomplete", s.Ingested, s.Unchanged, s.Failed, s.Incomplete)
}
