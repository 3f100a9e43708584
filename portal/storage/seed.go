package storage

import (
	"context"

	"talap/infra/seed"
	"talap/portal/court"
	"talap/portal/party"
)

// Seed loads the court and public-body registries from infra/seed.
func (db *DB) Seed(ctx context.Context) error {
	sc, err := seed.Courts()
	if err != nil {
		return err
	}
	sb, err := seed.Bodies()
	if err != nil {
		return err
	}
	courts := make([]court.Court, len(sc))
	for i, c := range sc {
		courts[i] = court.Court{ID: c.ID, Name: c.Name, City: c.City, KATOPrefixes: c.KATOPrefixes}
	}
	bodies := make([]party.Body, len(sb))
	for i, b := range sb {
		bodies[i] = party.Body{BIN: b.BIN, Name: b.Name, KATO: b.KATO, Level: b.Level, ParentBIN: b.ParentBIN}
	}
	return db.UpsertRegistry(ctx, courts, bodies)
}
