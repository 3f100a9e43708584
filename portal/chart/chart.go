// Package chart draws small bar and line charts as SVG on the server, so that pages show them
// without JavaScript. A chart is an image (role="img") with a <title> and a <desc> for assistive
// technology, scales to its container (viewBox, width 100%) and stays readable on a 360 px screen;
// its colours keep WCAG AA contrast on white. A chart is no substitute for its numbers: pages give
// them as a table too.
//
// Styling is done with presentation attributes, not style attributes, so that a Content Security
// Policy without 'unsafe-inline' does not strip it.
package chart

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Colours, with their contrast on white (#ffffff).
const (
	ColorInk  = "#1b1f24" // text: 16.6:1
	ColorAxis = "#4a5560" // axes and ticks: 7.6:1
	ColorGrid = "#c9d1d9" // grid lines, decorative only
	ColorMark = "#0b4f6c" // bars, line and points: 8.9:1, well over the 3:1 for graphics
)

const (
	fontSize  = 12   // in viewBox units: at 360 px wide a 360-unit chart shows it at 12 px
	charWidth = 0.62 // average glyph width of the sans-serif stack, in ems, for fitting labels
	rowHeight = 26   // horizontal bars: one row per value
	// maxCategories is up to how many bars a vertical chart labels each one, cutting labels to fit.
	maxCategories = 12
)

type config struct {
	width, height int
	xAxis, yAxis  string
	desc          string
	id            string
	horizontal    bool
	sized         bool
}

// Option changes how a chart is drawn.
type Option func(*config)

// Size sets the chart's viewBox in units; the chart is drawn at the width of its container and
// keeps this aspect ratio. The default is 360 by 220; horizontal bars take their height from the
// number of rows unless given one.
func Size(width, height int) Option {
	return func(c *config) { c.width, c.height, c.sized = width, height, true }
}

// Axes names the horizontal and the vertical axis (for horizontal bars: the value axis first).
func Axes(x, y string) Option {
	return func(c *config) { c.xAxis, c.yAxis = x, y }
}

// Desc is the chart's description for assistive technology: say what it shows and its main
// figures. Without one, the description lists every label with its value.
func Desc(d string) Option {
	return func(c *config) { c.desc = d }
}

// ID sets the id the chart's title and description ids derive from; by default it derives from
// the title and labels, so two different charts on a page do not clash.
func ID(id string) Option {
	return func(c *config) { c.id = id }
}

// Horizontal draws bars from left to right, one row per label with its value at the end: the
// readable choice for a few categories with long names on a narrow screen.
func Horizontal() Option {
	return func(c *config) { c.horizontal = true }
}

func newConfig(title string, labels []string, values []int, opts []Option) config {
	c := config{width: 360, height: 220}
	for _, o := range opts {
		o(&c)
	}
	c.width = max(c.width, 160)
	c.height = max(c.height, 100)
	if c.id == "" {
		h := fnv.New32a()
		h.Write([]byte(title))
		for i, l := range labels {
			fmt.Fprintf(h, "\x00%s\x00%d", l, valueAt(values, i))
		}
		c.id = fmt.Sprintf("chart-%08x", h.Sum32())
	}
	if c.desc == "" {
		parts := make([]string, len(labels))
		for i, l := range labels {
			parts[i] = l + ": " + strconv.Itoa(valueAt(values, i))
		}
		c.desc = strings.Join(parts, "; ")
	}
	return c
}

func valueAt(values []int, i int) int {
	if i < len(values) && values[i] > 0 {
		return values[i]
	}
	return 0
}

// Bars draws a bar chart of values, one bar per label, values under zero drawn as zero. Labels and
// values pair up by position; a missing value counts as zero. Every bar is a <rect> with a
// <title> giving its label and value.
func Bars(title string, labels []string, values []int, opts ...Option) template.HTML {
	c := newConfig(title, labels, values, opts)
	if c.horizontal {
		return c.horizontalBars(title, labels, values)
	}
	return c.vertical(title, labels, values, false)
}

// Line draws a line chart of values over the labels, with a point (a <circle> with a <title>) for
// each value.
func Line(title string, labels []string, values []int, opts ...Option) template.HTML {
	c := newConfig(title, labels, values, opts)
	return c.vertical(title, labels, values, true)
}

type svg struct{ strings.Builder }

func (s *svg) f(format string, args ...any) { fmt.Fprintf(s, format, args...) }

func esc(s string) string { return template.HTMLEscapeString(s) }

// num formats a coordinate with at most one decimal.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * fontSize * charWidth }

func (c config) open(s *svg, title string, height int) {
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="%s-title" aria-describedby="%s-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="%d">`,
		c.width, height, esc(c.id), esc(c.id), fontSize)
	s.f(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(c.id), esc(title), esc(c.id), esc(c.desc))
}

// scale gives the top of the value axis and the step between its ticks: a 1, 2 or 5 times a power
// of ten step, whole numbers only, with about four steps.
func scale(top int) (int, int) {
	if top <= 0 {
		return 1, 1
	}
	raw := float64(top) / 4
	step := 1
	for p := 1; ; p *= 10 {
		if m := 1 * p; float64(m) >= raw {
			step = m
			break
		}
		if m := 2 * p; float64(m) >= raw {
			step = m
			break
		}
		if m := 5 * p; float64(m) >= raw {
			step = m
			break
		}
	}
	return (top + step - 1) / step * step, step
}

func (c config) vertical(title string, labels []string, values []int, line bool) template.HTML {
	var s svg
	c.open(&s, title, c.height)
	n := len(labels)
	top := 0
	for i := range n {
		top = max(top, valueAt(values, i))
	}
	ymax, step := scale(top)

	// Margins: tick numbers and the axis name on the left, labels and the axis name below.
	left := textWidth(strconv.Itoa(ymax)) + 8
	if c.yAxis != "" {
		left += fontSize + 6
	}
	bottom := float64(fontSize + 10)
	if c.xAxis != "" {
		bottom += fontSize + 6
	}
	const topPad, right = float64(fontSize), 10.0
	plotW := float64(c.width) - left - right
	plotH := float64(c.height) - topPad - bottom
	y := func(v int) float64 { return topPad + plotH - plotH*float64(v)/float64(ymax) }

	// Grid lines and tick numbers.
	s.f(`<g class="chart-grid">`)
	for v := 0; v <= ymax; v += step {
		s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(left), num(y(v)), num(left+plotW), num(y(v)), ColorGrid)
		s.f(`<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%d</text>`, num(left-6), num(y(v)), ColorInk, v)
	}
	s.f(`</g>`)

	band := 0.0
	if n > 0 {
		band = plotW / float64(n)
	}
	// Marks.
	if line && n > 0 {
		pts := make([]string, n)
		for i := range n {
			pts[i] = num(left+band*(float64(i)+.5)) + "," + num(y(valueAt(values, i)))
		}
		s.f(`<polyline class="chart-line" points="%s" fill="none" stroke="%s" stroke-width="2" stroke-linejoin="round"/>`, strings.Join(pts, " "), ColorMark)
		for i := range n {
			s.f(`<circle class="chart-point" cx="%s" cy="%s" r="%s" fill="%s"><title>%s: %d</title></circle>`,
				num(left+band*(float64(i)+.5)), num(y(valueAt(values, i))), num(min(3, max(1.5, band/3))), ColorMark, esc(labels[i]), valueAt(values, i))
		}
	} else {
		gap := band * .2
		if band < 4 {
			gap = band * .1
		}
		for i := range n {
			v := valueAt(values, i)
			s.f(`<rect class="chart-bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %d</title></rect>`,
				num(left+band*float64(i)+gap/2), num(y(v)), num(band-gap), num(topPad+plotH-y(v)), ColorMark, esc(labels[i]), v)
		}
	}

	// Axes, then the labels that fit: every stride-th one, so that none overlap.
	base := topPad + plotH
	s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(left), num(topPad), num(left), num(base), ColorAxis)
	s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(left), num(base), num(left+plotW), num(base), ColorAxis)
	if n > 0 {
		widest := 0.0
		for _, l := range labels {
			widest = max(widest, textWidth(l))
		}
		// A few bars (categories) keep every label, cut to its bar's width; a series (days) shows
		// every stride-th label whole.
		stride, cut := max(1, int(math.Ceil((widest+6)/band))), false
		if n <= maxCategories {
			stride, cut = 1, true
		}
		for i := 0; i < n; i += stride {
			label := labels[i]
			if cut {
				label = fit(label, band-4)
			}
			x := left + band*(float64(i)+.5)
			anchor := "middle"
			switch {
			case x-textWidth(label)/2 < 0:
				anchor, x = "start", left+band*float64(i)
			case x+textWidth(label)/2 > float64(c.width):
				anchor, x = "end", left+band*float64(i+1)
			}
			s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, num(left+band*(float64(i)+.5)), num(base), num(left+band*(float64(i)+.5)), num(base+4), ColorAxis)
			s.f(`<text class="chart-label" x="%s" y="%s" text-anchor="%s" fill="%s">%s</text>`, num(x), num(base+fontSize+4), anchor, ColorInk, esc(label))
		}
	}
	if c.xAxis != "" {
		s.f(`<text class="chart-axis" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(left+plotW/2), num(float64(c.height)-4), ColorInk, esc(c.xAxis))
	}
	if c.yAxis != "" {
		s.f(`<text class="chart-axis" transform="translate(%d %s) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`, fontSize, num(topPad+plotH/2), ColorInk, esc(c.yAxis))
	}
	s.f(`</svg>`)
	return template.HTML(s.String())
}

func (c config) horizontalBars(title string, labels []string, values []int) template.HTML {
	var s svg
	n := len(labels)
	const topPad = 6.0
	bottom := 6.0
	if c.xAxis != "" {
		bottom += fontSize + 8
	}
	height := c.height
	if !c.sized {
		height = int(math.Ceil(topPad + float64(max(n, 1)*rowHeight) + bottom))
	}
	c.open(&s, title, height)
	top := 0
	widest := 0.0
	for i, l := range labels {
		top = max(top, valueAt(values, i))
		widest = max(widest, textWidth(l))
	}
	// The label column takes what the labels need, up to 45% of the width; longer labels are cut
	// with an ellipsis (the bar's <title> and the page's table keep them whole).
	labelW := min(widest, float64(c.width)*.45)
	left := labelW + 8
	valueW := textWidth(strconv.Itoa(top)) + 6
	plotW := float64(c.width) - left - valueW - 4
	rowH := (float64(height) - topPad - bottom) / float64(max(n, 1))
	for i, l := range labels {
		v := valueAt(values, i)
		yMid := topPad + rowH*(float64(i)+.5)
		w := 0.0
		if top > 0 {
			w = plotW * float64(v) / float64(top)
		}
		s.f(`<text class="chart-label" x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`, num(labelW), num(yMid), ColorInk, esc(fit(l, labelW)))
		s.f(`<rect class="chart-bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %d</title></rect>`,
			num(left), num(yMid-rowH*.35), num(w), num(rowH*.7), ColorMark, esc(l), v)
		s.f(`<text class="chart-value" x="%s" y="%s" dominant-baseline="middle" fill="%s">%d</text>`, num(left+w+4), num(yMid), ColorInk, v)
	}
	s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, num(left), num(topPad), num(left), num(float64(height)-bottom), ColorAxis)
	if c.xAxis != "" {
		s.f(`<text class="chart-axis" x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(left+plotW/2), num(float64(height)-6), ColorInk, esc(c.xAxis))
	}
	s.f(`</svg>`)
	return template.HTML(s.String())
}

// fit cuts s to what width holds, ending it with an ellipsis when cut.
func fit(s string, width float64) string {
	if textWidth(s) <= width {
		return s
	}
	keep := int(width/(fontSize*charWidth)) - 1
	if keep < 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:keep])) + "…"
}
