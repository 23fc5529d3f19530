package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"path"
	"sort"
)

// The schema history: migrations/NNNN.sql takes a database from user_version
// NNNN-1 to NNNN. Each file is fixed text, never edited once released
// (TestMigrationsFrozen pins their hashes): append a file for the next
// change. The files hold tables and indexes only. Views, the dictionary
// rows, and the columns that follow the dictionary (a wide column per cell,
// a column per derived figure) are brought up to date from the running
// code after the migrations (sync.go, views.go), so a new cell or figure
// needs no migration at all.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the files' texts in version order.
var migrations = func() []string {
	names, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		panic(err)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	out := make([]string, len(names))
	for i, n := range names {
		if want := fmt.Sprintf("%04d.sql", i+1); n.Name() != want {
			panic("store: migration " + n.Name() + " out of sequence, want " + want)
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", n.Name()))
		if err != nil {
			panic(err)
		}
		out[i] = string(b)
	}
	return out
}()

// Version is the schema version this build writes.
func Version() int { return len(migrations) }

// migrate brings the database up to date in one transaction: the released
// migrations it lacks, then the dictionary sync and the views, then the
// data derivations the crossed versions call for. Either all of it is
// done or none (a kill -9 halfway leaves the old file as it was). A
// database already up to date costs two reads.
func (db *DB) migrate(ctx context.Context, d *dictionary) error {
	// One connection for the whole upgrade, with foreign keys off so a
	// table can be rebuilt (SQLite's documented procedure); they are
	// checked before the upgrade commits.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("store: %s has schema version %d, newer than this build (%d)", db.Path, v, len(migrations))
	}
	if v == len(migrations) {
		if fp, _ := storedFingerprint(ctx, tx); fp == d.fingerprint() {
			return nil // up to date; the deferred rollback ends the read
		}
	}
	from := v
	if err := dropViews(ctx, tx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for ; v < len(migrations); v++ {
		if testHookMigration != nil {
			testHookMigration(v + 1)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("store: migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			return fmt.Errorf("store: migration %d: %w", v+1, err)
		}
	}
	added, err := syncDictionary(ctx, tx, d)
	if err != nil {
		return fmt.Errorf("store: dictionary: %w", err)
	}
	if err := createViews(ctx, tx, d); err != nil {
		return fmt.Errorf("store: views: %w", err)
	}
	if err := derive(ctx, tx, d, from, added); err != nil {
		return fmt.Errorf("store: upgrade from version %d: %w", from, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO schema_sync (key, value) VALUES ('fingerprint', ?)", d.fingerprint()); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var bad int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_foreign_key_check").Scan(&bad); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("store: migrate: %d rows break foreign keys", bad)
	}
	return tx.Commit()
}

// testHookMigration runs before each migration step (tests kill the
// process there).
var testHookMigration func(version int)

// needsUpgrade tells whether the file's schema version or dictionary
// differ from this build's (read-only check).
func needsUpgrade(ctx context.Context, q querier, d *dictionary) (version int, stale bool, err error) {
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, false, err
	}
	if version != len(migrations) {
		return version, true, nil
	}
	fp, err := storedFingerprint(ctx, q)
	return version, err != nil || fp != d.fingerprint(), nil
}

// querier is a *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func storedFingerprint(ctx context.Context, q querier) (string, error) {
	var fp string
	err := q.QueryRowContext(ctx, "SELECT value FROM schema_sync WHERE key = 'fingerprint'").Scan(&fp)
	return fp, err
}

// dropViews drops every view: migrations see tables only, and views are
// made again from the code afterwards.
func dropViews(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'view'")
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, "DROP VIEW "+quoteIdent(n)); err != nil {
			return err
		}
	}
	return nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
