-- 0012_as_of: what kpr report --as-of T needs to see the registry's figures as they were
-- recorded at T (issue 12).  Most of that history was kept already:
--   progress      every version stays; a row is recorded at reported_at, or its batch's
--                 started_at (the import's transaction time); a batch revert marks the batch
--                 (import_batch.reverted_at) and leaves its rows, so "not reverted by T" is known;
--   pool_move     moved_at, when the move was recorded (0009 filled it for the first moves);
--   colours       colour_evaluation.evaluated_at / superseded_at, colour_override.created_at /
--                 revoked_at (0011).
-- What was not kept is when a list entry (project_year) came and went, and the plan it had
-- between changes: annual_plan_history keeps a rebaselined figure with the time it was replaced
-- but not since when it held, a plan set where there was none is in no history, and a batch
-- revert deletes the history rows of the plans it restores and the list entries the batch
-- added.  So from now on every change of a list entry's plan, and its adding and removing,
-- is kept in project_year_version, by statement-level triggers that fire in imports and
-- reverts too (the audit triggers do not, in a batch).

-- moving data is not a change anyone made: no audit rows (see audit_row in 0001)
SELECT set_config('kpr.batch_id', '0', true);

-- A list entry as it was from valid_from to valid_to (NULL: still): a row a change of its plan
-- or its removal.  Times are the changing transaction's (now()), as the other history's are.
CREATE TABLE project_year_version (
	project_id  bigint NOT NULL,
	year        integer NOT NULL,
	annual_plan numeric(18,4),
	valid_from  timestamptz NOT NULL DEFAULT now(),
	valid_to    timestamptz,
	CHECK (valid_to >= valid_from)
);
COMMENT ON TABLE project_year_version IS 'list entries (project_year) and their plans as they were over time: '
	'kpr report --as-of reads the row valid at its moment';
CREATE INDEX project_year_version_key ON project_year_version (year, project_id);
CREATE UNIQUE INDEX project_year_version_open ON project_year_version (project_id, year) WHERE valid_to IS NULL;

-- The entries as they can be known for the rows there are, oldest history first.  An entry was
-- listed at the earliest time known of it: the audit row of its insert, else the earliest
-- batch that wrote it (the entry's own batch_id, its history's batch_id and superseded_by),
-- else its project's created_at.  Each rebaselined figure (annual_plan_history) held from the
-- entry's listing, or from the previous figure's replacement, until it was replaced; the
-- current figure since the last replacement.  Not known, so not kept: entries deleted before
-- this migration (by a revert or by hand), plans set where there was none (the entry reads as
-- having had its current plan since it was listed), and history a revert deleted.
WITH listed AS (
	SELECT py.project_id, py.year, py.annual_plan, least(
		(SELECT min(a.at) FROM audit_log a WHERE a.table_name = 'project_year' AND a.op = 'INSERT'
			AND (a.new_row->>'project_id')::bigint = py.project_id AND (a.new_row->>'year')::int = py.year),
		(SELECT min(b.started_at) FROM import_batch b WHERE b.batch_id = py.batch_id
			OR b.batch_id IN (SELECT unnest(ARRAY[h.batch_id, h.superseded_by]) FROM annual_plan_history h
				WHERE h.project_id = py.project_id AND h.year = py.year)),
		p.created_at) AS listed_at
	FROM project_year py JOIN project p USING (project_id)
),
figures AS (
	SELECT h.project_id, h.year, h.amount, h.superseded_at,
		lag(h.superseded_at) OVER w AS since
	FROM annual_plan_history h
	WINDOW w AS (PARTITION BY h.project_id, h.year ORDER BY h.superseded_at, h.plan_id)
)
INSERT INTO project_year_version (project_id, year, annual_plan, valid_from, valid_to)
SELECT f.project_id, f.year, f.amount, least(coalesce(f.since, l.listed_at), f.superseded_at), f.superseded_at
FROM figures f JOIN listed l USING (project_id, year)
UNION ALL
SELECT l.project_id, l.year, l.annual_plan,
	greatest(l.listed_at, (SELECT max(h.superseded_at) FROM annual_plan_history h
		WHERE h.project_id = l.project_id AND h.year = l.year)), NULL
FROM listed l;

-- Keeping it: a statement's entries at once (transition tables), in imports too.
CREATE FUNCTION project_year_listed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog
	AS $$
BEGIN
	INSERT INTO project_year_version (project_id, year, annual_plan, valid_from)
	SELECT n.project_id, n.year, n.annual_plan, now() FROM new_entries n;
	RETURN NULL;
END $$;

CREATE FUNCTION project_year_changed() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog
	AS $$
BEGIN
	-- only a change of the plan (or of the key) is a new version; a new batch_id alone is not
	UPDATE project_year_version v SET valid_to = now() FROM old_entries o
	WHERE v.project_id = o.project_id AND v.year = o.year AND v.valid_to IS NULL
	  AND NOT EXISTS (SELECT FROM new_entries n WHERE n.project_id = o.project_id AND n.year = o.year
		AND n.annual_plan IS NOT DISTINCT FROM o.annual_plan);
	INSERT INTO project_year_version (project_id, year, annual_plan, valid_from)
	SELECT n.project_id, n.year, n.annual_plan, now() FROM new_entries n
	WHERE NOT EXISTS (SELECT FROM old_entries o WHERE n.project_id = o.project_id AND n.year = o.year
		AND n.annual_plan IS NOT DISTINCT FROM o.annual_plan);
	RETURN NULL;
END $$;

CREATE FUNCTION project_year_unlisted() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog
	AS $$
BEGIN
	UPDATE project_year_version v SET valid_to = now() FROM old_entries o
	WHERE v.project_id = o.project_id AND v.year = o.year AND v.valid_to IS NULL;
	RETURN NULL;
END $$;

CREATE TRIGGER version_insert AFTER INSERT ON project_year REFERENCING NEW TABLE AS new_entries
	FOR EACH STATEMENT EXECUTE FUNCTION project_year_listed();
CREATE TRIGGER version_update AFTER UPDATE ON project_year REFERENCING OLD TABLE AS old_entries
	NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION project_year_changed();
CREATE TRIGGER version_delete AFTER DELETE ON project_year REFERENCING OLD TABLE AS old_entries
	FOR EACH STATEMENT EXECUTE FUNCTION project_year_unlisted();

-- The current figures of each project and month as they were recorded at a moment: 0009's
-- progress_current over the rows recorded by then (reported_at, or the batch's started_at),
-- of batches not reverted by then; the month's highest version of those is its figure.
-- Without SET search_path (names qualified) so that the planner inlines it.
CREATE FUNCTION progress_as_of(at timestamptz) RETURNS SETOF progress_current
	LANGUAGE sql STABLE
	AS $$
	SELECT f.progress_id, f.project_id, f.month,
		coalesce(f.reported_amount, f.ytd - CASE WHEN lag(f.year) OVER project = f.year
			THEN lag(f.ytd) OVER project ELSE 0 END)::numeric(18,4) AS amount,
		f.ytd, f.physical_progress, f.problems, f.actual_start, f.adjustment_reason, f.reported_by,
		f.reported_at, f.batch_id, f.source_line, f.reported_amount, f.reported_ytd,
		f.version, f.completed_on
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
					p.batch_id, p.source_line, p.version, p.completed_on
				FROM kpr.progress p
				LEFT JOIN kpr.import_batch b ON b.batch_id = p.batch_id
				WHERE coalesce(p.reported_at, b.started_at) <= at
				  AND (b.reverted_at IS NULL OR b.reverted_at > at)
				ORDER BY p.project_id, p.month, p.version DESC
			) c
		) s
		WINDOW span AS (PARTITION BY s.project_id, s.span, s.year)
	) f
	WINDOW project AS (PARTITION BY f.project_id ORDER BY f.month) $$;

-- The override above the rules for a project in a month as it stood at a moment: set by then
-- and not cleared by then; colour_override_at()'s choice among those (the latest set wins).
CREATE FUNCTION colour_override_as_of(project bigint, at_month date, at timestamptz) RETURNS SETOF colour_override
	LANGUAGE sql STABLE
	AS $$ SELECT * FROM kpr.colour_override
		WHERE project_id = project AND created_at <= at AND (revoked_at IS NULL OR revoked_at > at)
		AND from_month <= at_month AND (expires_month IS NULL OR expires_month >= at_month)
		ORDER BY created_at DESC, override_id DESC LIMIT 1 $$;

REVOKE EXECUTE ON FUNCTION colour_override_as_of(bigint, date, timestamptz) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION project_year_listed(), project_year_changed(), project_year_unlisted() FROM PUBLIC;
DO $$
BEGIN
	EXECUTE format('ALTER TABLE project_year_version OWNER TO %I', current_database() || '_city');
	EXECUTE format('GRANT SELECT ON project_year_version TO %I', current_database() || '_reader');
	EXECUTE format('ALTER FUNCTION project_year_listed() OWNER TO %I', current_database() || '_city');
	EXECUTE format('ALTER FUNCTION project_year_changed() OWNER TO %I', current_database() || '_city');
	EXECUTE format('ALTER FUNCTION project_year_unlisted() OWNER TO %I', current_database() || '_city');
	EXECUTE format('ALTER FUNCTION progress_as_of(timestamptz) OWNER TO %I', current_database() || '_city');
	EXECUTE format('ALTER FUNCTION colour_override_as_of(bigint, date, timestamptz) OWNER TO %I',
		current_database() || '_city');
	EXECUTE format('GRANT EXECUTE ON FUNCTION colour_override_as_of(bigint, date, timestamptz) TO %I',
		current_database() || '_reader');
END $$;

SELECT set_config('kpr.batch_id', '', true);
