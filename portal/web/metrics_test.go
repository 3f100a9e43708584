package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"talap/portal/web"
)

// Label values kept past the handler must be copies: fiber's strings point into buffers that are
// reused by the next request on the connection. After a burst of concurrent requests over many
// routes and methods, the scrape must parse and name only methods and routes the router knows.
func TestMetricsLabelsSurviveConcurrentLoad(t *testing.T) {
	d := deps(t)
	app, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	// With middleware routes: a request that a group's middleware answers is counted under the group.
	for _, r := range app.GetRoutes(false) {
		known[r.Path] = true
	}
	base := serve(t, d)
	paths := []string{"/healthz", "/readyz", "/api/v1/courts", "/api/v1/public-bodies?q=a", "/api/v1/me", "/api/v1/openapi.json",
		"/api/v1/claims", "/api/v1/claims/00000000-0000-0000-0000-000000000000", "/api/v1/courts/x/queue", "/api/v1/bodies/x/claims",
		"/verify/TLP-2026-000001", "/stats", "/", "/claims", "/notices", "/workspace", "/auth/callback?state=x", "/account/tokens",
		"/admin/memberships", "/nothing/here", "/static/app.css", "/claims/x/step/subject"}
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPatch, http.MethodOptions, http.MethodHead}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	t.Cleanup(client.CloseIdleConnections) // before the server's shutdown, which waits for them
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := 0; i < 1200; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			req, err := http.NewRequest(methods[i%len(methods)], base+paths[i%len(paths)], nil)
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("X-Request-ID", strings.Repeat("r", i%50))
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}(i)
	}
	wg.Wait()

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape after load = %d", resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("scrape does not parse: %v", err)
	}
	allowed := map[string]bool{}
	for _, m := range methods {
		allowed[m] = true
	}
	for _, name := range []string{"talap_http_requests_total", "talap_http_request_duration_seconds"} {
		mf := families[name]
		if mf == nil || len(mf.Metric) == 0 {
			t.Fatalf("no %s in the scrape", name)
		}
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				switch l.GetName() {
				case "method":
					if !allowed[l.GetValue()] {
						t.Errorf("%s: method label %q is not a method that was sent", name, l.GetValue())
					}
				case "route":
					if !known[l.GetValue()] {
						t.Errorf("%s: route label %q is not a route the router knows", name, l.GetValue())
					}
				}
			}
		}
	}
}
