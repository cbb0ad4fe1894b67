# bench-offices.sh: many offices posting at once, the county-office part of make bench, sourced
# by tools/bench.sh after the colours (it uses that script's server, helpers and the bench_kpr
# database: the generated projects with 12 months of progress; docs/offices.md).
#
# One office a region of the projects (kpr office add), then BENCH_OFFICE_WRITERS processes
# (default 20) at once, each posting its share of BENCH_OFFICE_PROJECTS projects (default
# 10,000, or every project when there are fewer) one `kpr update` a project, as the project's
# own office: a correction of 2023-12.
# Prints the postings per second (there is no baseline: issue 10 asks for the figure), and
# checks that every posting is in the history as its office's, each a new version.

office_projects=${BENCH_OFFICE_PROJECTS:-10000}
office_writers=${BENCH_OFFICE_WRITERS:-20}
echo "bench: $office_writers offices' processes posting $office_projects projects" >&2

for region in $(sql bench_kpr -c "SELECT DISTINCT region_code FROM kpr.project ORDER BY 1"); do
	"$kpr" -q office add "bench_office_$region" --region "$region" >/dev/null 2>>"$tmp/offices.err" ||
		die "cannot add an office for region $region: $(tail -n 3 "$tmp/offices.err")"
done
sql bench_kpr -c "SELECT code, 'bench_office_' || region_code FROM kpr.project ORDER BY project_id LIMIT $office_projects" \
	-F ' ' >"$tmp/office-projects" || die "cannot list the projects to post"
# a registry with fewer projects (BENCH_PROJECTS below 10,000) posts each of them once
office_projects=$(wc -l <"$tmp/office-projects")
before_versions=$(sql bench_kpr -c "SELECT count(*) FROM kpr.progress WHERE month = '2023-12-01'")

office_writer() { # N: post every office_writers-th project from the N-th
	awk -v n="$1" -v w="$office_writers" 'NR % w == n % w' "$tmp/office-projects" |
	while read -r code office; do
		KPR_TODAY=2024-01-15 KPR_DATABASE="host=$tmp user=$office dbname=bench_kpr" \
			"$kpr" -q update "$code" --month 2023-12 --amount 7 --reason "bench" >/dev/null 2>>"$tmp/office-$1.err" ||
			echo x >>"$tmp/office-failed"
	done
}
rm -f "$tmp/office-failed"
t0=$(now)
w=0
while [ $w -lt "$office_writers" ]; do
	office_writer "$w" &
	w=$((w + 1))
done
wait
t1=$(now)
office_secs=$(elapsed "$t0" "$t1")
office_failed=$(cat "$tmp"/office-failed 2>/dev/null | wc -l)
office_posted=$(sql bench_kpr -c "SELECT count(*) FROM kpr.progress WHERE month = '2023-12-01'
	AND reported_by LIKE 'bench_office_%' AND version > 1")
office_gaps=$(sql bench_kpr -c "SELECT count(*) FROM (SELECT project_id, max(version) - count(*) AS gap
	FROM kpr.progress WHERE month = '2023-12-01' GROUP BY project_id) g WHERE gap <> 0")
office_rate=$(awk -v n="$office_posted" -v s="$office_secs" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
echo
echo "kpr update by $office_writers offices at once: $office_projects postings of 2023-12, one process each"
echo
row "step" "seconds" "per sec" "" "" "result"
if [ "$office_failed" = 0 ] && [ "$office_posted" = "$office_projects" ] && [ "$office_gaps" = 0 ]; then
	v_offices=PASS
else
	v_offices=MISS
	echo "bench: $office_failed posting(s) failed, $office_posted in the history, $office_gaps month(s) with a gap in their versions" >&2
	cat "$tmp"/office-*.err 2>/dev/null | head -n 10 >&2
fi
row "kpr update, $office_writers offices" "$office_secs" "$office_rate" "" "(figure)" \
	"$v_offices  ($office_posted of $office_projects in the history, new versions of $before_versions months)"
