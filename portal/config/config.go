// Package config reads Talap's settings from the environment once, at start, into one struct.
// Every variable has a working local default except secrets in production, which must be set.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the portal and the worker read.
type Config struct {
	Env      string // development | production
	HTTPAddr string
	BaseURL  string
	LogLevel string

	DatabaseURL string

	RedisAddr      string
	RedisPassword  string
	RedisQueueDB   int
	RedisSessionDB int
	Queue          string // asynq queue name; tests use their own

	S3Endpoint  string
	S3AccessKey string
	S3SecretKey string
	S3Bucket    string
	S3UseTLS    bool

	SMTPAddr string
	MailFrom string

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCIINClaim     string

	ReceiptKey string // base64 Ed25519 seed

	SessionIdle     time.Duration // a session unused this long ends
	SessionAbsolute time.Duration // a session ends this long after sign-in, used or not
	RateLogin       int           // sign-in attempts per minute per client address (generous: offices and mobile networks share one)
	RateLoginPerson int           // sign-ins per minute per person (IIN), checked once the provider has said who it is
	RateAPI         int           // API requests per minute per person (and per IP for anonymous callers)
	RateVerify      int           // public receipt-verification requests per minute per client address
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies whose ProxyHeader names the
	// client; with none, the client is the connection's peer.
	TrustedProxies []string
	ProxyHeader    string

	APITokenTTL time.Duration // how long a new API token works (shown when it is created)

	MaxDrafts         int // drafts one person may hold at a time
	MaxClaimDocuments int // documents on one claim
	MaxResponses      int // responses one public body may file to one claim

	MCI             float64       // monthly calculation index, tenge (2026: 4,325, reported)
	DocumentMax     int64         // bytes per document
	ClaimDocsMax    int64         // bytes of documents per claim
	RetentionPeriod time.Duration // how long a filed document stays under object lock after filing

	ResponseDays      int           // working days the respondent has after routing (APPK Art. 138(5): up to 10; unverified)
	RemindBeforeDays  int           // working days before the response is due that the reminder goes out
	ComplaintBodyDays int           // working days a complaint body has to decide (APPK Art. 99: 20; unverified)
	ReminderAt        time.Duration // time of day (Almaty) the response reminder goes out, as an offset from midnight
	StuckAfter        time.Duration // a claim in submitted/validating longer than this is sent through again
	// CorrectionTimer, when set, checks a claim left without motion this long after the decision
	// instead of at the end of its correction date: for tests and demonstrations only.
	CorrectionTimer time.Duration

	PprofAddr        string // when set, net/http/pprof listens here (e.g. 127.0.0.1:6060); off by default
	PprofAllowRemote bool   // pprof on a non-loopback address only when this is set
	// MetricsAddr is the operators' listener for /metrics. When set, /metrics is served there only;
	// in production it is always there (default 127.0.0.1:9464), never on the public listener.
	MetricsAddr string

	OutboxInterval time.Duration // how often the sweeper re-sends unsent outbox rows
	AuditSeal      time.Duration // how often the worker links new audit events into the hash chain
	TaskRetention  time.Duration // how long asynq keeps a finished task's id, so a re-send is a conflict
}

// DraftAllowance is how much longer than RetentionPeriod the bucket's default retention runs, so
// that a document uploaded to a draft up to this long before filing is still locked for the
// whole period after filing without a request of its own; validation locks older ones.
const DraftAllowance = 30 * 24 * time.Hour

// BucketRetention is the default retention of the documents bucket.
func (c Config) BucketRetention() time.Duration { return c.RetentionPeriod + DraftAllowance }

// Production reports whether the binary runs in production mode, where secrets must be set.
func (c Config) Production() bool { return c.Env == "production" }

// Error names the variable that is wrong, so the binary can stop with one clear line.
type Error struct {
	Var     string
	Problem string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s %s", e.Var, e.Problem) }

// Load reads the configuration from the environment.
func Load() (Config, error) { return load(os.Getenv) }

// LoadFrom reads the configuration from getenv instead of the process environment (to check a
// deployment's settings, e.g. docker-compose.yml's).
func LoadFrom(getenv func(string) string) (Config, error) { return load(getenv) }

func load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		Env:               r.str("TALAP_ENV", "development"),
		HTTPAddr:          r.str("TALAP_HTTP_ADDR", "127.0.0.1:8080"),
		BaseURL:           r.str("TALAP_BASE_URL", "http://127.0.0.1:8080"),
		LogLevel:          r.str("TALAP_LOG_LEVEL", "info"),
		DatabaseURL:       r.str("TALAP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talap?sslmode=disable"),
		RedisAddr:         r.str("TALAP_REDIS_ADDR", "127.0.0.1:6379"),
		RedisPassword:     r.str("TALAP_REDIS_PASSWORD", ""),
		RedisQueueDB:      r.integer("TALAP_REDIS_QUEUE_DB", 0),
		RedisSessionDB:    r.integer("TALAP_REDIS_SESSION_DB", 1),
		Queue:             r.str("TALAP_QUEUE", "talap"),
		S3Endpoint:        r.str("TALAP_S3_ENDPOINT", "127.0.0.1:9000"),
		S3AccessKey:       r.str("TALAP_S3_ACCESS_KEY", "talap"),
		S3Bucket:          r.str("TALAP_S3_BUCKET", "talap-documents"),
		S3UseTLS:          r.boolean("TALAP_S3_USE_TLS", false),
		SMTPAddr:          r.str("TALAP_SMTP_ADDR", "127.0.0.1:1025"),
		MailFrom:          r.str("TALAP_MAIL_FROM", "Talap <no-reply@talap.local>"),
		OIDCIssuer:        r.str("TALAP_OIDC_ISSUER", "http://127.0.0.1:8090"),
		OIDCClientID:      r.str("TALAP_OIDC_CLIENT_ID", "talap-portal"),
		OIDCIINClaim:      r.str("TALAP_OIDC_IIN_CLAIM", "iin"),
		OutboxInterval:    r.duration("TALAP_OUTBOX_INTERVAL", 5*time.Second),
		TaskRetention:     r.duration("TALAP_TASK_RETENTION", 72*time.Hour),
		AuditSeal:         r.duration("TALAP_AUDIT_SEAL_INTERVAL", time.Second),
		SessionIdle:       r.duration("TALAP_SESSION_IDLE", 30*time.Minute),
		SessionAbsolute:   r.duration("TALAP_SESSION_ABSOLUTE", 12*time.Hour),
		RateLogin:         r.integer("TALAP_RATE_LOGIN_PER_MINUTE", 300),
		RateLoginPerson:   r.integer("TALAP_RATE_LOGIN_PER_PERSON_PER_MINUTE", 10),
		RateAPI:           r.integer("TALAP_RATE_API_PER_MINUTE", 600),
		RateVerify:        r.integer("TALAP_RATE_VERIFY_PER_MINUTE", 60),
		TrustedProxies:    r.list("TALAP_TRUSTED_PROXIES"),
		ProxyHeader:       r.str("TALAP_PROXY_HEADER", "X-Forwarded-For"),
		APITokenTTL:       r.duration("TALAP_API_TOKEN_TTL", 90*24*time.Hour),
		MaxDrafts:         r.integer("TALAP_MAX_DRAFTS", 20),
		MaxClaimDocuments: r.integer("TALAP_MAX_CLAIM_DOCUMENTS", 50),
		MaxResponses:      r.integer("TALAP_MAX_RESPONSES", 20),
		MCI:               r.float("TALAP_MCI", 4325),
		DocumentMax:       int64(r.integer("TALAP_DOCUMENT_MAX_MIB", 50)) << 20,
		ClaimDocsMax:      int64(r.integer("TALAP_CLAIM_DOCUMENTS_MAX_MIB", 200)) << 20,
		RetentionPeriod:   r.duration("TALAP_DOCUMENT_RETENTION", 5*365*24*time.Hour),
		ResponseDays:      r.integer("TALAP_RESPONSE_DAYS", 10),
		RemindBeforeDays:  r.integer("TALAP_REMIND_BEFORE_DAYS", 2),
		ComplaintBodyDays: r.integer("TALAP_COMPLAINT_BODY_DAYS", 20),
		ReminderAt:        r.timeOfDay("TALAP_REMINDER_AT", 9*time.Hour),
		StuckAfter:        r.duration("TALAP_STUCK_AFTER", 10*time.Minute),
		CorrectionTimer:   r.optionalDuration("TALAP_CORRECTION_TIMER"),
		PprofAddr:         r.str("TALAP_PPROF_ADDR", ""),
		PprofAllowRemote:  r.boolean("TALAP_PPROF_ALLOW_REMOTE", false),
		MetricsAddr:       r.str("TALAP_METRICS_ADDR", ""),
	}
	if c.MetricsAddr == "" && c.Env == "production" {
		c.MetricsAddr = "127.0.0.1:9464"
	}
	// Secrets read after Env is known, since production has no defaults for them.
	r.production = c.Env == "production"
	c.S3SecretKey = r.secret("TALAP_S3_SECRET_KEY", "talap-dev-secret")
	c.OIDCClientSecret = r.secret("TALAP_OIDC_CLIENT_SECRET", "talap-dev-secret")
	c.ReceiptKey = r.secret("TALAP_RECEIPT_KEY", "dGFsYXAtZGV2LXJlY2VpcHQta2V5LW5vdC1zZWNyZXQ=")
	if r.err != nil {
		return Config{}, r.err
	}
	return c, c.validate()
}

func (c Config) validate() error {
	switch c.Env {
	case "development", "production":
	default:
		return &Error{"TALAP_ENV", fmt.Sprintf("must be development or production, not %q", c.Env)}
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return &Error{"TALAP_DATABASE_URL", "must be a postgres:// URL with a host (e.g. postgres://user@127.0.0.1:5432/talap)"}
	}
	for name, v := range map[string]string{"TALAP_BASE_URL": c.BaseURL, "TALAP_OIDC_ISSUER": c.OIDCIssuer} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{name, "must be an http(s) URL"}
		}
	}
	for name, v := range map[string]string{"TALAP_HTTP_ADDR": c.HTTPAddr, "TALAP_REDIS_ADDR": c.RedisAddr, "TALAP_S3_ENDPOINT": c.S3Endpoint, "TALAP_SMTP_ADDR": c.SMTPAddr} {
		if !strings.Contains(v, ":") {
			return &Error{name, "must be host:port"}
		}
	}
	if c.RedisQueueDB == c.RedisSessionDB {
		return &Error{"TALAP_REDIS_SESSION_DB", "must differ from TALAP_REDIS_QUEUE_DB"}
	}
	if c.Queue == "" {
		return &Error{"TALAP_QUEUE", "must not be empty"}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return &Error{"TALAP_TRUSTED_PROXIES", fmt.Sprintf("must be a comma-separated list of IP addresses or CIDR ranges, not %q", p)}
			}
		}
	}
	for name, n := range map[string]int{"TALAP_MAX_DRAFTS": c.MaxDrafts, "TALAP_MAX_CLAIM_DOCUMENTS": c.MaxClaimDocuments, "TALAP_MAX_RESPONSES": c.MaxResponses,
		"TALAP_RATE_LOGIN_PER_MINUTE": c.RateLogin, "TALAP_RATE_LOGIN_PER_PERSON_PER_MINUTE": c.RateLoginPerson, "TALAP_RATE_VERIFY_PER_MINUTE": c.RateVerify} {
		if n < 1 {
			return &Error{name, "must be at least 1"}
		}
	}
	if c.Production() {
		if u, _ := url.Parse(c.BaseURL); u.Scheme != "https" {
			return &Error{"TALAP_BASE_URL", "must be an https URL in production"}
		}
		if c.CorrectionTimer > 0 {
			return &Error{"TALAP_CORRECTION_TIMER", "is a test aid and is refused in production"}
		}
	}
	for name, v := range map[string]string{"TALAP_METRICS_ADDR": c.MetricsAddr, "TALAP_PPROF_ADDR": c.PprofAddr} {
		if v != "" && !strings.Contains(v, ":") {
			return &Error{name, "must be host:port"}
		}
	}
	if c.PprofAddr != "" && !c.PprofAllowRemote && !Loopback(c.PprofAddr) {
		return &Error{"TALAP_PPROF_ADDR", "must be a loopback address (127.0.0.1:port) unless TALAP_PPROF_ALLOW_REMOTE=true"}
	}
	return nil
}

// Loopback reports whether a host:port listens on the loopback interface only.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type reader struct {
	getenv     func(string) string
	production bool
	err        error
}

func (r *reader) fail(name, problem string) {
	if r.err == nil {
		r.err = &Error{name, problem}
	}
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) secret(name, devDefault string) string {
	if v := r.getenv(name); v != "" {
		return v
	}
	if r.production {
		r.fail(name, "must be set in production (it is a secret and has no default)")
	}
	return devDefault
}

func (r *reader) integer(name string, def int) int {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.fail(name, fmt.Sprintf("must be a whole number, not %q", v))
	}
	return n
}

// timeOfDay reads a time of day such as 09:00 as an offset from midnight.
func (r *reader) timeOfDay(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		r.fail(name, fmt.Sprintf("must be a time of day such as 09:00, not %q", v))
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}

// list reads a comma-separated list, leaving out empty items.
func (r *reader) list(name string) []string {
	var out []string
	for _, v := range strings.Split(r.getenv(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (r *reader) optionalDuration(name string) time.Duration {
	if r.getenv(name) == "" {
		return 0
	}
	return r.duration(name, 0)
}

func (r *reader) float(name string, def float64) float64 {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		r.fail(name, fmt.Sprintf("must be a positive number, not %q", v))
	}
	return f
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("must be true or false, not %q", v))
	}
	return b
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, fmt.Sprintf("must be a positive duration such as 5s or 2m, not %q", v))
	}
	return d
}
