CREATE TABLE check_dictionary (
	check_id    TEXT PRIMARY KEY,
	formula     TEXT NOT NULL,
	lhs         TEXT NOT NULL,   -- what the checks table's lhs column holds
	rhs         TEXT NOT NULL,   -- what its rhs column holds
	severity    TEXT NOT NULL,   -- error: the template guarantees it; warning: real reports may break it
	description_zh TEXT NOT NULL,
	description_en TEXT NOT NULL
);
