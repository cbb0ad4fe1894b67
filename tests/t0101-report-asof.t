#!/usr/bin/env bash
# kpr report --as-of: a report taken, then the figures changed (a correction of an earlier
# month, a rebaselined plan, a project newly listed, a progress batch and a list reverted, a withdrawal, the
# colours evaluated again and a manual colour); --as-of the moment of the first report gives
# it again byte for byte (groups, lagging, missing; the JSON but for as_of) while the current
# report differs; an independent SQL oracle for the as-of total; the command line; migration
# 0012 on a registry holding data.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"
P1=2303-131022-04-01-573274

import() { # kind file [option...]: import it, $batch the batch it recorded
	setup "import $1 $2" "$KPR" import "$@"
	batch=$(sed -n 's/^kpr: recorded as import batch \([0-9]*\)$/\1/p' "$WORK/.setup.err")
}
report() { # [option...]: the report of May 2023 into $out
	run_kpr report --month 2023-05 "$@"
}

# --- the command line ---------------------------------------------------------------------------
run_kpr report --help
like "$out" "\[--as-of YYYY-MM-DD\[THH:MM\[:SS\]\]\]" "kpr report --help gives --as-of in the synopsis"
like "$out" "--as-of=YYYY-MM-DD\[THH:MM\[:SS\]\]"$'\n'" +the figures as recorded at that moment" \
	"and among the options (its text on the next line)"
for bad in 2023-10 2023-13-01 2023-02-29 2023-10-08T24:00 "2023-10-08 12:00" 2023-10-08T12 x \
	2023-10-08T12:00:60 2023-10-08T12:00:5 2023-10-08T12:00.30 2023-10-08T12:00:300; do
	run_kpr -d "host=/nonexistent" report --month 2023-05 --as-of "$bad"
	is "$status" 2 "--as-of '$bad' is a usage error, before connecting"
	like "$err" "--as-of must be a moment like 2023-10-08 or 2023-10-08T12:00, not '$bad'" "naming the value"
done

# --- the figures of a first report ----------------------------------------------------------------
import projects "$SRC"
import progress "$PROGRESS"
printf '%s\n' "项目代码,项目名称,月份,本月完成投资(万元),形象进度,存在问题,实际开工时间,调整原因" \
	"LF2023-003,大厂影视小镇二期,2023-04,700,影棚施工,工期滞后,," > april.csv
import progress april.csv; april=$batch
setup "colours of May" "$KPR" -q colours --month 2023-05
# a 2024 list with one project already known (its fields as they are: only the entry is new)
{ sed -n 1,3p "$TESTDATA/import/projects-2024.csv"; sed -n 4,5p "$SRC" | sed 's/,35000,$/,50000,/'; } > list2024.csv
setup "open 2024" "$KPR" -q year open 2024
import projects list2024.csv; list2024=$batch
run_kpr report --year 2024 --quarter 1 --format csv; csv24=$out
like "$csv24" "合计,,1,12.00000000,5.00000000," "the 2024 list has it"

report --format csv; csv0=$out
report --format csv --section lagging; lag0=$out
report --format csv --section missing; miss0=$out
report --format json; json0=$out
report; table0=$out
ok "the first report has figures ($(printf '%s' "$csv0" | tail -1))" test -n "$csv0"

# the moment: the next second, once it has begun (everything above was recorded before it)
T=$(psql_q "SELECT to_char(date_trunc('second', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS')")
setup "wait for $T" psql_q "SELECT pg_sleep(extract(epoch FROM (('${T/T/ }'::timestamp AT TIME ZONE 'Asia/Shanghai') - clock_timestamp())) + 0.2)"

# --- then the figures change ------------------------------------------------------------------------
# a correction of April (a later version), the April batch reverted
setup "a correction of April" "$KPR" -q update "$P1" --month 2023-04 --amount 3500 --reason "复核更正"
run_kpr batch revert "$april" --reason "wrong file"
is "$status" 0 "the April batch is reverted"
# the 2024 list reverted: its entry of a known project is deleted
run_kpr batch revert "$list2024" --reason "wrong year"
is "$status" 0 "the 2024 list is reverted"
# a rebaselined plan and a project newly listed
{ cat "$SRC"; } | sed -e 's/^3,LF2023-003,\(.*\),"45,000",１２０００,$/3,LF2023-003,\1,"45,000",16000,调整计划/' \
	-e 's/^,,,,,,,,,,,,,,,,,$//' > projects2.csv
printf '%s\n' '6,LF2023-006,新增项目,广阳区,,,先进制造,市重点,续建,建设单位,责任单位,副市长 周某,内容,2023-2024,,9000,3000,' >> projects2.csv
import projects projects2.csv
is "$(psql_q "SELECT trim_scale(annual_plan) FROM kpr.project_year JOIN kpr.project USING (project_id) WHERE code = 'LF2023-003'")" \
	16000 "the plan is rebaselined"
is "$(psql_q "SELECT count(*) FROM kpr.project_year")" 6 "a sixth project is listed"
# a withdrawal (a move to no pool, as the report reads one) dated in May, recorded now
setup "a withdrawal" psql_q "INSERT INTO kpr.pool_move (project_id, from_pool, to_pool, moved_on, reason)
	SELECT project_id, pool_code, NULL, '2023-05-20', '项目取消' FROM kpr.project WHERE code = 'LF2023-002'"
# the colours again, a manual colour
setup "a manual colour" "$KPR" -q colour set LF2023-004 green --reason "已整改" --from 2023-05
setup "colours of May again" "$KPR" -q colours --month 2023-05
ok "some colours were evaluated again (superseded: $(psql_q "SELECT count(*) FROM kpr.colour_evaluation WHERE superseded_at IS NOT NULL"))" \
	test "$(psql_q "SELECT count(*) FROM kpr.colour_evaluation WHERE superseded_at IS NOT NULL")" -gt 0
is "$(psql_q "SELECT colour FROM kpr.colour_current JOIN kpr.project USING (project_id) WHERE code = 'LF2023-004'")" green \
	"the manual colour is current"

# --- now and as of then -----------------------------------------------------------------------------
report --format csv
isnt() { if [ "$1" != "$2" ]; then ok "$3" true; else ok "$3" false; fi; }
isnt "$out" "$csv0" "the current report differs"
like "$out" "合计,,5," "(the withdrawal counts now)"
report --format csv --as-of "$T"
is "$status" 0 "kpr report --as-of $T"
is "$out" "$csv0" "reproduces the first report's groups byte for byte"
report --format csv --section lagging --as-of "$T"
is "$out" "$lag0" "and its lagging list"
report --format csv --section missing --as-of "$T"
is "$out" "$miss0" "and its missing reports"
report --format json --as-of "$T"
like "$out" "\"as_of\":\"${T/T/ }\"" "JSON names the moment"
is "$(printf '%s' "$out" | sed 's/"as_of":"[^"]*"/"as_of":null/')" "$json0" "and is the first report's otherwise"
like "$json0" '"as_of":null' "without --as-of, as_of is null"
report --as-of "$T"
like "$out" "截至${T/T/ }的记录" "the table's title names the moment"
like "$out" "项目名称、地区、单位等属性为当前值" "and a note says the attributes are current"
is "$(printf '%s' "$out" | sed -e "s/,截至${T/T/ }的记录//" -e '/属性为当前值/d' -e '/^注:$/d')" "$(printf '%s' "$table0")" \
	"and is the first report's otherwise"
report --as-of "$T" --lang en
like "$out" "as recorded at ${T/T/ }" "in English too"

run_kpr report --year 2024 --quarter 1 --format csv
like "$out" "合计,,0," "the 2024 list is empty now"
run_kpr report --year 2024 --quarter 1 --format csv --as-of "$T"
is "$out" "$csv24" "as of T its entry, which a later revert deleted, is listed: the 2024 report of then"

# a date alone is the end of that day; long ago: nothing listed yet; far ahead: today's figures
report --format csv --as-of 2000-01-01
like "$out" "合计,,0,0.00000000,0.00000000,0.00000000,,41.7," "as of 2000-01-01 nothing was listed"
report --format csv --as-of 2999-12-31T23:59
is "$out" "$(run_kpr report --month 2023-05 --format csv; printf '%s' "$out")" "a moment ahead gives today's figures"

# --- an independent oracle: completed and planned by T, from the tables' own history --------------
# completed: each month's highest version among the rows recorded by T of batches not reverted
# by T; planned: the plan replaced after T (the first such), else the current one, of the
# entries listed by T; withdrawn: the projects whose latest move recorded by T is a withdrawal.
at="('${T/T/ }'::timestamp AT TIME ZONE 'Asia/Shanghai')"
expect=$(psql_q "
	WITH rows AS (SELECT g.*, coalesce(g.reported_at, b.started_at) AS at FROM kpr.progress g
		LEFT JOIN kpr.import_batch b USING (batch_id)
		WHERE coalesce(g.reported_at, b.started_at) <= $at AND (b.reverted_at IS NULL OR b.reverted_at > $at)),
	listed AS (SELECT py.project_id FROM kpr.project_year py JOIN kpr.project p USING (project_id)
		WHERE py.year = 2023 AND p.created_at <= $at
		AND NOT EXISTS (SELECT FROM kpr.pool_move m WHERE m.project_id = py.project_id AND m.to_pool IS NULL AND m.moved_at <= $at))
	SELECT (SELECT sum(r.amount) FROM rows r WHERE r.month BETWEEN '2023-01-01' AND '2023-05-01'
		AND r.project_id IN (SELECT project_id FROM listed)
		AND r.version = (SELECT max(v.version) FROM rows v WHERE v.project_id = r.project_id AND v.month = r.month))::numeric(20,4)
	|| ',' || (SELECT sum(coalesce((SELECT h.amount FROM kpr.annual_plan_history h WHERE h.project_id = py.project_id
		AND h.year = 2023 AND h.superseded_at > $at ORDER BY h.superseded_at, h.plan_id LIMIT 1), py.annual_plan))
		FROM kpr.project_year py WHERE py.year = 2023 AND py.project_id IN (SELECT project_id FROM listed))::numeric(20,4)")
report --format csv --unit 万元 --as-of "$T"
is "$(printf '%s' "$out" | awk -F, '$1 == "合计" { print $6 "," $5 }')" "$expect" "completed and planned as of T agree with the oracle"
report --format csv --unit 万元
isnt "$(printf '%s' "$out" | awk -F, '$1 == "合计" { print $6 "," $5 }')" "$expect" "and today's differ from them"

# --- migration 0012 on a registry holding data -------------------------------------------------------
fresh_db
setup "a registry at 0011 with a list, a rebaselined plan and an entry without one" registry_at 11 <<'EOF'
INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
INSERT INTO import_batch (kind, file_name, checksum, started_at) VALUES
	('projects', 'a.csv', '', '2023-01-10 09:00+08'), ('projects', 'b.csv', '', '2023-06-01 09:00+08');
INSERT INTO project (code, name, region_code, created_at) VALUES
	('P-1', '道路', '131002', '2023-01-10 09:00+08'), ('P-2', '桥梁', '131002', '2023-03-01 10:00+08');
INSERT INTO project_year (project_id, year, annual_plan, batch_id)
	SELECT project_id, 2023, CASE code WHEN 'P-1' THEN 120 END, 2 FROM project;
INSERT INTO annual_plan_history (project_id, year, amount, batch_id, superseded_at, superseded_by)
	SELECT project_id, 2023, 100, 1, '2023-06-01 09:00+08', 2 FROM project WHERE code = 'P-1';
EOF
run_kpr init
is "$status" 0 "init upgrades a registry from 0011"
versions() { psql_q "SELECT string_agg(p.code || ':' || coalesce(trim_scale(v.annual_plan)::text, '-') || ' '
	|| to_char(v.valid_from AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24') || '..'
	|| coalesce(to_char(v.valid_to AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24'), ''), ', ' ORDER BY p.code, v.valid_from)
	FROM kpr.project_year_version v JOIN kpr.project p USING (project_id)"; }
is "$(versions)" "P-1:100 01-10 09..06-01 09, P-1:120 06-01 09.., P-2:- 03-01 10.." \
	"each entry's plans since its earliest known listing, the replaced one until it was replaced"
setup "a plan set, an entry removed" psql_q "UPDATE kpr.project_year SET annual_plan = 50 WHERE project_id = 2;
	UPDATE kpr.project_year SET batch_id = NULL WHERE project_id = 1;
	DELETE FROM kpr.project_year WHERE project_id = 1"
is "$(psql_q "SELECT count(*) FILTER (WHERE valid_to IS NULL) || '/' || count(*) FROM kpr.project_year_version")" "1/4" \
	"the triggers keep a change of plan and a removal, not a change of batch alone"
is "$(psql_q "SELECT trim_scale(annual_plan) FROM kpr.project_year_version WHERE valid_to IS NULL")" 50 "the open one is the new plan"

done_testing
