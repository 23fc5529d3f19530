ALTER TABLE report_figures ADD COLUMN checks_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_figures ADD COLUMN checks_incomplete INTEGER NOT NULL DEFAULT 0;
UPDATE report_figures SET
	checks_failed = (SELECT COUNT(*) FROM checks k WHERE k.report_id = report_figures.report_id AND k.status = 'fail'),
	checks_incomplete = (SELECT COUNT(*) FROM checks k WHERE k.report_id = report_figures.report_id AND k.status = 'incomplete');
CREATE INDEX report_figures_failed ON report_figures(checks_failed) WHERE checks_failed > 0;
CREATE INDEX agencies_name ON agencies(name);
