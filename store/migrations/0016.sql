-- Why a document could not be read, as a class beside the message
-- (scanned, encrypted, not_a_report, unreadable, too_large, binary, …), so
-- failures can be counted and re-run by class.
ALTER TABLE documents ADD COLUMN error_class TEXT;
CREATE INDEX documents_error_class ON documents(error_class) WHERE error_class IS NOT NULL;
-- What the dictionary and the views were last brought up to date with
-- (store/sync.go): a key per fact, e.g. fingerprint.
CREATE TABLE schema_sync (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
