package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"talap/portal/objectstore"
	"talap/portal/storage"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/portal/web"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func deps(t *testing.T) web.Deps {
	env := testenv.Get(t)
	rdb := redis.NewClient(&redis.Options{Addr: env.Config.RedisAddr, DB: env.Config.RedisSessionDB})
	t.Cleanup(func() { rdb.Close() })
	insp := asynq.NewInspector(task.RedisOpt(env.Config))
	t.Cleanup(func() { insp.Close() })
	cfg := env.Config
	// Tests sign in often from one address; the rate-limit test uses a Redis of its own.
	cfg.RateLogin, cfg.RateLoginPerson, cfg.RateAPI = 100000, 100000, 100000
	// The package's tests share a few personas, who gather drafts; the quota test sets its own.
	cfg.MaxDrafts = 100000
	return web.Deps{Config: cfg, DB: env.DB, Redis: rdb, Store: env.Store, Inspector: insp, Log: quiet}
}

// serve runs the portal on a real loopback listener and returns its base URL.
func serve(t *testing.T, d web.Deps) string {
	t.Helper()
	app, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHealthzAndReadyzWhenEverythingAnswers(t *testing.T) {
	base := serve(t, deps(t))
	if resp, _ := get(t, base+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	resp, body := get(t, base+"/readyz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"postgres":"ok"`) {
		t.Fatalf("readyz = %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID on the response")
	}
}

type readiness struct {
	Checks map[string]string `json:"checks"`
	Error  struct {
		Failed []string `json:"failed"`
	} `json:"error"`
}

func readyz(t *testing.T, base string) (int, readiness) {
	t.Helper()
	resp, body := get(t, base+"/readyz")
	var r readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("readyz body %q: %v", body, err)
	}
	return resp.StatusCode, r
}

func TestReadyzNamesRedisWhileItIsDownAndRecovers(t *testing.T) {
	d := deps(t)
	r := testenv.StartRedis(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: r.Addr, DB: 1})
	base := serve(t, d)
	if code, _ := readyz(t, base); code != 200 {
		t.Fatalf("readyz with Redis up = %d", code)
	}
	r.Stop()
	code, body := readyz(t, base)
	if code != 503 || len(body.Error.Failed) != 1 || body.Error.Failed[0] != "redis" {
		t.Fatalf("readyz with Redis down = %d %+v, want 503 naming redis", code, body)
	}
	r.Start()
	testenv.WaitFor(t, 10e9, "readyz back to 200", func() bool { c, _ := readyz(t, base); return c == 200 })
}

func TestReadyzNamesObjectStorageWhileItIsDownAndRecovers(t *testing.T) {
	env := testenv.Get(t)
	d := deps(t)
	m := env.StartMinIO(t)
	store, err := objectstore.New(objectstore.Config{Endpoint: m.Addr, AccessKey: env.Config.S3AccessKey, SecretKey: env.Config.S3SecretKey, Bucket: "readyz"})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Store = store
	base := serve(t, d)
	if code, _ := readyz(t, base); code != 200 {
		t.Fatalf("readyz with MinIO up = %d", code)
	}
	m.Stop()
	code, body := readyz(t, base)
	if code != 503 || len(body.Error.Failed) != 1 || body.Error.Failed[0] != "object_storage" {
		t.Fatalf("readyz with MinIO down = %d %+v, want 503 naming object_storage", code, body)
	}
	m.Start(env)
	testenv.WaitFor(t, 30e9, "readyz back to 200", func() bool { c, _ := readyz(t, base); return c == 200 })
}

func TestReadyzNamesPostgresWhenItDoesNotAnswer(t *testing.T) {
	d := deps(t)
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@127.0.0.1:1/talap?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	d.DB = &storage.DB{Pool: pool}
	code, body := readyz(t, serve(t, d))
	if code != 503 || len(body.Error.Failed) != 1 || body.Error.Failed[0] != "postgres" {
		t.Fatalf("readyz with PostgreSQL down = %d %+v, want 503 naming postgres", code, body)
	}
}

func TestCourtsListsEveryCourtWithPrefixes(t *testing.T) {
	resp, body := get(t, serve(t, deps(t))+"/api/v1/courts")
	var out struct {
		Courts []struct {
			ID           string            `json:"id"`
			Name         map[string]string `json:"name"`
			KATOPrefixes []string          `json:"kato_prefixes"`
		} `json:"courts"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("courts = %d %v", resp.StatusCode, err)
	}
	if len(out.Courts) != 20 {
		t.Fatalf("courts = %d, want 20", len(out.Courts))
	}
	for _, c := range out.Courts {
		if c.ID == "" || c.Name["kk"] == "" || c.Name["ru"] == "" || c.Name["en"] == "" || len(c.KATOPrefixes) == 0 {
			t.Errorf("incomplete court %+v", c)
		}
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "public") || resp.Header.Get("ETag") == "" {
		t.Errorf("registry not cacheable: Cache-Control %q ETag %q", resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}
}

func TestPublicBodiesSearch(t *testing.T) {
	base := serve(t, deps(t))
	type bodies struct {
		PublicBodies []struct{ BIN, Name, KATO, Level string } `json:"public_bodies"`
	}
	search := func(query string) (int, bodies) {
		resp, body := get(t, base+"/api/v1/public-bodies?"+query)
		var b bodies
		_ = json.Unmarshal([]byte(body), &b)
		return resp.StatusCode, b
	}
	_, all := search("limit=500")
	if len(all.PublicBodies) < 30 {
		t.Fatalf("bodies = %d, want at least 30", len(all.PublicBodies))
	}
	bin := all.PublicBodies[0].BIN
	tests := []struct {
		name, query string
		wantAtLeast int
	}{
		{"russian name", "q=" + url.QueryEscape("Алматы"), 1},
		{"kazakh name", "q=" + url.QueryEscape("мемлекеттік кірістер"), 1},
		{"english name", "q=revenue", 1},
		{"case-insensitive", "q=REVENUE", 1},
		{"bin prefix", "q=" + bin[:6], 1},
		{"full bin", "q=" + bin, 1},
		{"no match", "q=zzzzzz", 0},
		{"wildcards are literal", "q=%25", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, b := search(tt.query)
			if code != 200 || len(b.PublicBodies) < tt.wantAtLeast || (tt.wantAtLeast == 0 && len(b.PublicBodies) != 0) {
				t.Fatalf("%s: %d, %d results", tt.query, code, len(b.PublicBodies))
			}
		})
	}
	if _, b := search("limit=2"); len(b.PublicBodies) != 2 {
		t.Errorf("limit=2 gave %d", len(b.PublicBodies))
	}
	for _, bad := range []string{"limit=0", "limit=501", "limit=ten"} {
		resp, body := get(t, base+"/api/v1/public-bodies?"+bad)
		if resp.StatusCode != 422 || !strings.Contains(body, `"fields"`) {
			t.Errorf("%s: %d %s, want 422 with fields", bad, resp.StatusCode, body)
		}
	}
}

func TestHomePageLanguage(t *testing.T) {
	base := serve(t, deps(t))
	tests := []struct {
		name    string
		url     string
		headers []string
		want    string
	}{
		{"default is Russian", "/", nil, `<html lang="ru">`},
		{"Accept-Language kk", "/", []string{"Accept-Language", "kk-KZ,kk;q=0.9"}, `<html lang="kk">`},
		{"Accept-Language en", "/", []string{"Accept-Language", "en-US"}, `<html lang="en">`},
		{"?lang wins over the header", "/?lang=en", []string{"Accept-Language", "kk"}, `<html lang="en">`},
		{"cookie remembered", "/", []string{"Cookie", "talap_lang=kk", "Accept-Language", "en"}, `<html lang="kk">`},
		{"unknown ?lang ignored", "/?lang=xx", []string{"Accept-Language", "en"}, `<html lang="en">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, base+tt.url, tt.headers...)
			if resp.StatusCode != 200 || !strings.Contains(body, tt.want) {
				t.Fatalf("%d, want %s in %.200s", resp.StatusCode, tt.want, body)
			}
			if strings.Contains(body, "no value") || !strings.Contains(body, "20") {
				t.Fatalf("home page lacks the court count: %s", body)
			}
		})
	}
	resp, _ := get(t, base+"/?lang=kk")
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "talap_lang=kk") {
		t.Fatalf("?lang=kk did not set the cookie: %q", c)
	}
}

func TestUnknownPathsAnswerInKind(t *testing.T) {
	base := serve(t, deps(t))
	resp, body := get(t, base+"/api/v1/nothing")
	if resp.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
		t.Fatalf("API 404 = %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, base+"/nothing", "Accept", "text/html", "Accept-Language", "kk")
	if resp.StatusCode != 404 || !strings.Contains(body, "Бет табылмады") {
		t.Fatalf("page 404 = %d %.300s", resp.StatusCode, body)
	}
}

func TestMetricsExposeQueueAndHTTP(t *testing.T) {
	base := serve(t, deps(t))
	get(t, base+"/api/v1/courts")
	resp, body := get(t, base+"/metrics")
	for _, want := range []string{"talap_queue_tasks", "talap_outbox_unsent", "talap_http_requests_total"} {
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
