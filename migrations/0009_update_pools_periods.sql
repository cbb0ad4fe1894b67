-- 0009_update_pools_periods: what a county office's monthly work needs (kpr update, kpr stage,
-- kpr period): pools marked with what they mean, the first pool an import sets recorded as a
-- move, starts and completions recorded by the database, closed months, and the current figure
-- of a month the last one committed (versions numbered per project and month).

-- moving data is not a change anyone made: no audit rows (see audit_row in 0001)
SELECT set_config('kpr.batch_id', '0', true);

-- What a pool means to kpr, from the configuration (pools: mark:), instead of codes written
-- into the program.  Deferred: a configuration that moves a mark from one pool to another
-- writes the two pools one after the other.
ALTER TABLE pool ADD COLUMN mark text
	CHECK (mark IN ('preparation', 'started', 'construction', 'completed', 'withdrawn'));
ALTER TABLE pool ADD CONSTRAINT pool_mark_key UNIQUE (mark) DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN pool.mark IS 'what the pool means: where new projects start (preparation, construction), '
	'where a start, a completion, a withdrawal (退库) moves a project';
UPDATE pool SET mark = code WHERE code IN ('preparation', 'started', 'construction', 'completed', 'withdrawn');

-- The pool a project's import put it in is its first move: the batch's, undone with it.
ALTER TABLE pool_move ADD COLUMN batch_id bigint;
COMMENT ON COLUMN pool_move.batch_id IS 'the import batch that put a new project in its first pool';
-- (the mover is the batch's, not whoever runs this: 0008's stamp_mover is held off meanwhile)
ALTER TABLE pool_move DISABLE TRIGGER stamp_mover;
INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on, moved_by, moved_at, batch_id)
SELECT p.project_id, NULL, p.pool_code, coalesce(b.started_at, p.created_at)::date, coalesce(b.db_user, current_user),
	coalesce(b.started_at, p.created_at), p.batch_id
FROM project p LEFT JOIN import_batch b ON b.batch_id = p.batch_id
WHERE p.pool_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pool_move m WHERE m.project_id = p.project_id);
ALTER TABLE pool_move ENABLE TRIGGER stamp_mover;


-- Versions of a month's figure, numbered per project and month from 1 without a gap, in the
-- order they were committed: the current figure is the highest version of a batch not
-- reverted.  progress_id comes from a sequence cached per session, so it follows neither commit
-- nor posting order.  The key (project, month, version) stays the table's one index.
ALTER TABLE progress ADD COLUMN version int;
UPDATE progress p SET version = v.n
FROM (SELECT progress_id, row_number() OVER (PARTITION BY project_id, month ORDER BY progress_id) AS n
      FROM progress) v
WHERE v.progress_id = p.progress_id;
ALTER TABLE progress ALTER COLUMN version SET NOT NULL,
	DROP CONSTRAINT progress_pkey,
	ADD PRIMARY KEY (project_id, month, version);
COMMENT ON COLUMN progress.version IS 'the figure''s version for its project and month, from 1, in commit order '
	'(0 only inside an import''s transaction, for a correction numbered after its COPY)';

-- The completion a report gives (kpr update --completed), beside its start.
ALTER TABLE progress ADD COLUMN completed_on date;	-- 竣工时间

-- 0007's definition, the current row now the month's highest version, its version and
-- completion added at the end.
CREATE OR REPLACE VIEW progress_current AS
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
				FROM progress p
				LEFT JOIN import_batch b ON b.batch_id = p.batch_id
				WHERE b.reverted_at IS NULL
				ORDER BY p.project_id, p.month, p.version DESC
			) c
		) s
		WINDOW span AS (PARTITION BY s.project_id, s.span, s.year)
	) f
	WINDOW project AS (PARTITION BY f.project_id ORDER BY f.month);

-- Closed months (kpr period close|reopen): once the city has published a month it closes it;
-- no office may then post or correct it or an earlier month.  The history is kept: the latest
-- row of a month says whether it is closed.
CREATE TABLE period_close (
	close_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	month     date NOT NULL CHECK (date_part('day', month) = 1),
	action    text NOT NULL CHECK (action IN ('close', 'reopen')),
	reason    text CHECK (reason <> ''),
	closed_by text NOT NULL DEFAULT session_user,
	closed_at timestamptz NOT NULL DEFAULT now(),
	CHECK (action = 'close' OR reason IS NOT NULL)
);
CREATE INDEX period_close_month ON period_close (month, close_id);
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON period_close FOR EACH ROW
	WHEN (coalesce(pg_catalog.current_setting('kpr.batch_id', true), '') = '') EXECUTE FUNCTION audit_row();

-- The latest month that is closed, with its close; no row when none is.
CREATE FUNCTION closed_month() RETURNS SETOF period_close
	LANGUAGE sql STABLE SET search_path = kpr, pg_catalog AS $$
	SELECT c.* FROM (SELECT DISTINCT ON (month) * FROM period_close ORDER BY month, close_id DESC) c
	WHERE c.action = 'close' ORDER BY c.month DESC LIMIT 1 $$;

-- Lock a project's row for a posting (kpr update): postings of a project follow one another, so
-- that each one's figures build on the last committed.  An office has no UPDATE on project,
-- which SELECT ... FOR UPDATE needs; this takes the lock for it and changes nothing.
CREATE FUNCTION lock_project(id bigint) RETURNS boolean
	LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = kpr, pg_catalog AS $$
	SELECT true FROM project WHERE project_id = id FOR NO KEY UPDATE $$;

-- A posting by hand (kpr update, psql): its version, numbered under the project's row lock;
-- the closed months; and the start or completion it reports, set on the project and its pool
-- moved to the one marked started or completed, as a pool move.  SECURITY DEFINER: an office
-- has no UPDATE on project.  A bulk import gives its rows their versions itself, under a lock
-- on the table (kpr import progress); only the city can give a version (column privileges).
CREATE FUNCTION progress_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog AS $$
DECLARE
	p project%ROWTYPE;
	c period_close%ROWTYPE;
	started date;
BEGIN
	SELECT * INTO p FROM project WHERE project_id = NEW.project_id FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN NEW;	-- the foreign key reports it
	END IF;
	SELECT * INTO c FROM closed_month();
	IF FOUND AND NEW.month <= c.month THEN
		IF NOT is_city() THEN
			RAISE EXCEPTION 'project %, %: months up to % are closed', p.code, to_char(NEW.month, 'YYYY-MM'),
				to_char(c.month, 'YYYY-MM')
				USING ERRCODE = 'insufficient_privilege',
				DETAIL = format('%s closed by %s on %s%s', to_char(c.month, 'YYYY-MM'), c.closed_by,
					to_char(c.closed_at, 'YYYY-MM-DD'), coalesce(': ' || c.reason, '')),
				HINT = 'Ask the city office to reopen the month (kpr period reopen).';
		ELSIF NEW.adjustment_reason IS NULL THEN
			RAISE EXCEPTION 'project %, %: months up to % are closed: a change needs a reason', p.code,
				to_char(NEW.month, 'YYYY-MM'), to_char(c.month, 'YYYY-MM')
				USING ERRCODE = 'invalid_parameter_value', HINT = 'Give --reason TEXT.';
		END IF;
	END IF;
	SELECT coalesce(max(version), 0) + 1 INTO NEW.version FROM progress
	WHERE project_id = NEW.project_id AND month = NEW.month;
	started := coalesce(NEW.actual_start, p.actual_start);
	IF NEW.completed_on IS NOT NULL AND started IS NULL THEN
		RAISE EXCEPTION 'project % was never started: a completion needs its start', p.code
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Give --started YYYY-MM-DD too.';
	END IF;
	IF started > coalesce(NEW.completed_on, p.completed_on) THEN
		RAISE EXCEPTION 'project %: started % after its completion %', p.code, started,
			coalesce(NEW.completed_on, p.completed_on) USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NEW.actual_start IS NOT NULL AND NEW.actual_start IS DISTINCT FROM p.actual_start THEN
		PERFORM project_moved(p, 'started', NEW.actual_start);
		UPDATE project SET actual_start = NEW.actual_start, updated_at = now() WHERE project_id = p.project_id;
		SELECT * INTO p FROM project WHERE project_id = NEW.project_id;
	END IF;
	IF NEW.completed_on IS NOT NULL AND NEW.completed_on IS DISTINCT FROM p.completed_on THEN
		PERFORM project_moved(p, 'completed', NEW.completed_on);
		UPDATE project SET completed_on = NEW.completed_on, updated_at = now() WHERE project_id = p.project_id;
	END IF;
	RETURN NEW;
END $$;

-- Move p forward into the pool with that mark, dated on, as a pool move; a project already
-- there or further on stays (a start reported after the completion moves nothing back).
CREATE FUNCTION project_moved(p project, mark text, moved_on date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog AS $$
DECLARE
	target pool%ROWTYPE;
BEGIN
	SELECT * INTO target FROM pool WHERE pool.mark = project_moved.mark;
	IF NOT FOUND OR p.pool_code = target.code
	   OR coalesce((SELECT ord FROM pool WHERE code = p.pool_code), 0) > target.ord THEN
		RETURN;
	END IF;
	UPDATE project SET pool_code = target.code, updated_at = now() WHERE project_id = p.project_id;
	INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on, moved_by)
	VALUES (p.project_id, p.pool_code, target.code, project_moved.moved_on, session_user);
END $$;

CREATE TRIGGER post BEFORE INSERT ON progress FOR EACH ROW WHEN (NEW.version IS NULL)
	EXECUTE FUNCTION progress_post();

REVOKE EXECUTE ON FUNCTION closed_month(), lock_project(bigint), progress_post(), project_moved(project, text, date)
	FROM PUBLIC;
DO $$
DECLARE
	city   text := current_database() || '_city';
	county text := current_database() || '_county';
	reader text := current_database() || '_reader';
	cols   text;
BEGIN
	EXECUTE format('ALTER TABLE period_close OWNER TO %I', city);
	EXECUTE format('GRANT SELECT ON period_close TO %I', reader);
	EXECUTE format('ALTER VIEW progress_current OWNER TO %I', city);
	EXECUTE format('ALTER FUNCTION lock_project(bigint) OWNER TO %I', city);
	EXECUTE format('ALTER FUNCTION progress_post() OWNER TO %I', city);
	EXECUTE format('ALTER FUNCTION project_moved(project, text, date) OWNER TO %I', city);
	EXECUTE format('GRANT EXECUTE ON FUNCTION closed_month() TO %I', reader);
	EXECUTE format('GRANT EXECUTE ON FUNCTION lock_project(bigint) TO %I', county);
	-- an office posts every column but the version, which the database numbers
	SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols FROM pg_attribute
	WHERE attrelid = 'progress'::regclass AND attnum > 0 AND NOT attisdropped
	  AND attname NOT IN ('version', 'progress_id');
	EXECUTE format('REVOKE INSERT ON progress FROM %I', county);
	EXECUTE format('GRANT INSERT (%s) ON progress TO %I', cols, county);
END $$;

SELECT set_config('kpr.batch_id', '', true);
