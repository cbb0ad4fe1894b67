-- 0007_progress_ytd: a month reported only as a year-to-date (本年累计) is stored as reported,
-- amount NULL, and its month amount is derived when read, in progress_current: so the months of
-- a year always add up to its year-to-date, and a correction of an earlier month changes the
-- derived amount of a later month without rewriting it (issue 9).  Rows written before this
-- migration keep what they hold: a month given as a year-to-date then had its amount derived at
-- import time and stored beside the year-to-date, and reads as a month reported with both.
ALTER TABLE progress
	ALTER COLUMN amount DROP NOT NULL,
	ADD CONSTRAINT progress_amount_or_ytd_check CHECK (amount IS NOT NULL OR ytd IS NOT NULL);

COMMENT ON COLUMN progress.amount IS '本月完成投资, 万元, as reported; NULL when the month was reported as a year-to-date only';
COMMENT ON COLUMN progress.ytd IS '本年累计完成投资, 万元, as reported; NULL when not';

-- The current figures of each project and month, in three steps from the inside out:
--   c  which row is current: the latest version of the month from a batch not reverted (or a
--      single change), with its reporter filled in from its batch;
--   s  the spans: a span starts at each month reported with a year-to-date (counted over the
--      project's months; a new year starts a span too, below);
--   f  the effective year-to-date: as reported, or the reported year-to-date its span starts
--      from (0 when the year's span starts without one) plus the amounts reported since;
-- and the month's amount: as reported, or its year-to-date less the latest earlier month's of
-- the same year (0 if none).  Every window is partitioned by project, so a query for one
-- project (WHERE project_id = ...) reads only that project's rows; the windows over a whole
-- project follow the order of c's rows, which saves a sort over the whole registry.
CREATE OR REPLACE VIEW progress_current AS
	SELECT f.progress_id, f.project_id, f.month,
		coalesce(f.reported_amount, f.ytd - CASE WHEN lag(f.year) OVER project = f.year
			THEN lag(f.ytd) OVER project ELSE 0 END)::numeric(18,4) AS amount,
		f.ytd, f.physical_progress, f.problems, f.actual_start, f.adjustment_reason, f.reported_by,
		f.reported_at, f.batch_id, f.source_line, f.reported_amount, f.reported_ytd
	FROM (
		SELECT s.*, coalesce(s.reported_ytd, coalesce(max(s.reported_ytd) OVER span, 0)
			+ coalesce(sum(s.reported_amount) FILTER (WHERE s.reported_ytd IS NULL)
				OVER (span ORDER BY s.month), 0))::numeric(18,4) AS ytd
		FROM (
			SELECT c.*, count(c.reported_ytd) OVER (PARTITION BY c.project_id ORDER BY c.month) AS span
			FROM (
				SELECT DISTINCT ON (p.project_id, p.month)
					p.progress_id, p.project_id, p.month, extract(year FROM p.month) AS year,
					p.amount AS reported_amount, p.ytd AS reported_ytd,
					p.physical_progress, p.problems, p.actual_start, p.adjustment_reason,
					coalesce(p.reported_by, b.db_user) AS reported_by,
					coalesce(p.reported_at, b.started_at) AS reported_at,
					p.batch_id, p.source_line
				FROM progress p
				LEFT JOIN import_batch b ON b.batch_id = p.batch_id
				WHERE b.reverted_at IS NULL
				ORDER BY p.project_id, p.month, p.progress_id DESC
			) c
		) s
		WINDOW span AS (PARTITION BY s.project_id, s.span, s.year)
	) f
	WINDOW project AS (PARTITION BY f.project_id ORDER BY f.month);
