#!/usr/bin/env bash
# Load: a month of figures for the 486 projects of the Langfang 2023 sample posted by 50 county
# offices at once, several offices on each region, each with its share of the region's
# projects: first as 50 concurrent `kpr import progress` (an office's form), then as 50
# concurrent processes running `kpr update` project after project.  Every figure is present
# exactly once at the end, as given (psql against the input); no process fails, and none shows
# a deadlock or a serialization failure (kpr retries those).  All of them start together: a
# psql session holds progress while they connect and queue, and lets go once all 50 wait on it.
# Wall times go to the TAP diagnostics (docs/benchmarks.md).  Run by make check-full.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_sample
OFFICES=50
IMPORT_MONTH=2023-09
UPDATE_MONTH=2023-10
as() { "$KPR" -d "host=$KPR_TEST_HOST user=$1 dbname=$DBNAME" "${@:2}"; }

# --- the offices: OFFICES of them over the regions, each region's projects dealt out among its offices
regions=($(psql_q "SELECT DISTINCT region_code FROM kpr.project ORDER BY 1"))
for k in $(seq 0 $((OFFICES - 1))); do
	setup "office $k" "$KPR" -q office add "${DBNAME}_o$k" --region "${regions[k % ${#regions[@]}]}"
done
on_exit 'for k in $(seq 0 $((OFFICES - 1))); do psql -X -q -d postgres -c "DROP ROLE IF EXISTS ${DBNAME}_o$k" 2>/dev/null; done'
# code, office, and two amounts in 万元 with four decimals (exact money: no rounding anywhere)
psql_q "SELECT p.code, (array_position(r.rs, p.region_code) - 1)
               + ${#regions[@]} * ((row_number() OVER (PARTITION BY p.region_code ORDER BY p.code) - 1)
                                    % ((${OFFICES} - array_position(r.rs, p.region_code) + ${#regions[@]}) / ${#regions[@]})),
               trim_scale((p.project_id * 7919 % 90000) / 10000.0 + p.project_id % 17 * 100),
               trim_scale((p.project_id * 104729 % 90000) / 10000.0 + p.project_id % 13 * 10)
        FROM kpr.project p, (SELECT array_agg(DISTINCT region_code ORDER BY region_code) AS rs FROM kpr.project) r
        WHERE coalesce(p.start_year, 0) <= 2023 ORDER BY p.code" | tr '|' ' ' >shares
# the sample's 486 projects, less those whose start year is 2024 (a 2023 month of theirs is refused)
N=$(psql_q "SELECT count(*) FROM kpr.project WHERE coalesce(start_year, 0) <= 2023")
is "$(wc -l <shares)" "$N" "the $N projects that report in 2023 are dealt out"
is "$(cut -d' ' -f2 shares | sort -un | wc -l)" "$OFFICES" "to all $OFFICES offices"
header='项目代码,项目名称,月份,本月完成投资(万元),形象进度,存在问题,实际开工时间,调整原因'
for k in $(seq 0 $((OFFICES - 1))); do
	{ echo "$header"; awk -v k="$k" -v m="$IMPORT_MONTH" '$2 == k { print $1 ",," m "," $3 ",,,," }' shares; } >form.$k.csv
done

waiting() { # at least n office sessions wait on a lock
	[ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	             AND usename LIKE '${DBNAME}\_o%' AND wait_event_type = 'Lock'")" -ge "$1" ]
}
secs_since() { # start (date +%s%N): seconds since, with a tenth
	local ds=$((($(date +%s%N) - $1) / 100000000))
	echo "$((ds / 10)).$((ds % 10))"
}

# released PREFIX WHAT: release the held lock, wait for every office's process, then check that
# each exited 0 (PREFIX.K.rc) and none showed a deadlock or a serialization failure
# (PREFIX.K.err); wave_secs: the wall time from the release
released() {
	local start
	start=$(date +%s%N)
	release
	wait
	wave_secs=$(secs_since "$start")
	is "$(cat "$1".*.rc | sort -u | tr '\n' ' ')" "0 " "$2"
	is "$(grep -lE "$transient" "$1".*.err || true)" "" "none showed a deadlock or a serialization failure"
}
transient='deadlock|could not serialize|serialization|40P01|40001'

# month_as_sent MONTH FIELD VERB: every project's MONTH figure is the one in column FIELD of
# shares (the oracle), each stored exactly once, as a first version
month_as_sent() {
	local expected got
	expected=$(awk -v f="$2" '{ print $1, $f }' shares | sort)
	got=$(psql_q "SELECT p.code, trim_scale(c.amount) FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
	              WHERE c.month = '$1-01'" | tr '|' ' ' | sort)
	is "$got" "$expected" "every project's $1 figure is the one its office $3"
	is "$(psql_q "SELECT count(*) || ' ' || count(DISTINCT project_id) || ' ' || max(version)
	              FROM kpr.progress WHERE month = '$1-01'")" "$N $N 1" "each exactly once"
}

# --- 50 office imports at once ------------------------------------------------------------------
setup "hold progress" hold "LOCK TABLE kpr.progress IN SHARE ROW EXCLUSIVE MODE;"
for k in $(seq 0 $((OFFICES - 1))); do
	( as "${DBNAME}_o$k" import progress form.$k.csv >imp.$k.out 2>imp.$k.err; echo $? >imp.$k.rc ) &
done
ok "all $OFFICES imports wait on progress" until_true waiting "$OFFICES"
released imp "every office's import succeeded"
import_secs=$wave_secs
month_as_sent "$IMPORT_MONTH" 3 sent
is "$(psql_q "SELECT count(*) || ' ' || sum(rows_inserted) || ' ' || count(DISTINCT db_user)
              FROM kpr.import_batch WHERE kind = 'progress'")" "$OFFICES $N $OFFICES" \
	"one batch an office, the rows counted once"
diag "$OFFICES office imports of $IMPORT_MONTH ($N rows): ${import_secs} s wall"

# --- 50 offices posting kpr update, project by project, at once ---------------------------------
setup "hold progress again" hold "LOCK TABLE kpr.progress IN SHARE ROW EXCLUSIVE MODE;"
for k in $(seq 0 $((OFFICES - 1))); do
	( rc=0
	  while read -r code office _ amount; do
		[ "$office" = "$k" ] || continue
		as "${DBNAME}_o$k" -q update "$code" --month "$UPDATE_MONTH" --amount "$amount" >>upd.$k.out 2>>upd.$k.err || rc=$?
	  done <shares
	  echo "$rc" >upd.$k.rc ) &
done
ok "the first posting of each office waits on progress" until_true waiting "$OFFICES"
released upd "every office's postings succeeded"
update_secs=$wave_secs
month_as_sent "$UPDATE_MONTH" 4 posted
is "$(psql_q "SELECT count(*) FROM kpr.progress WHERE month = '$IMPORT_MONTH-01'")" "$N" \
	"and the imported month is as it was"
diag "$OFFICES offices posting $UPDATE_MONTH with kpr update ($N postings): ${update_secs} s wall"

done_testing
