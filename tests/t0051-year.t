#!/usr/bin/env bash
# kpr year open: a new year gets the scenarios it lacks and, when it has none, the colour rules
# of an earlier year, so that its list imports at once; audited, the city's role only, idempotent.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
LIST24="$TESTDATA/import/projects-2024.csv"

# Everything kpr year open may write, and the audit log, as one checksum.
state() {
	psql_q "SELECT md5(concat_ws('|',
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.scenario t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.colour_rule t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.colour_rule_condition t),
		(SELECT count(*) || ':' || coalesce(max(audit_id), 0) FROM kpr.audit_log)))"
}
count_of() { # TABLE YEAR
	psql_q "SELECT count(*) FROM kpr.$1 WHERE year = $2"
}

# --- the command line: usage errors before anything connects ----------------------------------
run_kpr year
is "$status" 2 "kpr year without an action is a usage error"
like "$err" "missing action \(open\)" "and names the action"
run_kpr year close 2024
is "$status:$err" "2:kpr: error: unknown action 'close'
Try \"kpr year --help\" for more information." "an unknown action is a usage error"
run_kpr year open
is "$status" 2 "kpr year open without a year is a usage error"
like "$err" "missing the year to open \(kpr year open YYYY\)" "and says what is missing"
for bad in 20x4 1999 2101 "" 2024.0; do
	run_kpr -d "host=/nonexistent" year open "$bad"
	is "$status" 2 "year '$bad' is a usage error, before connecting"
	like "$err" "YYYY must be a year from 2000 to 2100, not '$bad'" "and says which years are"
done
run_kpr -d "host=/nonexistent" year open 2024 --from 20x3
is "$status" 2 "a bad --from is a usage error"
like "$err" "--from must be a year like 2023, not '20x3'" "and says so"
run_kpr -d "host=/nonexistent" year open 2024 --from 2024
is "$status" 2 "--from the year itself is a usage error"
like "$err" "--from must be another year than 2024" "and says so"
run_kpr year open 2024 2025
is "$status" 2 "two years are a usage error"
run_kpr year --help
is "$status" 0 "kpr year --help"
like "$out" "usage: kpr year open YYYY \[--from YYYY\]" "shows the synopsis"
like "$out" "--from=YYYY" "and --from"
like "$out" "Exit status 1 when there is no year to copy from" "and the exit statuses"
run_kpr help year
is "$out" "$(${KPR} year --help)" "kpr help year is the same"
run_kpr --help
like "$out" "^  year +open a new year" "kpr --help lists it"

# --- before: a 2024 list cannot be imported -----------------------------------------------------
run_kpr import projects "$LIST24"
is "$status" 1 "without 2024's scenarios the 2024 list is refused"

# --- no year to copy from ---------------------------------------------------------------------
before=$(state)
run_kpr year open 2023
is "$status" 1 "a year with no earlier year that has scenarios exits 1"
like "$err" "kpr: error: no year before 2023 has scenarios to copy" "and says so"
like "$err" "HINT: .*kpr import config" "with a hint"
run_kpr year open 2024 --from 2022
is "$status" 1 "--from a year without scenarios exits 1"
like "$err" "kpr: error: 2022 has no scenarios to copy" "and says so"
is "$(state)" "$before" "and neither writes anything"

# --- the city's role only -----------------------------------------------------------------------
setup "a login role that may only read" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_clerk LOGIN IN ROLE ${DBNAME}_reader"
setup "a county office's login role" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_office LOGIN IN ROLE ${DBNAME}_county"
setup "a city office's login role" psql -X -q -d postgres \
	-c "CREATE ROLE ${DBNAME}_cityclerk LOGIN IN ROLE ${DBNAME}_city"
for who in clerk office; do
	run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_$who dbname=$DBNAME" year open 2024
	is "$status" 4 "the $who role may not open a year: exit 4"
	like "$err" "permission denied for table scenario" "and says what it was refused"
	like "$err" "HINT: +Role \"${DBNAME}_$who\" lacks the privilege.*\"${DBNAME}_city\"" "and names the role that has it"
	is "$(state)" "$before" "and writes nothing"
done

# --- opening 2024 from 2023 -----------------------------------------------------------------------
audit=$(psql_q "SELECT count(*) FROM kpr.audit_log")
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_cityclerk dbname=$DBNAME" year open 2024
is "$status" 0 "the city's role opens 2024"
is "$err" "kpr: 2024: 22 scenarios copied from 2023 (0 kept), 9 colour rules copied" "and says what it copied"
is "$out" "" "on stderr, nothing on stdout"
is "$(count_of scenario 2024)" 22 "22 scenarios of 2024"
is "$(psql_q "SELECT count(*) FROM kpr.scenario a JOIN kpr.scenario b USING (code, name, sample, ord)
	WHERE a.year = 2023 AND b.year = 2024")" 22 "the same codes, names, sample flags and order as 2023's"
is "$(count_of colour_rule 2024)" 9 "9 colour rules of 2024"
is "$(psql_q "SELECT string_agg(rule_id || colour || ord || coalesce(description, ''), ',' ORDER BY ord) FROM kpr.colour_rule WHERE year = 2024")" \
	"$(psql_q "SELECT string_agg(rule_id || colour || ord || coalesce(description, ''), ',' ORDER BY ord) FROM kpr.colour_rule WHERE year = 2023")" \
	"the same rules as 2023's, in order"
is "$(psql_q "SELECT string_agg(rule_id || measure || op || value, ',' ORDER BY rule_id, measure, op) FROM kpr.colour_rule_condition WHERE year = 2024")" \
	"$(psql_q "SELECT string_agg(rule_id || measure || op || value, ',' ORDER BY rule_id, measure, op) FROM kpr.colour_rule_condition WHERE year = 2023")" \
	"with the same conditions"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log")" \
	"$((audit + 22 + 9 + $(count_of colour_rule_condition 2024)))" "every row written is in the audit log"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE db_user = '${DBNAME}_cityclerk' AND op = 'INSERT'
	AND table_name IN ('scenario', 'colour_rule', 'colour_rule_condition') AND (new_row->>'year')::int = 2024")" \
	"$((22 + 9 + $(count_of colour_rule_condition 2024)))" "as inserts by the role that opened the year"

run_kpr config --year 2024
like "$out" "^Scenarios of 2024" "kpr config --year 2024 shows 2024's scenarios"
like "$out" "^S01 +现代商贸物流强市" "with 2023's names"
like "$out" "^Colour rules of 2024 \(first match wins\)" "and 2024's colour rules"
like "$out" "^ +9 +green +green" "all nine"

run_kpr import projects "$LIST24"
is "$status" 0 "now the 2024 list imports"
like "$err" "3 rows: 3 new, 0 changed, 0 unchanged, 0 rejected; wrote" "every row of it"
is "$(psql_q "SELECT string_agg(sc.code, ',' ORDER BY sc.code) FROM kpr.project_scenario ps JOIN kpr.scenario sc USING (scenario_id)
	JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2024-001'")" "S01,S04" "its scenarios are 2024's"

# --- again: nothing to do -------------------------------------------------------------------------
before=$(state)
run_kpr year open 2024
is "$status" 0 "opening 2024 again succeeds"
is "$err" "kpr: 2024 is already open: 22 scenarios, 9 colour rules; nothing to copy from 2023" "and says there was nothing to do"
is "$(state)" "$before" "and touches no row, the audit log included"
run_kpr -q year open 2024
is "$status:$err" "0:" "-q silences it"

# --- a year with some of its own: kept, the missing ones added, its rules left alone ------------
cat > own-2025.yaml <<'EOF'
kpr_config: 1
years:
  - year: 2025
    scenarios:
      - { code: S01, name: 现代商贸物流强市2025 }
      - { code: X99, name: 交通强市 }
      - { code: S30, name: 低空经济 }
    colour_rules:
      - { id: red-late, colour: red, when: { points_behind: "> 20" } }
      - { id: all-green, colour: green, when: { completed: false } }
EOF
setup "2025's own scenarios and rules" "$KPR" -q import config own-2025.yaml
run_kpr year open 2025
is "$status" 0 "opening a year that has some scenarios of its own succeeds"
is "$err" "kpr: 2025: 20 scenarios copied from 2024 (3 kept), 2 colour rules kept" \
	"copies from the latest year before it, keeps its own and its rules"
is "$(count_of scenario 2025)" 23 "2025 has its 3 and 2024's other 20"
is "$(psql_q "SELECT name FROM kpr.scenario WHERE year = 2025 AND code = 'S01'")" "现代商贸物流强市2025" \
	"a scenario of the same code keeps the year's name"
is "$(psql_q "SELECT count(*) FROM kpr.scenario WHERE year = 2025 AND code IN ('S02', 'X99')")" 1 \
	"a scenario of the same name keeps the year's code"
is "$(psql_q "SELECT string_agg(rule_id, ',' ORDER BY ord) FROM kpr.colour_rule WHERE year = 2025")" "red-late,all-green" \
	"the year's own colour rules are not overwritten"
is "$(count_of colour_rule_condition 2025)" 2 "nor their conditions"

# --- --from: any year with scenarios; a year without rules to copy ------------------------------
run_kpr year open 2022 --from 2025
is "$status" 0 "--from names the year to copy from"
is "$err" "kpr: 2022: 23 scenarios copied from 2025 (0 kept), 2 colour rules copied" "and is the one copied"
psql_q "DELETE FROM kpr.colour_rule WHERE year = 2024" >/dev/null
run_kpr year open 2026 --from 2024
is "$err" "kpr: 2026: 22 scenarios copied from 2024 (0 kept), no colour rules (2024 has none)" \
	"a year copied from has no rules: said so"
is "$(count_of colour_rule 2026)" 0 "and none are written"

done_testing
