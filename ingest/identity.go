package ingest

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/pipeline"
	"github.com/nianbao/nianbao/region"
	"github.com/nianbao/nianbao/store"
)

// identity resolves the report's agency with the region of its source and
// the places its own text names as hints; an unresolved or ambiguous name
// stays its own agency, with a warning on the report.
func identity(res pipeline.Result, sourceRegion string) *store.AgencyIdentity {
	if res.Report == nil || res.Report.Agency == "" {
		return nil
	}
	var hints []string
	if sourceRegion != "" {
		hints = append(hints, sourceRegion)
	}
	id := store.Identity(res.Report.Agency, hints...)
	if id.Key == "" { // read the places the report names only when needed
		hints = append(hints, region.Mentions(leadText(res), 8)...)
		id = store.Identity(res.Report.Agency, hints...)
	}
	if id.Key == "" {
		res.Report.Warnings = append(res.Report.Warnings, fmt.Sprintf("agency: %q not resolved to one region (%s): kept as its own agency", res.Report.Agency, id.How))
	}
	return id
}

// leadText is the document's title and first paragraphs, where a report
// names its agency and place.
func leadText(res pipeline.Result) string {
	var b strings.Builder
	b.WriteString(res.Title)
	if res.Document == nil {
		return b.String()
	}
	for _, blk := range res.Document.Blocks {
		if b.Len() > 4096 {
			break
		}
		if blk.Table == nil {
			b.WriteString("\n")
			b.WriteString(blk.Text)
		}
	}
	return b.String()
}
