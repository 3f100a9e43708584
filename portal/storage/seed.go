package storage

import (
	"context"
	"fmt"

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

// SeedDemo grants the demo personas' memberships (officers, clerks, the administrator) so that
// signing in as one of them in the simulator gives the matching role. Development only.
func (db *DB) SeedDemo(ctx context.Context) error {
	personas, err := seed.Personas()
	if err != nil {
		return err
	}
	for _, p := range personas {
		if p.Kind == party.RoleCitizen {
			continue
		}
		if err := db.TouchPerson(ctx, p.IIN, p.Name, "ru"); err != nil {
			return err
		}
		if err := db.Grant(ctx, "seed", party.Membership{IIN: p.IIN, Role: p.Kind, BodyBIN: p.BodyBIN, CourtID: p.CourtID}); err != nil {
			return fmt.Errorf("demo membership for %s: %w", p.IIN, err)
		}
	}
	return nil
}
