// Package migrations holds the numbered goose SQL migrations, embedded so the binaries apply them at start.
package migrations

import "embed"

// FS holds every *.sql migration.
//
//go:embed *.sql
var FS embed.FS
