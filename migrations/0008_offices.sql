-- 0008_offices: county offices, and PostgreSQL holding every writer to its part (issue 10).
--
-- An office (县级项目办) is a login role NAME, a member of <db>_county, with the regions or zones
-- it reports for in office_scope; personal logins may be members of an office and then act for
-- it.  Roles are cluster-wide: the role DDL lives in SECURITY DEFINER functions owned by the
-- role that ran kpr init (a superuser or a CREATEROLE role), EXECUTE granted to <db>_city only,
-- since the city role has no CREATEROLE.  They create, grant and drop nothing but an office,
-- its <db>_county membership, and an office's membership for its members.
--
-- The tables of offices belong to the role that ran kpr init, not to the city: a city that
-- could write "postgres" into office would have office_member_add() grant a superuser's role.

CREATE TABLE office (
	name       text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
	title      text,				-- its Chinese name, 固安县重点项目办
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by text NOT NULL DEFAULT session_user
);

CREATE TABLE office_scope (
	office      text NOT NULL REFERENCES office ON DELETE CASCADE,
	region_code text REFERENCES region,
	zone_code   text REFERENCES zone,
	CHECK ((region_code IS NULL) <> (zone_code IS NULL)),
	UNIQUE (office, region_code),
	UNIQUE (office, zone_code)
);

-- A personal login made a member of an office; created_login: kpr created the login (and so
-- may set its password), rather than finding it there.
CREATE TABLE office_member (
	office        text NOT NULL REFERENCES office ON DELETE CASCADE,
	login         text NOT NULL CHECK (login ~ '^[a-z][a-z0-9_]{0,39}$'),
	created_login boolean NOT NULL,
	added_at      timestamptz NOT NULL DEFAULT now(),
	added_by      text NOT NULL DEFAULT session_user,
	PRIMARY KEY (office, login)
);

-- Who opened a batch and in which transaction: the audit's skip for a bulk load (kpr.batch_id)
-- holds for that user in that transaction only.
ALTER TABLE import_batch ADD COLUMN opened_xact xid8;

-- The reporter, mover and batch columns name session_user, set by the database: a default
-- alone would take any name an INSERT gives.
ALTER TABLE progress ALTER COLUMN reported_by SET DEFAULT session_user;
ALTER TABLE pool_move ALTER COLUMN moved_by SET DEFAULT session_user;
ALTER TABLE import_batch ALTER COLUMN db_user SET DEFAULT session_user;

-- A row is someone's single change (reported by session_user, now) or a batch's (NULL, NULL:
-- the batch names who and when).  The WHEN keeps the function out of a bulk load's way.
CREATE FUNCTION stamp_reporter() RETURNS trigger
LANGUAGE plpgsql SET search_path = kpr, pg_catalog AS $$
BEGIN
	NEW.reported_by := session_user;
	NEW.reported_at := now();
	RETURN NEW;
END $$;
CREATE TRIGGER stamp_reporter BEFORE INSERT ON progress FOR EACH ROW
	WHEN (NOT ((NEW.reported_by IS NOT DISTINCT FROM session_user AND NEW.reported_at IS NOT DISTINCT FROM now())
		OR (NEW.batch_id IS NOT NULL AND NEW.reported_by IS NULL AND NEW.reported_at IS NULL)))
	EXECUTE FUNCTION stamp_reporter();

CREATE FUNCTION stamp_mover() RETURNS trigger
LANGUAGE plpgsql SET search_path = kpr, pg_catalog AS $$
BEGIN
	NEW.moved_by := session_user;
	RETURN NEW;
END $$;
CREATE TRIGGER stamp_mover BEFORE INSERT ON pool_move FOR EACH ROW
	WHEN (NEW.moved_by IS DISTINCT FROM session_user)
	EXECUTE FUNCTION stamp_mover();

CREATE FUNCTION stamp_batch() RETURNS trigger
LANGUAGE plpgsql SET search_path = kpr, pg_catalog AS $$
BEGIN
	NEW.db_user := session_user;
	NEW.opened_xact := pg_current_xact_id();
	RETURN NEW;
END $$;
CREATE TRIGGER stamp_batch BEFORE INSERT ON import_batch FOR EACH ROW EXECUTE FUNCTION stamp_batch();

-- Was batch b opened by this session's user in this transaction?  A NULL or empty b: no.
CREATE FUNCTION batch_is_mine(b text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = kpr, pg_catalog AS $$
	SELECT coalesce(b, '') ~ '^[0-9]{1,18}$' AND EXISTS (SELECT 1 FROM import_batch
		WHERE batch_id = b::bigint AND db_user = session_user AND opened_xact = pg_current_xact_id())
$$;

-- May the session write project p's progress and moves?  The city (or a superuser): any
-- project.  An office, or a login that is a member of one: a project whose region or zone is
-- one of its office's.
CREATE FUNCTION may_write_project(project_id bigint) RETURNS boolean
LANGUAGE sql STABLE SET search_path = kpr, pg_catalog AS $$
	SELECT is_city() OR EXISTS (
		SELECT 1 FROM project p
		JOIN office_scope s ON s.region_code = p.region_code OR s.zone_code = p.zone_code
		JOIN pg_roles r ON r.rolname = s.office
		WHERE p.project_id = may_write_project.project_id AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

-- The regions and zones the session's offices report for, for messages: '固安县 (131022)'
-- ('固安县 (131022), 廊坊经济技术开发区 (131071)' for several); NULL when it is in no office, or is
-- the city (pg_has_role counts a superuser a member of every role).
CREATE FUNCTION office_scope_text() RETURNS text
LANGUAGE sql STABLE SET search_path = kpr, pg_catalog AS $$
	SELECT string_agg(DISTINCT coalesce(rg.name, z.name) || ' (' || coalesce(s.region_code, s.zone_code) || ')', ', ')
	FROM office_scope s
	JOIN pg_roles r ON r.rolname = s.office
	LEFT JOIN region rg ON rg.code = s.region_code
	LEFT JOIN zone z ON z.code = s.zone_code
	WHERE NOT is_city() AND pg_has_role(session_user, r.oid, 'MEMBER')
$$;

-- Row-level security.  The city owns the tables and so is not held by it; everyone else reads
-- every row, and an office (<db>_county) adds progress and pool moves for its own projects
-- only.  While kpr.batch_id is set, an office writes only under a batch it opened in this
-- transaction: the audit trigger's WHEN skips rows on that setting alone, and a per-row check
-- there would cost a bulk load 8 µs a row; the policy is checked for offices' rows only.
ALTER TABLE progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE pool_move ENABLE ROW LEVEL SECURITY;

-- The role DDL.  Names are checked here, whatever the client did; identifiers and literals
-- quoted with format's %I and %L.
CREATE FUNCTION office_check_name(what text, name text) RETURNS void
LANGUAGE plpgsql SET search_path = kpr, pg_catalog AS $$
BEGIN
	IF name IS NULL OR name !~ '^[a-z][a-z0-9_]{0,39}$' THEN
		RAISE EXCEPTION 'invalid % name "%"', what, name USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A name is a lower-case ASCII letter, then up to 39 lower-case letters, digits or "_".';
	END IF;
END $$;

-- A password given to these functions is a hash (PQencryptPasswordConn), never the password.
CREATE FUNCTION office_password_sql(hash text) RETURNS text
LANGUAGE plpgsql SET search_path = kpr, pg_catalog AS $$
BEGIN
	IF hash IS NULL THEN
		RETURN '';
	END IF;
	IF hash !~ '^(SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+|md5[0-9a-f]{32})$' THEN
		RAISE EXCEPTION 'the password must come hashed by the client' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN format(' PASSWORD %L', hash);
END $$;

CREATE FUNCTION office_add(name text, title text, regions text[], zones text[], password text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
DECLARE
	bad text;
BEGIN
	PERFORM office_check_name('office', name);
	IF EXISTS (SELECT 1 FROM office o WHERE o.name = office_add.name) THEN
		RAISE EXCEPTION 'office "%" exists', name USING ERRCODE = 'unique_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
		RAISE EXCEPTION 'role "%" exists and is not an office of this registry', name
			USING ERRCODE = 'unique_violation',
			HINT = 'Roles are shared by every database of the server: choose another name.';
	END IF;
	IF coalesce(cardinality(regions), 0) + coalesce(cardinality(zones), 0) = 0 THEN
		RAISE EXCEPTION 'an office needs a region or a zone' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT string_agg(c, ', ') INTO bad FROM unnest(regions) c WHERE NOT EXISTS (SELECT 1 FROM region WHERE code = c);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'unknown region code %', bad USING ERRCODE = 'foreign_key_violation';
	END IF;
	SELECT string_agg(c, ', ') INTO bad FROM unnest(zones) c WHERE NOT EXISTS (SELECT 1 FROM zone WHERE code = c);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'unknown zone code %', bad USING ERRCODE = 'foreign_key_violation';
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS%s',
		name, office_password_sql(password));
	EXECUTE format('GRANT %I TO %I', role_name('county'), name);
	INSERT INTO office (name, title) VALUES (name, nullif(title, ''));
	INSERT INTO office_scope (office, region_code) SELECT DISTINCT name, c FROM unnest(regions) c;
	INSERT INTO office_scope (office, zone_code) SELECT DISTINCT name, c FROM unnest(zones) c;
END $$;

-- office_remove: the role goes (its members' memberships with it); the logins kpr created for
-- members stay, members of nothing, for the city to drop or reuse.
CREATE FUNCTION office_remove(name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM office_check_name('office', name);
	IF NOT EXISTS (SELECT 1 FROM office o WHERE o.name = office_remove.name) THEN
		RAISE EXCEPTION 'no office "%"', name USING ERRCODE = 'P0001';
	END IF;
	DELETE FROM office o WHERE o.name = office_remove.name;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
		EXECUTE format('DROP ROLE %I', name);
	END IF;
END $$;

CREATE FUNCTION office_member_add(name text, login text, password text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
DECLARE
	r pg_roles;
	created boolean;
BEGIN
	PERFORM office_check_name('office', name);
	PERFORM office_check_name('login', login);
	IF NOT EXISTS (SELECT 1 FROM office o WHERE o.name = office_member_add.name) THEN
		RAISE EXCEPTION 'no office "%"', name USING ERRCODE = 'P0001';
	END IF;
	IF EXISTS (SELECT 1 FROM office o WHERE o.name = login) THEN
		RAISE EXCEPTION '"%" is an office, not a personal login', login USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = login;
	IF NOT FOUND THEN
		EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS%s',
			login, office_password_sql(password));
		created := true;
	ELSE
		created := EXISTS (SELECT 1 FROM office_member m WHERE m.login = office_member_add.login AND m.created_login);
		IF password IS NOT NULL AND NOT created THEN
			RAISE EXCEPTION 'login "%" exists and was not created by kpr: its password is not kpr''s to set', login
				USING ERRCODE = 'P0001';
		END IF;
		IF r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls THEN
			RAISE EXCEPTION 'login "%" is a superuser or may create roles: not made a member of an office', login
				USING ERRCODE = 'P0001';
		END IF;
		IF password IS NOT NULL THEN
			EXECUTE format('ALTER ROLE %I%s', login, office_password_sql(password));
		END IF;
	END IF;
	EXECUTE format('GRANT %I TO %I', name, login);
	INSERT INTO office_member (office, login, created_login) VALUES (name, login, created)
		ON CONFLICT ON CONSTRAINT office_member_pkey DO NOTHING;
END $$;

CREATE FUNCTION office_member_remove(name text, login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM office_check_name('office', name);
	PERFORM office_check_name('login', login);
	DELETE FROM office_member m WHERE m.office = name AND m.login = office_member_remove.login;
	IF NOT FOUND THEN
		RAISE EXCEPTION '"%" is not a member of office "%"', login, name USING ERRCODE = 'P0001';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
		EXECUTE format('REVOKE %I FROM %I', name, login);
	END IF;
END $$;

-- An office's import: its batch row, opened and finished through these, since offices may not
-- write import_batch themselves.  Finishing checks the batch is the session's, in this
-- transaction.
CREATE FUNCTION office_open_batch(kind text, file_name text, year integer, rows_read integer, rows_rejected integer)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
DECLARE
	id bigint;
BEGIN
	IF kind <> 'progress' THEN
		RAISE EXCEPTION 'an office imports progress only' USING ERRCODE = 'insufficient_privilege';
	END IF;
	INSERT INTO import_batch (kind, file_name, checksum, year, rows_read, rows_rejected)
	VALUES (kind, file_name, '', year, rows_read, rows_rejected) RETURNING batch_id INTO id;
	RETURN id;
END $$;

CREATE FUNCTION office_finish_batch(batch bigint, rows_read integer, rows_inserted integer, rows_updated integer,
	rows_unchanged integer, rows_rejected integer, checksum text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog, pg_temp AS $$
BEGIN
	IF NOT batch_is_mine(batch::text) THEN
		RAISE EXCEPTION 'import batch % was not opened in this transaction by %', batch, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	UPDATE import_batch b SET rows_read = office_finish_batch.rows_read, rows_inserted = office_finish_batch.rows_inserted,
		rows_updated = office_finish_batch.rows_updated, rows_unchanged = office_finish_batch.rows_unchanged,
		rows_rejected = office_finish_batch.rows_rejected, checksum = office_finish_batch.checksum,
		finished_at = clock_timestamp()
	WHERE b.batch_id = batch;
END $$;

REVOKE EXECUTE ON FUNCTION office_add(text, text, text[], text[], text), office_remove(text),
	office_member_add(text, text, text), office_member_remove(text, text),
	office_open_batch(text, text, integer, integer, integer),
	office_finish_batch(bigint, integer, integer, integer, integer, integer, text),
	office_check_name(text, text), office_password_sql(text),
	batch_is_mine(text), may_write_project(bigint), office_scope_text() FROM PUBLIC;

DO $$
DECLARE
	city   text := role_name('city');
	county text := role_name('county');
	reader text := role_name('reader');
BEGIN
	EXECUTE format('GRANT SELECT ON office, office_scope, office_member TO %I', reader);
	EXECUTE format('GRANT EXECUTE ON FUNCTION batch_is_mine(text), may_write_project(bigint), '
		'office_scope_text() TO %I', reader);
	EXECUTE format('GRANT EXECUTE ON FUNCTION office_add(text, text, text[], text[], text), office_remove(text), '
		'office_member_add(text, text, text), office_member_remove(text, text) TO %I', city);
	EXECUTE format('GRANT EXECUTE ON FUNCTION office_open_batch(text, text, integer, integer, integer), '
		'office_finish_batch(bigint, integer, integer, integer, integer, integer, text) TO %I', county);

	EXECUTE format('GRANT DELETE ON progress TO %I', county);
END $$;

-- The policies name no role (roles are named after the database, which would make the schema
-- differ between registries): the grants decide who may read (<db>_reader and the roles in it)
-- and who may insert or delete (<db>_county); the policies, what.
-- Everyone with a kpr role reads every row.
CREATE POLICY read_all ON progress FOR SELECT USING (true);
CREATE POLICY read_all ON pool_move FOR SELECT USING (true);
-- An office adds rows for its projects, and under no batch but one of its own.
CREATE POLICY office_writes ON progress FOR INSERT WITH CHECK (
	may_write_project(project_id) AND (batch_id IS NULL OR batch_is_mine(batch_id::text))
	AND (coalesce(pg_catalog.current_setting('kpr.batch_id', true), '') = ''
		OR batch_is_mine(pg_catalog.current_setting('kpr.batch_id', true))));
-- An office's import takes back rows of its own batch in the same transaction (a month
-- re-sent unchanged, a row rejected after the load): as if never written.
CREATE POLICY office_takes_back ON progress FOR DELETE USING (batch_id IS NOT NULL AND batch_is_mine(batch_id::text));
CREATE POLICY office_writes ON pool_move FOR INSERT WITH CHECK (
	may_write_project(project_id)
	AND (coalesce(pg_catalog.current_setting('kpr.batch_id', true), '') = ''
		OR batch_is_mine(pg_catalog.current_setting('kpr.batch_id', true))));
