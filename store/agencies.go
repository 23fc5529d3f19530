package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/nianbao/nianbao/region"
)

// agencyFor returns the agency of a printed name: the agency with the
// identity's key when the name was resolved (adopting an agency stored
// under that very name before), else the agency of that name. The
// spelling is recorded in agency_names with how it was matched.
func agencyFor(ctx context.Context, tx *sql.Tx, printed string, ident *AgencyIdentity, credit string) (id sql.NullInt64, err error) {
	if printed == "" {
		return id, nil
	}
	if credit != "" {
		// The credit code is the strongest evidence: the agency holding it
		// is this one, however the name was printed.
		lerr := tx.QueryRowContext(ctx, "SELECT id FROM agencies WHERE credit_code = ?", credit).Scan(&id)
		if lerr == nil {
			_, err = tx.ExecContext(ctx, "INSERT INTO agency_names (name, agency_id, how) VALUES (?, ?, 'credit code') ON CONFLICT(name) DO NOTHING", printed, id.Int64)
			return id, err
		}
		if !errors.Is(lerr, sql.ErrNoRows) {
			return id, lerr
		}
		defer func() {
			if err == nil && id.Valid { // the agency keeps the code unless it has another
				_, err = tx.ExecContext(ctx, "UPDATE agencies SET credit_code = ? WHERE id = ? AND credit_code IS NULL", credit, id.Int64)
			}
		}()
	}
	how := "printed name, not resolved"
	if ident != nil && ident.How != "" && ident.Key == "" {
		how = "not resolved: " + ident.How
	}
	if ident != nil && ident.Key != "" {
		how = ident.How
		err := tx.QueryRowContext(ctx, "SELECT id FROM agencies WHERE agency_key = ?", ident.Key).Scan(&id)
		if err == sql.ErrNoRows {
			err = tx.QueryRowContext(ctx, "SELECT id FROM agencies WHERE name = ? AND (agency_key IS NULL OR key_provisional = 1)", printed).Scan(&id)
			if err == sql.ErrNoRows {
				name := printed
				var taken int
				tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM agencies WHERE name = ?", name).Scan(&taken)
				if taken > 0 {
					name = ident.CanonicalName
				}
				res, err := tx.ExecContext(ctx, "INSERT INTO agencies (name) VALUES (?)", name)
				if err != nil {
					return id, err
				}
				n, _ := res.LastInsertId()
				id = sql.NullInt64{Int64: n, Valid: true}
			} else if err != nil {
				return id, err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE agencies SET agency_key = ?, key_provisional = 0, canonical_name = ?, region_code = ?, region_name = ?, level = ?, kind = ?, parent_key = ? WHERE id = ?`,
				ident.Key, ident.CanonicalName, ident.RegionCode, ident.RegionName, ident.Level, ident.Kind, text(ident.ParentKey), id.Int64); err != nil {
				return id, err
			}
		} else if err != nil {
			return id, err
		}
	} else {
		// Not resolved: a provisional key (marked) so joins across years on
		// agency_key keep the agency; a resolved spelling adopts it later.
		if _, err := tx.ExecContext(ctx, "INSERT INTO agencies (name, agency_key, key_provisional) VALUES (?, ?, 1) ON CONFLICT(name) DO NOTHING", printed, ProvisionalKey(printed)); err != nil {
			return id, err
		}
		if err := tx.QueryRowContext(ctx, "SELECT id FROM agencies WHERE name = ?", printed).Scan(&id); err != nil {
			return id, err
		}
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO agency_names (name, agency_id, how) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING", printed, id.Int64, how)
	return id, err
}

// Identity resolves a printed agency name with the region package into
// what the store keeps; hints are division codes (the source's region,
// places the report names).
func Identity(printed string, hints ...string) *AgencyIdentity {
	a := region.Resolve(printed, hints...)
	if !a.Resolved() {
		return &AgencyIdentity{How: a.How}
	}
	return &AgencyIdentity{Key: a.Key, CanonicalName: a.Name, RegionCode: a.RegionCode, RegionName: a.RegionName,
		Level: string(a.Level), Kind: a.Kind, ParentKey: a.ParentKey, How: a.How}
}

// fillAgencies resolves the agencies stored before agency identity
// existed (hints: their region codes from the sources file), merging those
// that turn out to be one agency and ranking their versions again.
func fillAgencies(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, name, IFNULL(region_code, '') FROM agencies ORDER BY id")
	if err != nil {
		return err
	}
	type ag struct {
		id         int64
		name, code string
	}
	var all []ag
	for rows.Next() {
		var a ag
		rows.Scan(&a.id, &a.name, &a.code)
		all = append(all, a)
	}
	rows.Close()
	merged := map[int64]bool{}
	for _, a := range all {
		var hints []string
		if a.code != "" {
			hints = append(hints, a.code)
		}
		ident := Identity(a.name, hints...)
		var keep sql.NullInt64
		if ident.Key != "" {
			tx.QueryRowContext(ctx, "SELECT id FROM agencies WHERE agency_key = ?", ident.Key).Scan(&keep)
		}
		switch {
		case keep.Valid && keep.Int64 != a.id: // the same agency under another spelling
			for _, q := range []string{"UPDATE reports SET agency_id = ? WHERE agency_id = ?", "UPDATE agency_names SET agency_id = ? WHERE agency_id = ?"} {
				if _, err := tx.ExecContext(ctx, q, keep.Int64, a.id); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM agencies WHERE id = ?", a.id); err != nil {
				return err
			}
			merged[keep.Int64] = true
			a.id = keep.Int64
		case ident.Key != "":
			if _, err := tx.ExecContext(ctx, `UPDATE agencies SET agency_key = ?, key_provisional = 0, canonical_name = ?, region_code = ?, region_name = ?, level = ?, kind = ?, parent_key = ? WHERE id = ?`,
				ident.Key, ident.CanonicalName, ident.RegionCode, ident.RegionName, ident.Level, ident.Kind, text(ident.ParentKey), a.id); err != nil {
				return err
			}
		}
		how := ident.How
		if ident.Key == "" {
			how = "not resolved: " + how
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO agency_names (name, agency_id, how) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING", a.name, a.id, how); err != nil {
			return err
		}
	}
	for id := range merged {
		yrows, err := tx.QueryContext(ctx, "SELECT DISTINCT year FROM reports WHERE agency_id = ? AND year IS NOT NULL", id)
		if err != nil {
			return err
		}
		var years []int
		for yrows.Next() {
			var y int
			yrows.Scan(&y)
			years = append(years, y)
		}
		yrows.Close()
		for _, y := range years {
			if err := rankVersions(ctx, tx, id, y, 0); err != nil {
				return fmt.Errorf("agency %d, %d: %w", id, y, err)
			}
		}
	}
	return nil
}

// ProvisionalKey is the agency_key of an agency whose printed name could
// not be resolved (agencies.key_provisional = 1).
func ProvisionalKey(printed string) string { return "provisional:" + printed }
