package web_test

import "github.com/nianbao/nianbao/extract"

func extractOptions() extract.Options {
	return extract.Options{ContentType: "text/html; charset=utf-8"}
}
