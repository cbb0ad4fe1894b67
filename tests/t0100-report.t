#!/usr/bin/env bash
# kpr report: the groups compared cell by cell with an independent oracle (plain SQL over the
# base tables, below, never kpr's own query) by region, zone (未填) and scenario (a project in
# each of its scenarios, once in the total); zero plans, ties in rank, quarter 3 = January to
# September, withdrawn projects and projects without a plan; the seed's 2022 headline; the
# forms (csv, json, md, table, --bom, --lang en, -o FILE); usage errors.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "load the report fixture" psql -X -q -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -f "$TESTDATA/report/fixture.sql"
# the colours counted are the fixture's stored ones: without colour rules no month is evaluated
# on the fly (t0104 tests that)
setup "no colour rules" psql_q "DELETE FROM kpr.colour_rule_condition; DELETE FROM kpr.colour_rule"

# --- the command line ---------------------------------------------------------------------------
run_kpr report
is "$status" 2 "kpr report without a period is a usage error"
like "$err" "missing the period: --year YYYY --quarter Q, or --month YYYY-MM" "and says what is missing"
run_kpr -d "host=/nonexistent" report --year 2023
is "$status" 2 "--year without --quarter is a usage error, before connecting"
run_kpr -d "host=/nonexistent" report --year 2023 --quarter 5
is "$status" 2 "--quarter 5 is a usage error"
like "$err" "--quarter must be 1, 2, 3 or 4, not '5'" "and says which quarters are"
run_kpr -d "host=/nonexistent" report --year 2023 --quarter 3 --month 2023-09
is "$status" 2 "a quarter and a month is a usage error"
run_kpr -d "host=/nonexistent" report --month 2023-09 --by county
is "$status" 2 "an unknown --by is a usage error"
run_kpr -d "host=/nonexistent" report --month 2023-09 --format xls
is "$status" 2 "an unknown --format is a usage error"
run_kpr report --help
is "$status" 0 "kpr report --help"
like "$out" "usage: kpr report \(--year YYYY --quarter Q \| --month YYYY-MM\) \[--by DIMENSION\]" "gives the synopsis"
like "$out" "--section=" "and documents --section"
run_kpr --help
like "$out" "^  report +the investment-completion report" "kpr --help lists it"

# --- the oracle -----------------------------------------------------------------------------------
# oracle YEAR MONTH KEYS: the groups section as CSV (万元), computed from the base tables.  KEYS
# is a query giving (project_id, gc, gn, go): a project's group code, name and order (NULL
# code: 未填).  A month's figure is its latest row (highest progress_id); a project is
# withdrawn when its latest pool move by the month's end has no pool.
oracle() {
	local y=$1 m=$2 keys=$3 end="($2::date + interval '1 month')::date"
	psql -X -q -A -t -F, -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -c "
	WITH lst AS (
		SELECT p.project_id, p.nature, p.planned_start, p.actual_start, p.total_investment, py.annual_plan
		FROM kpr.project p JOIN kpr.project_year py ON py.project_id = p.project_id AND py.year = $y
		WHERE coalesce((SELECT m.to_pool IS NULL FROM kpr.pool_move m WHERE m.project_id = p.project_id
			AND m.moved_on < $end ORDER BY m.moved_on DESC, m.move_id DESC LIMIT 1), false) = false),
	fig AS (
		SELECT l.*,
			(SELECT coalesce(sum(x.amount), 0) FROM kpr.progress x WHERE x.project_id = l.project_id
				AND x.month >= make_date($y, 1, 1) AND x.month <= $m::date
				AND x.progress_id = (SELECT max(z.progress_id) FROM kpr.progress z
					WHERE z.project_id = x.project_id AND z.month = x.month)) AS done,
			(SELECT e.colour FROM kpr.colour_evaluation e WHERE e.project_id = l.project_id
				AND e.month = $m::date) AS colour,
			l.nature = '新开工' AND l.planned_start <= $m::date AS planned,
			coalesce(l.actual_start < $end, false) OR EXISTS (SELECT FROM kpr.progress s
				WHERE s.project_id = l.project_id AND s.actual_start < $end AND s.month <= $m::date) AS started
		FROM lst l),
	agg AS (
		SELECT g, gc, go, count(*) AS n, coalesce(sum(total_investment), 0) AS ti,
			coalesce(sum(annual_plan), 0) AS plan, sum(done) AS done,
			sum(done) FILTER (WHERE annual_plan IS NOT NULL) AS dp,
			count(*) FILTER (WHERE planned) AS ps, count(*) FILTER (WHERE planned AND started) AS st,
			count(*) FILTER (WHERE colour = 'blue') AS b, count(*) FILTER (WHERE colour = 'green') AS gr,
			count(*) FILTER (WHERE colour = 'yellow') AS ye, count(*) FILTER (WHERE colour = 'red') AS re,
			count(*) FILTER (WHERE colour IS NULL) AS un
		FROM (SELECT f.*, coalesce(k.gn, '未填') AS g, k.gc, k.go FROM fig f JOIN ($keys) k USING (project_id)
		      UNION ALL SELECT f.*, '合计', '~total', NULL FROM fig f) u
		GROUP BY g, gc, go),
	rated AS (
		SELECT *, CASE WHEN plan > 0 THEN round(dp * 100 / plan, 1) END AS rate FROM agg)
	SELECT g, CASE WHEN gc = '~total' THEN '' ELSE coalesce(gc, '') END, n, ti::numeric(20,4), plan::numeric(20,4),
		done::numeric(20,4), coalesce(rate::text, ''), round(100 * $((10#${m:6:2})) / 12.0, 1),
		coalesce(round((1200 * dp - 100 * $((10#${m:6:2})) * plan) / nullif(12 * plan, 0), 1)::text, ''),
		ps, st, coalesce(round(100.0 * st / nullif(ps, 0), 1)::text, ''), b, gr, ye, re, un,
		CASE WHEN gc = '~total' OR rate IS NULL THEN ''
		ELSE (1 + (SELECT count(*) FROM rated o WHERE o.gc IS DISTINCT FROM '~total' AND o.rate > r.rate))::text END
	FROM rated r ORDER BY gc IS NOT DISTINCT FROM '~total', gc IS NULL, go NULLS LAST, gc"
}

# compare TITLE GOT EXPECTED: cell by cell (the heading line first, skipped)
compare() {
	local title=$1 got=$2 want=$3 i j
	local -a g w gc wc
	mapfile -t g <<<"$got"
	mapfile -t w <<<"$want"
	is "$((${#g[@]} - 1))" "${#w[@]}" "$title: as many rows as the oracle"
	for ((i = 0; i < ${#w[@]}; i++)); do
		IFS=, read -r -a gc <<<"${g[i + 1]},"
		IFS=, read -r -a wc <<<"${w[i]},"
		for ((j = 0; j < 18; j++)); do
			is "${gc[j]}" "${wc[j]}" "$title: row $((i + 1)) (${wc[0]}) column ${HEADS[j]}"
		done
	done
}

HEADS=(group group_code projects total_investment annual_plan completed completion_rate time_progress \
	points_vs_time planned_starts started start_rate blue green yellow red unrated rank)
BY_REGION="SELECT p.project_id, r.code AS gc, r.name AS gn, r.ord AS go FROM kpr.project p JOIN kpr.region r ON r.code = p.region_code"
BY_ZONE="SELECT p.project_id, z.code AS gc, z.name AS gn, z.ord AS go FROM kpr.project p LEFT JOIN kpr.zone z ON z.code = p.zone_code"
BY_SCENARIO="SELECT p.project_id, s.code AS gc, s.name AS gn, s.ord AS go FROM kpr.project p
	LEFT JOIN (kpr.project_scenario ps JOIN kpr.scenario s ON s.scenario_id = ps.scenario_id AND s.year = 2023)
	ON ps.project_id = p.project_id"

run_kpr report --year 2023 --quarter 3 --format csv --unit 万元
is "$status" 0 "the groups as CSV"
is "${out%%$'\n'*}" "$(IFS=,; echo "${HEADS[*]}")" "under exactly the contract's column names"
compare "by region, Q3" "$out" "$(oracle 2023 "'2023-09-01'" "$BY_REGION")"
q3=$out

run_kpr report --month 2023-09 --format csv --unit 万元
is "$out" "$q3" "--quarter 3 is January to September: the same as --month 2023-09"
run_kpr report --year 2023 --quarter 4 --format csv --unit 万元
compare "by region, Q4" "$out" "$(oracle 2023 "'2023-12-01'" "$BY_REGION")"
isnt_q3=$([ "$out" != "$q3" ] && echo differs)
is "$isnt_q3" differs "October's progress counts in Q4, not in Q3"

run_kpr report --month 2023-09 --by zone --format csv --unit 万元
compare "by zone" "$out" "$(oracle 2023 "'2023-09-01'" "$BY_ZONE")"
like "$out" $'\n''未填,,' "projects without a zone fall in 未填"

run_kpr report --month 2023-09 --by scenario --format csv --unit 万元
compare "by scenario" "$out" "$(oracle 2023 "'2023-09-01'" "$BY_SCENARIO")"
sum=$(awk -F, 'NR > 1 && $1 != "合计" { n += $3 } END { print n }' <<<"$out")
total=$(awk -F, '$1 == "合计" { print $3 }' <<<"$out")
listed=$(psql_q "SELECT count(*) FROM kpr.project_year WHERE year = 2023")
is "$total" "$((listed - 1))" "the total counts each project once (the list less the one withdrawn)"
ok "the scenario groups count a project in each of its scenarios" [ "$sum" -gt "$total" ]

# --by band: the default bands, then the configuration's (report_bands), each against the oracle
BY_BAND="SELECT p.project_id, b.gc, b.gn, b.go FROM kpr.project p LEFT JOIN LATERAL (SELECT * FROM (VALUES
	('ge10', '10亿元及以上', 1, 100000), ('1to10', '1–10亿元', 2, 10000), ('lt1', '1亿元以下', 3, 0))
	v (gc, gn, go, lo) WHERE p.total_investment >= v.lo ORDER BY v.lo DESC LIMIT 1) b ON true"
run_kpr report --month 2023-09 --by band --format csv --unit 万元
compare "by band (the default bands)" "$out" "$(oracle 2023 "'2023-09-01'" "$BY_BAND")"
cat >"$WORK/bands.yaml" <<'YAML'
kpr_config: 1
report_bands:
  - { code: small, name: "15亿元以下", from: 0 }
  - { code: big, name: "15亿元及以上 | x", from: "150,000" }
YAML
run_kpr import config "$WORK/bands.yaml"
is "$status" 1 "a band name holding '|' is refused"
like "$err" "bands.yaml:4:.*a band name cannot hold '\\|'" "naming where"
sed -i 's/ | x//; s/from: 0/from: 150000/' "$WORK/bands.yaml"
run_kpr import config "$WORK/bands.yaml"
is "$status" 1 "two bands starting at the same amount are refused"
like "$err" "two bands start at 150000.0000 万元" "saying which amount"
sed -i 's/from: 150000 }/from: 0 }/' "$WORK/bands.yaml"
run_kpr import config "$WORK/bands.yaml"
is "$status" 0 "report_bands in the configuration"
run_kpr config
like "$out" "report_bands +150000.0000:big:15亿元及以上\|0.0000:small:15亿元以下" "kpr config shows them, highest first"
BY_BAND="SELECT p.project_id, CASE WHEN p.total_investment >= 150000 THEN 'big' WHEN p.total_investment >= 0 THEN 'small' END AS gc,
	CASE WHEN p.total_investment >= 150000 THEN '15亿元及以上' WHEN p.total_investment >= 0 THEN '15亿元以下' END AS gn,
	CASE WHEN p.total_investment >= 150000 THEN 1 WHEN p.total_investment >= 0 THEN 2 END AS go FROM kpr.project p"
run_kpr report --month 2023-09 --by band --format csv --unit 万元
compare "by band (the configuration's)" "$out" "$(oracle 2023 "'2023-09-01'" "$BY_BAND")"
like "$out" $'\n''15亿元及以上,big,' "the configuration's band names and codes"

# --- the edges, by name ---------------------------------------------------------------------------
field() { # CSV GROUP COLUMN-NAME
	local i
	for i in "${!HEADS[@]}"; do [ "${HEADS[i]}" = "$3" ] && break; done
	awk -F, -v g="$2" -v c=$((i + 1)) '$1 == g { print $c }' <<<"$1"
}
is "$(field "$q3" 香河县 completion_rate)|$(field "$q3" 香河县 points_vs_time)|$(field "$q3" 香河县 rank)" "||" \
	"a zero plan gives empty rate, points and rank cells"
is "$(field "$q3" 香河县 annual_plan)" "0.0000" "its plan is 0"
is "$(awk -F, 'NR > 1 && $18 != "" { printf "%s ", $18 }' <<<"$q3")" "1 2 2 4 5 " "ties share a rank: 1, 2, 2, 4"
is "$(field "$q3" 广阳区 completion_rate)" "$(field "$q3" 固安县 completion_rate)" "the tie is a tie of the displayed rates"
plan_c=$(psql_q "SELECT annual_plan FROM kpr.project_year JOIN kpr.project USING (project_id) WHERE code = 'T23-C3'")
is "$(field "$q3" 固安县 annual_plan)" "$plan_c" "a project without a plan adds nothing to its group's plan"
is "$(field "$q3" 固安县 projects)" 2 "but counts in its projects"
is "$(field "$q3" 大城县 projects)" 1 "a project withdrawn in July is not counted; one withdrawn in October is"

# --- the seed's 2022 headline ---------------------------------------------------------------------
run_kpr report --year 2022 --quarter 4
is "$status" 0 "the 2022 report"
like "$out" "1—12月,全市4个重点项目完成投资874\.2亿元,占年度计划的136\.6%,超序时进度36\.6个百分点;新开工项目开工率100\.0%。" \
	"reproduces the seed's headline: 874.2 亿元 against a 640.0 亿元 plan, 136.6%"
run_kpr report --year 2022 --quarter 4 --format csv
compare "2022 in 亿元" "$out" "$(oracle 2022 "'2022-12-01'" "$BY_REGION" |
	awk -F, -v OFS=, '{ for (i = 4; i <= 6; i++) { split($i, a, "."); $i = sprintf("%d.%04d%s", int(a[1] / 10000), a[1] % 10000, a[2]) } print }')"
like "$out" $'\n''合计,,4,1450\.00000000,640\.00000000,874\.20000000,136\.6,100\.0,36\.6,' "amounts in 亿元 with 8 decimals"

# --- the headline of 2023 Q3 from the oracle's total ------------------------------------------------
IFS=, read -r -a t <<<"$(oracle 2023 "'2023-09-01'" "$BY_REGION" | tail -1)"
yi=$(psql_q "SELECT round(${t[5]} / 10000, 1)")
run_kpr report --year 2023 --quarter 3
like "$out" "1—9月,全市${t[2]}个重点项目完成投资${yi}亿元,占年度计划的${t[6]}%,落后序时进度${t[8]#-}个百分点;新开工项目开工率${t[11]}%。" \
	"the headline says behind (落后) with the oracle's figures"
like "$out" "已退库项目\(不计入本报告\):T23-G7 测试项目G7\(2023-07-15 项目终止\)" "a note names the withdrawn project"
like "$out" "未下达年度计划的项目\(计入项目数,不计入计划和完成率\):T23-C4 测试项目C4" "and the project without a plan"
like "$out" "4个项目2023年9月尚未评定颜色" "and says how many are not evaluated for the month"
like "$out" "县\(市、区\) +项目数 +总投资" "the table has Chinese headings"
like "$out" "序时进度75\.0%" "and the time progress in its title"

# --- lagging and missing --------------------------------------------------------------------------
run_kpr report --month 2023-09 --section lagging --format csv
want=$(psql -X -q -A -t -F, -d "$KPR_DATABASE" -c "SELECT p.code FROM kpr.colour_evaluation e
	JOIN kpr.project p USING (project_id) WHERE e.month = '2023-09-01' AND e.colour IN ('red', 'yellow')
	ORDER BY e.colour = 'yellow', (SELECT sum(amount) FROM kpr.progress x WHERE x.project_id = p.project_id
	AND x.month BETWEEN '2023-01-01' AND '2023-09-01' AND x.progress_id = (SELECT max(progress_id) FROM kpr.progress
	WHERE project_id = x.project_id AND month = x.month)) / (SELECT annual_plan FROM kpr.project_year
	WHERE project_id = p.project_id AND year = 2023), p.code")
is "$(awk -F, 'NR > 1 { print $1 }' <<<"$out")" "$want" "the lagging list: red then yellow, least complete first"
like "$out" "^code,name,region,responsible_unit,leader,colour,completion_rate,points_behind,problems" "under its column names"
like "$out" "T23-E5,测试项目E5,永清县,永清县人民政府,郑五,red,40\.0,35\.0,施工许可待批" "with the latest problems text"
run_kpr report --month 2023-09 --section missing --format csv
want=$(psql_q "SELECT p.code FROM kpr.project p JOIN kpr.project_year y ON y.project_id = p.project_id AND y.year = 2023
	JOIN kpr.region r ON r.code = p.region_code
	WHERE NOT EXISTS (SELECT FROM kpr.progress x WHERE x.project_id = p.project_id AND x.month = '2023-09-01')
	AND p.code <> 'T23-G7' ORDER BY r.ord, p.code")
is "$(awk -F, 'NR > 1 { print $3 }' <<<"$out")" "$want" "the missing reports: by region, withdrawn ones left out"

# --- the forms ------------------------------------------------------------------------------------
run_kpr report --month 2023-09 --format json
is "$status" 0 "json"
is "$(jq -r '.total.projects' <<<"$out")" "$(field "$q3" 合计 projects)" "json: the total"
is "$(jq -r '[.groups[].completed] | join(" ")' <<<"$out")" \
	"$(oracle 2023 "'2023-09-01'" "$BY_REGION" | head -n -1 | awk -F, '{ split($6, a, "."); printf "%s%d.%04d%s", (NR > 1 ? " " : ""), int(a[1] / 10000), a[1] % 10000, a[2] }')" \
	"json: amounts as exact decimal strings in 亿元 (8 decimals)"
is "$(jq -r '.groups[0].completed | type' <<<"$out")" string "json: an amount is a string"
is "$(jq -r '[.period.from, .period.to, .period.quarter, .unit] | join(" ")' <<<"$out")" "2023-01 2023-09  亿元" \
	"json: the period and unit"
is "$(jq -r '[.notes[].kind] | join(" ")' <<<"$out")" "withdrawn no_plan" "json: the notes"
is "$(jq -r '.lagging | length' <<<"$out")|$(jq -r '.missing | length' <<<"$out")" \
	"$(awk -F, 'NR > 1' <<<"$(${KPR} report --month 2023-09 --section lagging --format csv)" | wc -l)|5" "json: the lagging and missing lists"
like "$(jq -r '.headline' <<<"$out")" "^1—9月,全市" "json: the headline"

run_kpr report --month 2023-09 --format md
like "$out" $'\n''\| 安次区 +\| +1 \|' "md: a pipe table"
run_kpr report --month 2023-09 --format csv --bom
is "$(printf %s "$out" | head -c 3 | od -An -tx1 | tr -d ' ')" efbbbf "--bom begins with a UTF-8 BOM"
run_kpr report --month 2023-09 --lang en
like "$out" "region +projects +total investment" "--lang en: English headings"
like "$out" "2023-01 to 2023-09: the city's 8 key projects completed" "and an English headline"
like "$out" $'\n''Total ' "and an English total row"

run_kpr report --month 2023-09 --format csv --unit 万元 -o "$WORK/r.csv"
is "$status:$out" "0:" "-o FILE writes nothing to stdout"
is "$(cat "$WORK/r.csv")" "$q3" "-o FILE holds the report"
is "$(ls "$WORK" | grep -c 'r\.csv\.tmp')" 0 "and leaves no temporary file"
run_kpr report --month 2023-09 -o "$WORK/no/such/dir/r.csv"
is "$status" 5 "a file that cannot be written exits 5"
like "$err" "cannot write '$WORK/no/such/dir/r.csv'" "and names it"

# On a terminal (script(1) gives kpr one) the colour counts are coloured; not with NO_COLOR set,
# and never into a pipe (every run_kpr above).
red=$(field "$q3" 合计 red)
tty_out=$(script -qec "$KPR report --month 2023-09 --section groups" /dev/null)
like "$tty_out" $'\e\\[31m'"$red"$'\e\\[0m' "a terminal gets the red count in red"
like "$tty_out" "合计" "and the whole table"
tty_out=$(NO_COLOR=1 script -qec "$KPR report --month 2023-09 --section groups" /dev/null)
unlike "$tty_out" $'\e' "NO_COLOR: no colour on a terminal either"
unlike "$(${KPR} report --month 2023-09)" $'\e' "a pipe never gets colour"
ok "(the fixture has red projects in September)" test "$red" -gt 0

# a withdrawal made with kpr stage (into the pool marked withdrawn) takes the project out of the
# report from its date on, and names it in the notes, as a move to no pool does
psql_q "INSERT INTO kpr.pool (code, name, name_en, ord, mark) SELECT 'withdrawn', '退库', 'withdrawn', 99, 'withdrawn'
	WHERE NOT EXISTS (SELECT FROM kpr.pool WHERE mark = 'withdrawn')" >/dev/null
before=$(field "$q3" 合计 projects)
code=$(psql_q "SELECT p.code FROM kpr.project p JOIN kpr.project_year y USING (project_id) WHERE y.year = 2023
	AND y.annual_plan > 0 AND NOT EXISTS (SELECT FROM kpr.pool_move m WHERE m.project_id = p.project_id AND m.to_pool IS NULL)
	ORDER BY p.code LIMIT 1")
run_kpr stage "$code" withdrawn --date 2023-08-15 --reason "项目终止"
is "$status" 0 "kpr stage withdraws a project"
run_kpr report --month 2023-09 --format csv --unit 万元
is "$(field "$out" 合计 projects)" "$((before - 1))" "the report leaves it out from the withdrawal on"
run_kpr report --month 2023-07 --format csv --unit 万元
is "$(field "$out" 合计 projects)" "$(psql_q "SELECT count(*) FROM kpr.project_year y WHERE y.year = 2023 AND NOT EXISTS
	(SELECT FROM kpr.pool_move m WHERE m.project_id = y.project_id AND m.to_pool IS NULL AND m.moved_on <= '2023-07-31')")" \
	"and counts it before"
run_kpr report --month 2023-09 --format json
like "$(jq -r '.notes[] | select(.kind == "withdrawn") | .code' <<<"$out")" "^$code\$" "the notes name it"

done_testing
