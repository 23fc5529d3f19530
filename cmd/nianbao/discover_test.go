package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
)

// TestDiscoverCommand: `nianbao discover URL --out FILE` on a fake
// district portal writes a sources file the crawl takes as it is (the
// operator's settings kept), prints the columns with the department that
// has none, exits 0; run again it keeps every entry; the crawl of the file
// stores every report the portal lists.
func TestDiscoverCommand(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	portal := crawltest.TRSDistrictOn(srv.Listener.Addr().String())
	srv.Config.Handler = portal
	srv.Start()
	defer srv.Close()
	dir := t.TempDir()
	db, sources := filepath.Join(dir, "n.db"), filepath.Join(dir, "sources.toml")
	if err := os.WriteFile(sources, []byte("# the operator's settings\ndelay = \"1ms\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	// a settings-only file: discover adds the sources below the settings
	if err := runDiscover([]string{"--db", db, "--delay", "0s", "-q", "--out", sources, portal.Home}, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"测试市测试区交通运输局", "政务公开 › 部门信息公开 › 区交通运输局 › 年度报告", "(no 年报 column)", "测试市测试区档案馆", "5 columns, 1 places without one", "6 new, 0 kept",
		"not followed: http://www.testsheng.gov.cn/zwgk/index.html: off the portal's site (政府信息公开)", "closed by robots.txt"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	text, _ := os.ReadFile(sources)
	cfg, err := crawl.ParseConfig(string(text), sources)
	on := 0
	for _, s := range cfg.Sources {
		if s.On() {
			on++
		}
	}
	if err != nil || len(cfg.Sources) != 6 || on != 5 {
		t.Fatalf("%v: %d sources\n%s", err, len(cfg.Sources), text)
	}
	if !strings.HasPrefix(string(text), "# the operator's settings\ndelay = \"1ms\"\n") {
		t.Errorf("the operator's settings were not kept:\n%s", text)
	}
	out.Reset()
	if err := runDiscover([]string{"--db", db, "--delay", "0s", "-q", "--merge", sources, portal.Home}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 new, 6 kept, 0 gone") {
		t.Errorf("second run: %s", out.String())
	}
	out.Reset()
	if err := runCrawl([]string{"-q", "--db", db, "--sources", sources}, &out, &errb); err != nil {
		t.Fatalf("crawl of the discovered sources: %v\n%s\n%s", err, out.String(), errb.String())
	}
	var n int
	d, _ := openRead(db, &errb)
	defer d.Close()
	d.SQL().QueryRow("SELECT COUNT(*) FROM reports").Scan(&n)
	if n != len(portal.Reports) {
		t.Errorf("%d reports stored, the portal lists %d", n, len(portal.Reports))
	}
}

// TestDiscoverUsage: wrong command lines exit 2 before any request.
func TestDiscoverUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"ftp://x"}, {"--out", "a", "--merge", "b", "http://x.gov.cn/"}, {"--merge", filepath.Join(t.TempDir(), "none.toml"), "http://x.gov.cn/"}} {
		var out, errb bytes.Buffer
		err := runDiscover(append([]string{"--db", filepath.Join(t.TempDir(), "n.db")}, args...), &out, &errb)
		if _, ok := err.(*usageError); !ok {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
