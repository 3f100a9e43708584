package testenv

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// Environ is the process environment that points a Talap binary at this Env's database, queue and bucket.
func (e *Env) Environ() []string {
	c := e.Config
	return append(os.Environ(),
		"TALAP_DATABASE_URL="+c.DatabaseURL,
		"TALAP_QUEUE="+c.Queue,
		"TALAP_S3_BUCKET="+c.S3Bucket,
		"TALAP_REDIS_ADDR="+c.RedisAddr,
		"TALAP_OUTBOX_INTERVAL="+c.OutboxInterval.String(),
		"TALAP_LOG_LEVEL=warn",
	)
}

// Build compiles a package of this module (e.g. "./cmd/worker") into a temporary binary.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	out := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// FreePort returns a loopback TCP port nobody is listening on right now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Redis is a private redis-server a test can stop and start without disturbing other packages.
type Redis struct {
	Addr string
	port int
	dir  string
	cmd  *exec.Cmd
	t    testing.TB
}

// StartRedis starts a private Redis on a free port; it is stopped when the test ends.
func StartRedis(t testing.TB) *Redis {
	r := &Redis{port: FreePort(t), dir: t.TempDir(), t: t}
	r.Addr = "127.0.0.1:" + strconv.Itoa(r.port)
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start (re)starts the server and waits until it accepts connections.
func (r *Redis) Start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	WaitFor(r.t, 10*time.Second, "redis to accept connections", func() bool {
		c, err := net.Dial("tcp", r.Addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// Stop kills the server, as a crash would.
func (r *Redis) Stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

// WaitFor polls cond every 50 ms until it holds, failing the test after timeout.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// MinIO is a private MinIO server a test can stop and start.
type MinIO struct {
	Addr string
	dir  string
	cmd  *exec.Cmd
	t    testing.TB
}

// StartMinIO starts a private MinIO (installed by `make test`) on a free port, with the Env's credentials.
func (e *Env) StartMinIO(t testing.TB) *MinIO {
	m := &MinIO{Addr: "127.0.0.1:" + strconv.Itoa(FreePort(t)), dir: t.TempDir(), t: t}
	m.Start(e)
	t.Cleanup(m.Stop)
	return m
}

// Start (re)starts the server and waits until it accepts connections.
func (m *MinIO) Start(e *Env) {
	m.t.Helper()
	bin, err := exec.LookPath("minio")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		bin = filepath.Join(string(bytes.TrimSpace(gopath)), "bin", "minio")
	}
	m.cmd = exec.Command(bin, "server", m.dir, "--address", m.Addr, "--console-address", "127.0.0.1:0", "--quiet")
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+e.Config.S3AccessKey, "MINIO_ROOT_PASSWORD="+e.Config.S3SecretKey, "MINIO_BROWSER=off")
	if err := m.cmd.Start(); err != nil {
		m.t.Fatalf("start minio: %v", err)
	}
	// MinIO listens before it is ready, and its readiness endpoint can say 200 while the S3 API
	// still answers 503 "Server not initialized yet"; wait for both.
	WaitFor(m.t, 30*time.Second, "minio to be ready", func() bool {
		for _, path := range []string{"/minio/health/ready", "/"} {
			resp, err := http.Get("http://" + m.Addr + path)
			if err != nil {
				return false
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 || (path != "/" && resp.StatusCode != http.StatusOK) {
				return false
			}
		}
		return true
	})
}

// Stop kills the server.
func (m *MinIO) Stop() {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Kill()
		_ = m.cmd.Wait()
		m.cmd = nil
	}
}
