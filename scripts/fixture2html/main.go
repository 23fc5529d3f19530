// Command fixture2html renders a report fixture of any readable form (tab
// text, Markdown, HTML, DOCX…) as a plain HTML article page, the way a
// portal would publish it, so scripts/mkproducers.sh can print it with
// several PDF producers.
//
//	go run ./scripts/fixture2html IN OUT.html
package main

import (
	"fmt"
	"os"

	"github.com/nianbao/nianbao/crawl/crawltest"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/normalize"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: fixture2html IN OUT.html")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	doc, err := extract.Read(os.Args[1], data, extract.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rep := normalize.Normalize(doc)
	page, err := crawltest.Page(rep.Title, rep.Agency, rep.Published, data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[2], page, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
