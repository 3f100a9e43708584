package web

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when PostgreSQL, Redis and object storage all answer; otherwise 503 naming
// what failed.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := map[string]func(context.Context) error{
		"postgres":       s.DB.Ping,
		"redis":          func(ctx context.Context) error { return s.Redis.Ping(ctx).Err() },
		"object_storage": s.Store.Ping,
	}
	results := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Add(1)
		go func(name string, check func(context.Context) error) {
			defer wg.Done()
			res := "ok"
			if err := check(ctx); err != nil {
				res = "unavailable"
				s.Log.Warn("readiness check failed", "service", name, "error", err)
			}
			mu.Lock()
			results[name] = res
			mu.Unlock()
		}(name, check)
	}
	wg.Wait()
	var failed []string
	for name, res := range results {
		if res != "ok" {
			failed = append(failed, name)
		}
	}
	if len(failed) == 0 {
		return c.JSON(fiber.Map{"status": "ready", "checks": results})
	}
	sort.Strings(failed)
	return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{
		"status": "not_ready",
		"checks": results,
		"error":  fiber.Map{"code": "unavailable", "message": s.tr.T(langOf(c), "api.not_ready", "Failed", strings.Join(failed, ", ")), "failed": failed},
	})
}
