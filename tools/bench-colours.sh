# bench-colours.sh: the colour engine's part of make bench, sourced by tools/bench.sh after the
# imports (it uses that script's server, helpers and bench_kpr database; docs/colours.md).
#
# In bench_kpr (the generated projects, 12 months of progress, the default colour rules) it
# times, BENCH_ROUNDS times alternating sides, each round from no stored evaluation:
#   baseline  one bare INSERT ... SELECT that computes the same measures from the same tables,
#             the default rules as one CASE, and stores the same rows (figures as jsonb, a
#             reason) into a table like kpr.colour_evaluation;
#   kpr       kpr -q colours --month 2023-12, with its peak RSS;
# and prints the medians, the ratio and the targets (<= 1.5x the INSERT ... SELECT, peak memory
# < 64 MiB), setting v_colours and v_colours_mem to PASS or MISS.

colours_month=2023-12-01

# the progress of the last projects round is not there (those rounds load only the list)
if [ "$(sql bench_kpr -c "SELECT count(*) FROM kpr.progress")" != "$rows_progress" ]; then
	echo "bench: colours: loading the progress again" >&2
	sql bench_kpr -c "TRUNCATE kpr.progress" >/dev/null
	setup "import progress" import progress "$G"
fi

sql bench_kpr <<'EOF' || die "cannot create the colours baseline table"
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_colour;
CREATE TABLE bench_colour (LIKE kpr.colour_evaluation INCLUDING ALL);
EOF

colours_sql="
INSERT INTO bench_colour (project_id, month, colour, rule_id, rule_colour, rule_description, conditions,
	figures, reason, override_id, evaluated_by)
WITH m AS (SELECT DATE '$colours_month' AS month),
listed AS (SELECT y.project_id, y.annual_plan FROM kpr.project_year y, m WHERE y.year = date_part('year', m.month)::int),
prog AS (SELECT pc.project_id,
		sum(pc.amount) FILTER (WHERE pc.month >= date_trunc('year', m.month)) AS ytd,
		bool_or(pc.month = m.month) AS reported,
		max(pc.month) FILTER (WHERE pc.amount > 0) AS last_investment
	FROM kpr.progress_current pc JOIN listed USING (project_id), m
	WHERE pc.month <= m.month GROUP BY pc.project_id),
x AS (SELECT l.project_id, m.month, l.annual_plan AS plan, coalesce(g.ytd, 0) AS ytd,
		coalesce(g.reported, false) AS reported,
		p.actual_start < (m.month + interval '1 month')::date AS started0,
		coalesce(p.completed_on < (m.month + interval '1 month')::date, false) AS completed,
		extract(month FROM m.month) * 100 / 12 AS time_progress,
		p.planned_start, p.actual_start, g.last_investment, o.override_id, o.colour AS override_colour
	FROM listed l JOIN kpr.project p USING (project_id) CROSS JOIN m
	LEFT JOIN prog g USING (project_id)
	LEFT JOIN LATERAL kpr.colour_override_at(p.project_id, m.month) o ON true),
y AS (SELECT x.*, coalesce(started0, false) AS started,
		CASE WHEN plan > 0 THEN ytd * 100 / plan END AS completion_rate,
		CASE WHEN plan > 0 THEN time_progress - ytd * 100 / plan END AS points_behind,
		CASE WHEN NOT coalesce(started0, false) AND planned_start IS NOT NULL THEN
			(date_part('year', month) - date_part('year', planned_start)) * 12
			+ date_part('month', month) - date_part('month', planned_start) END AS start_overdue_months,
		CASE WHEN coalesce(started0, false) THEN greatest(0,
			(date_part('year', month) * 12 + date_part('month', month))
			- greatest(coalesce(date_part('year', last_investment) * 12 + date_part('month', last_investment) + 1, 0),
				   date_part('year', actual_start) * 12 + date_part('month', actual_start)) + 1) END
			AS months_without_investment
	FROM x),
r AS (SELECT y.*, CASE
		WHEN completed THEN 'blue-completed'
		WHEN plan > 0 AND points_behind > 30 THEN 'red-behind-30'
		WHEN NOT started AND start_overdue_months >= 3 THEN 'red-start-overdue'
		WHEN started AND NOT completed AND months_without_investment >= 3 THEN 'red-stalled'
		WHEN plan > 0 AND points_behind > 0 AND points_behind <= 30 THEN 'yellow-behind'
		WHEN NOT started AND start_overdue_months BETWEEN 1 AND 2 THEN 'yellow-start-overdue'
		WHEN NOT reported THEN 'yellow-no-report'
		WHEN plan > 0 AND completion_rate >= 100 THEN 'blue-ahead'
		WHEN plan > 0 AND points_behind <= 0 THEN 'green' END AS rule_id
	FROM y)
SELECT r.project_id, r.month, coalesce(r.override_colour, c.colour), r.rule_id, c.colour, c.description,
	jsonb_build_array(jsonb_build_object('measure', 'points_behind', 'op', '>', 'value', 30,
		'actual', round(r.points_behind, 4))),
	jsonb_build_object('ytd', r.ytd, 'plan', r.plan, 'started', r.started, 'has_plan', r.plan > 0,
		'reported', r.reported, 'completed', r.completed, 'points_behind', round(r.points_behind, 4),
		'time_progress', round(r.time_progress, 4), 'completion_rate', round(r.completion_rate, 4),
		'under_construction', r.started AND NOT r.completed, 'start_overdue_months', r.start_overdue_months,
		'months_without_investment', r.months_without_investment),
	format('%s %s: %s (rule %s: points_behind %s; completion %s%%, time %s%%)', c.colour, c.colour,
		c.description, r.rule_id, round(r.points_behind, 1), round(r.completion_rate, 1),
		round(r.time_progress, 1)),
	r.override_id, session_user
FROM r LEFT JOIN kpr.colour_rule c ON c.year = date_part('year', r.month)::int AND c.rule_id = r.rule_id"

base_colours_timed() {
	sql bench_kpr -c "TRUNCATE bench_colour" -c "CHECKPOINT" >/dev/null
	t0=$(now)
	sql bench_kpr -c "$colours_sql" >/dev/null 2>"$tmp/colours-base.err" ||
		{ cat "$tmp/colours-base.err" >&2; die "the colours INSERT ... SELECT failed"; }
	t1=$(now)
	base_colours=$(elapsed "$t0" "$t1")
}
kpr_colours_timed() {
	sql bench_kpr -c "TRUNCATE kpr.colour_evaluation" >/dev/null
	kpr_timed colours colours --month "${colours_month%-01}"
}

echo "bench: colours of $projects projects" >&2
cbase_list= ckpr_list=
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	if [ $((r % 2)) = 1 ]; then kpr_colours_timed; base_colours_timed; else base_colours_timed; kpr_colours_timed; fi
	[ "$kpr_secs_colours" = failed ] && break
	cbase_list="$cbase_list $base_colours"
	ckpr_list="$ckpr_list $kpr_secs_colours"
done
colours_rows=$(sql bench_kpr -c "SELECT count(*) FROM kpr.colour_evaluation")
base_rows=$(sql bench_kpr -c "SELECT count(*) FROM bench_colour")
if [ "$kpr_secs_colours" != failed ]; then
	base_colours=$(median "$cbase_list")
	kpr_secs_colours=$(median "$ckpr_list")
	if [ "$colours_rows" != "$base_rows" ]; then
		echo "bench: kpr colours stored $colours_rows rows, the INSERT ... SELECT $base_rows" >&2
		kpr_secs_colours=failed
	fi
fi
# the colours both sides gave, for the record: they must agree
colours_disagree=$(sql bench_kpr -c "SELECT count(*) FROM kpr.colour_evaluation e JOIN bench_colour b USING (project_id, month)
	WHERE e.colour IS DISTINCT FROM b.colour OR e.rule_id IS DISTINCT FROM b.rule_id")

v_colours=$(verdict "$kpr_secs_colours" "$base_colours" 1.5)
case $kpr_mib_colours in n/a) v_colours_mem=MISS ;; *)
	v_colours_mem=$(awk -v m="$kpr_mib_colours" 'BEGIN { print (m < 64) ? "PASS" : "MISS" }') ;; esac
echo
echo "kpr colours benchmark: $colours_rows projects evaluated as of ${colours_month%-01}; colours and rules that differ from the INSERT ... SELECT's: $colours_disagree"
echo
row "step" "seconds" "ratio" "peak MiB" "target" "result"
row "INSERT ... SELECT (bare)" "$base_colours" "" "" "" "median of:$cbase_list"
row "kpr colours" "$kpr_secs_colours" "$(ratio "$kpr_secs_colours" "$base_colours")" "$kpr_mib_colours" "<= 1.5x" \
	"$v_colours  (median of:$ckpr_list)"
row "peak memory (kpr colours)" "" "" "$kpr_mib_colours" "< 64 MiB" "$v_colours_mem"
