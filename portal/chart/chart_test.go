package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// wellFormed parses the chart as XML and returns the text of every element named name.
func wellFormed(t *testing.T, svg string) map[string][]string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	texts := map[string][]string{}
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			texts[tk.Name.Local] = append(texts[tk.Name.Local], "")
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				name := stack[len(stack)-1]
				texts[name][len(texts[name])-1] += string(tk)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	return texts
}

func days(n int) ([]string, []int) {
	labels := make([]string, n)
	values := make([]int, n)
	for i := range n {
		labels[i] = fmt.Sprintf("%02d.%02d", i%28+1, i/28+1)
		values[i] = i % 7
	}
	return labels, values
}

func TestChartBarsAndLine(t *testing.T) {
	ninety, ninetyValues := days(90)
	tests := []struct {
		name       string
		draw       func() string
		rects      int
		circles    int
		polylines  int
		wantIn     []string
		wantNotIn  []string
		maxLabels  int // at most this many x labels drawn (0: no check)
		wantLabels int // exactly this many labels drawn (-1: no check)
	}{
		{
			name:       "one bar per value",
			draw:       func() string { return string(Bars("Claims", []string{"a", "b", "c"}, []int{3, 0, 5})) },
			rects:      3,
			wantIn:     []string{`<title>a: 3</title>`, `<title>b: 0</title>`, `<title>c: 5</title>`},
			wantLabels: 3,
		},
		{
			name:       "no data still draws axes, title and description",
			draw:       func() string { return string(Bars("Nothing yet", nil, nil, Desc("No claims."))) },
			rects:      0,
			wantIn:     []string{`Nothing yet</title>`, `No claims.</desc>`, `<line`},
			wantLabels: 0,
		},
		{
			name:       "all zero values scale to one",
			draw:       func() string { return string(Bars("Zeros", []string{"x", "y"}, []int{0, 0})) },
			rects:      2,
			wantIn:     []string{`>1</text>`, `height="0"`},
			wantLabels: 2,
		},
		{
			name: "missing values count as zero and extra values are ignored",
			draw: func() string {
				return string(Bars("Short", []string{"x", "y", "z"}, []int{4})) + string(Bars("Long", []string{"x"}, []int{1, 2, 3}))
			},
			rects:      4,
			wantIn:     []string{`<title>z: 0</title>`, `<title>x: 1</title>`},
			wantNotIn:  []string{`: 2</title>`, `: 3</title>`},
			wantLabels: -1,
		},
		{
			name:       "negative values are drawn as zero",
			draw:       func() string { return string(Bars("Negative", []string{"x"}, []int{-5})) },
			rects:      1,
			wantIn:     []string{`<title>x: 0</title>`},
			wantNotIn:  []string{`-5`},
			wantLabels: 1,
		},
		{
			name: "labels, title, description and axis names are escaped",
			draw: func() string {
				return string(Bars(`<b>T&C</b>`, []string{`<script>alert(1)</script>`, `"q" & 'a'`}, []int{1, 2},
					Desc(`<i>d</i>`), Axes(`<x>`, `<y>`), ID(`"><svg onload=x>`)))
			},
			rects:      2,
			wantIn:     []string{`&lt;b&gt;T&amp;C&lt;/b&gt;`, `&lt;script&gt;alert(1)&lt;/script&gt;`, `&#34;q&#34; &amp; &#39;a&#39;`, `&lt;i&gt;d&lt;/i&gt;`, `&lt;x&gt;`, `&lt;y&gt;`},
			wantNotIn:  []string{`<script`, `<b>`, `<i>`, `<x>`, `onload=x>`},
			wantLabels: 2,
		},
		{
			name:       "ninety days: a bar each, labels thinned so they do not overlap",
			draw:       func() string { return string(Bars("Filings", ninety, ninetyValues, Axes("Day", "Claims"))) },
			rects:      90,
			wantIn:     []string{`>Day</text>`, `>Claims</text>`, `rotate(-90)`},
			maxLabels:  12,
			wantLabels: -1,
		},
		{
			name: "horizontal bars: a row each with its value",
			draw: func() string {
				return string(Bars("Outcome", []string{"Registered", "Returned"}, []int{7, 2}, Horizontal()))
			},
			rects:      2,
			wantIn:     []string{`class="chart-value"`, `>7</text>`, `>2</text>`, `viewBox="0 0 360 64"`},
			wantLabels: 2,
		},
		{
			name: "horizontal bars cut long labels but keep them whole in the bar's title",
			draw: func() string {
				long := strings.Repeat("Specialised Inter-District Administrative Court ", 2)
				return string(Bars("Courts", []string{long}, []int{1}, Horizontal()))
			},
			rects:      1,
			wantIn:     []string{"…</text>", "Court Specialised"},
			wantLabels: 1,
		},
		{
			name:       "line: a point per value",
			draw:       func() string { return string(Line("Trend", []string{"a", "b", "c", "d"}, []int{1, 4, 2, 8})) },
			circles:    4,
			polylines:  1,
			wantIn:     []string{`<title>d: 8</title>`},
			wantLabels: 4,
		},
		{
			name:       "line without data",
			draw:       func() string { return string(Line("Trend", nil, nil)) },
			wantLabels: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.draw()
			if got := strings.Count(out, "<rect"); got != tt.rects {
				t.Errorf("<rect> = %d, want %d", got, tt.rects)
			}
			if got := strings.Count(out, "<circle"); got != tt.circles {
				t.Errorf("<circle> = %d, want %d", got, tt.circles)
			}
			if got := strings.Count(out, "<polyline"); got != tt.polylines {
				t.Errorf("<polyline> = %d, want %d", got, tt.polylines)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %s", w)
				}
			}
			for _, w := range tt.wantNotIn {
				if strings.Contains(out, w) {
					t.Errorf("contains %s", w)
				}
			}
			labels := strings.Count(out, `class="chart-label"`)
			if tt.wantLabels >= 0 && labels != tt.wantLabels {
				t.Errorf("labels drawn = %d, want %d", labels, tt.wantLabels)
			}
			if tt.maxLabels > 0 && (labels > tt.maxLabels || labels < 2) {
				t.Errorf("labels drawn = %d, want 2..%d", labels, tt.maxLabels)
			}
			// Every chart: an accessible image that scales, styled without style attributes.
			for _, w := range []string{`role="img"`, `width="100%"`, `viewBox="0 0 `, `aria-labelledby="`, `aria-describedby="`} {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %s", w)
				}
			}
			for _, bad := range []string{"NaN", "Inf", "style="} {
				if strings.Contains(out, bad) {
					t.Errorf("contains %s", bad)
				}
			}
			for _, svg := range strings.SplitAfter(out, "</svg>") {
				if svg == "" {
					continue
				}
				els := wellFormed(t, svg)
				if len(els["svg"]) != 1 || len(els["desc"]) != 1 || len(els["title"]) < 1 || els["title"][0] == "" {
					t.Errorf("want one svg with a title and a desc, got %d svg, %d desc, titles %q", len(els["svg"]), len(els["desc"]), els["title"])
				}
			}
		})
	}
}

func TestChartDefaultDescriptionListsTheData(t *testing.T) {
	els := wellFormed(t, string(Bars("Claims", []string{"Tax", "Land"}, []int{2, 5})))
	if got := els["desc"][0]; got != "Tax: 2; Land: 5" {
		t.Fatalf("desc = %q", got)
	}
}

func TestChartIDsDifferAndCanBeSet(t *testing.T) {
	a := string(Bars("A", []string{"x"}, []int{1}))
	b := string(Bars("B", []string{"x"}, []int{1}))
	idOf := func(s string) string {
		_, rest, _ := strings.Cut(s, `<title id="`)
		id, _, _ := strings.Cut(rest, `"`)
		return id
	}
	if idOf(a) == "" || idOf(a) == idOf(b) {
		t.Fatalf("ids %q and %q", idOf(a), idOf(b))
	}
	if idOf(a) != idOf(string(Bars("A", []string{"x"}, []int{1}))) {
		t.Fatal("the same chart got another id")
	}
	if got := idOf(string(Bars("A", nil, nil, ID("daily")))); got != "daily-title" {
		t.Fatalf("ID option: %q", got)
	}
}

func TestChartScale(t *testing.T) {
	tests := []struct{ top, max, step int }{
		{0, 1, 1}, {-3, 1, 1}, {1, 1, 1}, {3, 3, 1}, {4, 4, 1}, {5, 6, 2}, {7, 8, 2}, {8, 8, 2},
		{10, 10, 5}, {17, 20, 5}, {21, 30, 10}, {90, 100, 50}, {1234, 1500, 500}, {999999, 1000000, 500000},
	}
	for _, tt := range tests {
		m, s := scale(tt.top)
		if m != tt.max || s != tt.step {
			t.Errorf("scale(%d) = %d, %d; want %d, %d", tt.top, m, s, tt.max, tt.step)
		}
		if m < tt.top || m/s > 5 || m%s != 0 {
			t.Errorf("scale(%d) = %d, %d: does not cover the data in at most five whole steps", tt.top, m, s)
		}
	}
}

func TestChartFitCutsLongLabels(t *testing.T) {
	if got := fit("Tax", 100); got != "Tax" {
		t.Errorf("short label changed: %q", got)
	}
	if got := fit("Қазақстан Республикасы", 60); !strings.HasSuffix(got, "…") || textWidth(got) > 60 {
		t.Errorf("cut label %q (%.0f wide)", got, textWidth(got))
	}
	if got := fit("Anything", 1); got != "…" {
		t.Errorf("no room: %q", got)
	}
}
