package ingest

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/buildinfo"
	"github.com/nianbao/nianbao/store"
)

// ReextractSummary counts what a re-extraction did.
type ReextractSummary struct {
	Documents, Changed, New, Unchanged, Failed, Cells int
	// BlobBytesSaved is what compressing text-like blobs stored raw by an
	// older version saved (store.Blobs.Compact).
	BlobBytesSaved int64
}

// String is the summary line.
func (s ReextractSummary) String() string {
	line := fmt.Sprintf("%d documents re-extracted: %d reports changed (%d cells), %d new, %d unchanged, %d failed",
		s.Documents, s.Changed, s.Cells, s.New, s.Unchanged, s.Failed)
	if s.BlobBytesSaved > 0 {
		line += fmt.Sprintf("; stored bytes compressed, %d saved", s.BlobBytesSaved)
	}
	return line
}

// Reextract extracts again, from their stored bytes, the documents last
// read by another build (every document with sel.All; the failed ones of
// one class with sel.Class), one transaction per document: a report whose
// values change is kept as an older version beside the new one. progress,
// when set, is told each document's outcome, with the failure of each
// document that failed.
func (in *Ingester) Reextract(ctx context.Context, sel store.Stale, progress func(store.StaleDocument, store.Reextracted, error)) (ReextractSummary, error) {
	var sum ReextractSummary
	docs, err := in.DB.StaleDocuments(ctx, buildinfo.Version, sel)
	if err != nil {
		return sum, err
	}
	for _, d := range docs {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		sum.Documents++
		data, err := in.DB.Blobs.Get(d.SHA256)
		if err != nil {
			sum.Failed++
			if progress != nil {
				progress(d, store.Reextracted{}, fmt.Errorf("%s: stored bytes: %w", d.Path, err))
			}
			continue
		}
		if saved, err := in.DB.Blobs.Compact(d.SHA256, data); err == nil {
			sum.BlobBytesSaved += saved
		} // else it stays raw, which Get reads as well
		images, err := in.storedImages(ctx, d.SHA256)
		if err != nil {
			return sum, err
		}
		res := in.process(d.Path, data, extract.Options{ContentType: d.ContentType, Images: images})
		res.Listed(d.Path, d.ListedTitle)
		fail := res.Err // pipeline.Verdict: the rule ingest applies too
		rep := res.Report
		if fail != nil {
			rep = nil
		}
		var ident *store.AgencyIdentity
		if rep != nil {
			ident = identity(res, d.RegionCode)
		}
		parts, err := in.keepParts(res.Parts)
		if err != nil {
			return sum, err
		}
		r, err := in.DB.Reextract(ctx, d.ID, buildinfo.Version, ident, rep, fail, parts...)
		switch {
		case err != nil:
			sum.Failed++
		case r.New:
			sum.New++
		case r.Changed:
			sum.Changed++
			sum.Cells += r.CellsChanged
		case fail != nil:
			sum.Failed++
			err = fail
		default:
			sum.Unchanged++
		}
		if progress != nil {
			progress(d, r, err)
		}
	}
	return sum, nil
}
