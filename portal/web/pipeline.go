package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"talap/portal/claim"
	"talap/portal/routing"
	"talap/portal/task"
)

// archivedTask is a task that exhausted its retries, as the admin page shows it.
type archivedTask struct {
	ID, Type, Payload, Error string
	FailedAt                 time.Time
	Retried                  int
}

// pipelinePage shows administrators the routing rules (read-only, as loaded from infra/routing),
// the claims no court covers, and the tasks that failed for good, with their errors.
func (s *Server) pipelinePage(c *fiber.Ctx) error {
	rules, err := routing.Load()
	if err != nil {
		return err
	}
	unroutable, err := s.DB.ClaimsWithStatus(c.UserContext(), claim.StatusUnroutable, 200)
	if err != nil {
		return err
	}
	var archived []archivedTask
	if tasks, err := s.Inspector.ListArchivedTasks(s.Config.Queue, asynq.PageSize(100)); err == nil {
		for _, t := range tasks {
			archived = append(archived, archivedTask{ID: t.ID, Type: t.Type, Payload: string(t.Payload), Error: t.LastErr, FailedAt: t.LastFailedAt, Retried: t.Retried})
		}
	}
	return s.render(c, "pipeline", fiber.Map{"Rules": rules, "Unroutable": unroutable, "Archived": archived})
}

// queueMonitor is asynqmon, read-only, for administrators.
func (s *Server) queueMonitor() fiber.Handler {
	h := asynqmon.New(asynqmon.Options{RootPath: "/admin/queues", RedisConnOpt: task.RedisOpt(s.Config), ReadOnly: true})
	return adaptor.HTTPHandler(h)
}

// noticesPage lists the person's notices and marks them read.
func (s *Server) noticesPage(c *fiber.Ctx) error {
	p := principalOf(c)
	list, err := s.DB.NoticesFor(c.UserContext(), p.IIN, 100)
	if err != nil {
		return err
	}
	if err := s.DB.MarkNoticesRead(c.UserContext(), p.IIN); err != nil {
		return err
	}
	return s.render(c, "notices", fiber.Map{"Notices": list})
}
