-- No report loses its agency in joins: an agency whose printed name could
-- not be resolved gets a provisional key (provisional: + its name), marked
-- so, and keeps it until a resolved spelling adopts the agency.
ALTER TABLE agencies ADD COLUMN key_provisional INTEGER NOT NULL DEFAULT 0;
UPDATE agencies SET agency_key = 'provisional:' || name, key_provisional = 1 WHERE agency_key IS NULL;
