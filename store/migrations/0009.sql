-- Agency identity: one agency however its name is spelled (region package).
ALTER TABLE agencies ADD COLUMN agency_key TEXT;      -- region code + ":" + organ, NULL when the name could not be resolved
ALTER TABLE agencies ADD COLUMN canonical_name TEXT;  -- the division path + the organ's full name
ALTER TABLE agencies ADD COLUMN region_name TEXT;     -- e.g. 江苏省淮安市洪泽区
ALTER TABLE agencies ADD COLUMN kind TEXT;            -- government or department
ALTER TABLE agencies ADD COLUMN parent_key TEXT;      -- the government of the region (or of the parent division)
CREATE UNIQUE INDEX agencies_key ON agencies(agency_key) WHERE agency_key IS NOT NULL;
CREATE INDEX agencies_region ON agencies(region_code);
CREATE TABLE agency_names (
	name      TEXT PRIMARY KEY,  -- a spelling seen in a report or a sources file
	agency_id INTEGER NOT NULL REFERENCES agencies(id),
	how       TEXT               -- how it was matched, or why it stayed its own agency
);
