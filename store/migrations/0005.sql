-- How much of its template a report shows: found / expected cells over
-- all tables, and per table as JSON {"t3": {"found":…,"expected":…,"ratio":…}}.
ALTER TABLE reports ADD COLUMN completeness REAL;
ALTER TABLE reports ADD COLUMN completeness_detail TEXT;
