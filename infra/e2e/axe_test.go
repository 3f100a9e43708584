package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets every page must pass: WCAG 2.0 A and AA, and WCAG 2.1 AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21aa"}

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []axeNode `json:"nodes"`
}

// axeRun runs axe in the page (injected by DevTools, so the pages' Content-Security-Policy, which
// allows scripts from the portal's origin only, does not stand in the way) and returns the violations.
const axeRun = `(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
	return r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary || ""}))}));
})()`

// runAxe injects axe-core into the tab's page (once) and returns the violations it finds.
func (h *harness) runAxe(tb *tab, name string) []axeViolation {
	tb.t.Helper()
	if tb.noJS {
		// axe needs timers and promises: let it run, then turn scripts off again. The page's own
		// scripts were skipped when it loaded and stay so.
		tb.setJS(true)
		defer tb.setJS(false)
	}
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](h.axe+"\n;0"))
	}
	if err != nil {
		tb.fail("inject axe-core on %s: %v", name, err)
	}
	tags := `["` + strings.Join(axeTags, `", "`) + `"]`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](fmt.Sprintf(axeRun, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fail("run axe-core on %s: %v", name, err)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
	return vs
}

// checkAxe fails the test on any violation axe-core finds in the tab's page.
func (h *harness) checkAxe(tb *tab, name string) {
	tb.t.Helper()
	vs := h.runAxe(tb, name)
	h.mu.Lock()
	key := tb.lang + "/" + name
	if tb.noJS {
		key += "(no-js)"
	}
	h.checked[key] = true
	h.runs++
	h.mu.Unlock()
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %d violation(s) on %s (%s, %s):", len(vs), name, tb.lang, tb.location())
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	tb.t.Error(b.String())
}
