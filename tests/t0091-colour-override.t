#!/usr/bin/env bash
# kpr colour set|clear: a manual colour above the rules from --from through --until (the month
# after, the rules again), shown with its author and reason, stored by kpr colours as a changed
# row; cleared with a reason; both audited; the city's only; the command line.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config

{
	echo "项目代码,项目名称,县(市、区),建设性质,建设起止年限,计划开工时间,总投资(万元),2023年计划投资(万元)"
	echo "O-ONTIME,序时项目,固安县,续建,2022-2024,,500,120"
	echo "O-OTHER,另一项目,固安县,续建,2022-2024,,500,120"
} > projects.csv
{
	echo "项目代码,月份,本月完成投资"
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "O-ONTIME,2023-$m,10"	# a twelfth of the plan a month: exactly on time progress
		echo "O-OTHER,2023-$m,10"
	done
} > progress.csv
setup "import the list" "$KPR" -q import projects projects.csv --year 2023
setup "import the progress" env KPR_TODAY=2024-01-15 "$KPR" -q import progress progress.csv

# colour_current of a project and month: "colour override_id-or-- reason"
shown() {
	psql_q "SELECT c.colour || ' ' || coalesce(c.override_id::text, '-') || ' ' || c.reason
	        FROM kpr.colour_current c JOIN kpr.project p USING (project_id) WHERE p.code = '$1' AND c.month = '$2-01'"
}

# --- the command line -------------------------------------------------------------------------
run_kpr help colour
is "$status" 0 "kpr help colour works"
like "$out" "usage: kpr colour set CODE COLOUR --reason TEXT \[--from YYYY-MM\] \[--until YYYY-MM\]" "set's synopsis"
like "$out" "kpr colour clear CODE --reason TEXT" "clear's synopsis"
run_kpr colour
is "$status" 2 "kpr colour without an action is a usage error"
like "$err" "missing action \(set, clear\)" "naming the actions"
run_kpr colour set O-ONTIME red
is "$status" 2 "set without --reason is a usage error"
like "$err" "set needs --reason TEXT" "and says so"
run_kpr colour set O-ONTIME purple --reason x
is "$status" 2 "an unknown colour is a usage error"
like "$err" "COLOUR must be red, yellow, green or blue \(红 黄 绿 蓝\), not 'purple'" "listing the colours"
run_kpr colour set O-ONTIME unrated --reason x
is "$status" 2 "unrated is no colour to set"
run_kpr colour set O-ONTIME red --reason x --from 2023-10 --until 2023-09
is "$status" 2 "--until before --from is a usage error"
run_kpr colour clear O-ONTIME
is "$status" 2 "clear without --reason is a usage error"
run_kpr colour set NO-SUCH red --reason x --from 2023-09
is "$status" 1 "an unknown project is an input error"
like "$err" "no project 'NO-SUCH'" "naming it"
run_kpr colour clear O-ONTIME --reason x
is "$status" 1 "clearing a project without a colour set is an input error"
like "$err" "project 'O-ONTIME' has no colour set to clear" "and says so"

# --- before: the rules' colour ------------------------------------------------------------------
setup "evaluate September" "$KPR" -q colours --month 2023-09
like "$(shown O-ONTIME 2023-09)" "^green - 绿 green: 达到或超过序时进度 \(rule green:" "September is green by the rules"

# --- set: above the rules from --from through --until -----------------------------------------
run_kpr colour set O-ONTIME 红 --reason "征地拆迁受阻" --from 2023-09 --until 2023-10
is "$status" 0 "set succeeds"
like "$err" "O-ONTIME: 红 red from 2023-09 until 2023-10 \(manual colour [0-9]+\)" "and says what it set"
id=$(psql_q "SELECT max(override_id) FROM kpr.colour_override")
is "$(shown O-ONTIME 2023-09)" "red $id 红 red: 人工认定 by postgres from 2023-09 until 2023-10: 征地拆迁受阻" \
	"colour_current shows the override at once, with its author and reason"
is "$(psql_q "SELECT colour || ' ' || rule_colour || ' ' || (override_id IS NULL) FROM kpr.colour_evaluation e
              JOIN kpr.project p USING (project_id) WHERE p.code = 'O-ONTIME' AND superseded_at IS NULL")" \
	"green green true" "the stored evaluation is the rules' until kpr colours runs"

run_kpr colours --month 2023-09
is "$status" 0 "kpr colours runs"
like "$err" "1 evaluations stored, 1 unchanged" "the override is a change, stored; the other project unchanged"
like "$out" "^红 red +1$" "the override counts as red"
is "$(psql_q "SELECT colour || ' ' || rule_colour || ' ' || rule_id || ' ' || (override_id = $id) FROM kpr.colour_evaluation e
              JOIN kpr.project p USING (project_id) WHERE p.code = 'O-ONTIME' AND month = '2023-09-01' AND superseded_at IS NULL")" \
	"red green green true" "the stored row has the override's colour, and the rules' colour and rule beside it"

for m in 10 11; do setup "evaluate 2023-$m" "$KPR" -q colours --month 2023-$m; done
like "$(shown O-ONTIME 2023-10)" "^red $id " "in its --until month the override applies"
like "$(shown O-ONTIME 2023-11)" "^green - 绿 green" "the month after --until, the rules again"
is "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation e JOIN kpr.project p USING (project_id)
              WHERE p.code = 'O-ONTIME' AND month = '2023-11-01' AND override_id IS NOT NULL")" 0 \
	"and kpr colours stored it without the override"

# --- the latest set wins; color is colour ---------------------------------------------------------
run_kpr color set O-ONTIME yellow --reason "复核中" --from 2023-10
is "$status" 0 "kpr color set works too"
like "$(shown O-ONTIME 2023-10)" "^yellow [0-9]+ 黄 yellow: 人工认定 by postgres from 2023-10: 复核中$" \
	"the latest set wins, open-ended"
like "$(shown O-ONTIME 2023-11)" "^yellow " "without --until it lasts"
like "$(shown O-ONTIME 2023-09)" "^red $id " "and the earlier one keeps its month"

# --- the default --from: the month kpr colours evaluates by default ------------------------------
KPR_TODAY=2023-12-06 run_kpr colour set O-OTHER blue --reason "提前完工"
is "$status" 0 "set without --from"
like "$err" "O-OTHER: 蓝 blue from 2023-11 until cleared" "starts at the latest month due (November on 6 December)"

# --- clear: audited, with who and why -------------------------------------------------------------
run_kpr colour clear O-ONTIME --reason "问题已解决"
is "$status" 0 "clear succeeds"
like "$err" "O-ONTIME: 2 manual colours cleared" "clearing every colour set for it"
is "$(psql_q "SELECT string_agg(revoked_by || ' ' || revoke_reason, ',') FROM kpr.colour_override o
              JOIN kpr.project p USING (project_id) WHERE p.code = 'O-ONTIME'")" \
	"postgres 问题已解决,postgres 问题已解决" "who cleared them and why are recorded"
like "$(shown O-ONTIME 2023-10)" "^green - 绿 green" "colour_current shows the rules' colour again"
is "$(psql_q "SELECT string_agg(op || ' ' || db_user || ' ' || coalesce(new_row->>'revoke_reason', new_row->>'reason'), ','
              ORDER BY audit_id) FROM kpr.audit_log WHERE table_name = 'colour_override'
              AND (new_row->>'project_id')::bigint = (SELECT project_id FROM kpr.project WHERE code = 'O-ONTIME')")" \
	"INSERT postgres 征地拆迁受阻,INSERT postgres 复核中,UPDATE postgres 问题已解决,UPDATE postgres 问题已解决" \
	"the audit log has each set and each clear, with who and why"
run_kpr colours --month 2023-10
like "$err" "1 evaluations stored" "kpr colours stores the cleared project's rules' colour"

# --- the city's only --------------------------------------------------------------------------------
setup "a county login" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_cty LOGIN IN ROLE ${DBNAME}_county"
on_exit "psql -X -q -d postgres -c 'DROP OWNED BY ${DBNAME}_cty' -c 'DROP ROLE ${DBNAME}_cty' >/dev/null 2>&1"
county=(-d "host=$KPR_TEST_HOST user=${DBNAME}_cty dbname=$DBNAME")
before=$(psql_q "SELECT count(*) FROM kpr.colour_override")
run_kpr "${county[@]}" colour set O-OTHER red --reason x --from 2023-09
is "$status" 4 "a county office may not set a colour"
like "$err" "only the city office may set a colour" "and is told why"
run_kpr "${county[@]}" colour clear O-OTHER --reason x
is "$status" 4 "nor clear one"
is "$(psql_q "SELECT count(*) FROM kpr.colour_override WHERE revoked_at IS NULL")" 1 "the colour set stays"
is "$(psql_q "SELECT count(*) FROM kpr.colour_override")" "$before" "and none was added"
is "$(psql -X -q -A -t "host=$KPR_TEST_HOST user=${DBNAME}_cty dbname=$DBNAME" \
	-c "SELECT count(*) > 0 FROM kpr.colour_current")" "t" "a county office reads the colours"

done_testing
