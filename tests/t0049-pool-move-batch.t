#!/usr/bin/env bash
# Migration 0013 on a registry holding data: project_moved() stamps the session's import batch on
# the pool move it records when that batch is this user's and this transaction's, none otherwise
# (a posting by hand); the moves already there keep theirs.
. "$KPR_SRC/tests/lib.sh"
fresh_db
setup "a registry at 0011 with a project and its first pool move" registry_at 11 <<'SQL'
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO pool (code, name, ord, mark) VALUES ('construction', '在建库', 1, 'construction'),
	('completed', '竣工库', 2, 'completed');
INSERT INTO project (code, name, region_code, pool_code) VALUES ('P-1', '道路', '131002', 'construction'),
	('P-2', '桥梁', '131002', 'construction');
INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on) SELECT project_id, NULL, 'construction', '2023-01-01'
	FROM project;
SQL
run_kpr init
is "$status" 0 "init upgrades a registry from 0011"
is "$(psql_q "SELECT count(*) FROM kpr.schema_migrations WHERE version = 13")" 1 "0013 is applied"
is "$(psql_q "SELECT count(*) FROM kpr.pool_move WHERE to_pool = 'construction' AND batch_id IS NULL")" 2 \
	"the moves already there are as they were"

psql_q "BEGIN;
	INSERT INTO kpr.import_batch (kind, file_name, checksum) VALUES ('progress', 'p.csv', '');
	SELECT set_config('kpr.batch_id', (SELECT max(batch_id) FROM kpr.import_batch)::text, true);
	SELECT kpr.project_moved(p, 'completed', '2023-09-20') FROM kpr.project p WHERE code = 'P-1';
	COMMIT;" >/dev/null
is "$(psql_q "SELECT to_pool || ' ' || moved_on || ' ' || (m.batch_id = (SELECT max(batch_id) FROM kpr.import_batch))
	FROM kpr.pool_move m JOIN kpr.project p USING (project_id) WHERE p.code = 'P-1' ORDER BY move_id DESC LIMIT 1")" \
	"completed 2023-09-20 true" "a move inside an import carries its batch"
psql_q "BEGIN;
	SELECT set_config('kpr.batch_id', (SELECT max(batch_id) FROM kpr.import_batch)::text, true);
	SELECT kpr.project_moved(p, 'completed', '2023-10-01') FROM kpr.project p WHERE code = 'P-2';
	COMMIT;" >/dev/null
is "$(psql_q "SELECT to_pool || ' ' || coalesce(m.batch_id::text, 'none') FROM kpr.pool_move m
	JOIN kpr.project p USING (project_id) WHERE p.code = 'P-2' ORDER BY move_id DESC LIMIT 1")" \
	"completed none" "a batch opened in another transaction is not taken"
done_testing
