#!/usr/bin/env bash
# kpr batch revert N --reason TEXT: a progress batch (a correction reverted makes the earlier
# figure current), a list that changed fields, scenarios and plans, a list that created projects
# (deleted, audited); refusals naming what a later batch touched, --force, a batch reverted
# twice, an unknown one, the command line, a reader's role; the migration on a registry with data.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"
P1=2303-131022-04-01-573274

# import FILE...: import it (kind from the name), set $batch to the batch it recorded
import() { # kind file [option...]
	setup "import $1 $2" "$KPR" import "$@"
	batch=$(sed -n 's/^kpr: recorded as import batch \([0-9]*\)$/\1/p' "$WORK/.setup.err")
}
current() { # code month: the current figure of that month
	psql_q "SELECT c.amount FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
	        WHERE p.code = '$1' AND c.month = '$2-01'"
}
field() { # code column
	psql_q "SELECT coalesce($2::text, '-') FROM kpr.project WHERE code = '$1'"
}

# --- the command line -----------------------------------------------------------------------
run_kpr help batch
like "$out" "kpr batch revert N --reason TEXT \[--force\]" "kpr help batch gives revert's synopsis"
like "$out" "--force +revert: undo what is still the batch's" "and its options"
run_kpr batch revert 1
is "$status" 2 "revert without --reason is a usage error"
like "$err" "revert needs --reason TEXT" "and says what is missing"
run_kpr batch revert 1 --reason ""
is "$status" 2 "an empty reason is no reason"
run_kpr batch revert --reason x
is "$status" 2 "revert without a batch is a usage error"
like "$err" "missing the batch number \(kpr batch revert N --reason TEXT\)" "and says so"
run_kpr batch revert x --reason x
is "$status" 2 "revert of a word is a usage error"
run_kpr batch revert 99 --reason "typo"
is "$status" 1 "an unknown batch exits 1"
like "$err" "kpr: error: no import batch 99" "and says so"

# --- a progress batch and its correction ----------------------------------------------------
import projects "$SRC"; list=$batch
import progress "$PROGRESS"; prog=$batch
sed -e 's/2023年5月,4000.5/2023年5月,4100/' "$PROGRESS" > corrected.csv
import progress corrected.csv; corr=$batch
is "$(current $P1 2023-05)" "4100.0000" "the correction is current"

before=$(psql_q "SELECT count(*) FROM kpr.audit_log")
run_kpr batch revert "$prog" --reason "wrong file"
is "$status" 1 "a batch whose month a later batch corrected is refused"
like "$err" "batch $prog cannot be reverted: later batches or changes touched 1 of its rows" "with how many"
like "$err" "$P1 2023-05: corrected by batch $corr" "naming the row and the batch"
like "$err" "HINT: +Revert those batches first, or give --force" "and what to do"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log")/$(psql_q "SELECT count(*) FROM kpr.import_batch WHERE reverted_at IS NOT NULL")" \
	"$before/0" "and writes nothing"

run_kpr batch revert "$corr" --reason "May was right"
is "$status" 0 "the correction is reverted"
like "$err" "batch $corr reverted: 1 progress row no longer counts" "and says what it undid"
is "$(current $P1 2023-05)" "4000.5000" "the earlier figure is current again"
is "$(psql_q "SELECT count(*) FROM kpr.progress WHERE batch_id = $corr")" 1 "the reverted row stays, as history"
is "$(psql_q "SELECT reverted_by || ' ' || revert_reason || ' ' || (reverted_at IS NOT NULL) FROM kpr.import_batch WHERE batch_id = $corr")" \
	"postgres May was right true" "the batch records who, why and when"

run_kpr batch revert "$corr" --reason "again"
is "$status" 1 "reverting twice exits 1"
like "$err" "kpr: error: batch $corr was already reverted at [0-9-]{10} [0-9:]{8} by postgres" "and says when and by whom"
like "$err" "DETAIL: +Reason: May was right" "and why"

cfg=$(psql_q "INSERT INTO kpr.import_batch (kind, file_name, checksum) VALUES ('config', 'config.yaml', '') RETURNING batch_id" | head -1)
run_kpr batch revert "$cfg" --reason "old rules"
is "$status" 1 "a configuration batch is not reverted"
like "$err" "batch $cfg is a configuration batch; configuration batches are not reverted" "and says so"
psql_q "DELETE FROM kpr.import_batch WHERE batch_id = $cfg" >/dev/null

run_kpr batch list --format csv
like "$(printf '%s\n' "$out" | sed -n 1p)" ",rows_rejected,reverted_at$" "CSV has reverted_at once a batch is reverted"
like "$out" "^$corr,progress,corrected\.csv,.*,0,[0-9-]{10} [0-9:]{8}$" "with the time"
run_kpr batch list
like "$(printf '%s\n' "$out" | sed -n 1p)" " rejected  reverted$" "list has a reverted column once a batch is reverted"
like "$out" "^ *$corr  progress  corrected\.csv .* [0-9-]{10} [0-9:]{8}$" "with when it was"
run_kpr batch show "$corr"
like "$out" "^reverted +[0-9-]{10} [0-9:]{8}$" "show says the batch was reverted"
like "$out" "^reverted by +postgres$" "by whom"
like "$out" "^reason +May was right$" "and why"
run_kpr batch show "$prog"
unlike "$out" "^reverted" "a batch not reverted has no such lines"

# the reverted correction imported again is a correction of the figure now current, not a no-op
run_kpr import progress corrected.csv
is "$status" 0 "the reverted file imports again"
like "$err" "0 new months, 1 corrections, [0-9]+ unchanged" "as one correction of the month now current"
is "$(current $P1 2023-05)" "4100.0000" "and its figure is current again"
setup "revert it again" "$KPR" -q batch revert "$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")" --reason "May was right"

is "$(field $P1 actual_start)" "2023-04-18" "the progress batch gave a start date"
run_kpr batch revert "$prog" --reason "wrong file"
is "$status" 0 "with its correction reverted, the progress batch is reverted"
is "$(psql_q "SELECT count(*) FROM kpr.progress_current")" 0 "none of its months counts"
is "$(field $P1 actual_start)" "-" "the start date it gave is gone"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'project' AND op = 'UPDATE' AND batch_id IS NULL
              AND old_row->>'actual_start' = '2023-04-18' AND new_row->>'actual_start' IS NULL")" 1 "and the change is audited"

# --- a list that changed fields, scenarios and a plan; a later list changed it again ------
sed -e 's/大厂影视小镇二期/大厂影视小镇二期工程/' -e 's/,品位廊坊,/,健康廊坊,/' \
	-e 's/,2023-04,"120,000",35000,/,2023-04,"120,000",36000,/' "$SRC" > changed.csv
import projects changed.csv; changed=$batch
sed -e 's/大厂影视小镇二期工程/大厂影视小镇三期/' changed.csv > renamed.csv
import projects renamed.csv; renamed=$batch

run_kpr batch revert "$changed" --reason "not approved"
is "$status" 1 "a list whose project a later list changed is refused"
like "$err" "LF2023-003: changed by batch $renamed" "naming the project and the batch"
psql_q "UPDATE kpr.project SET leader = '副市长 周某' WHERE code = 'LF2023-003'" >/dev/null
run_kpr batch revert "$renamed" --reason "not approved"
is "$status" 1 "a list whose project was changed by hand since is refused"
like "$err" "LF2023-003: changed by postgres at [0-9-]{10} [0-9:]{8}" "naming who changed it and when"
run_kpr batch revert "$renamed" --reason "not approved" --force
is "$status" 0 "the later list is reverted with --force"
like "$err" "0 projects restored" "keeping the project changed since"
is "$(field LF2023-003 name)" "大厂影视小镇三期" "as it is"
# (put back by hand as the earlier list left it: what --force kept is no conflict once undone)
psql_q "UPDATE kpr.project SET name = '大厂影视小镇二期工程', leader = '副市长 赵某', batch_id = $changed WHERE code = 'LF2023-003'" >/dev/null
is "$(field LF2023-003 name)" "大厂影视小镇二期工程" "its change is undone"
run_kpr batch revert "$changed" --reason "not approved"
is "$status" 0 "then the earlier one"
like "$err" "1 project restored, 2 scenario links undone, 1 rebaseline undone" "and says what it undid"
is "$(field LF2023-003 name)" "大厂影视小镇二期" "the name is back"
is "$(field LF2023-003 batch_id)" "$list" "the project is the first list's again"
is "$(psql_q "SELECT string_agg(s.name, ',') FROM kpr.project_scenario ps JOIN kpr.scenario s USING (scenario_id)
              JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-003'")" "品位廊坊" "the scenario is back"
is "$(psql_q "SELECT y.annual_plan || ' ' || y.batch_id FROM kpr.project_year y JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND y.year = 2023")" "35000.0000 $list" "the plan is back"
is "$(psql_q "SELECT count(*) FROM kpr.annual_plan_history")" 0 "and the rebaseline is no longer history"

# --- a list that created projects -------------------------------------------------------
head -3 "$SRC" > new.csv
sed -n 's/^5,LF2023-005,廊坊市城区道路提升工程,/6,LF2023-006,新道路,/p' "$SRC" >> new.csv
sed -n 's/^5,LF2023-005,廊坊市城区道路提升工程,/7,LF2023-007,新桥梁,/p' "$SRC" >> new.csv
import projects new.csv; created=$batch
printf '项目代码,月份,本月完成投资\nLF2023-006,2023-06,10\n' > new-progress.csv
import progress new-progress.csv; newprog=$batch

run_kpr batch revert "$created" --reason "duplicates"
is "$status" 1 "a list whose new project has progress from a later batch is refused"
like "$err" "LF2023-006: has progress from batch $newprog" "naming the project and the batch"
unlike "$err" "LF2023-007" "and only that project"

run_kpr batch revert "$created" --reason "duplicates" --force
is "$status" 0 "with --force it is reverted"
like "$err" "1 project deleted" "deleting what nothing refers to"
like "$err" "warning: kept 1 row later batches or changes touched \(--force\)" "and keeping the rest"
like "$err" "LF2023-006: has progress from batch $newprog" "saying which"
is "$(psql_q "SELECT string_agg(code, ',' ORDER BY code) FROM kpr.project WHERE code LIKE 'LF2023-00_' AND code > 'LF2023-005'")" \
	"LF2023-006" "the new project nothing refers to is deleted, the other kept"
is "$(psql_q "SELECT string_agg(table_name || ' ' || op, ',' ORDER BY table_name) FROM kpr.audit_log
              WHERE batch_id IS NULL AND op = 'DELETE' AND old_row->>'project_id' = (SELECT (old_row->>'project_id')
              FROM kpr.audit_log WHERE table_name = 'project' AND old_row->>'code' = 'LF2023-007')")" \
	"pool_move DELETE,project DELETE,project_scenario DELETE,project_year DELETE" "its deletion, its first pool move included, is audited row by row"

# --- a new year's list: a new project, a known one newly listed and changed -----------------
setup "open 2024" "$KPR" -q year open 2024 --from 2023
import projects "$TESTDATA/import/projects-2024.csv"; y2024=$batch
is "$(psql_q "SELECT count(*) FROM kpr.audit_log a JOIN kpr.project p ON p.project_id = (a.new_row->>'project_id')::bigint
              WHERE a.batch_id = $y2024 AND a.table_name = 'project_year' AND a.op = 'INSERT' AND p.code = '$P1'")" 1 \
	"a known project put on a year's list is in the batch's audit"
run_kpr batch revert "$y2024" --reason "draft list"
is "$status" 0 "a new year's list is reverted"
is "$(psql_q "SELECT count(*) FROM kpr.project_year WHERE year = 2024")" 0 "its list entries are gone"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE code = 'LF2024-001'")" 0 "the project it created is gone"
is "$(field $P1 nature)" "新开工" "the known project has its earlier values"
import projects "$TESTDATA/import/projects-2024.csv"; y2024=$batch
printf 'code,month,amount\n%s,2024-01,5\n' "$P1" > p2024.csv
KPR_TODAY=2024-02-10 import progress p2024.csv; prog2024=$batch
run_kpr batch revert "$y2024" --reason "draft list"
is "$status" 1 "a list that put a known project on a year with progress from a later batch is refused"
like "$err" "$P1 2024: has progress from batch $prog2024" "naming the project, the year and the batch"
run_kpr batch revert "$y2024" --reason "draft list" --force
is "$status" 0 "with --force it is reverted"
is "$(psql_q "SELECT count(*) FROM kpr.project_year py JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND py.year = 2024")" 1 "keeping the list entry the progress needs"

# --- a list that set a plan where the entry had none ----------------------------------------
printf 'code,name,region\nLF2023-008,无计划项目,安次区\n' > noplan.csv
import projects noplan.csv --year 2023
printf 'code,name,region,annual_plan\nLF2023-008,无计划项目,安次区,300\n' > plan.csv
import projects plan.csv --year 2023; planned=$batch
plan8() { psql_q "SELECT coalesce(py.annual_plan::text, '-') || ' ' || coalesce(py.plan_reason, '-') FROM kpr.project_year py
                  JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-008' AND py.year = 2023"; }
is "$(plan8)" "300.0000 -" "the later list set its plan"
run_kpr batch revert "$planned" --reason "wrong plan"
is "$status" 0 "the list that set a plan is reverted"
is "$(plan8)" "- -" "the project stays on the list, without a plan again"

# --- roles ---------------------------------------------------------------------------------
setup "a reader's login" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_r LOGIN IN ROLE ${DBNAME}_reader"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_r dbname=$DBNAME" batch revert "$newprog" --reason "x"
is "$status" 4 "a reader may not revert"
like "$err" "permission denied" "and is told so"
is "$(psql_q "SELECT count(*) FROM kpr.import_batch WHERE batch_id = $newprog AND reverted_at IS NULL")" 1 "nothing changes"

# --- 0005 on a registry at 0004 holding progress --------------------------------------------
fresh_db v4
setup "a registry at 0004 with a corrected month" registry_at 4 <<EOF2
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO project (code, name, region_code) VALUES ('P-1', '道路', '131002');
INSERT INTO import_batch (kind, file_name, checksum) VALUES ('progress', 'a.csv', ''), ('progress', 'b.csv', '');
INSERT INTO progress (project_id, month, amount, batch_id) SELECT project_id, '2023-05-01', 10, 1 FROM project;
INSERT INTO progress (project_id, month, amount, batch_id) SELECT project_id, '2023-05-01', 12, 2 FROM project;
EOF2
run_kpr init
is "$status" 0 "init upgrades a registry from 0004"
is "$(psql_q "SELECT amount FROM kpr.progress_current")" "12.0000" "the current figure is the same"
is "$(psql_q "SELECT count(*) FROM kpr.import_batch WHERE reverted_at IS NULL AND reverted_by IS NULL AND revert_reason IS NULL")" 2 \
	"no batch is reverted"
run_kpr batch revert 2 --reason "wrong"
is "$status" 0 "a batch of the upgraded registry is reverted"
is "$(psql_q "SELECT amount FROM kpr.progress_current")" "10.0000" "and the earlier figure is current"

done_testing
