package crawl_test

import (
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawl"
)

// TestSourcesFileChecks: a negative delay switched politeness off; a URL
// listed twice with different hints was merged silently (last wins) and
// counted twice.
func TestSourcesFileChecks(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"delay = \"-1s\"\n[[source]]\nurl = \"https://a.gov.cn/l.html\"\n", "delay -1s must be between"},
		{"delay = \"3h\"\n[[source]]\nurl = \"https://a.gov.cn/l.html\"\n", "delay 3h0m0s must be between"},
		{"[[source]]\nurl = \"https://a.gov.cn/l.html\"\nagency = \"甲局\"\n\n[[source]]\nurl = \"https://a.gov.cn/l.html\"\nagency = \"乙局\"\n",
			"line 1 and line 5 list https://a.gov.cn/l.html with different agency"},
		// the decoder matched [[Source]] to the same field and kept one of the two arrays: a.gov.cn was dropped unsaid
		{"[[source]]\nurl = \"https://a.gov.cn/l.html\"\n[[Source]]\nurl = \"https://b.gov.cn/l.html\"\n", "unknown key Source"},
		{"[[source]]\nURL = \"https://a.gov.cn/l.html\"\n", "unknown key source.URL"},
	} {
		if _, err := crawl.ParseConfig(c.text, "s.toml"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
	cfg, err := crawl.ParseConfig("[[source]]\nurl = \"https://a.gov.cn/l.html\"\n[[source]]\nurl = \"https://b.gov.cn/l.html\"\n[[source]]\nurl = \"https://a.gov.cn/l.html\"\n", "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 2 || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "line 5 repeats line 1") {
		t.Errorf("identical duplicate: %d sources, warnings %v; want 2 and one warning naming both lines", len(cfg.Sources), cfg.Warnings)
	}
}
