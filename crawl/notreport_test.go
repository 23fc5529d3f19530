package crawl_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/nianbao/nianbao/crawl"
	"github.com/nianbao/nianbao/crawl/crawltest"
)

// TestDecoysInColumnNotReports: a 年报 column also lists the report's 图解
// page and its 解读. They are fetched, kept with the class not_a_report,
// never stored as reports, and do not fail the run (a 图解 page was once a
// current report titled "政府信息公开年报" with no year and 0 cells).
func TestDecoysInColumnNotReports(t *testing.T) {
	all, err := crawltest.Sample()
	if err != nil {
		t.Fatal(err)
	}
	reports := all[1:2]
	decoys := []crawltest.Report{
		{Title: "图解：象山县交通运输局2021年度政府信息公开工作年度报告", Agency: "象山县交通运输局", Date: "2022-01-26",
			Body: []byte(`<html><head><title>政府信息公开年报</title></head><body><h1>图解：象山县交通运输局2021年度政府信息公开工作年度报告</h1><img src="tu1.png"><img src="tu2.png"></body></html>`)},
		{Title: "《象山县交通运输局2021年度政府信息公开工作年度报告》解读", Agency: "象山县交通运输局", Date: "2022-01-27",
			Body: []byte(`<html><body><h1>《象山县交通运输局2021年度政府信息公开工作年度报告》解读</h1><p>一、主要内容。本年度共收到申请5件。</p></body></html>`)},
	}
	site := &crawltest.Site{Platform: "trs", Reports: append(reports, decoys...)}
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := newDB(t)
	sum, err := fastCrawler(config(t, "1ms", srv.URL+site.ListPath()), db).Run(context.Background(), crawl.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.OK() || sum.ReportsNew != 1 || sum.NotReports != 2 || sum.DocumentsFailed != 0 {
		t.Errorf("summary %s: want ok, 1 new report, 2 pages not reports", sum)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM reports"); n != 1 {
		t.Errorf("%d reports stored, want only the real one", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM documents WHERE error_class = 'not_a_report'"); n != 2 {
		t.Errorf("%d documents classed not_a_report, want the 2 decoys (bytes kept)", n)
	}
}
