#!/usr/bin/env bash
# kpr report, a month whose colours are not stored yet: evaluated on the fly by the colour rules
# (a manual colour counts as its colour), nothing stored, a note says how many; the colours are
# those kpr colours then stores (the report the same byte for byte); a project listed later is
# the one evaluated on the fly; a reader's report; --as-of a moment before kpr colours stored
# the month evaluates it on the fly from the figures of then.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "the list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
setup "its progress" "$KPR" -q import progress "$TESTDATA/import/progress-2023.csv"
setup "a manual colour" "$KPR" -q colour set LF2023-004 blue --reason "专项督办" --from 2023-05
stored() { psql_q "SELECT count(*) FROM kpr.colour_evaluation"; }
colours() { # the colour counts of the 合计 row: blue,green,yellow,red,unrated
	printf '%s\n' "$1" | awk -F, '$1 == "合计" { print $13 "," $14 "," $15 "," $16 "," $17 }'
}

# --- on the fly ---------------------------------------------------------------------------------
run_kpr report --month 2023-05 --format csv
is "$status" 0 "a report of a month never evaluated"
fly=$out
is "$(stored)" 0 "stores no colour"
IFS=, read -r b g y r u <<<"$(colours "$fly")"
is "$u" 0 "no project counts as unrated for want of an evaluation"
ok "the manual colour counts as its colour (blue: $b)" test "$b" -ge 1
run_kpr report --month 2023-05 --format csv --section lagging
lag=$out
run_kpr report --month 2023-05 --format json
like "$out" '"not_evaluated":0' "JSON: none left unevaluated"
like "$out" '\{"kind":"on_the_fly","code":null,"name":null,"detail":"5"\}' "a note of kind on_the_fly says 5 were evaluated on the fly"
run_kpr report --month 2023-05
like "$out" "5个项目2023年5月的颜色尚未评定存储,已按颜色规则即时评定\(未存储;kpr colours存储\)。" "the table's note says so"
unlike "$out" "尚未评定颜色" "and counts none as unrated"
run_kpr report --month 2023-05 --lang en
like "$out" "5 projects had no colour stored for 2023-05: evaluated on the fly" "in English too"

# a reader may read the report, on the fly too
setup "a reader" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_rd LOGIN IN ROLE ${DBNAME}_reader"
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_rd dbname=$DBNAME" report --month 2023-05 --format csv
is "$status" 0 "a reader's report"
is "$out" "$fly" "has the same colours"

# --- what kpr colours stores ----------------------------------------------------------------------
# the independent side: the stored evaluation's counts, per colour, of the projects listed
setup "kpr colours stores May" "$KPR" -q colours --month 2023-05
is "$(psql_q "SELECT count(*) FILTER (WHERE colour = 'blue') || ',' || count(*) FILTER (WHERE colour = 'green') || ','
	|| count(*) FILTER (WHERE colour = 'yellow') || ',' || count(*) FILTER (WHERE colour = 'red') || ','
	|| count(*) FILTER (WHERE colour IS NULL) FROM kpr.colour_current WHERE month = '2023-05-01'")" "$b,$g,$y,$r,$u" \
	"the colours on the fly are those kpr colours stores"
run_kpr report --month 2023-05 --format csv
is "$out" "$fly" "the report from the stored colours is the same byte for byte"
run_kpr report --month 2023-05 --format csv --section lagging
is "$out" "$lag" "and so is its lagging list"
run_kpr report --month 2023-05 --format json
unlike "$out" '"on_the_fly"' "no note of colours on the fly now"

# --- a project listed after the month was evaluated -------------------------------------------------
{ cat "$TESTDATA/import/projects-2023.csv"; printf '%s\n' \
	'6,LF2023-006,新增项目,广阳区,,,先进制造,市重点,续建,建设单位,责任单位,副市长 周某,内容,2023-2024,,9000,3000,'; } > more.csv
setup "a sixth project listed" "$KPR" -q import projects more.csv
run_kpr report --month 2023-05 --format json
like "$out" '\{"kind":"on_the_fly","code":null,"name":null,"detail":"1"\}' "only the new project is evaluated on the fly"
run_kpr report --month 2023-05 --format csv
fly6=$out
setup "kpr colours again" "$KPR" -q colours --month 2023-05
run_kpr report --month 2023-05 --format csv
is "$out" "$fly6" "and its colour is the one kpr colours stores"

# --- as of a moment before the month was stored ------------------------------------------------------
T=$(psql_q "SELECT to_char(date_trunc('second', now() AT TIME ZONE 'Asia/Shanghai') + interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS')")
run_kpr report --month 2023-06 --format csv
june=$out
like "$june" "合计,,6," "June's report, its colours on the fly"
setup "wait for $T" psql_q "SELECT pg_sleep(extract(epoch FROM (('${T/T/ }'::timestamp AT TIME ZONE 'Asia/Shanghai') - clock_timestamp())) + 0.2)"
setup "a correction of May" "$KPR" -q update LF2023-003 --month 2023-05 --amount 9000 --reason "补报"
setup "kpr colours stores June" "$KPR" -q colours --month 2023-06
run_kpr report --month 2023-06 --format csv
now=$out
ok "June's colours changed with the correction" test "$(colours "$now")" != "$(colours "$june")"
run_kpr report --month 2023-06 --format csv --as-of "$T"
is "$out" "$june" "--as-of the moment before: June on the fly from the figures of then, byte for byte"
run_kpr report --month 2023-06 --format json --as-of "$T"
like "$out" '\{"kind":"on_the_fly","code":null,"name":null,"detail":"6"\}' "and a note says so"

done_testing
