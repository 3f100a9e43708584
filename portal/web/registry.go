package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// The registries change rarely and hold nothing personal: let browsers and proxies cache them.
const registryCache = "public, max-age=300"

func (s *Server) listCourts(c *fiber.Ctx) error {
	courts, err := s.DB.Courts(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, registryCache)
	return c.JSON(fiber.Map{"courts": courts})
}

func (s *Server) searchBodies(c *fiber.Ctx) error {
	limit := 50
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: s.tr.T(langOf(c), "api.invalid_limit"),
				Fields: map[string]string{"limit": s.tr.T(langOf(c), "api.invalid_limit")}}
		}
		limit = n
	}
	bodies, err := s.DB.SearchBodies(c.UserContext(), c.Query("q"), limit)
	if err != nil {
		return err
	}
	type item struct {
		BIN   string `json:"bin"`
		Name  string `json:"name"`
		Names any    `json:"names"`
		KATO  string `json:"kato"`
		Level string `json:"level"`
	}
	out := make([]item, len(bodies))
	for i, b := range bodies {
		out[i] = item{BIN: b.BIN, Name: b.Name.In(langOf(c)), Names: b.Name, KATO: b.KATO, Level: b.Level}
	}
	c.Set(fiber.HeaderCacheControl, registryCache)
	return c.JSON(fiber.Map{"public_bodies": out})
}
