package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"talap/portal/config"
	"talap/portal/objectstore"
)

// A stack of our own (-start): the services through infra/dev/services.sh (reused when already
// running, and stopped at the end only if it started them), then the simulator, the worker and
// the portal built from this tree and run as child processes on their own ports, with a fresh
// database, their own queue and bucket, and rate limits out of the way.

type stackConfig struct {
	root       string
	cfg        config.Config // DatabaseURL and S3Bucket are the load test's
	portalAddr string
	idpAddr    string
	queue      string
	env        []string // more TALAP_* settings for the portal, e.g. upload limits
	workerEnv  []string // and for the worker alone, after env
	keep       bool     // leave the bucket's objects and the queue's tasks
}

type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	log  string
}

type stack struct {
	sc          stackConfig
	dir         string
	startedFile string
	children    []*child
	portal      *child
}

func stateDir(root string) string {
	if d := os.Getenv("TALAP_STATE_DIR"); d != "" {
		return d
	}
	return filepath.Join(root, ".state")
}

func startStack(ctx context.Context, sc stackConfig) (_ *stack, err error) {
	s := &stack{sc: sc, dir: filepath.Join(stateDir(sc.root), "loadtest")}
	s.startedFile = filepath.Join(s.dir, "started."+strconv.Itoa(os.Getpid()))
	if err := os.MkdirAll(filepath.Join(s.dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	for _, addr := range []string{sc.portalAddr, sc.idpAddr} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("%s is already in use: pick other ports with -portal-addr and -idp-addr", addr)
		}
	}
	logf("starting services (infra/dev/services.sh up)")
	if err := s.script(ctx, "up"); err != nil {
		return nil, err
	}
	logf("building portal, worker and idp-sim into %s", filepath.Join(s.dir, "bin"))
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(s.dir, "bin")+"/", "./cmd/portal", "./cmd/worker", "./cmd/idp-sim")
	build.Dir, build.Stdout, build.Stderr = sc.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := recreateDatabase(ctx, sc.cfg.DatabaseURL); err != nil {
		return nil, err
	}
	env := s.env()
	seed := exec.CommandContext(ctx, filepath.Join(s.dir, "bin", "portal"), "seed")
	// portal seed connects to the maintenance database with this URL too, and a plain connection
	// refuses pgxpool's pool_* parameters.
	seedEnv := append(slices.Clone(env), "TALAP_DATABASE_URL="+withoutPoolParams(sc.cfg.DatabaseURL))
	seed.Dir, seed.Env, seed.Stdout, seed.Stderr = sc.root, seedEnv, os.Stderr, os.Stderr
	if err := seed.Run(); err != nil {
		return nil, fmt.Errorf("portal seed: %w", err)
	}
	idp, err := s.run("idp-sim", env)
	if err != nil {
		return nil, err
	}
	if err := waitHTTP(ctx, idp, "http://"+sc.idpAddr+"/.well-known/openid-configuration", 30*time.Second); err != nil {
		return nil, err
	}
	if _, err := s.run("worker", append(slices.Clone(env), sc.workerEnv...)); err != nil {
		return nil, err
	}
	if s.portal, err = s.run("portal", env); err != nil {
		return nil, err
	}
	if err := waitHTTP(ctx, s.portal, "http://"+sc.portalAddr+"/readyz", 60*time.Second); err != nil {
		return nil, err
	}
	logf("stack up: portal http://%s (pid %d), simulator http://%s, database %s, queue %s, bucket %s; logs in %s",
		sc.portalAddr, s.portal.cmd.Process.Pid, sc.idpAddr, dbName(sc.cfg.DatabaseURL), sc.queue, sc.cfg.S3Bucket, filepath.Join(s.dir, "logs"))
	return s, nil
}

// env is the children's environment: ours, then the stack's settings, which win.
func (s *stack) env() []string {
	sc := s.sc
	portalURL, idpURL := "http://"+sc.portalAddr, "http://"+sc.idpAddr
	env := append(os.Environ(),
		"TALAP_DATABASE_URL="+sc.cfg.DatabaseURL,
		"TALAP_QUEUE="+sc.queue,
		"TALAP_S3_BUCKET="+sc.cfg.S3Bucket,
		"TALAP_HTTP_ADDR="+sc.portalAddr,
		"TALAP_BASE_URL="+portalURL,
		"TALAP_OIDC_ISSUER="+idpURL,
		"TALAP_RATE_API_PER_MINUTE=100000000",
		"TALAP_RATE_LOGIN_PER_MINUTE=100000000",
		"TALAP_RATE_LOGIN_PER_PERSON_PER_MINUTE=100000000",
		"TALAP_DOCUMENT_RETENTION=1h",
		"TALAP_TASK_RETENTION="+sc.cfg.TaskRetention.String(),
		"IDPSIM_ADDR="+sc.idpAddr,
		"IDPSIM_ISSUER="+idpURL,
		"IDPSIM_REDIRECT_URIS="+portalURL+"/auth/callback",
		"IDPSIM_POST_LOGOUT_REDIRECT_URIS="+portalURL+"/",
	)
	return append(env, sc.env...)
}

func (s *stack) run(name string, env []string) (*child, error) {
	logPath := filepath.Join(s.dir, "logs", name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(s.dir, "bin", name))
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.sc.root, env, f, f
	// Own process group (a Ctrl-C reaches only us, and we stop them in order); and if we die, they get SIGTERM.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() {
		c.err = cmd.Wait()
		f.Close()
		close(c.done)
	}()
	s.children = append(s.children, c)
	return c, nil
}

func waitHTTP(ctx context.Context, c *child, u string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("%s exited (%v); see %s:\n%s", c.name, c.err, c.log, tail(c.log, 2000))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer %s within %s; see %s", c.name, u, limit, c.log)
		}
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(bytes.TrimSpace(b))
}

// stop ends the children, empties the load test's bucket and queue unless kept, and stops the
// services that services.sh started for us.
func (s *stack) stop() {
	s.stopChildren()
	if !s.sc.keep {
		s.cleanQueueAndBucket()
	}
	if _, err := os.Stat(s.startedFile); err == nil {
		if err := s.script(context.Background(), "down"); err != nil {
			logf("services.sh down: %v", err)
		}
	}
}

// stopChildren ends the portal, the worker and the simulator (the last started first), and keeps
// the services running.
func (s *stack) stopChildren() {
	for i := len(s.children) - 1; i >= 0; i-- {
		c := s.children[i]
		select {
		case <-c.done:
			continue
		default:
		}
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(20 * time.Second):
			logf("%s (pid %d) did not stop on SIGTERM; killing it", c.name, c.cmd.Process.Pid)
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	}
	s.children = nil
}

func (s *stack) cleanQueueAndBucket() {
	cfg := s.sc.cfg
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisQueueDB})
	if err := insp.DeleteQueue(s.sc.queue, true); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		logf("queue %s not removed: %v", s.sc.queue, err)
	}
	insp.Close()
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := emptyBucket(ctx, store, ""); err != nil {
		logf("bucket %s not emptied: %v", cfg.S3Bucket, err)
	}
}

func (s *stack) script(ctx context.Context, verb string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(s.sc.root, "infra/dev/services.sh"), verb)
	cmd.Dir, cmd.Stdout, cmd.Stderr = s.sc.root, os.Stderr, os.Stderr
	cmd.Env = append(os.Environ(), "TALAP_STARTED_FILE="+s.startedFile)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("services.sh %s: %w", verb, err)
	}
	return nil
}

func dbName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// withDatabase is dsn naming another database on the same server.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("database url: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// withoutPoolParams drops pgxpool's own settings (pool_max_conns, ...) from a database URL, for a
// single connection.
func withoutPoolParams(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// recreateDatabase drops the load test's database so that each -start run begins empty. It refuses
// a database whose name does not say it is the load test's.
func recreateDatabase(ctx context.Context, dsn string) error {
	name := dbName(dsn)
	if !strings.Contains(name, "loadtest") {
		return fmt.Errorf("refusing to drop database %q: its name must contain \"loadtest\"", name)
	}
	admin, err := withDatabase(withoutPoolParams(dsn), "postgres")
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to the postgres database: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loadtest: "+format+"\n", args...)
}
