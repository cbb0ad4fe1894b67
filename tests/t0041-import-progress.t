#!/usr/bin/env bash
# kpr import progress: monthly reports, corrections kept, year-to-date, bad input refused whole.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "load the project list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
SRC="$TESTDATA/import/progress-2023.csv"

snapshot() {
	psql_q "SELECT concat_ws(' ', (SELECT count(*) FROM kpr.progress), (SELECT count(*) FROM kpr.import_batch),
	        (SELECT count(*) FROM kpr.audit_log), (SELECT count(actual_start) FROM kpr.project))"
}
current() { # code month
	psql_q "SELECT amount FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = '$1' AND month = '$2-01'"
}

run_kpr import progress "$SRC"
is "$status" 0 "a month's progress imports"
like "$err" "5 rows: 5 new months, 0 corrections, 0 unchanged, 0 rejected; wrote" "the summary counts new months"
is "$(psql_q "SELECT sum(amount) FROM kpr.progress")" "11300.5000" "amounts are exact"
is "$(current 2303-131022-04-01-573274 2023-05)" "4000.5000" "a month written 2023年5月"
is "$(current LF2023-002 2023-04)" "2000.0000" "a month written 2023/4"
is "$(psql_q "SELECT actual_start FROM kpr.project WHERE code = '2303-131022-04-01-573274'")" "2023-04-18" \
	"the reported start date becomes the project's"
is "$(psql_q "SELECT count(*) FROM kpr.progress WHERE batch_id = (SELECT max(batch_id) FROM kpr.import_batch) AND source_line IS NOT NULL")" 5 \
	"every row is tagged with its batch and source line"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'progress'")" 0 "no per-row trigger audit for a bulk load"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'project' AND batch_id IS NOT NULL")" 1 \
	"the start date change is audited by the batch"

before=$(snapshot)
run_kpr import progress "$SRC"
is "$status" 0 "re-importing the same report succeeds"
like "$err" "0 new months, 0 corrections, 5 unchanged.*nothing changed" "and says nothing changed"
is "$(snapshot)" "$before" "re-importing writes nothing, not even a batch"

sed 's/2023-05,1500,/2023-05,1700,/' "$SRC" > corrected.csv
run_kpr import progress corrected.csv
is "$status" 0 "a corrected report imports"
like "$err" "0 new months, 1 corrections, 4 unchanged" "one correction"
is "$(current LF2023-002 2023-05)" "1700.0000" "the corrected figure is current"
is "$(psql_q "SELECT string_agg(amount::text, ',' ORDER BY progress_id) FROM kpr.progress JOIN kpr.project USING (project_id) WHERE code = 'LF2023-002' AND month = '2023-05-01'")" \
	"1500.0000,1700.0000" "the old figure stays in the history"

# year-to-date: the month is derived from what was reported before
cat > ytd.csv <<'EOF'
项目代码,月份,累计完成投资(万元),形象进度
LF2023-003,2023-06,1000,装修
LF2023-003,2023-07,1250,装修
EOF
run_kpr import progress ytd.csv
is "$status" 0 "a year-to-date report imports"
is "$(current LF2023-003 2023-06),$(current LF2023-003 2023-07)" "200.0000,250.0000" \
	"the months are derived from the year-to-date, in order"

cat > adjust.csv <<'EOF'
code,month,amount,adjustment_reason
LF2023-003,2023-08,-100,统计口径调整
EOF
run_kpr import progress adjust.csv
is "$status" 0 "a downward adjustment with its reason imports"
is "$(current LF2023-003 2023-08)" "-100.0000" "the negative month is kept"

bad_case() { # description regex < body (header included)
	cat > bad.csv
	local before=$(snapshot)
	run_kpr import progress bad.csv "${@:3}"
	is "$status" 1 "$1: exit 1"
	like "$err" "$2" "$1: the message"
	is "$(snapshot)" "$before" "$1: nothing written"
}
bad_case "a negative month without a reason" "bad.csv:2:amount: negative amount without a reason" <<'EOF'
code,month,amount,adjustment_reason
LF2023-003,2023-09,-10,
EOF
bad_case "an adjustment below a zero year-to-date" "bad.csv:2:amount: project LF2023-004, 2023-09: the adjustment takes the year-to-date below zero" <<'EOF'
code,month,amount,adjustment_reason
LF2023-004,2023-09,-10,退回
EOF
bad_case "an unknown project code" "bad.csv:3:code: unknown project code 'LF2099-999'" <<'EOF'
code,month,amount
LF2023-003,2023-09,10
LF2099-999,2023-09,10
EOF
bad_case "a future month" "bad.csv:2:month: month 2023-11 is in the future" <<'EOF'
code,month,amount
LF2023-003,2023-11,10
EOF
bad_case "a month twice for one project" "bad.csv:3:month: a second row for project LF2023-003, month 2023-09, in this file" <<'EOF'
code,month,amount
LF2023-003,2023-09,10
LF2023-003,2023年9月,12
EOF
bad_case "a month that is none" "bad.csv:2:month: not a month like 2023-09: '九月'" <<'EOF'
code,month,amount
LF2023-003,九月,10
EOF
bad_case "a year-to-date below zero" "bad.csv:2:ytd: the year-to-date cannot be below zero" <<'EOF'
code,month,ytd
LF2023-003,2023-09,-1
EOF
bad_case "neither amount nor year-to-date" "missing required column: the month's amount" <<'EOF'
code,month,progress
LF2023-003,2023-09,x
EOF

cat > skip.csv <<'EOF'
code,month,amount
LF2023-004,2023-06,100
LF2099-999,2023-06,10
EOF
run_kpr import progress skip.csv --on-error skip --rejects rej.csv
is "$status" 1 "skip mode exits 1 when a row was rejected"
is "$(current LF2023-004 2023-06)" "100.0000" "skip mode writes the good rows"
like "$(tr -d '"' < rej.csv)" "LF2099-999,2023-06,10,.*unknown project code" "and rejects the bad one"

cat > progress.yaml <<'EOF'
- code: LF2023-005
  month: 2023-07
  amount: "1,000"
  progress: |
    前期手续办理中
  problems: ~
EOF
run_kpr import progress progress.yaml
is "$status" 0 "a YAML progress report imports"
is "$(current LF2023-005 2023-07)" "1000.0000" "with its amount"

# the connection drops in the middle of an import: nothing is half-written
setup "a trigger that drops the connection" psql_q "CREATE FUNCTION kpr.drop_connection() RETURNS trigger LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END \$\$;
	CREATE TRIGGER drop_connection AFTER INSERT ON kpr.progress FOR EACH ROW EXECUTE FUNCTION kpr.drop_connection()"
before=$(snapshot)
sed 's/,1700,/,1800,/' corrected.csv > dropped.csv
run_kpr import progress dropped.csv
is "$status" 3 "a connection lost during an import exits 3"
like "$err" "terminating connection|server closed the connection|lost the database connection" "and says the connection was lost"
setup "drop the trigger again" psql_q "DROP TRIGGER drop_connection ON kpr.progress"
is "$(snapshot)" "$before" "and nothing of the import is left"

# a short data row right below the header is data, not a units row
printf 'code,month,amount\nLF2023-003,,10\n' > short.csv
run_kpr import progress short.csv --dry-run
is "$status" 1 "a first progress row with two cells filled is checked, not skipped"
like "$err" "short.csv:2:" "its problem is reported on its line"

# 竣工时间: a completion date on a month's row becomes the project's (audited with the batch)
# and moves it to the pool marked completed; one in the future, or before the start, is refused
pid=$(psql_q "SELECT project_id FROM kpr.project WHERE code = 'LF2023-003'")
printf 'code,month,amount,实际开工时间,竣工时间\nLF2023-003,2023-09,5,2021-03-01,2099-01-01\n' > late.csv
run_kpr import progress late.csv
is "$status" 1 "a completion date in the future is refused"
like "$err" "late.csv:2:竣工时间: completion date 2099-01-01 is in the future" "naming the file, line and column"
printf 'code,month,amount,实际开工时间,竣工时间\nLF2023-003,2023-09,5,2021-03-01,2020-12-31\n' > early.csv
run_kpr import progress early.csv
is "$status" 1 "a completion before the start on the same row is refused"
like "$err" "early.csv:2:竣工时间: completion date 2020-12-31 is before the start date 2021-03-01" "saying so"
printf 'code,month,amount,竣工时间\nLF2023-003,2023-09,5,2023-09-20\n' > done.csv
run_kpr import progress done.csv
is "$status" 0 "a completion date imports"
is "$(psql_q "SELECT completed_on FROM kpr.project WHERE project_id = $pid")" 2023-09-20 "it becomes the project's completion"
is "$(psql_q "SELECT p.code FROM kpr.pool p JOIN kpr.project x ON x.pool_code = p.code WHERE x.project_id = $pid")" \
	"$(psql_q "SELECT code FROM kpr.pool WHERE mark = 'completed'")" "the project moves to the pool marked completed"
is "$(psql_q "SELECT moved_on || ' ' || (batch_id IS NOT NULL) FROM kpr.pool_move WHERE project_id = $pid ORDER BY move_id DESC LIMIT 1")" \
	"2023-09-20 true" "recorded as a pool move of the batch, on the completion date"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'project' AND new_row->>'completed_on' = '2023-09-20'")" 1 \
	"and audited"
run_kpr import progress done.csv
like "$err" "0 new months, 0 corrections, 1 unchanged" "the same file again changes nothing"
batch=$(psql_q "SELECT max(batch_id) FROM kpr.import_batch")
run_kpr batch revert "$batch" --reason "竣工时间填错"
is "$status" 0 "the batch is reverted"
is "$(psql_q "SELECT coalesce(completed_on::text, 'none') || ' ' || pool_code FROM kpr.project WHERE project_id = $pid")" \
	"none construction" "its completion and pool move go with it"
is "$(psql_q "SELECT count(*) FROM kpr.pool_move WHERE project_id = $pid AND batch_id = $batch")" 0 "the move is gone"

# a form's row left empty (a code and a month, nothing reported) is no month, never a zero
printf 'code,month,amount,形象进度\nLF2023-003,2023-08,,\nLF2023-004,2023-08,,已完工\n' > empty.csv
run_kpr import progress empty.csv
is "$status" 1 "a row with something reported but no figure is still refused"
like "$err" "empty.csv:3:" "(that one)"
unlike "$err" "empty.csv:2:" "while the empty row draws no problem"
printf 'code,month,amount\nLF2023-003,2023-08,\n' > empty.csv
before=$(psql_q "SELECT count(*) FROM kpr.progress")
run_kpr import progress empty.csv
is "$status" 0 "a file of rows left empty imports"
like "$err" "empty.csv: 1 row with nothing reported skipped" "saying how many were skipped"
is "$(psql_q "SELECT count(*) FROM kpr.progress")" "$before" "and writes no month"

done_testing
