package e2e

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"talap/cmd/idp-sim/idpsim"
	"talap/infra/seed"
	"talap/portal/task"
	"talap/portal/testenv"
	"talap/portal/web"
	"talap/worker"
)

const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds one browser action (a click and the page load it causes, a query, a check).
const stepTimeout = 30 * time.Second

// logBuffer keeps what the portal, simulator and worker log, to save when a test fails.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// harness is the running system and one headless Chromium shared by every journey.
type harness struct {
	Portal   string // base URL of the portal
	env      *testenv.Env
	logs     *logBuffer
	browser  context.Context // a chromedp context whose browser is running
	axe      string          // axe.min.js
	shotsDir string          // TALAP_E2E_SHOTS: where to save 360 px and 1280 px screenshots, or ""
	failDir  string          // where to save screenshots of a failed test's steps

	mu                sync.Mutex
	checked           map[string]bool // "lang/page" checked with axe
	runs              int             // axe runs
	cleaned           map[string]bool // failure folders emptied of an earlier run's files
	axeTime, shotTime time.Duration
}

// needBrowser skips the test when Chromium is missing on a developer's machine; in CI (where
// `make test` installs it) a missing browser is a failure.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("browser tests skipped: %s not found (`make test` installs it with apt-get; set CI=1 to make this a failure)", chromiumPath)
		}
		t.Fatalf("%s not found, and CI is set: `make test` installs Chromium before the tests", chromiumPath)
	}
}

// start runs the simulator, the portal and the worker in-process on loopback listeners against
// the package's services, and starts headless Chromium.
func start(t *testing.T) *harness {
	t.Helper()
	needBrowser(t)
	axe, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (%v): run `npm ci --prefix infra/e2e` (make test does)", err)
	}
	env := testenv.Get(t)
	h := &harness{env: env, logs: &logBuffer{}, axe: string(axe), checked: map[string]bool{}, cleaned: map[string]bool{},
		shotsDir: os.Getenv("TALAP_E2E_SHOTS"), failDir: failureDir()}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	t.Cleanup(func() {
		if t.Failed() {
			h.save(t, "server.log", h.logs.Bytes())
		}
	})

	cfg := env.Config
	// One browser signs in many times from one address.
	cfg.RateLogin, cfg.RateLoginPerson, cfg.RateAPI = 100000, 100000, 100000
	cfg.OutboxInterval = 200 * time.Millisecond

	portalLn := listen(t)
	simLn := listen(t)
	h.Portal = "http://" + portalLn.Addr().String()
	issuer := "http://" + simLn.Addr().String()
	cfg.BaseURL, cfg.OIDCIssuer = h.Portal, issuer

	sim, err := idpsim.New(idpsim.Config{
		Issuer:       issuer,
		PersonasFile: filepath.Join("..", "seed", "personas.json"),
		Clients: []idpsim.Client{{ID: cfg.OIDCClientID, Secret: cfg.OIDCClientSecret,
			RedirectURIs: []string{h.Portal + "/auth/callback"}, PostLogoutRedirectURIs: []string{h.Portal + "/"}}},
		Logger: log.With("service", "idp-sim"),
	})
	if err != nil {
		t.Fatal(err)
	}
	simSrv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = simSrv.Serve(simLn) }()
	t.Cleanup(func() { _ = simSrv.Close() })

	rdb := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisSessionDB})
	t.Cleanup(func() { _ = rdb.Close() })
	insp := asynq.NewInspector(task.RedisOpt(cfg))
	t.Cleanup(func() { _ = insp.Close() })
	app, err := web.New(web.Deps{Config: cfg, DB: env.DB, Redis: rdb, Store: env.Store, Inspector: insp, Log: log.With("service", "portal")})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(portalLn) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx, cfg, env.DB, env.Store, log.With("service", "worker")) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	})

	h.startBrowser(t)
	return h
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startBrowser starts one headless Chromium (a new temporary profile, removed when it ends).
func (h *harness) startBrowser(t *testing.T) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		// Date fields take typed digits in the browser's locale order (month, day, year).
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	h.browser = browser
}

// failureDir is .state/e2e at the repository root (or under TALAP_STATE_DIR).
func failureDir() string {
	if d := os.Getenv("TALAP_STATE_DIR"); d != "" {
		return filepath.Join(d, "e2e")
	}
	return filepath.Join("..", "..", ".state", "e2e")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// save writes a file of a failed test under the failure directory.
func (h *harness) save(t *testing.T, name string, b []byte) {
	dir := filepath.Join(h.failDir, unsafeName.ReplaceAllString(t.Name(), "_"))
	h.mu.Lock()
	if !h.cleaned[dir] {
		h.cleaned[dir] = true
		_ = os.RemoveAll(dir)
	}
	h.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("save %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Logf("save %s: %v", name, err)
	}
}

// persona finds a demo persona.
func persona(t *testing.T, match func(seed.Persona) bool) seed.Persona {
	t.Helper()
	ps, err := seed.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if match(p) {
			return p
		}
	}
	t.Fatal("no such persona")
	return seed.Persona{}
}

// shot is a screenshot of one step, kept until the test ends and saved if it failed.
type shot struct {
	name string
	img  []byte // JPEG
}

// tab is one person's browser tab, in a browser context (cookie jar) of its own.
type tab struct {
	t     *testing.T
	h     *harness
	ctx   context.Context
	lang  string
	who   string
	n     int
	shots []shot
	noJS  bool
	// throttled: uploads to the API go over a slow line (throttleUploads).
	throttled bool
}

// newTab opens a tab in a fresh browser context for who (used in screenshot names).
func (h *harness) newTab(t *testing.T, lang, who string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(h.browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("open a tab: %v", err)
	}
	tb := &tab{t: t, h: h, ctx: ctx, lang: lang, who: who}
	t.Cleanup(func() {
		if t.Failed() {
			tb.saveShots()
		}
		cancel()
	})
	return tb
}

func (tb *tab) saveShots() {
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if img, err := chromedp.Run(ctx, chromedp.FullScreenshot(70)); err == nil {
		tb.shots = append(tb.shots, shot{name: "at-failure", img: img})
	}
	for i, s := range tb.shots {
		tb.h.save(tb.t, fmt.Sprintf("%s-%02d-%s.jpg", tb.who, i+1, s.name), s.img)
	}
	tb.t.Logf("screenshots of %s's steps saved under %s", tb.who, tb.h.failDir)
}

// fail stops the test with what went wrong and where the browser was.
func (tb *tab) fail(format string, args ...any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	tb.t.Fatalf("%s (%s) at %s: %s", tb.who, tb.lang, loc, fmt.Sprintf(format, args...))
}

// do runs browser actions with a time limit.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.fail("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fail("evaluate %.80q: %v", js, err)
	}
	return v
}

// goTo loads a URL and checks the page.
func (tb *tab) goTo(url, name string) {
	tb.t.Helper()
	tb.do("open "+url, chromedp.Navigate(url))
	tb.page(name)
}

// clickTo clicks what sel selects, waits for the page it leads to, and checks that page.
func (tb *tab) clickTo(sel, name string) {
	tb.t.Helper()
	tb.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	tb.page(name)
}

// navigate runs an action that loads a new page and waits for it to load.
func (tb *tab) navigate(what string, trigger chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, trigger)); err != nil {
		tb.fail("%s: %v", what, err)
	}
}

func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// typeIn types text into a field, as keystrokes.
func (tb *tab) typeIn(sel, text string) {
	tb.t.Helper()
	tb.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// replaceText empties a field and types text into it.
func (tb *tab) replaceText(sel, text string) {
	tb.t.Helper()
	tb.do("clear "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// typeDate types a date into a date field the way a person does: month, day and year digits.
func (tb *tab) typeDate(sel string, d time.Time) {
	tb.t.Helper()
	tb.do("type a date into "+sel, chromedp.SendKeys(chromedp.CSS(sel), d.Format("01022006")))
	if got := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != d.Format("2006-01-02") {
		tb.fail("date typed into %s reads %q, want %s", sel, got, d.Format("2006-01-02"))
	}
}

// choose picks an option of a select list.
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	tb.do("choose "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
	if got := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != value {
		tb.fail("select %s reads %q, want %q", sel, got, value)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText.trim()`, sel))
}

func (tb *tab) exists(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

func (tb *tab) location() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname + location.search`)
}

// waitFor reloads the page until cond holds (the claim page does not poll by itself).
func (tb *tab) waitFor(what string, timeout time.Duration, cond func() bool) {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.fail("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(300 * time.Millisecond)
		tb.do("reload", chromedp.Reload())
	}
}

// page checks the page the tab is on: it is not an error page, axe finds no violation, and its
// screenshot is kept.
func (tb *tab) page(name string) {
	tb.t.Helper()
	tb.n++
	// The portal's error page (error.html): an alert panel holding the page's heading.
	if tb.exists(`main > .panel-error[role=alert] > h1`) {
		tb.fail("%s: an error page: %s", name, tb.text("main"))
	}
	if lang := eval[string](tb, `document.documentElement.lang`); lang != tb.lang {
		tb.t.Errorf("%s: page language %q, want %q", name, lang, tb.lang)
	}
	t0 := time.Now()
	tb.h.checkAxe(tb, name)
	t1 := time.Now()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if img, err := chromedp.Run(ctx, quickShot); err == nil {
		tb.shots = append(tb.shots, shot{name: name, img: img})
	}
	tb.h.mu.Lock()
	tb.h.axeTime += t1.Sub(t0)
	tb.h.shotTime += time.Since(t1)
	tb.h.mu.Unlock()
	if tb.h.shotsDir != "" {
		tb.h.lookShots(tb, name)
	}
}

// quickShot is a JPEG of the visible part of the page, quick enough to keep one of every step.
func quickShot(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatJpeg, Quality: new(int64(60)), OptimizeForSpeed: new(true)})
	return res.Data, err
}

// lookShots saves full-page screenshots at 360 px and 1280 px wide for a person to review.
func (h *harness) lookShots(tb *tab, name string) {
	if err := os.MkdirAll(h.shotsDir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	js := ""
	if tb.noJS {
		js = "-nojs"
	}
	for _, w := range []int64{360, 1280} {
		ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
		png, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
			if _, err := chromedp.EmulateViewport(w, 800)(ctx, t); err != nil {
				return nil, err
			}
			return chromedp.FullScreenshot(100)(ctx, t)
		})
		cancel()
		if err != nil {
			tb.t.Logf("screenshot %s at %d px: %v", name, w, err)
			continue
		}
		file := fmt.Sprintf("%s%s-%s-%02d-%s-%d.png", tb.lang, js, tb.who, tb.n, name, w)
		if err := os.WriteFile(filepath.Join(h.shotsDir, file), png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
	tb.do("reset the viewport", chromedp.EmulateViewport(1280, 900))
}

// disableJS turns script execution off in the tab, as a browser with JavaScript disabled.
func (tb *tab) disableJS() {
	tb.t.Helper()
	tb.noJS = true
	tb.setJS(false)
}

func (tb *tab) setJS(on bool) {
	tb.t.Helper()
	tb.do("turn JavaScript on or off", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// fetchPDF fetches a URL within the tab's session and returns the first bytes of the answer.
func (tb *tab) fetchPDF(path string) (int, string) {
	tb.t.Helper()
	type result struct {
		Status int    `json:"status"`
		Head   string `json:"head"`
		Type   string `json:"type"`
	}
	r := eval[result](tb, fmt.Sprintf(`fetch(%q, {credentials: "same-origin"}).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, type: r.headers.get("content-type") || "", head: String.fromCharCode(...b.slice(0, 5))};
	})`, path))
	if !strings.HasPrefix(r.Head, "%PDF") {
		tb.t.Errorf("%s is not a PDF: status %d, type %q, starts with %q", path, r.Status, r.Type, r.Head)
	}
	return r.Status, r.Head
}
