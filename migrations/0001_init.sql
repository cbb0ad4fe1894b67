-- 0001_init: the registry.  Applied by `kpr init` in one transaction, search_path = kpr.
-- Money is numeric(18,4) in 万元 (4 decimals = one yuan).  Months are dates on the 1st.
-- Big tables (project, progress, annual_plan) use bigint surrogate keys; public codes are unique.

CREATE TABLE setting (
	key   text PRIMARY KEY,
	value text NOT NULL
);
INSERT INTO setting (key, value) VALUES
	('timezone', 'Asia/Shanghai'),
	('local_code_pattern', '^[A-Za-z0-9_-]{3,40}$'),
	('role.city', current_database() || '_city'),
	('role.county', current_database() || '_county'),
	('role.reader', current_database() || '_reader');

-- One recorded bulk load: its rows carry batch_id instead of a per-row audit entry.  The
-- batch_id columns of the bulk-loaded tables have no foreign key on purpose: a per-row check
-- would cost as much as the row itself, and batches are never deleted.
CREATE TABLE import_batch (
	batch_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind          text NOT NULL CHECK (kind IN ('config', 'projects', 'progress')),
	file_name     text NOT NULL,
	checksum      text NOT NULL,		-- sha256 of the file's bytes, hex
	year          int,
	rows_read     int NOT NULL DEFAULT 0,
	rows_inserted int NOT NULL DEFAULT 0,
	rows_updated  int NOT NULL DEFAULT 0,
	rows_unchanged int NOT NULL DEFAULT 0,
	rows_rejected int NOT NULL DEFAULT 0,
	db_user       text NOT NULL DEFAULT current_user,
	started_at    timestamptz NOT NULL DEFAULT now(),
	finished_at   timestamptz
);

-- Regions: the city itself and its counties and districts (GB/T 2260).
CREATE TABLE region (
	code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
	name        text NOT NULL UNIQUE,
	short_name  text UNIQUE,
	level       text NOT NULL CHECK (level IN ('city', 'county')),
	parent_code text REFERENCES region (code),
	ord         int
);

-- Functional zones (功能区): a separate dimension; a project may lie in one.
CREATE TABLE zone (
	code        text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
	name        text NOT NULL UNIQUE,
	short_name  text UNIQUE,
	region_code text REFERENCES region (code),
	ord         int
);

-- The modernization scenarios (场景) of a year.
CREATE TABLE scenario (
	scenario_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year        int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	code        text NOT NULL,
	name        text NOT NULL,
	sample      boolean NOT NULL DEFAULT false,	-- a sample name, not an official one
	ord         int,
	UNIQUE (year, code),
	UNIQUE (year, name)
);

-- The seven project pools (七个项目库), in order.
CREATE TABLE pool (
	code    text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,30}$'),
	ord     int NOT NULL UNIQUE,
	name    text NOT NULL UNIQUE,
	name_en text
);

-- Four-colour rules of a year: ordered, first match wins; every condition of a rule must hold.
CREATE TABLE colour_rule (
	year        int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	rule_id     text NOT NULL CHECK (rule_id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
	ord         int NOT NULL,
	colour      text NOT NULL CHECK (colour IN ('red', 'yellow', 'green', 'blue')),
	description text,
	PRIMARY KEY (year, rule_id),
	UNIQUE (year, ord)
);

CREATE TABLE colour_rule_condition (
	year    int NOT NULL,
	rule_id text NOT NULL,
	measure text NOT NULL CHECK (measure IN ('completion_rate', 'time_progress', 'points_behind',
		'start_overdue_months', 'reported', 'months_without_investment', 'completed',
		'under_construction', 'has_plan', 'started')),
	op      text NOT NULL CHECK (op IN ('<', '<=', '=', '!=', '>=', '>')),
	value   numeric NOT NULL,		-- booleans as 1 / 0
	PRIMARY KEY (year, rule_id, measure, op),
	FOREIGN KEY (year, rule_id) REFERENCES colour_rule ON DELETE CASCADE
);

CREATE TABLE project (
	project_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code             text NOT NULL UNIQUE,
	name             text NOT NULL,
	region_code      text NOT NULL REFERENCES region (code),
	zone_code        text REFERENCES zone (code),
	level            text,		-- 省重点 / 市重点
	nature           text,		-- 新开工 / 续建 / 竣工投产 / 前期
	industry         text,
	owner            text,		-- 建设单位
	responsible_unit text,		-- 责任单位
	leader           text,		-- 包联领导
	scope            text,		-- 建设规模及内容
	remarks          text,		-- 备注
	start_year       int CHECK (start_year BETWEEN 1990 AND 2100),
	end_year         int CHECK (end_year BETWEEN 1990 AND 2100),
	planned_start    date CHECK (planned_start = date_trunc('month', planned_start)::date),
	total_investment numeric(18,4) CHECK (total_investment >= 0),
	pool_code        text REFERENCES pool (code),
	actual_start     date,
	completed_on     date,
	batch_id         bigint,		-- the import_batch that last wrote the row
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	CHECK (end_year >= start_year)
);
CREATE INDEX project_region ON project (region_code);

-- The key-project list a project is on (a project may stay on the list for several years).
CREATE TABLE project_year (
	project_id bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	year       int NOT NULL,
	batch_id   bigint,
	PRIMARY KEY (project_id, year)
);
CREATE INDEX project_year_year ON project_year (year);

CREATE TABLE project_scenario (
	project_id  bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	scenario_id int NOT NULL REFERENCES scenario,
	PRIMARY KEY (project_id, scenario_id)
);

-- Annual planned investment: a change is a rebaseline; the earlier figure stays, superseded.
CREATE TABLE annual_plan (
	plan_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id    bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	year          int NOT NULL,
	amount        numeric(18,4) NOT NULL CHECK (amount >= 0),
	reason        text,
	entered_by    text NOT NULL DEFAULT current_user,
	entered_at    timestamptz NOT NULL DEFAULT now(),
	batch_id      bigint,
	superseded_at timestamptz
);
CREATE UNIQUE INDEX annual_plan_current ON annual_plan (project_id, year) WHERE superseded_at IS NULL;

-- Monthly progress (调度).  Never updated: a correction is a new row for the same month, and the
-- current figure is the latest row (view progress_current).  This is the table bulk imports
-- fill by the million, so it carries one index only: the primary key (project, month,
-- version) serves lookups by project, by month and the latest version alike.
CREATE TABLE progress (
	-- the version: increases (a cached sequence: gaps do not matter, a lock per row would)
	progress_id       bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000),
	project_id        bigint NOT NULL REFERENCES project,
	month             date NOT NULL CHECK (date_part('day', month) = 1),
	amount            numeric(18,4) NOT NULL,	-- 本月完成投资, 万元
	ytd               numeric(18,4) CHECK (ytd >= 0),	-- 累计, when the report gave it
	physical_progress text,		-- 形象进度
	problems          text,		-- 存在问题
	actual_start      date,		-- 实际开工时间
	adjustment_reason text,		-- 调整原因: required for a negative month (调减)
	-- who and when: for a row of a bulk import, the batch's (import_batch.db_user, started_at),
	-- recorded there once rather than on millions of rows (and evaluated for each of them)
	reported_by       text DEFAULT current_user,
	reported_at       timestamptz DEFAULT now(),
	batch_id          bigint,
	source_line       int,
	CHECK (amount >= 0 OR adjustment_reason IS NOT NULL),
	CHECK (batch_id IS NOT NULL OR (reported_by IS NOT NULL AND reported_at IS NOT NULL)),
	PRIMARY KEY (project_id, month, progress_id)
);

-- The current figure of each project and month, with its reporter filled in from its batch.
CREATE VIEW progress_current AS
	SELECT DISTINCT ON (p.project_id, p.month)
		p.progress_id, p.project_id, p.month, p.amount, p.ytd, p.physical_progress, p.problems,
		p.actual_start, p.adjustment_reason,
		coalesce(p.reported_by, b.db_user) AS reported_by,
		coalesce(p.reported_at, b.started_at) AS reported_at,
		p.batch_id, p.source_line
	FROM progress p
	LEFT JOIN import_batch b ON b.batch_id = p.batch_id
	ORDER BY p.project_id, p.month, p.progress_id DESC;

-- Moves between pools: forward by one or more steps; back only with a reason; 退库 = withdrawn.
CREATE TABLE pool_move (
	move_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	from_pool  text REFERENCES pool (code),
	to_pool    text REFERENCES pool (code),	-- NULL when withdrawn
	moved_on   date NOT NULL,
	reason     text,
	moved_by   text NOT NULL DEFAULT current_user,
	moved_at   timestamptz NOT NULL DEFAULT now(),
	CHECK (to_pool IS NOT NULL OR reason IS NOT NULL)
);

-- The colour of a project in a month, with the rule and the figures behind it.
CREATE TABLE colour_evaluation (
	evaluation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id    bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	month         date NOT NULL,
	colour        text CHECK (colour IN ('red', 'yellow', 'green', 'blue')),	-- NULL: unrated
	rule_id       text,
	figures       jsonb,
	evaluated_by  text NOT NULL DEFAULT current_user,
	evaluated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX colour_evaluation_project ON colour_evaluation (project_id, month);

-- A manual colour, above the rules, until it expires or is revoked.
CREATE TABLE colour_override (
	override_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id    bigint NOT NULL REFERENCES project ON DELETE CASCADE,
	colour        text NOT NULL CHECK (colour IN ('red', 'yellow', 'green', 'blue')),
	reason        text NOT NULL CHECK (reason <> ''),
	author        text NOT NULL DEFAULT current_user,
	from_month    date NOT NULL,
	expires_month date,
	created_at    timestamptz NOT NULL DEFAULT now(),
	revoked_at    timestamptz
);

-- The audit trail: single changes by trigger; bulk loads by their batch (import_batch, batch_id).
CREATE TABLE audit_log (
	audit_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at         timestamptz NOT NULL DEFAULT now(),
	db_user    text NOT NULL DEFAULT current_user,
	table_name text NOT NULL,
	op         text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
	old_row    jsonb,
	new_row    jsonb,
	batch_id   bigint REFERENCES import_batch
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog AS $$
BEGIN
	INSERT INTO audit_log (db_user, table_name, op, old_row, new_row)
	VALUES (session_user, TG_TABLE_NAME, TG_OP,
		CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
		CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
	RETURN NULL;
END $$;

-- A bulk import sets kpr.batch_id for its transaction and records its own changes.
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['setting', 'region', 'zone', 'scenario', 'pool', 'colour_rule',
		'colour_rule_condition', 'project', 'project_year', 'project_scenario', 'annual_plan',
		'progress', 'pool_move', 'colour_override']
	LOOP
		EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
			'WHEN (coalesce(pg_catalog.current_setting(''kpr.batch_id'', true), '''') = '''') '
			'EXECUTE FUNCTION audit_row()', t);
	END LOOP;
END $$;

-- Roles, named after the database so that several registries (and tests) share a cluster:
-- <db>_city owns the data and bulk-loads; <db>_county posts its region's progress (row-level
-- security comes with the county-office issue); <db>_reader reads.
DO $$
DECLARE
	city   text := current_database() || '_city';
	county text := current_database() || '_county';
	reader text := current_database() || '_reader';
	r text;
	t text;
BEGIN
	FOREACH r IN ARRAY ARRAY[reader, county, city] LOOP
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
	EXECUTE format('GRANT %I TO %I', reader, county);
	EXECUTE format('GRANT USAGE ON SCHEMA kpr TO %I', reader);
	EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA kpr TO %I', reader);
	EXECUTE format('GRANT INSERT ON progress, pool_move TO %I', county);
	EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA kpr TO %I', county);
	FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'kpr' AND tablename <> 'schema_migrations' LOOP
		EXECUTE format('ALTER TABLE %I OWNER TO %I', t, city);
	END LOOP;
	EXECUTE format('ALTER VIEW progress_current OWNER TO %I', city);
	EXECUTE format('GRANT USAGE, CREATE ON SCHEMA kpr TO %I', city);
END $$;
