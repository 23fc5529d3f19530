package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nianbao/nianbao"
	"github.com/nianbao/nianbao/compare"
	"github.com/nianbao/nianbao/fixtures"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/store"
	"github.com/nianbao/nianbao/web"
)

// TestBrowser drives real headless Chromium through the pages a reporter
// would use: Overview → Compare (one region) → an Agency → where a number
// was printed, checking the numbers against the database, downloading the
// comparison's CSV, saving screenshots; then it opens a stored hostile page
// and checks that none of its script ran. .ci/run installs Chromium; the
// test is skipped only where no Chromium exists.
func TestBrowser(t *testing.T) {
	ctx := browser(t, 1300, 900)
	db, hostileSHA := testDB(t)
	srv, err := web.New(db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	shots := t.TempDir()
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(s)
	}

	var want struct {
		rate     float64
		received string
	}
	db.SQL().QueryRow("SELECT grant_rate, CAST(requests_received AS INTEGER) FROM report_summary WHERE agency = '宁海县市场监督管理局'").Scan(&want.rate, &want.received)

	// Overview → the region's comparison for its year.
	do(chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("overview")
	do(chromedp.Click(chromedp.CSS(`a[href^="/compare?region=330226"]`)), chromedp.WaitVisible(chromedp.CSS("table#compare")))
	shot("compare")
	if got := text(`table#compare tbody tr td.rate`); got != compare.Percent(&want.rate) {
		t.Errorf("compare page shows grant rate %q, the database %s", got, compare.Percent(&want.rate))
	}

	// The CSV the page offers equals `nianbao summary --format csv` for the same filter.
	csvText, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById('csv').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := compare.Query(context.Background(), db, compare.Filter{Region: "330226", Year: 2022})
	var csv bytes.Buffer
	compare.WriteCSV(&csv, rows)
	if strings.TrimPrefix(csvText, "\uFEFF") != strings.TrimPrefix(csv.String(), "\uFEFF") {
		t.Errorf("downloaded CSV:\n%s\nsummary --format csv:\n%s", csvText, csv.String())
	}

	// → the agency → where its received count was printed.
	do(chromedp.Click(chromedp.CSS(`table#compare tbody tr td a[href^="/agency"]`)), chromedp.WaitVisible(chromedp.CSS("section.year")))
	shot("agency")
	if h1 := text("h1"); h1 != "宁海县市场监督管理局" {
		t.Errorf("agency page h1 %q", h1)
	}
	do(chromedp.Navigate(ts.URL+"/compare?region=330226&year=2022"), chromedp.WaitVisible(chromedp.CSS("table#compare")),
		chromedp.Click(chromedp.CSS(`a.num[href*="cell=t3.new_received.total"]`)), chromedp.WaitVisible(chromedp.CSS("#cell")))
	shot("cell")
	if got := text("#cell"); got != want.received {
		t.Errorf("cell page marks %q, the database has %s", got, want.received)
	}

	// A stored hostile page: its script must not run.
	do(chromedp.Navigate(ts.URL+"/doc/"+hostileSHA), chromedp.WaitReady(chromedp.CSS("body")))
	docTitle, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	do(chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.getItem('pwned') !== null || document.title === 'pwned'`))
	if err != nil {
		t.Fatal(err)
	}
	if docTitle == "pwned" || pwned {
		t.Errorf("the stored page's script ran (title %q, app storage touched %v)", docTitle, pwned)
	}

	// A template cell the extraction did not find says "not extracted",
	// not "not in the report"; each table shows how much was found.
	var partial int64
	db.SQL().QueryRow("SELECT report_id FROM report_summary WHERE completeness < 1 AND agency_key IS NOT NULL LIMIT 1").Scan(&partial)
	if partial != 0 {
		var key string
		db.SQL().QueryRow("SELECT agency_key FROM report_summary WHERE report_id = ?", partial).Scan(&key)
		do(chromedp.Navigate(ts.URL+"/agency?key="+key), chromedp.WaitVisible(chromedp.CSS("section.year")))
		if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.notextracted').length`)); n == 0 {
			t.Error("an incomplete report's agency page marks no cell 未能识别 not extracted")
		}
		if s := text("h3 small.completeness"); !strings.Contains(s, "/") {
			t.Errorf("table completeness %q", s)
		}
	}

	// Every chart downloads as SVG and PNG, with its source line and date.
	do(chromedp.Navigate(ts.URL+"/agency?key=330226:市场监督管理局"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const svg = document.querySelector('svg.chart');
		const s = await nianbaoChart.svgBlob(svg).text();
		const p = await nianbaoChart.pngBlob(svg);
		const head = new Uint8Array(await p.slice(0, 4).arrayBuffer());
		return document.querySelectorAll('a.svgdl').length > 0 && document.querySelectorAll('a.pngdl').length > 0 &&
			s.startsWith('<svg') && s.includes('nianbao 整理') && s.includes('宁海县市场监督管理局') &&
			p.type === 'image/png' && p.size > 2000 && head[1] === 0x50 && head[2] === 0x4E && head[3] === 0x47;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || !ok {
		t.Errorf("chart download as SVG and PNG: %v %v", ok, err)
	}

	// Phone width: no page scrolls sideways; wide tables scroll in their box.
	do(chromedp.EmulateViewport(390, 844))
	for _, u := range []string{"/", "/compare", "/compare?region=330226&year=2022", "/agency?key=330226:市场监督管理局"} {
		do(chromedp.Navigate(ts.URL+u), chromedp.WaitVisible(chromedp.CSS("h1")))
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			shot("phone" + strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(u))
			t.Errorf("%s at 390 px scrolls sideways by %d px", u, over)
		}
	}
	t.Logf("screenshots in %s", shots)
}

// browser starts headless Chromium for a test (skipped where there is none,
// fatal in CI) and returns its context.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium not installed: .ci/run must install it")
		}
		t.Skip("no Chromium on this machine")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height))
	parent, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	actx, cancel2 := chromedp.NewExecAllocator(parent, opts...)
	t.Cleanup(cancel2)
	ctx, cancel3 := chromedp.NewContext(actx)
	t.Cleanup(cancel3)
	return ctx
}

// TestBrowserStory: the story a reporter writes — which departments
// refused most and how that changed — in a real browser: the comparison
// with the previous year and the change, an agency's years as a table, a
// template cell that was not extracted labelled so, and a stored PDF
// served for the browser's viewer (not sandboxed, named .pdf).
func TestBrowserStory(t *testing.T) {
	ctx := browser(t, 1300, 900)
	path := filepath.Join(t.TempDir(), "story.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, refused := range []float64{3, 8} {
		v := float64(40 + 11*i)
		rep := &nianbao.Report{Agency: "杭州市临平区交通运输局", Year: 2022 + i, Template: nianbao.Template2021, Cells: map[string]nianbao.Cell{
			"t3.new_received.total":        {Value: &v, Raw: fmt.Sprint(v), Semantic: nianbao.Numeric},
			"t3.refused.third_party.total": {Value: &refused, Raw: fmt.Sprint(refused), Semantic: nianbao.Numeric}}}
		if _, err := db.Save(context.Background(), store.Document{SHA256: fmt.Sprint(i), Path: "x", Agency: store.Identity(rep.Agency)}, rep); err != nil {
			t.Fatal(err)
		}
	}
	in := &ingest.Ingester{DB: db}
	pdf := in.File(context.Background(), fixtures.Path("106-tab-text-2021-chrome.pdf"))
	if pdf.Err != nil {
		t.Fatal(pdf.Err)
	}
	db.Close()
	ro, _ := store.OpenReadOnly(path)
	defer ro.Close()
	srv, _ := web.New(ro)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	run(chromedp.Navigate(ts.URL+"/compare?region=330113&year=2023&sort=refused&desc=1"), chromedp.WaitVisible(chromedp.CSS("table#compare")))
	if prev := eval(`document.querySelector('table#compare tbody tr small.prev').innerText`); !strings.Contains(prev, "上年 40") || !strings.Contains(prev, "+11") {
		t.Errorf("compare row: previous year and change %q", prev)
	}
	if mark := eval(`document.querySelector('th .sortmark').innerText`); mark != "▼" {
		t.Errorf("sort indicator %q", mark)
	}
	run(chromedp.Navigate(ts.URL+"/agency?key=330113:交通运输局"), chromedp.WaitVisible(chromedp.CSS("table#years")))
	if rows := eval(`String(document.querySelectorAll('table#years tbody tr').length)`); rows != "2" {
		t.Errorf("agency years table: %s rows", rows)
	}
	if n := eval(`String(document.querySelectorAll('.notextracted').length)`); n == "0" {
		t.Error("no cell labelled 未能识别 not extracted")
	}
	if title := eval(`document.querySelector('.notextracted').getAttribute('title')`); !strings.Contains(title, "not extracted") {
		t.Errorf("not-extracted label's explanation %q", title)
	}
	// Headless Chromium loads its PDF viewer document either way; that the
	// PDF is not sandboxed (which the viewer of a windowed Chrome refuses) is
	// checked on the response in TestPDFServedForViewers.
	run(chromedp.Navigate(ts.URL+"/doc/"+pdf.SHA256+"?name=report.pdf"), chromedp.Sleep(500*time.Millisecond))
	if ct := eval(`document.contentType`); ct != "application/pdf" {
		t.Errorf("the stored PDF opened as %q, not in the PDF viewer", ct)
	}
}
