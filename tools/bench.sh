#!/bin/sh
# bench.sh BUILD: kpr's bulk import against psql \copy, on the same files, in one run; then
# kpr colours against one INSERT ... SELECT (tools/bench-colours.sh).
# kpr report against the bare SQL aggregate of the same figures.
#
#   make bench                                   (BUILD=build, 200,000 projects x 12 months)
#   BENCH_PROJECTS=20000 BENCH_MONTHS=12 sh tools/bench.sh build
#
# Starts a throwaway PostgreSQL the way tests/run does (initdb into a temp dir, socket there, no
# TCP, fsync off, as the postgres user when root; a trap stops it), writes the data with
# BUILD/tools/gen-bench, then times:
#   baseline  \copy projects.csv into a table with a PRIMARY KEY on code; \copy progress.csv into
#             one with PRIMARY KEY (code, month) and a FOREIGN KEY to projects; and, for
#             information, \copy progress.csv into a table with no constraints;
#   (each step BENCH_ROUNDS times, default 3, alternating sides; medians reported)
#   update    in a third database holding the Langfang sample list: BENCH_UPDATES (40) calls of
#             kpr update, one process each, against as many psql -c of the same INSERT
#             (target <= 1.5x)
#   kpr       in another database: kpr init, kpr import config data/langfang-2023/config.yaml,
#             then kpr -q import projects (--year 2023) and kpr -q import progress, with the peak
#             RSS of each (GNU time's %M); both with the default --bulk=auto, which sets the
#             foreign keys aside for loads this size (docs/user-guide.md); and, for information,
#             the same two with --bulk=no, foreign keys checked row by row (BENCH_ROWWISE=0
#             leaves them out).
# and then, on the registry those imports filled:
#   list      kpr list --format csv (every project of 2023, figures as of the latest month)
#             against psql -c "\copy (SELECT ...) TO STDOUT csv" of the same columns from the same
#             tables (BENCH_ROUNDS times, alternating; medians), both written to /dev/null
# and prints each step's seconds, its ratio to its baseline and the targets (progress <= 1.0x the
# PK+FK \copy, projects <= 2.0x the PK \copy, list <= 1.5x its \copy, peak memory < 64 MiB)
# with PASS or MISS.
#
# A kpr step that fails is reported with its stderr and the run goes on.  Exit status: 0 when the
# run completed (whatever the results; BENCH_STRICT=1 makes a MISS or a failed step exit 1), 1
# when the harness itself failed (no server, no data, baseline \copy failed).  BENCH_KEEP=1 keeps
# the temp dir (data, logs).
set -u
cd "$(dirname "$0")/.." || exit 1
src=$PWD
build=${1:-build}
case $build in /*) ;; *) build=$src/$build ;; esac
kpr=$build/kpr
gen=$build/tools/gen-bench
projects=${BENCH_PROJECTS:-200000}
months=${BENCH_MONTHS:-12}
seed=${BENCH_SEED:-1}
config=$src/data/langfang-2023/config.yaml

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
[ -x "$kpr" ] || die "no kpr binary at $kpr (run make)"
[ -x "$gen" ] || die "no generator at $gen (run make)"

. tools/pgtmp.sh
cleanup() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then pgtmp_stop keep; echo "bench: kept $PGTMP" >&2; else pgtmp_stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pgtmp_start /tmp/kpr-bench.XXXXXX -c max_wal_size=4GB -c checkpoint_timeout=30min || die "the server did not start"
tmp=$PGTMP

unset PGDATABASE PGSERVICE KPR_DATABASE PGOPTIONS
export PGHOST="$tmp" PGUSER=postgres PGCLIENTENCODING=UTF8 LC_ALL=C.UTF-8

sql() { # DB SQL...
	db=$1; shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "bench: generating $projects projects x $months months into $tmp/csv" >&2
mkdir -p "$tmp/csv"
"$gen" --projects "$projects" --months "$months" --seed "$seed" "$tmp/csv" >/dev/null || die "gen-bench failed"
P=$tmp/csv/projects.csv
G=$tmp/csv/progress.csv
cat "$P" "$G" >/dev/null	# both sides read the files from the page cache
rows_progress=$((projects * months))

# ---- baseline: psql \copy ---------------------------------------------------------------
sql postgres -c "CREATE DATABASE bench_copy" -c "CREATE DATABASE bench_kpr" || die "cannot create databases"
sql bench_copy <<'EOF' || die "cannot create the baseline tables"
CREATE TABLE projects (
	code text PRIMARY KEY, name text, region text, zone text, scenarios text, industry text,
	level text, nature text, owner text, responsible_unit text, leader text, scope text,
	start_year int, end_year int, planned_start text,
	total_investment numeric(18,4), annual_plan numeric(18,4));
CREATE TABLE progress (
	code text NOT NULL REFERENCES projects (code), month text NOT NULL,
	amount numeric(18,4), progress text, problems text,
	PRIMARY KEY (code, month));
CREATE TABLE progress_plain (code text, month text, amount numeric(18,4), progress text, problems text);
EOF

copy_timed() { # VAR TABLE FILE
	sql bench_copy -c "CHECKPOINT" >/dev/null
	t0=$(now)
	sql bench_copy -c "\\copy $2 FROM '$3' WITH (FORMAT csv, HEADER true)" 2>"$tmp/copy.err" ||
		{ cat "$tmp/copy.err" >&2; die "\\copy into $2 failed"; }
	t1=$(now)
	secs=$(elapsed "$t0" "$t1")
	eval "$1=\$secs"
}
printf '%s\n' "bench: baseline \\copy" >&2
copy_timed base_projects projects "$P"
copy_timed base_progress progress "$G"
copy_timed base_plain progress_plain "$G"
[ "$(sql bench_copy -c 'SELECT count(*) FROM progress')" = "$rows_progress" ] || die "baseline lost rows"

# ---- kpr ----------------------------------------------------------------------------------
export KPR_DATABASE="host=$tmp user=postgres dbname=bench_kpr"
have_time=0
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && have_time=1

kpr_ok=1
setup() { # STEP ARGS...: an untimed kpr step
	step=$1; shift
	if ! "$kpr" -q "$@" >"$tmp/setup.out" 2>"$tmp/setup.err"; then
		echo "bench: kpr $step failed:" >&2
		sed 's/^/  /' "$tmp/setup.err" | head -n 20 >&2
		kpr_ok=0
	fi
}
kpr_timed() { # NAME ARGS...: sets kpr_secs_NAME and kpr_mib_NAME ("failed" / "n/a" when unknown)
	name=$1; shift
	sql bench_kpr -c "CHECKPOINT" >/dev/null
	t0=$(now)
	if [ $have_time = 1 ]; then
		/usr/bin/time -f %M -o "$tmp/rss.$name" "$kpr" -q "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	else
		"$kpr" -q "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	fi
	rc=$?
	t1=$(now)
	if [ $rc != 0 ]; then
		echo "bench: kpr $* failed (exit $rc):" >&2
		sed 's/^/  /' "$tmp/$name.err" | head -n 20 >&2
		eval "kpr_secs_$name=failed kpr_mib_$name=n/a"
		kpr_ok=0
		return
	fi
	secs=$(elapsed "$t0" "$t1")
	mib=n/a
	if [ $have_time = 1 ]; then	# the last line: GNU time may first say how the command exited
		mib=$(tail -n 1 "$tmp/rss.$name" | awk '{ printf "%.1f", $1 / 1024 }')
	fi
	eval "kpr_secs_$name=\$secs kpr_mib_$name=\$mib"
}
loaded() { # NAME TABLE EXPECTED [DB]: a step that "succeeded" without loading every row failed
	n=$(sql "${4:-bench_kpr}" -c "SELECT count(*) FROM kpr.$2" 2>/dev/null || echo 0)
	eval "loaded_$1=\$n"
	eval "secs=\$kpr_secs_$1"
	if [ "$n" != "$3" ] && [ "$secs" != failed ]; then
		echo "bench: kpr import $1 failed: it loaded $n of $3 rows" >&2
		eval "kpr_secs_$1=failed kpr_mib_$1=n/a"
		kpr_ok=0
	fi
}
echo "bench: kpr import" >&2
setup init init
setup "import config" import config "$config"
kpr_timed projects import projects "$P" --year 2023
loaded projects project "$projects"
kpr_timed progress import progress "$G"
loaded progress progress "$rows_progress"

# One timing on a shared machine varies by 10 to 50%: repeat each step BENCH_ROUNDS times
# (default 3), alternating which side goes first, each round into emptied tables (kpr's project
# list into a new registry), and report the medians.
rounds=${BENCH_ROUNDS:-3}
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
base_list=$base_progress
kpr_list=$kpr_secs_progress
r=1
while [ $r -lt "$rounds" ] && [ "$kpr_secs_progress" != failed ]; do
	r=$((r + 1))
	echo "bench: progress, round $r of $rounds" >&2
	sql bench_copy -c "TRUNCATE progress" >/dev/null
	sql bench_kpr -c "TRUNCATE kpr.progress" >/dev/null
	if [ $((r % 2)) = 0 ]; then
		kpr_timed progress import progress "$G"; copy_timed base_progress progress "$G"
	else
		copy_timed base_progress progress "$G"; kpr_timed progress import progress "$G"
	fi
	[ "$kpr_secs_progress" = failed ] && break
	base_list="$base_list $base_progress"
	kpr_list="$kpr_list $kpr_secs_progress"
done
if [ "$kpr_secs_progress" != failed ]; then
	base_progress=$(median "$base_list")
	kpr_secs_progress=$(median "$kpr_list")
fi
# ---- kpr list against \copy (SELECT ...) of the same columns --------------------------------
# The baseline is the query a psql user would write for the list's CSV: the same joins and
# columns, money in 万元, the year-to-date as the sum of the current month amounts up to the
# latest month with reports, the rate rounded to one decimal.
# the latest month with reports found first, as kpr list does (a sub-select in its place made
# the planner loop over progress_current: 50 minutes at 200,000 projects)
latest_month=$(sql bench_kpr -c "SELECT max(month) FROM kpr.progress WHERE month < '2024-01-01'")
list_sql="SELECT p.code, p.name, r.name AS region, z.name AS zone, sc.names AS scenarios, p.industry,
 p.level, p.nature, p.owner, p.responsible_unit, p.leader, p.scope, p.start_year, p.end_year,
 to_char(p.planned_start, 'YYYY-MM') AS planned_start, p.total_investment, py.annual_plan, p.remarks,
 pl.name AS pool, NULL AS colour, coalesce(d.done, 0)::numeric(18,4) AS completed,
 round(100 * coalesce(d.done, 0) / nullif(py.annual_plan, 0), 1) AS completion_rate
FROM kpr.project_year py JOIN kpr.project p ON p.project_id = py.project_id
 JOIN kpr.region r ON r.code = p.region_code LEFT JOIN kpr.zone z ON z.code = p.zone_code
 LEFT JOIN kpr.pool pl ON pl.code = p.pool_code
 LEFT JOIN (SELECT ps.project_id, string_agg(s.name, '、' ORDER BY s.ord, s.code) AS names
  FROM kpr.project_scenario ps JOIN kpr.scenario s ON s.scenario_id = ps.scenario_id
  WHERE s.year = 2023 GROUP BY ps.project_id) sc ON sc.project_id = p.project_id
 LEFT JOIN (SELECT project_id, sum(amount) AS done FROM kpr.progress_current
  WHERE month >= '2023-01-01' AND month <= '$latest_month'
  GROUP BY project_id) d ON d.project_id = p.project_id
WHERE py.year = 2023 ORDER BY r.ord, r.code, p.code"
list_sql=$(printf '%s' "$list_sql" | tr '\n' ' ')
kpr_list_csv() { kpr_timed list list --format csv; }
copy_list() {
	sql bench_kpr -c "CHECKPOINT" >/dev/null
	t0=$(now)
	sql bench_kpr -c "\\copy ($list_sql) TO STDOUT WITH (FORMAT csv, HEADER true)" >"$tmp/list.copy" 2>"$tmp/copy.err" ||
		{ cat "$tmp/copy.err" >&2; die "\\copy of the list failed"; }
	t1=$(now)
	base_listing=$(elapsed "$t0" "$t1")
}
echo "bench: kpr list" >&2
lbase_list= lkpr_list=
kpr_secs_list=n/a kpr_mib_list=n/a
if [ "$kpr_secs_progress" != failed ]; then
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		if [ $((r % 2)) = 1 ]; then kpr_list_csv; copy_list; else copy_list; kpr_list_csv; fi
		[ "$kpr_secs_list" = failed ] && break
		lbase_list="$lbase_list $base_listing"
		lkpr_list="$lkpr_list $kpr_secs_list"
	done
	if [ "$kpr_secs_list" != failed ]; then
		base_listing=$(median "$lbase_list")
		kpr_secs_list=$(median "$lkpr_list")
		rows_list=$(($(wc -l <"$tmp/list.out")))
		rows_copy=$(($(wc -l <"$tmp/list.copy")))
		[ "$rows_list" = "$rows_copy" ] || echo "bench: kpr list wrote $rows_list lines, \\copy $rows_copy" >&2
	fi
fi

pbase_list=$base_projects
pkpr_list=$kpr_secs_projects
r=1
while [ $r -lt "$rounds" ] && [ "$kpr_secs_projects" != failed ]; do
	r=$((r + 1))
	echo "bench: projects, round $r of $rounds" >&2
	sql bench_copy -c "SET client_min_messages = warning" -c "TRUNCATE projects CASCADE" >/dev/null
	sql postgres -c "DROP DATABASE bench_kpr" -c "CREATE DATABASE bench_kpr" >/dev/null
	setup init init
	setup "import config" import config "$config"
	if [ $((r % 2)) = 0 ]; then
		kpr_timed projects import projects "$P" --year 2023; copy_timed base_projects projects "$P"
	else
		copy_timed base_projects projects "$P"; kpr_timed projects import projects "$P" --year 2023
	fi
	[ "$kpr_secs_projects" = failed ] && break
	pbase_list="$pbase_list $base_projects"
	pkpr_list="$pkpr_list $kpr_secs_projects"
done
if [ "$kpr_secs_projects" != failed ]; then
	base_projects=$(median "$pbase_list")
	kpr_secs_projects=$(median "$pkpr_list")
fi

# For information, the same imports with foreign keys checked row by row (--bulk=no): what an
# import that adds little to a full registry gets.  One round each (BENCH_ROWWISE=0: none).
rowwise=${BENCH_ROWWISE:-1}
if [ "$rowwise" = 1 ]; then
	echo "bench: row-by-row checks (--bulk=no)" >&2
	sql postgres -c "CREATE DATABASE bench_kpr_rowwise" >/dev/null || die "cannot create a database"
	KPR_DATABASE="host=$tmp user=postgres dbname=bench_kpr_rowwise"
	setup init init
	setup "import config" import config "$config"
	kpr_timed projects_rowwise import projects "$P" --year 2023 --bulk=no
	loaded projects_rowwise project "$projects" bench_kpr_rowwise
	kpr_timed progress_rowwise import progress "$G" --bulk=no
	loaded progress_rowwise progress "$rows_progress" bench_kpr_rowwise
	KPR_DATABASE="host=$tmp user=postgres dbname=bench_kpr"
fi

# ---- kpr report: the quarterly report against the bare SQL aggregate of the same figures ------
# (median of BENCH_ROUNDS, alternating sides; docs/reports.md, docs/benchmarks.md)
echo "bench: kpr report" >&2
# December's colours stored first, as the office does before its report (a month not stored is
# evaluated on the fly, which the bare SQL does not do; bench-colours.sh times that apart)
export KPR_TODAY=2024-01-15
setup "colours of December" colours --month 2023-12
unset KPR_TODAY
sql bench_kpr -c "ANALYZE" >/dev/null
report_sql="SELECT p.region_code, count(*), sum(p.total_investment), sum(y.annual_plan), sum(d.done),
	round(100.0 * sum(d.done) FILTER (WHERE y.annual_plan IS NOT NULL) / nullif(sum(y.annual_plan), 0), 1),
	count(*) FILTER (WHERE p.nature = '新开工' AND p.planned_start <= '2023-12-01'),
	count(*) FILTER (WHERE c.colour = 'red'), count(*) FILTER (WHERE d.reported IS NOT TRUE)
	FROM kpr.project_year y JOIN kpr.project p USING (project_id)
	LEFT JOIN (SELECT project_id, sum(amount) AS done, bool_or(month = '2023-12-01') AS reported
		FROM kpr.progress_current WHERE month BETWEEN '2023-01-01' AND '2023-12-01' GROUP BY project_id) d USING (project_id)
	LEFT JOIN kpr.colour_current c ON c.project_id = p.project_id AND c.month = '2023-12-01'
	WHERE y.year = 2023 GROUP BY p.region_code"
report_timed() { # VAR: kpr report, or the bare SQL with VAR base
	t0=$(now)
	if [ "$1" = kpr_report ]; then
		"$kpr" report --year 2023 --quarter 4 --by region --format csv >"$tmp/report.csv" 2>"$tmp/report.err" ||
			{ sed 's/^/  /' "$tmp/report.err" | head -n 5 >&2; kpr_ok=0; }
	else
		sql bench_kpr -c "$report_sql" >/dev/null
	fi
	t1=$(now)
	secs=$(elapsed "$t0" "$t1")
	eval "$1=\$secs"
}
rep_list= repbase_list=
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	if [ $((r % 2)) = 1 ]; then report_timed kpr_report; report_timed base_report
	else report_timed base_report; report_timed kpr_report; fi
	rep_list="$rep_list $kpr_report" repbase_list="$repbase_list $base_report"
done
kpr_report=$(median "$rep_list")
base_report=$(median "$repbase_list")
# ---- kpr update against psql -c of the same insert, one process per call, on the sample -------
# Both sides start a process and connect for each posting; kpr also checks the schema, locks the
# project, reads the line before and after and checks the year.  BENCH_UPDATES postings a
# round (default 40), rounds alternating which side goes first; medians.
updates=${BENCH_UPDATES:-40}
echo "bench: kpr update against psql -c ($updates postings a round)" >&2
sql postgres -c "CREATE DATABASE bench_update" >/dev/null || die "cannot create a database"
KPR_DATABASE="host=$tmp user=postgres dbname=bench_update"
setup init init
setup "import config" import config "$config"
setup "import the sample list" import projects "$src/data/langfang-2023/projects.csv"
codes=$(sql bench_update -c "SELECT code FROM kpr.project ORDER BY code LIMIT $updates")
update_round() { # SIDE: kpr or psql; sets secs
	i=0
	t0=$(now)
	for code in $codes; do
		i=$((i + 1))
		if [ "$1" = kpr ]; then
			KPR_TODAY=2024-01-15 "$kpr" -q update "$code" --month 2023-12 --amount "$i" >/dev/null 2>>"$tmp/update.err" ||
				update_failed=1
		else
			sql bench_update -c "INSERT INTO kpr.progress (project_id, month, amount)
				SELECT project_id, '2023-12-01', $i FROM kpr.project WHERE code = '$code'" >/dev/null ||
				update_failed=1
		fi
	done
	t1=$(now)
	secs=$(elapsed "$t0" "$t1")
}
update_failed=0
ukpr_list= upsql_list=
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	if [ $((r % 2)) = 1 ]; then
		update_round kpr; ukpr_list="$ukpr_list $secs"; update_round psql; upsql_list="$upsql_list $secs"
	else
		update_round psql; upsql_list="$upsql_list $secs"; update_round kpr; ukpr_list="$ukpr_list $secs"
	fi
done
if [ $update_failed = 1 ]; then
	echo "bench: kpr update failed:" >&2
	sed 's/^/  /' "$tmp/update.err" | head -n 20 >&2
	kpr_secs_update=failed kpr_ok=0
else
	kpr_secs_update=$(median "$ukpr_list")
fi
base_update=$(median "$upsql_list")
KPR_DATABASE="host=$tmp user=postgres dbname=bench_kpr"

# ---- the table ------------------------------------------------------------------------------
missed=0
ratio() { # SECS BASE
	case $1 in failed|n/a) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }' ;; esac
}
verdict() { # SECS BASE LIMIT
	case $1 in failed|n/a) echo "MISS"; return ;; esac
	if awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { exit !(a <= b * l) }'; then echo PASS; else echo MISS; fi
}
row() { printf '%-34s %9s %8s %9s  %-9s %s\n' "$@"; }

server=$(sql postgres -c "SHOW server_version" | cut -d' ' -f1)
echo
echo "kpr import benchmark: $projects projects, $rows_progress progress rows; PostgreSQL $server, $(nproc) CPUs"
echo
row "step" "seconds" "ratio" "peak MiB" "target" "result"
row "\\copy projects (PK)" "$base_projects" "" "" "" "median of: $pbase_list"
row "\\copy progress (PK + FK)" "$base_progress" "" "" "" "median of: $base_list"
row "\\copy progress (no constraints)" "$base_plain" "" "" "" ""
v_projects=$(verdict "$kpr_secs_projects" "$base_projects" 2.0)
row "kpr import projects" "$kpr_secs_projects" "$(ratio "$kpr_secs_projects" "$base_projects")" \
	"$kpr_mib_projects" "<= 2.0x" "$v_projects  (median of: $pkpr_list)"
v_progress=$(verdict "$kpr_secs_progress" "$base_progress" 1.0)
row "kpr import progress" "$kpr_secs_progress" "$(ratio "$kpr_secs_progress" "$base_progress")" \
	"$kpr_mib_progress" "<= 1.0x" "$v_progress  (median of: $kpr_list)"
row "  (vs \\copy with no constraints)" "" "$(ratio "$kpr_secs_progress" "$base_plain")" "" "(info)" ""
if [ "$rowwise" = 1 ]; then
	row "kpr import projects --bulk=no" "$kpr_secs_projects_rowwise" \
		"$(ratio "$kpr_secs_projects_rowwise" "$base_projects")" "$kpr_mib_projects_rowwise" "(info)" ""
	row "kpr import progress --bulk=no" "$kpr_secs_progress_rowwise" \
		"$(ratio "$kpr_secs_progress_rowwise" "$base_progress")" "$kpr_mib_progress_rowwise" "(info)" ""
fi
if [ -n "$lbase_list" ]; then
	row "\\copy (SELECT ...) of the list" "$base_listing" "" "" "" "median of:$lbase_list"
	v_list=$(verdict "$kpr_secs_list" "$base_listing" 1.5)
	row "kpr list --format csv" "$kpr_secs_list" "$(ratio "$kpr_secs_list" "$base_listing")" \
		"$kpr_mib_list" "<= 1.5x" "$v_list  (median of:$lkpr_list)"
else
	v_list=MISS
	row "kpr list --format csv" "failed" "-" "n/a" "<= 1.5x" "MISS"
fi
row "psql -c INSERT, $updates calls" "$base_update" "" "" "" "median of:$upsql_list"
v_update=$(verdict "$kpr_secs_update" "$base_update" 1.5)
row "kpr update, $updates calls" "$kpr_secs_update" "$(ratio "$kpr_secs_update" "$base_update")" "" "<= 1.5x" \
	"$v_update  (median of:$ukpr_list)"
mem=$(printf '%s\n%s\n%s\n' "$kpr_mib_projects" "$kpr_mib_progress" "$kpr_mib_list" | awk '$1 ~ /^[0-9.]+$/ { if ($1 > m) m = $1; n++ }
	END { if (n) printf "%.1f", m; else print "n/a" }')
if [ "$mem" = n/a ]; then v_mem=MISS; else
	v_mem=$(awk -v m="$mem" 'BEGIN { print (m < 64) ? "PASS" : "MISS" }'); fi
row "SQL aggregate (report's figures)" "$base_report" "" "" "" "median of:$repbase_list"
v_report=$(verdict "$kpr_report" "$base_report" 1.5)
row "kpr report --by region --format csv" "$kpr_report" "$(ratio "$kpr_report" "$base_report")" "" "<= 1.5x" \
	"$v_report  (median of:$rep_list)"
row "peak memory (max of kpr steps)" "" "" "$mem" "< 64 MiB" "$v_mem"
echo
echo "rows in kpr: $loaded_projects of $projects projects, $loaded_progress of $rows_progress progress rows"
[ $have_time = 1 ] || echo "note: /usr/bin/time (package 'time') is missing: no memory figures"

. tools/bench-colours.sh	# kpr colours against one INSERT ... SELECT (docs/colours.md)
. tools/bench-offices.sh	# kpr update by 20 offices at once: postings per second (docs/offices.md)
. tools/bench-report-sample.sh	# kpr report on the Langfang sample: the whole command, in seconds
. tools/bench-workbook.sh	# kpr import projects from .xlsx against the same list's CSV (docs/formats.md)

case "$v_projects $v_progress $v_list $v_mem $v_colours $v_colours_mem $v_report $v_update $v_offices $v_sample $v_workbook $v_workbook_mem" in *MISS*) missed=1 ;; esac
if [ "${BENCH_STRICT:-0}" = 1 ] && { [ $missed = 1 ] || [ $kpr_ok = 0 ]; }; then
	exit 1
fi
exit 0
