package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/nianbao/nianbao/compare"
)

// Charts are drawn on the server as SVG: no script, no library to vendor,
// nothing fetched from elsewhere, and they print and save with the page.
// A blank (unknown) value is drawn as no bar and labelled 空白, never as 0.

type bar struct {
	Label string
	Value *float64 // a fraction
	Note  string   // e.g. lower_bound
}

// sourceLine says where every chart's numbers come from; each chart
// carries it and the date it was drawn, so a downloaded chart stands alone.
const sourceLine = "数据：各机关政府信息公开工作年度报告，nianbao 整理"

// footer writes the source line and date at the bottom of a chart.
func footer(b *strings.Builder, y float64) {
	fmt.Fprintf(b, `<text x="0" y="%.0f" class="source">%s · %s</text>`, y, sourceLine, time.Now().Format("2006-01-02"))
}

// barChart draws horizontal bars of fractions, one per row; name is the
// downloaded file's name.
func barChart(name, title string, bars []bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const w, rowH, labelW = 640.0, 22.0, 260.0
	h := float64(len(bars))*rowH + 50
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" data-name="%s" role="img" aria-label="%s" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" xmlns="http://www.w3.org/2000/svg">`,
		esc(name), esc(title), w, h, w, h)
	fmt.Fprintf(&b, `<text x="0" y="14" class="title">%s</text>`, esc(title))
	for i, br := range bars {
		y := 24 + float64(i)*rowH
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="label" text-anchor="end">%s</text>`, labelW-6, y+14, esc(truncate(br.Label, 20)))
		if br.Value == nil {
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="blank"><title>空白：报告未印出可计算的数字（不是0）</title>空白</text>`, labelW+4, y+14)
			continue
		}
		v := math.Max(0, math.Min(1, *br.Value))
		bw := v * (w - labelW - 70)
		cls := "bar"
		if br.Note == "lower_bound" {
			cls = "bar lower"
		}
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" class="%s"><title>%s: %s%s</title></rect>`,
			labelW, y+2, bw, rowH-6, cls, esc(br.Label), compare.Percent(br.Value), lowerNote(br.Note))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="value">%s%s</text>`, labelW+bw+4, y+14, lowerMark(br.Note), compare.Percent(br.Value))
	}
	footer(&b, h-6)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

type point struct {
	Year  int
	Value *float64
}

// trendChart draws a value over the years as columns; name is the
// downloaded file's name.
func trendChart(name, title string, pts []point, fraction bool) template.HTML {
	if len(pts) == 0 {
		return ""
	}
	const h, colW = 160.0, 56.0
	w := math.Max(240, float64(len(pts))*colW+20)
	maxV := 0.0
	for _, p := range pts {
		if p.Value != nil {
			maxV = math.Max(maxV, *p.Value)
		}
	}
	if maxV == 0 {
		maxV = 1
	}
	var b strings.Builder
	w = math.Max(w, 330) // room for the source line
	fmt.Fprintf(&b, `<svg class="chart" data-name="%s" role="img" aria-label="%s" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" xmlns="http://www.w3.org/2000/svg">`, esc(name), esc(title), w, h+58, w, h+58)
	fmt.Fprintf(&b, `<text x="0" y="14" class="title">%s</text>`, esc(title))
	for i, p := range pts {
		x := 10 + float64(i)*colW
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="label">%d</text>`, x+8, h+34, p.Year)
		if p.Value == nil {
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="blank"><title>空白，不是0</title>空白</text>`, x+8, h+16)
			continue
		}
		bh := *p.Value / maxV * (h - 40)
		label := compare.Num(p.Value)
		if fraction {
			label = compare.Percent(p.Value)
		}
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.0f" height="%.1f" class="bar"><title>%d: %s</title></rect>`, x, h+20-bh, colW-16, bh, p.Year, label)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="value">%s</text>`, x, h+16-bh, label)
	}
	footer(&b, h+54)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func lowerMark(note string) string {
	if note == "lower_bound" {
		return "≥"
	}
	return ""
}

func lowerNote(note string) string {
	if note == "lower_bound" {
		return "（下限：部分分项空白）"
	}
	return ""
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// esc escapes text for SVG markup written by hand.
func esc(s string) string { return template.HTMLEscapeString(s) }
