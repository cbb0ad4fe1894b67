#!/usr/bin/env bash
# kpr stage CODE POOL: the city moves projects between pools (forward skipping, back and
# withdrawn with a reason), each move a pool_move row; the first pool an import sets is a move of
# its batch, in the pool the configuration marks; an office is refused; migration 0009 on a
# registry with data marks the pools and records the first moves.
. "$KPR_SRC/tests/lib.sh"
export KPR_TODAY=2023-10-15
fresh_db_with_config
setup "import the list" "$KPR" import projects "$TESTDATA/import/projects-2023.csv"
batch=$(sed -n 's/^kpr: recorded as import batch \([0-9]*\)$/\1/p' "$WORK/.setup.err")
P1=2303-131022-04-01-573274
P3=LF2023-003

moves() { # code: from>to(reason) of its moves, oldest first
	psql_q "SELECT string_agg(coalesce(m.from_pool, '-') || '>' || m.to_pool || coalesce('(' || m.reason || ')', ''),
	        ' ' ORDER BY m.move_id) FROM kpr.pool_move m JOIN kpr.project p USING (project_id) WHERE p.code = '$1'"
}
pool() { psql_q "SELECT pool_code FROM kpr.project WHERE code = '$1'"; }

# --- the first pool an import sets ------------------------------------------------------------
is "$(psql_q "SELECT count(*) FROM kpr.pool_move WHERE batch_id = $batch AND from_pool IS NULL")" \
	"$(psql_q "SELECT count(*) FROM kpr.project WHERE pool_code IS NOT NULL")" "each new project's first pool is a move of the batch"
is "$(moves $P1)" "->preparation" "a new start begins in the pool marked preparation"
is "$(moves $P3)" "->construction" "a continuing project in the pool marked construction"
is "$(psql_q "SELECT moved_on FROM kpr.pool_move m JOIN kpr.project p USING (project_id) WHERE p.code = '$P1'")" \
	"$(psql_q "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date")" "dated the day of the import"

# marks, not codes: another pool marked preparation takes the new projects
sed -e 's/name_en: signed }/name_en: signed, mark: preparation }/' \
    -e 's/name_en: preparation, mark: preparation }/name_en: preparation }/' "$TESTDATA/config.yaml" > marked.yaml
run_kpr import config marked.yaml
is "$status" 0 "a configuration moves the preparation mark to another pool"
is "$(psql_q "SELECT string_agg(code, ',') FROM kpr.pool WHERE mark = 'preparation'")" signed "the mark moved"
printf '项目代码,项目名称,县(市、区),建设性质,2023年计划投资(万元)\nLF2023-901,新项目,固安县,新开工,10\n' > new.csv
setup "import a new project" "$KPR" -q import projects new.csv
is "$(moves LF2023-901)" "->signed" "a new project starts in the pool now marked preparation"
printf 'kpr_config: 1\npools:\n  - { code: a, name: x, mark: started }\n  - { code: b, name: y, mark: started }\n  - { code: c, name: z, mark: begun }\n' > bad.yaml
run_kpr import config bad.yaml
like "$err" "bad.yaml:4:.*duplicate pool mark 'started' \(first at line 3\)" "a mark on two pools is refused"
like "$err" "bad.yaml:5:.*pool mark 'begun' must be preparation, started, construction, completed or withdrawn" \
	"an unknown mark is refused"
setup "the test configuration again" "$KPR" -q import config "$TESTDATA/config.yaml"

# --- kpr stage --------------------------------------------------------------------------------
run_kpr help stage
like "$out" "kpr stage CODE POOL \[--date YYYY-MM-DD\] \[--reason TEXT\]" "kpr help stage gives the synopsis"
run_kpr stage "$P1"
is "$status" 2 "a missing pool is a usage error"

run_kpr stage "$P1" 在建库 --date 2023-05-02
is "$status" 0 "a forward move may skip pools (by Chinese name)"
is "$out" "$P1 固安智能制造产业园项目: 前期库 → 在建库 on 2023-05-02" "and says what moved where"
is "$(pool $P1)" construction "the project is in the new pool"
is "$(psql_q "SELECT moved_on || ' ' || moved_by FROM kpr.pool_move m JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' ORDER BY move_id DESC LIMIT 1")" "2023-05-02 postgres" "dated and signed"
run_kpr stage "$P1" construction
is "$status" 0 "a move into the pool it is in succeeds"
like "$out" "already in 在建库; nothing written" "and writes nothing"

before=$(psql_q "SELECT count(*) FROM kpr.pool_move")
run_kpr stage "$P1" started
is "$status" 1 "a move back without a reason is refused"
like "$err" "project $P1: a move back from 在建库 to 开工库 needs a reason" "and says so"
run_kpr stage "$P1" withdrawn
is "$status" 1 "a withdrawal without a reason is refused"
like "$err" "a withdrawal \(退库\) from 在建库 to 退库 needs a reason" "and says so"
run_kpr stage "$P1" nowhere --reason x
is "$status" 1 "an unknown pool is refused"
like "$err" "unknown pool 'nowhere'" "naming it"
like "$err" "HINT: +The pools: conceived 谋划库, reserve 储备库, " "and listing the pools"
run_kpr stage LF2023-0O3 started
is "$status" 1 "an unknown project is refused"
like "$err" "Did you mean LF2023-003" "with a hint"
is "$(psql_q "SELECT count(*) FROM kpr.pool_move")" "$before" "none of them wrote a move"

run_kpr stage "$P1" "Started" --reason "误报在建"
is "$status" 0 "a move back with a reason (by English name, any case)"
run_kpr stage "$P1" withdrawn --reason "项目终止"
is "$status" 0 "a withdrawal with a reason"
is "$(pool $P1)" withdrawn "the project is in the pool marked withdrawn"
is "$(moves $P1)" "->preparation preparation>construction construction>started(误报在建) started>withdrawn(项目终止)" \
	"every move is recorded, with its reason"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'pool_move' AND op = 'INSERT'")" 3 \
	"each move by hand is audited"

# --- the city's alone ------------------------------------------------------------------------
setup "a county login" psql -X -q -d "$KPR_DATABASE" \
	-c "DROP ROLE IF EXISTS ${DBNAME}_gu" -c "CREATE ROLE ${DBNAME}_gu LOGIN IN ROLE ${DBNAME}_county"
on_exit "psql -X -q -d \"\$KPR_DATABASE\" -c 'DROP ROLE ${DBNAME}_gu' 2>/dev/null"
before=$(psql_q "SELECT count(*) FROM kpr.pool_move")
KPR_DATABASE="$KPR_DATABASE user=${DBNAME}_gu" run_kpr stage "$P3" completed
is "$status" 4 "an office cannot move a project"
like "$err" "permission denied: role \"${DBNAME}_gu\" is not the city office's" "and is told so"
is "$(psql_q "SELECT count(*) FROM kpr.pool_move")/$(pool $P3)" "$before/construction" "nothing is written"

# --- migration 0009 on a registry with data ---------------------------------------------------
fresh_db old
registry_at 6 >/dev/null <<EOF2
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO pool (code, ord, name) VALUES ('preparation', 1, '前期库'), ('construction', 2, '在建库'), ('other', 3, '其他');
INSERT INTO import_batch (kind, file_name, checksum, db_user) VALUES ('projects', 'a.csv', '', 'alice');
INSERT INTO project (code, name, region_code, pool_code, batch_id) VALUES ('P-1', '道路', '131002', 'construction', 1),
	('P-2', '桥梁', '131002', NULL, NULL);
INSERT INTO progress (project_id, month, amount, batch_id) SELECT project_id, '2023-05-01', 10, 1 FROM project WHERE code = 'P-1';
INSERT INTO progress (project_id, month, amount) SELECT project_id, '2023-05-01', 12 FROM project WHERE code = 'P-1';
EOF2
run_kpr init
is "$status" 0 "init upgrades a registry from 0006"
is "$(psql_q "SELECT string_agg(code || '=' || coalesce(mark, '-'), ' ' ORDER BY ord) FROM kpr.pool")" \
	"preparation=preparation construction=construction other=-" "the pools are marked from their codes"
is "$(psql_q "SELECT string_agg(p.code || ' ' || coalesce(m.from_pool, '-') || '>' || m.to_pool || ' ' || m.moved_by
              || ' ' || m.batch_id, ',') FROM kpr.pool_move m JOIN kpr.project p USING (project_id)")" \
	"P-1 ->construction alice 1" "a project's pool is its first move, with its batch"
is "$(psql_q "SELECT string_agg(trim_scale(amount) || '@' || version, ' ' ORDER BY version) FROM kpr.progress")" \
	"10@1 12@2" "the figures of a month are numbered in their order"
is "$(psql_q "SELECT trim_scale(amount) FROM kpr.progress_current")" 12 "the current figure is the same"

done_testing
