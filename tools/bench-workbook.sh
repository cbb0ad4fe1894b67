# bench-workbook.sh: importing the project list as a workbook, part of make bench, sourced by
# tools/bench.sh after the imports (it uses that script's server, helpers, $P and $build).
#
# The bench's projects.csv is written once as .xlsx by python3-openpyxl (tools/bench-workbook.py,
# write-only mode) and kept in $build/bench-cache, keyed by the CSV's checksum.  Then, BENCH_ROUNDS
# times alternating sides, each into a new registry (kpr init, the configuration; untimed):
#   baseline  kpr -q import projects projects.csv --year 2023
#   workbook  kpr -q import projects projects.xlsx --year 2023, with its peak RSS
# and prints the medians, the ratio and the targets (<= 2.0x the CSV import, peak memory
# < 128 MiB; docs/formats.md), setting v_workbook and v_workbook_mem to PASS or MISS.

wb_cache=$build/bench-cache
wb_sum=$(sha256sum "$P" | cut -c1-16)
X=$wb_cache/projects-$wb_sum.xlsx
v_workbook=MISS v_workbook_mem=MISS
if [ ! -s "$X" ]; then
	echo "bench: writing the list as a workbook into $X (once)" >&2
	mkdir -p "$wb_cache"
	/usr/bin/python3 tools/bench-workbook.py "$P" "$X.tmp" 2>"$tmp/wb-gen.err" && mv "$X.tmp" "$X" ||
		{ sed 's/^/  /' "$tmp/wb-gen.err" | tail -n 5 >&2; echo "bench: cannot write the workbook" >&2; }
fi

wb_registry() { # DB: a new registry with the configuration
	sql postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	KPR_DATABASE="host=$tmp user=postgres dbname=$1"
	setup init init
	setup "import config" import config "$config"
}
wb_timed() { # NAME FILE: kpr_timed into a new registry named bench_NAME
	wb_registry "bench_$1"
	kpr_timed "$1" import projects "$2" --year 2023
	loaded "$1" project "$projects" "bench_$1"
}

if [ -s "$X" ]; then
	echo "bench: kpr import projects, CSV and workbook" >&2
	wb_keep=$KPR_DATABASE
	wbase_list= wkpr_list= wmib_list=
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		if [ $((r % 2)) = 1 ]; then wb_timed wbcsv "$P"; wb_timed wbxlsx "$X"; else wb_timed wbxlsx "$X"; wb_timed wbcsv "$P"; fi
		[ "$kpr_secs_wbcsv" = failed ] || [ "$kpr_secs_wbxlsx" = failed ] && break
		wbase_list="$wbase_list $kpr_secs_wbcsv"
		wkpr_list="$wkpr_list $kpr_secs_wbxlsx"
		wmib_list="$wmib_list $kpr_mib_wbxlsx"
	done
	KPR_DATABASE=$wb_keep
	sql postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS bench_wbcsv" \
		-c "DROP DATABASE IF EXISTS bench_wbxlsx" >/dev/null
	if [ -n "$wkpr_list" ]; then
		wb_csv=$(median "$wbase_list")
		wb_xlsx=$(median "$wkpr_list")
		wb_mib=$(printf '%s\n' $wmib_list | awk '$1 ~ /^[0-9.]+$/ { if ($1 > m) m = $1; n++ } END { if (n) printf "%.1f", m; else print "n/a" }')
		v_workbook=$(verdict "$wb_xlsx" "$wb_csv" 2.0)
		[ "$wb_mib" = n/a ] || v_workbook_mem=$(awk -v m="$wb_mib" 'BEGIN { print (m < 128) ? "PASS" : "MISS" }')
		echo
		echo "kpr import projects from a workbook: $projects projects, $(du -m "$X" | cut -f1) MB .xlsx"
		echo
		row "step" "seconds" "ratio" "peak MiB" "target" "result"
		row "kpr import projects .csv" "$wb_csv" "" "$kpr_mib_wbcsv" "" "median of:$wbase_list"
		row "kpr import projects .xlsx" "$wb_xlsx" "$(ratio "$wb_xlsx" "$wb_csv")" "$wb_mib" "<= 2.0x" \
			"$v_workbook  (median of:$wkpr_list)"
		row "peak memory (.xlsx import)" "" "" "$wb_mib" "< 128 MiB" "$v_workbook_mem"
	fi
fi
