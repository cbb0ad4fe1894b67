#!/usr/bin/env bash
# kpr show CODE: one project's card: fields, years (scenarios, plan), rebaselines, progress month
# by month with the year-to-date and rate, corrections, pool moves, colour, last changes; the
# nearest code or name for an unknown code; table and JSON.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"
G=2303-131022-04-01-573274

# --- the command line ------------------------------------------------------------------------
run_kpr help show
is "$status" 0 "kpr help show works"
like "$out" "^usage: kpr show CODE \[--format table\|json\]$" "and gives the synopsis of the contract"
run_kpr show
is "$status" 2 "show without a code is a usage error"
like "$err" "missing the project code \(kpr show CODE\)" "and says what is missing"
run_kpr show a b
is "$status" 2 "show takes one code"
run_kpr show LF2023-002 --format csv
is "$status" 2 "--format is table or json"
like "$err" "--format must be table or json, not 'csv'" "and says so"

setup "import the list" "$KPR" -q import projects "$SRC"
setup "import progress" "$KPR" -q import progress "$PROGRESS"
sed -e 's/大厂影视小镇二期/大厂影视小镇二期工程/' -e 's/,2023-04,"120,000",35000,/,2023-04,"120,000",36000,/' "$SRC" > changed.csv
setup "import a changed list (a rename, a rebaseline)" "$KPR" -q import projects changed.csv
sed -e 's/2023年5月,4000.5/2023年5月,4100/' "$PROGRESS" > corrected.csv
setup "import a correction" "$KPR" -q import progress corrected.csv

# --- unknown codes -----------------------------------------------------------------------------
run_kpr show LF2023-02
is "$status" 1 "an unknown code is bad input"
like "$err" "no project with code 'LF2023-02'" "named"
like "$err" "HINT:  Did you mean LF2023-002 \(廊坊临空经济区智慧物流园项目\)\?" "with the nearest code and its name"
run_kpr show 2303-131022-04-01-573275
like "$err" "Did you mean $G \(固安智能制造产业园项目\)\?" "a national code one digit off"
run_kpr show 智慧物流园
is "$status" 1 "a name is not a code"
like "$err" "Did you mean LF2023-002 \(" "but the project whose name holds it is suggested"
run_kpr show ZZZZZZZZZZZZ
like "$err" "kpr list --search TEXT" "nothing near: how to search"
run_kpr show lf2023-002
is "$status" 1 "codes match exactly (never rewritten)"
like "$err" "Did you mean LF2023-002 " "but the other case is suggested"

# --- the card ----------------------------------------------------------------------------------
run_kpr show "$G"
is "$status" 0 "show succeeds"
is "$(printf '%s\n' "$out" | sed -n 1p)" "Project $G" "the card's title"
like "$out" "^name +固安智能制造产业园项目$" "the fields: name"
like "$out" "^region +固安县$" "region by name"
like "$out" "^scope +新建厂房12万平方米,购置生产线8条， 配套建设仓储及办公楼$" "a multi-line scope on one line"
like "$out" "^total investment +120000\.0000$" "money in 万元"
like "$out" "^planned start +2023-04$" "the planned start month"
like "$out" "^pool +前期库$" "the pool by name"
for f in code level nature industry owner "responsible unit" leader "start year" "end year" "actual start" \
	"completed on" remarks created updated "last batch" colour; do
	like "$out" "^$f( |$)" "every field: $f"
done
like "$out" "^2023  制造强市 +36000\.0000  rebaseline by import +[0-9]+$" "the year: scenarios, plan, its reason and batch"
like "$out" "^2023 +35000\.0000  .* +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} +3$" "the rebaseline: the plan replaced, by batch 3"
ytd=$(psql_q "SELECT sum(amount)::numeric(18,4) FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = '$G'")
may=$(psql_q "SELECT amount::numeric(18,4) FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = '$G' AND month = '2023-05-01'")
apr=$(psql_q "SELECT amount::numeric(18,4) FROM kpr.progress_current JOIN kpr.project USING (project_id) WHERE code = '$G' AND month = '2023-04-01'")
rate=$(psql_q "SELECT round(100 * $ytd / 36000, 1)")
like "$out" "^2023-05 +${may//./\\.} +${ytd//./\\.} +${rate//./\\.}  主体结构施工 .* 2$" \
	"May: the current amount, the year-to-date, the rate against the rebaselined plan, 2 versions"
like "$out" "^2023-04 +${apr//./\\.} +${apr//./\\.} +[0-9.]+  场地平整 .*2023-04-18 .* 1$" "April: its own year-to-date"
is "$(printf '%s\n' "$out" | grep -n '^2023-0[45] ' | cut -d: -f1 | paste -sd' ' | awk '{ print ($1 < $2) }')" 1 \
	"newest month first"
like "$out" "^Corrections: earlier versions of months$" "the corrections part"
like "$out" "^2023-05 +4000\.5000 +postgres .* +[0-9]+  superseded$" "the earlier version of May, superseded"

# pool moves, a colour, a change by hand (written as kpr update and kpr stage will)
psql_q "INSERT INTO kpr.pool_move (project_id, from_pool, to_pool, moved_on, reason)
	SELECT project_id, 'preparation', 'construction', '2023-04-18', '开工' FROM kpr.project WHERE code = '$G';
	UPDATE kpr.project SET leader = '副市长 张某' WHERE code = '$G'" >/dev/null
run_kpr show "$G"
like "$out" "^2023-04-18  前期库  在建库  开工 +postgres  " "a pool move: when, from, to, why, who"
like "$out" "^colour +unrated as of 2023-05 \(no evaluation, no override\)$" "no colour stored: unrated, as of the month"
like "$out" "^[0-9-]{10} [0-9:]{8}  postgres  change .*project +UPDATE +leader: \"副市长 王某\" → \"副市长 张某\"$" \
	"the last changes: a change by hand, field by field"
like "$out" "^[0-9-]{10} [0-9:]{8}  postgres  import .*progress .*corrected\.csv" "and the imports that wrote it"
unlike "$out" "projects-2024" "not other files"

psql_q "INSERT INTO kpr.colour_evaluation (project_id, month, colour, rule_colour, rule_id, reason)
	SELECT project_id, '2023-05-01', 'yellow', 'yellow', 'yellow-behind', '黄 yellow: 落后序时进度 (rule yellow-behind)'
	FROM kpr.project WHERE code = '$G'" >/dev/null
run_kpr show "$G"
like "$out" "^colour +yellow as of 2023-05 \(黄 yellow: 落后序时进度 \(rule yellow-behind\)\)$" \
	"the month's evaluation and why, as the engine stored it"
psql_q "INSERT INTO kpr.colour_override (project_id, colour, reason, author, from_month)
	SELECT project_id, 'green', '资金已到位', 'city', '2023-05-01' FROM kpr.project WHERE code = '$G'" >/dev/null
run_kpr show "$G"
like "$out" "^colour +green as of 2023-05 \(绿 green: 人工认定 by city from 2023-05: 资金已到位\)$" \
	"an override above the rules, with its author and reason"

run_kpr show "$G" --changes 1
like "$out" "^Last changes \(1 of [0-9]+; kpr log $G shows all\)$" "--changes N: the last N, and how many there are"

# --- JSON ----------------------------------------------------------------------------------------
run_kpr show "$G" --format json
is "$status" 0 "JSON succeeds"
is "$(printf '%s' "$out" | jq -r '[.project.code, .project.total_investment, .colour.month, .colour.colour, .colour.why,
	.years[0].annual_plan, .rebaselines[0].plan_before, (.progress | length), .progress[0].ytd,
	.corrections[0].amount, .corrections[0].status, .pool_moves[-1].to, .changes[0].kind] | map(tostring) | join(" ")' 2>&1)" \
	"$G 120000 2023-05 green 绿 green: 人工认定 by city from 2023-05: 资金已到位 36000 35000 2 $(psql_q "SELECT trim_scale($ytd)") 4000.5 superseded 在建库 change" \
	"JSON: one object, a key a part, numbers as numbers"

done_testing
