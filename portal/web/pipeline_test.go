package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func getWith(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAdminSeesRoutingRulesAndQueueMonitorOthersDoNot(t *testing.T) {
	p := withSimulator(t)
	admin := signIn(t, p, persona(t, "admin").IIN)
	code, body := getWith(t, admin, p.URL+"/admin/pipeline")
	if code != 200 || !strings.Contains(body, "respondent_location") || !strings.Contains(body, "property_location") {
		t.Fatalf("pipeline page = %d %.300s", code, body)
	}
	if code, _ := getWith(t, admin, p.URL+"/admin/queues"); code != 200 {
		t.Fatalf("asynqmon for admin = %d", code)
	}
	citizen := signIn(t, p, persona(t, "citizen").IIN)
	for _, path := range []string{"/admin/pipeline", "/admin/queues", "/admin/memberships"} {
		if code, _ := getWith(t, citizen, p.URL+path); code != 403 {
			t.Errorf("citizen on %s = %d, want 403", path, code)
		}
	}
	if code, _ := getWith(t, citizen, p.URL+"/notices"); code != 200 {
		t.Errorf("notices page = %d", code)
	}
}
