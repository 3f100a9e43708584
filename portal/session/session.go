// Package session keeps signed-in people's sessions and the short-lived pre-login records of the
// OpenID Connect flow in Redis (its own DB index, apart from the queue).
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNotFound means there is no such session (never was, ended, or expired).
var ErrNotFound = errors.New("session not found")

// Data is what a session holds.
type Data struct {
	IIN       string    `json:"iin"`
	Name      string    `json:"name"`
	CSRF      string    `json:"csrf"`
	IDToken   string    `json:"id_token"` // for the provider's end-session endpoint
	CreatedAt time.Time `json:"created_at"`
}

// PreLogin is what the portal remembers between sending a person to the provider and their return.
type PreLogin struct {
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	ReturnTo string `json:"return_to"`
	Lang     string `json:"lang"`
	Browser  string `json:"browser"` // SHA-256 of the pre-login cookie of the browser that started sign-in
}

// PreLoginTTL is how long a started sign-in may take.
const PreLoginTTL = 10 * time.Minute

// Store keeps sessions with an idle and an absolute timeout.
type Store struct {
	rdb      *redis.Client
	idle     time.Duration
	absolute time.Duration
}

// New makes a store.
func New(rdb *redis.Client, idle, absolute time.Duration) *Store {
	return &Store{rdb: rdb, idle: idle, absolute: absolute}
}

// Token returns a random URL-safe token of 32 bytes.
func Token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Keys hold a hash of the id, so a look at Redis does not hand out live session ids.
func key(kind, id string) string {
	h := sha256.Sum256([]byte(id))
	return "talap:" + kind + ":" + hex.EncodeToString(h[:])
}

// Create starts a new session with a fresh id and CSRF token.
func (s *Store) Create(ctx context.Context, d Data) (string, Data, error) {
	id := Token()
	d.CSRF = Token()
	d.CreatedAt = time.Now().UTC()
	b, err := json.Marshal(d)
	if err != nil {
		return "", d, err
	}
	if err := s.rdb.Set(ctx, key("session", id), b, s.ttl(d)).Err(); err != nil {
		return "", d, fmt.Errorf("save session: %w", err)
	}
	return id, d, nil
}

func (s *Store) ttl(d Data) time.Duration {
	left := time.Until(d.CreatedAt.Add(s.absolute))
	if left < s.idle {
		return left
	}
	return s.idle
}

// Get returns the session and extends its idle timeout, never past the absolute one.
func (s *Store) Get(ctx context.Context, id string) (Data, error) {
	var d Data
	if id == "" {
		return d, ErrNotFound
	}
	// Read and extend by the idle timeout in one round trip; only in the session's last idle
	// period does the absolute timeout cut the extension shorter, with a second command.
	b, err := s.rdb.GetEx(ctx, key("session", id), s.idle).Bytes()
	if errors.Is(err, redis.Nil) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("read session: %w", err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, ErrNotFound
	}
	ttl := s.ttl(d)
	if ttl <= 0 {
		_ = s.Delete(ctx, id)
		return Data{}, ErrNotFound
	}
	if ttl < s.idle {
		if err := s.rdb.Expire(ctx, key("session", id), ttl).Err(); err != nil {
			return d, fmt.Errorf("extend session: %w", err)
		}
	}
	return d, nil
}

// Delete ends a session.
func (s *Store) Delete(ctx context.Context, id string) error {
	return s.rdb.Del(ctx, key("session", id)).Err()
}

// SavePreLogin stores a pre-login record under its state for PreLoginTTL.
func (s *Store) SavePreLogin(ctx context.Context, state string, p PreLogin) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.rdb.Set(ctx, key("prelogin", state), b, PreLoginTTL).Err()
}

// TakePreLogin returns and removes the record for state: a state works once.
func (s *Store) TakePreLogin(ctx context.Context, state string) (PreLogin, error) {
	var p PreLogin
	if state == "" {
		return p, ErrNotFound
	}
	b, err := s.rdb.GetDel(ctx, key("prelogin", state)).Bytes()
	if errors.Is(err, redis.Nil) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("read pre-login: %w", err)
	}
	return p, json.Unmarshal(b, &p)
}
