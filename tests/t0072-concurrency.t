#!/usr/bin/env bash
# Many writers at once: a psql session holds a project's row lock (or the progress table, as a
# bulk import does) while dozens of kpr update processes start on the same and on different
# projects; on release every accepted figure is in the history, each month's versions are
# numbered without a gap in the order the postings ran, each posting built on the one before
# it, and the current figure is the last committed.  The lock is held and released through a
# fifo; the test waits on conditions (sessions waiting on the lock, the notices written), never
# on a fixed time.
. "$KPR_SRC/tests/lib.sh"
export KPR_TODAY=2023-10-15
fresh_db_with_progress
P1=2303-131022-04-01-573274
P2=LF2023-002
SAME=24		# postings of one month of P1, all waiting on its lock
OTHER=12	# postings of P2, over four months, while P1 is held

waiting_on_locks() { # n: at least n kpr sessions wait on a lock
	[ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	             AND application_name = 'kpr' AND wait_event_type = 'Lock'")" -ge "$1" ]
}
all_said_waiting() { # files...
	local f
	for f in "$@"; do grep -q "waiting for project" "$f" || return 1; done
}

# --- dozens of postings, one project held ------------------------------------------------------
setup "hold P1's row" hold "SELECT 1 FROM kpr.project WHERE code = '$P1' FOR UPDATE;"
for i in $(seq "$SAME"); do
	( "$KPR" update "$P1" --month 2023-09 --amount "$i" >same.$i.out 2>same.$i.err; echo $? >same.$i.rc ) &
done
months=(2023-06 2023-07 2023-08 2023-09)
for i in $(seq "$OTHER"); do
	( "$KPR" update "$P2" --month "${months[i % 4]}" --amount "$((100 + i))" >other.$i.out 2>other.$i.err
	  echo $? >other.$i.rc ) &
done
ok "all $SAME postings of P1 wait on its lock" until_true waiting_on_locks "$SAME"
ok "and each says so after a second" until_true all_said_waiting same.*.err
is "$(ls same.*.rc 2>/dev/null | wc -l)" 0 "none of them finished while the lock was held"
release
wait
is "$(cat same.*.rc other.*.rc | sort -u)" 0 "every posting succeeded once released"

history() { # code month
	psql_q "SELECT string_agg(trim_scale(g.amount) || '@' || g.version, ' ' ORDER BY g.version) FROM kpr.progress g
	        JOIN kpr.project p USING (project_id) WHERE p.code = '$1' AND g.month = '$2-01' AND g.batch_id IS NULL"
}
accepted=$(seq "$SAME" | sort -n | tr '\n' ' ')
got=$(psql_q "SELECT string_agg(trim_scale(g.amount)::text, ' ' ORDER BY g.amount) FROM kpr.progress g
              JOIN kpr.project p USING (project_id) WHERE p.code = '$P1' AND g.month = '2023-09-01'")
is "$got " "$accepted" "every accepted figure of P1 is in the history"
is "$(psql_q "SELECT count(DISTINCT version) || ' ' || min(version) || ' ' || max(version) FROM kpr.progress g
              JOIN kpr.project p USING (project_id) WHERE p.code = '$P1' AND g.month = '2023-09-01'")" \
	"$SAME 1 $SAME" "its versions are 1 to $SAME, without a gap"
is "$(psql_q "SELECT g.version FROM kpr.progress_current g JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND g.month = '2023-09-01'")" "$SAME" "the current figure is the last version"

# each posting printed the version before it and its own: together a chain 0 -> 1 -> ... -> SAME
chain=$(for i in $(seq "$SAME"); do
	b=$(sed -n 's/^before .* \([0-9][0-9]*\)$/\1/p' same.$i.out); a=$(sed -n 's/^after .* \([0-9][0-9]*\)$/\1/p' same.$i.out)
	echo "${b:-0}>$a"; done | sort -t'>' -k2 -n | tr '\n' ' ')
is "$chain" "$(for v in $(seq "$SAME"); do printf '%d>%d ' $((v - 1)) "$v"; done)" \
	"each posting saw the one committed before it (versions before and after)"
last=$(grep -l "^after .* $SAME\$" same.*.out | sed 's/same\.\([0-9]*\)\.out/\1/')
is "$(psql_q "SELECT trim_scale(g.amount) FROM kpr.progress_current g JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P1' AND g.month = '2023-09-01'")" "$last" "and the current figure is the last one's"

# P2's postings ran at the same time, on four months
for m in "${months[@]}"; do
	n=$(psql_q "SELECT count(*) FROM kpr.progress g JOIN kpr.project p USING (project_id)
	            WHERE p.code = '$P2' AND g.month = '$m-01'")
	is "$(psql_q "SELECT max(version) || '/' || count(DISTINCT version) FROM kpr.progress g
	              JOIN kpr.project p USING (project_id) WHERE p.code = '$P2' AND g.month = '$m-01'")" "$n/$n" \
		"P2 $m: versions without a gap"
done
is "$(psql_q "SELECT count(*) FROM kpr.progress g JOIN kpr.project p USING (project_id)
              WHERE p.code = '$P2' AND g.batch_id IS NULL")" "$OTHER" "every posting of P2 is in the history"
# totals: each posting's year-to-date after is the one before plus its change of the month
bad=0
for f in same.*.out other.*.out; do
	read -r _ _ ba by _ < <(grep '^before' "$f" | awk '{ if (NF == 4) print $1, $2, "0", $3, "x"; else print $1, $2, $3, $4, "x" }')
	read -r _ _ aa ay _ < <(grep '^after' "$f")
	[ "$(psql_q "SELECT $ay - $by = $aa - $ba")" = t ] || { bad=$((bad + 1)); diag "$f: $(cat "$f")"; }
done
is "$bad" 0 "every posting's year-to-date moved by exactly its change of the month"
is "$(psql_q "SELECT count(*) FROM (SELECT c.project_id, sum(c.amount) OVER (PARTITION BY c.project_id ORDER BY c.month) AS ytd,
              c.ytd AS given FROM kpr.progress_current c) s WHERE s.given IS NOT NULL AND s.given <> s.ytd")" 0 \
	"no year-to-date reported is off the sum of its months"

# --- a bulk import holds the table: an update waits, says so, then goes on ------------------------
setup "hold progress as an import does" hold "LOCK TABLE kpr.progress IN SHARE ROW EXCLUSIVE MODE;"
( "$KPR" update "$P2" --month 2023-09 --amount 7 >bulk.out 2>bulk.err; echo $? >bulk.rc ) &
ok "the update says it waits" until_true all_said_waiting bulk.err
like "$(cat bulk.err)" "waiting for project $P2: another posting or an import holds it" "naming the project"
ok "and has not finished" test ! -e bulk.rc
release
wait
is "$(cat bulk.rc)" 0 "once the import ends the update goes through"
like "$(cat bulk.out)" "^after +2023-09 +7.0000 " "with its figure"

done_testing
