package storage

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/court"
	"talap/portal/party"
)

// registryFresh is how long a process keeps the courts and bodies it has read for looking one up
// by its key (Court, Body), which every claim page and notice does. A key not among them is looked
// up in the database, so a court or body added since is found at once; a name changed since shows
// within registryFresh. Lists (Courts, SearchBodies) always read the database.
const registryFresh = 10 * time.Second

// registryCache holds the registries as last read.
type registryCache struct {
	mu     sync.Mutex
	at     time.Time
	courts map[string]court.Court
	bodies map[string]party.Body
}

// registry returns the registries by key, read again when older than registryFresh.
func (db *DB) registry(ctx context.Context) (map[string]court.Court, map[string]party.Body, error) {
	c := &db.reg
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.courts != nil && time.Since(c.at) < registryFresh {
		return c.courts, c.bodies, nil
	}
	list, err := db.Courts(ctx)
	if err != nil {
		return nil, nil, err
	}
	courts := make(map[string]court.Court, len(list))
	for _, ct := range list {
		courts[ct.ID] = ct
	}
	rows, err := db.Pool.Query(ctx, `SELECT bin, name_kk, name_ru, name_en, kato, level, coalesce(parent_bin, '') FROM public_bodies`)
	if err != nil {
		return nil, nil, fmt.Errorf("list public bodies: %w", err)
	}
	all, err := pgx.CollectRows(rows, scanBody)
	if err != nil {
		return nil, nil, fmt.Errorf("list public bodies: %w", err)
	}
	bodies := make(map[string]party.Body, len(all))
	for _, b := range all {
		bodies[b.BIN] = b
	}
	c.courts, c.bodies, c.at = courts, bodies, time.Now()
	return courts, bodies, nil
}

// forgetRegistry makes the next lookup read the database.
func (db *DB) forgetRegistry() {
	db.reg.mu.Lock()
	db.reg.courts, db.reg.bodies = nil, nil
	db.reg.mu.Unlock()
}

// Courts returns every active court, ordered by id.
func (db *DB) Courts(ctx context.Context) ([]court.Court, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, name_kk, name_ru, name_en, city_kk, city_ru, city_en, kato_prefixes
		FROM courts WHERE active ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list courts: %w", err)
	}
	return pgx.CollectRows(rows, scanCourt)
}

func scanCourt(r pgx.CollectableRow) (court.Court, error) {
	var c court.Court
	err := r.Scan(&c.ID, &c.Name.KK, &c.Name.RU, &c.Name.EN, &c.City.KK, &c.City.RU, &c.City.EN, &c.KATOPrefixes)
	return c, err
}

// Court returns one active court by id.
func (db *DB) Court(ctx context.Context, id string) (court.Court, error) {
	if courts, _, err := db.registry(ctx); err == nil {
		if c, ok := courts[id]; ok {
			return c, nil
		}
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, name_kk, name_ru, name_en, city_kk, city_ru, city_en, kato_prefixes
		FROM courts WHERE active AND id = $1`, id)
	if err != nil {
		return court.Court{}, fmt.Errorf("get court: %w", err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCourt)
	if err == pgx.ErrNoRows {
		return c, ErrNotFound
	}
	return c, err
}

// SearchBodies finds public bodies whose BIN starts with q or whose name in any language contains
// q, case-insensitively. An empty q lists all, up to limit.
func (db *DB) SearchBodies(ctx context.Context, q string, limit int) ([]party.Body, error) {
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(q)) + "%"
	rows, err := db.Pool.Query(ctx, `SELECT bin, name_kk, name_ru, name_en, kato, level, coalesce(parent_bin, '')
		FROM public_bodies
		WHERE $1 = '%%' OR bin LIKE ltrim($1, '%') OR name_kk ILIKE $1 OR name_ru ILIKE $1 OR name_en ILIKE $1
		ORDER BY level = 'central' DESC, name_ru LIMIT $2`, like, limit)
	if err != nil {
		return nil, fmt.Errorf("search public bodies: %w", err)
	}
	return pgx.CollectRows(rows, scanBody)
}

// Body returns one public body by BIN. A BIN not among the bodies last read is looked up in the
// database, so a body added since is found at once.
func (db *DB) Body(ctx context.Context, bin string) (party.Body, error) {
	if _, bodies, err := db.registry(ctx); err == nil {
		if b, ok := bodies[bin]; ok {
			return b, nil
		}
	}
	rows, err := db.Pool.Query(ctx, `SELECT bin, name_kk, name_ru, name_en, kato, level, coalesce(parent_bin, '')
		FROM public_bodies WHERE bin = $1`, bin)
	if err != nil {
		return party.Body{}, fmt.Errorf("get public body: %w", err)
	}
	b, err := pgx.CollectExactlyOneRow(rows, scanBody)
	if err == pgx.ErrNoRows {
		return b, ErrNotFound
	}
	return b, err
}

func scanBody(r pgx.CollectableRow) (party.Body, error) {
	var b party.Body
	err := r.Scan(&b.BIN, &b.Name.KK, &b.Name.RU, &b.Name.EN, &b.KATO, &b.Level, &b.ParentBIN)
	return b, err
}

// UpsertRegistry writes courts and bodies, inserting new ones and updating existing ones, in one
// transaction. Parents are written before their children.
func (db *DB) UpsertRegistry(ctx context.Context, courts []court.Court, bodies []party.Body) error {
	defer db.forgetRegistry()
	return db.inTx(ctx, func(tx pgx.Tx) error {
		for _, c := range courts {
			_, err := tx.Exec(ctx, `INSERT INTO courts (id, name_kk, name_ru, name_en, city_kk, city_ru, city_en, kato_prefixes)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (id) DO UPDATE SET name_kk = $2, name_ru = $3, name_en = $4, city_kk = $5, city_ru = $6,
					city_en = $7, kato_prefixes = $8, updated_at = now()`,
				c.ID, c.Name.KK, c.Name.RU, c.Name.EN, c.City.KK, c.City.RU, c.City.EN, c.KATOPrefixes)
			if err != nil {
				return fmt.Errorf("upsert court %s: %w", c.ID, err)
			}
		}
		written := map[string]bool{}
		for len(written) < len(bodies) {
			progress := false
			for _, b := range bodies {
				if written[b.BIN] || (b.ParentBIN != "" && !written[b.ParentBIN] && inList(bodies, b.ParentBIN)) {
					continue
				}
				_, err := tx.Exec(ctx, `INSERT INTO public_bodies (bin, name_kk, name_ru, name_en, kato, level, parent_bin)
					VALUES ($1, $2, $3, $4, $5, $6, nullif($7, ''))
					ON CONFLICT (bin) DO UPDATE SET name_kk = $2, name_ru = $3, name_en = $4, kato = $5, level = $6,
						parent_bin = nullif($7, ''), updated_at = now()`,
					b.BIN, b.Name.KK, b.Name.RU, b.Name.EN, b.KATO, b.Level, b.ParentBIN)
				if err != nil {
					return fmt.Errorf("upsert public body %s: %w", b.BIN, err)
				}
				written[b.BIN] = true
				progress = true
			}
			if !progress {
				return fmt.Errorf("public bodies: parent links form a cycle")
			}
		}
		return nil
	})
}

func inList(bodies []party.Body, bin string) bool {
	for _, b := range bodies {
		if b.BIN == bin {
			return true
		}
	}
	return false
}
