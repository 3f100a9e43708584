// Command loadtest measures Talap over real HTTP against the bare cost of the same I/O, in one run.
//
// Modes (-mode):
//
//	bench     portal mode, then baseline mode, then the report (the default)
//	portal    portal mode only
//	baseline  baseline mode only
//	upload    the 1 GiB document benchmark (issue 4): the portal process's RSS and MB/s while a
//	          document streams through it, against a direct minio-go PutObject of the same bytes
//
// Portal mode: -concurrency virtual citizens sign in once each through the national-eID simulator
// (login_hint; they cycle over the citizen personas, each with its own session), then loop until
// -duration is over: create a complete claim, upload one generated PDF of -doc-size bytes, submit,
// and poll GET /api/v1/claims/{id} every 20-50 ms until the claim is routed (needs_correction or
// unroutable count as errors). -rate paces claim starts across the users (0: no pacing).
//
// Baseline mode does the same work without the portal, through the same libraries (pgx, minio-go,
// asynq): see baseline.go. It uses the load test's own database (-db-name), bucket and queue.
//
// By default loadtest drives a running stack (-base, -idp). With -start it starts its own: the
// services via infra/dev/services.sh, then idp-sim, worker and portal built from this tree, on
// -idp-addr and -portal-addr, with a freshly created database, its own queue and bucket, and rate
// limits raised; it stops them at the end (the portal, worker and simulator already before the
// baseline, which shares their database). The upload mode needs -start (or -pid, the running
// portal's process id, to read its memory); it alternates direct and portal uploads -repeat times
// and reports medians. With -start and -pprof-addr, the portal serves pprof there
// (TALAP_PPROF_ADDR) and the worker on the next port, and CPU profiles of both during portal mode
// are saved under .state/loadtest/.
//
// Examples:
//
//	make bench                                         # -start, concurrency 8 then 32, 30 s each
//	go run ./cmd/loadtest -start -concurrency 64 -rate 50 -mode portal
//	go run ./cmd/loadtest -start -mode upload -size 1GiB
//	go run ./cmd/loadtest -base http://127.0.0.1:8080  # a running stack: mind its rate limits
//
// The report goes to stdout; its last line is
//
//	ratio=<portal/baseline throughput> portal=<claims/s> baseline=<claims/s> p99_submit_ms=<n>
//
// or, in upload mode,
//
//	upload_rss_growth_mib=<n> portal_mbps=<x> direct_mbps=<y> ratio=<r>
//
// Progress and the stack's messages go to stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"talap/portal/config"
	"talap/worker"
)

type options struct {
	mode         string
	base, idp    string
	start        bool
	portalAddr   string
	idpAddr      string
	dbName       string
	bucket       string
	queue        string
	concurrency  int
	duration     time.Duration
	docSize      int64
	rate         float64
	routeTimeout time.Duration
	size         int64
	framing      string
	pid          int
	taskCheck    time.Duration
	retention    time.Duration
	pprofAddr    string
	repeat       int
	keep         bool
	root         string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{docSize: 256 << 10, size: 1 << 30}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.mode, "mode", "bench", "bench (portal then baseline), portal, baseline or upload")
	fs.StringVar(&o.base, "base", "http://127.0.0.1:8080", "the running portal (ignored with -start)")
	fs.StringVar(&o.idp, "idp", "http://127.0.0.1:8090", "the running national-eID simulator (ignored with -start)")
	fs.BoolVar(&o.start, "start", false, "start an own stack (services, idp-sim, worker, portal) and stop it at the end")
	fs.StringVar(&o.portalAddr, "portal-addr", "127.0.0.1:18080", "with -start: the portal's address")
	fs.StringVar(&o.idpAddr, "idp-addr", "127.0.0.1:18090", "with -start: the simulator's address")
	fs.StringVar(&o.dbName, "db-name", "talap_loadtest", "the load test's database (recreated by -start; the baseline writes there)")
	fs.StringVar(&o.bucket, "bucket", "talap-loadtest", "the load test's bucket (the -start portal's and the baseline's)")
	fs.StringVar(&o.queue, "queue", "loadtest", "with -start: the worker's queue; the baseline uses <queue>-baseline")
	fs.IntVar(&o.concurrency, "concurrency", 8, "virtual citizens")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long each mode runs")
	fs.Var(sizeFlag{&o.docSize}, "doc-size", "size of each claim's document (e.g. 256KiB)")
	fs.Float64Var(&o.rate, "rate", 0, "claims started per second across all users (0: as fast as they go)")
	fs.DurationVar(&o.routeTimeout, "route-timeout", 30*time.Second, "a claim not routed this long after submit is an error")
	fs.Var(sizeFlag{&o.size}, "size", "upload mode: the document's size")
	fs.StringVar(&o.framing, "framing", "both", "upload mode: length (Content-Length, as browsers send), chunked, or both")
	fs.IntVar(&o.repeat, "repeat", 3, "upload mode: how many times each upload is made (medians are reported)")
	fs.IntVar(&o.pid, "pid", 0, "upload mode without -start: the running portal's process id")
	fs.DurationVar(&o.taskCheck, "baseline-task-check", worker.TaskCheckInterval, "the baseline worker's asynq TaskCheckInterval (how long it sleeps when its queue is empty); the worker's by default")
	fs.DurationVar(&o.retention, "task-retention", time.Hour, "asynq retention of finished tasks, for the -start worker and the baseline")
	fs.StringVar(&o.pprofAddr, "pprof-addr", "", "with -start: passed to the portal as TALAP_PPROF_ADDR (e.g. 127.0.0.1:16060), the worker on the next port, and CPU profiles of both during portal mode are saved to .state/loadtest/{portal,worker}.cpu.pprof")
	fs.BoolVar(&o.keep, "keep", false, "keep the objects and queued tasks the run made")
	fs.StringVar(&o.root, "root", "", "the repository (default: found from the working directory)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case o.mode != "bench" && o.mode != "portal" && o.mode != "baseline" && o.mode != "upload":
		return nil, fmt.Errorf("-mode must be bench, portal, baseline or upload, not %q", o.mode)
	case o.concurrency < 1:
		return nil, fmt.Errorf("-concurrency must be at least 1")
	case o.duration <= 0:
		return nil, fmt.Errorf("-duration must be positive")
	case o.docSize < int64(minDocSize) || o.size < int64(minDocSize):
		return nil, fmt.Errorf("-doc-size and -size must be at least %d bytes", minDocSize)
	case o.repeat < 1:
		return nil, fmt.Errorf("-repeat must be at least 1")
	case o.rate < 0:
		return nil, fmt.Errorf("-rate must not be negative")
	case o.framing != "length" && o.framing != "chunked" && o.framing != "both":
		return nil, fmt.Errorf("-framing must be length, chunked or both")
	case o.mode == "upload" && !o.start && o.pid == 0:
		return nil, fmt.Errorf("-mode upload needs -start (or -pid of the running portal) to read the portal's memory")
	}
	for _, u := range []string{o.base, o.idp, "http://" + o.portalAddr, "http://" + o.idpAddr} {
		if err := loopbackOnly(u); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// loopbackOnly keeps the load on this machine.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("bad URL %q", raw)
	}
	if h := u.Hostname(); h != "localhost" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("%s: loadtest only targets this machine (127.0.0.1)", raw)
		}
	}
	return nil
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module talap") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the talap repository: give -root")
		}
		dir = parent
	}
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	report, err := run(ctx, o)
	// The report is printed after the stack is down, so that its last line is the last one.
	fmt.Print(report)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// run does what the options say and returns the report.
func run(ctx context.Context, o *options) (string, error) {
	if o.root == "" {
		root, err := findRoot()
		if err != nil {
			return "", err
		}
		o.root = root
	}
	cfg, err := config.Load()
	if err != nil {
		return "", err
	}
	if cfg.DatabaseURL, err = withDatabase(cfg.DatabaseURL, o.dbName); err != nil {
		return "", err
	}
	cfg.S3Bucket = o.bucket
	cfg.TaskRetention = o.retention

	base, idp, pid := o.base, o.idp, o.pid
	var st *stack
	if o.start {
		sc := stackConfig{root: o.root, cfg: cfg, portalAddr: o.portalAddr, idpAddr: o.idpAddr, queue: o.queue, keep: o.keep}
		if o.mode == "upload" {
			mib := max(2048, o.size>>20+64)
			sc.env = append(sc.env, fmt.Sprintf("TALAP_DOCUMENT_MAX_MIB=%d", mib), fmt.Sprintf("TALAP_CLAIM_DOCUMENTS_MAX_MIB=%d", mib))
		}
		if o.pprofAddr != "" {
			sc.env = append(sc.env, "TALAP_PPROF_ADDR="+o.pprofAddr)
			sc.workerEnv = append(sc.workerEnv, "TALAP_PPROF_ADDR="+nextPort(o.pprofAddr))
		}
		if st, err = startStack(ctx, sc); err != nil {
			return "", err
		}
		defer st.stop()
		base, idp, pid = "http://"+o.portalAddr, "http://"+o.idpAddr, st.portal.cmd.Process.Pid
	}

	var out strings.Builder
	if o.mode == "upload" {
		err := runUploadMode(ctx, o, cfg, base, idp, pid, &out)
		return out.String(), err
	}

	l := load{concurrency: o.concurrency, duration: o.duration, rate: o.rate, docSize: o.docSize}
	var portal, bare *result
	if o.mode == "bench" || o.mode == "portal" {
		var profs []chan string
		if o.start && o.pprofAddr != "" {
			dir := filepath.Join(stateDir(o.root), "loadtest")
			profs = append(profs, profile(ctx, "portal", o.pprofAddr, o.duration, filepath.Join(dir, "portal.cpu.pprof")),
				profile(ctx, "worker", nextPort(o.pprofAddr), o.duration, filepath.Join(dir, "worker.cpu.pprof")))
		}
		portal, err = runPortal(ctx, base, idp, l, o.routeTimeout)
		if err != nil {
			return out.String(), fmt.Errorf("portal mode: %w", err)
		}
		for _, p := range profs {
			logf("%s", <-p)
		}
		writeResult(&out, portal)
	}
	if st != nil && o.mode != "portal" {
		// The baseline runs on a quiet machine, and the stack's worker must not relay the
		// baseline's outbox rows (they share the database).
		logf("stopping the portal, worker and simulator before the baseline")
		st.stopChildren()
	}
	if o.mode == "bench" || o.mode == "baseline" {
		b, err := startBaseline(ctx, baselineConfig{cfg: cfg, prepareDB: !o.start, queue: o.queue + "-baseline",
			taskCheck: o.taskCheck, docSize: o.docSize, routeTimeout: o.routeTimeout})
		if err != nil {
			return out.String(), fmt.Errorf("baseline mode: %w", err)
		}
		logf("baseline: database %s, bucket %s, queue %s, task check %s", dbName(cfg.DatabaseURL), cfg.S3Bucket, o.queue+"-baseline", o.taskCheck)
		bare = drive(ctx, "baseline", l, b.cycle)
		b.close()
		writeResult(&out, bare)
	}
	if portal != nil && bare != nil {
		fmt.Fprintln(&out, summaryLine(portal, bare))
	}
	if ctx.Err() != nil {
		return out.String(), ctx.Err()
	}
	return out.String(), nil
}

// nextPort is addr with its port one higher: where the worker serves pprof when the portal serves
// it on addr.
func nextPort(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil {
		return addr
	}
	return net.JoinHostPort(host, strconv.Itoa(n+1))
}

// profile fetches a CPU profile of a process (name) for d from a pprof endpoint, if there is one.
func profile(ctx context.Context, name, addr string, d time.Duration, path string) chan string {
	done := make(chan string, 1)
	go func() {
		u := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, int(d.Seconds()))
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := (&http.Client{Timeout: d + time.Minute}).Do(req)
		if err != nil {
			done <- fmt.Sprintf("no CPU profile: %s does not answer: %v", u, err)
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			done <- fmt.Sprintf("no CPU profile: %s answered %s", u, resp.Status)
			return
		}
		f, err := os.Create(path)
		if err == nil {
			_, err = io.Copy(f, resp.Body)
			f.Close()
		}
		if err != nil {
			done <- "no CPU profile: " + err.Error()
			return
		}
		done <- "CPU profile of the " + name + " saved to " + path + " (go tool pprof -top " + path + ")"
	}()
	return done
}
