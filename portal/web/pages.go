package web

import "github.com/gofiber/fiber/v2"

func (s *Server) home(c *fiber.Ctx) error {
	courts, err := s.DB.Courts(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "home", fiber.Map{"CourtCount": len(courts)})
}
