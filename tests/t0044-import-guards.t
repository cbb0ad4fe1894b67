#!/usr/bin/env bash
# kpr import: everyday mistakes caught (issue 9): a file of the other kind, a rejects file that
# would overwrite something, when a batch finished, and messages that say what is wrong.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
PROJ="$TESTDATA/import/projects-2023.csv"
PROG="$TESTDATA/import/progress-2023.csv"
count() { psql_q "SELECT count(*) FROM kpr.$1"; }

# --- a file of the other kind is refused by its telling columns ------------------------------
run_kpr import projects "$PROG" --year 2023
is "$status" 1 "a progress file given to import projects: exit 1"
like "$err" "progress-2023.csv:1: this looks like a progress file: 月份, 本月完成投资\(万元\); use kpr import progress" \
	"names the progress columns and the right command"
unlike "$err" "missing required column|unknown column" "and nothing else"
# an export carries the name and region too, which would overwrite the registry's
printf '项目代码,项目名称,县(市、区),月份,本月完成投资\nLF2023-009,旧名称,固安县,2023-05,10\n' > named-progress.csv
run_kpr import projects named-progress.csv --year 2023
is "$status" 1 "a progress file with names and regions is refused by import projects"
like "$err" "named-progress.csv:1: this looks like a progress file: 月份, 本月完成投资; use kpr import progress" \
	"with the same message"
printf -- '- {code: LF2023-009, name: 旧名称, region: 固安县, month: 2023-05, ytd: 10}\n' > named-progress.yaml
run_kpr import projects named-progress.yaml --year 2023
is "$status" 1 "a YAML progress file is refused by import projects"
like "$err" "this looks like a progress file: month, ytd; use kpr import progress" "naming its keys"
is "$(count project)" 0 "nothing is written"
run_kpr import progress "$PROJ"
is "$status" 1 "a project list given to import progress: exit 1"
like "$err" "projects-2023.csv:3: this looks like a project list: 2023年计划投资（万元）, 总投资\(万元\); use kpr import projects" \
	"names the list's columns and the right command"
unlike "$err" "no header row" "instead of 'no header row'"
printf -- '- {code: LF2023-009, name: 新项目, region: 固安县, annual_plan: 10}\n' > list.yaml
run_kpr import progress list.yaml
is "$status" 1 "a YAML project list given to import progress: exit 1"
like "$err" "this looks like a project list: annual_plan; use kpr import projects" "naming its key"
unlike "$err" "missing required column" "instead of a missing month"

# a list missing a required column is refused by name, never taken as a partial update
setup "a first list" "$KPR" -q import projects "$PROJ"
printf 'code,name,annual_plan\nLF2023-002,新名称,10\n' > noregion.csv
run_kpr import projects noregion.csv --year 2023
is "$status:$err" "1:noregion.csv:1:region: missing required column 'region'
kpr: error: noregion.csv: nothing written" "a CSV list without regions is refused by name"
printf -- '- {code: LF2023-002, region: 固安县, annual_plan: 10}\n' > noname.yaml
run_kpr import projects noname.yaml --year 2023
is "$status" 1 "a YAML list without names is refused"
like "$err" "noname.yaml:1:name: missing required column 'name'" "by name"
printf '代码,名称,计划\nLF2023-002,新名称,10\n' > mapped.csv
printf '代码: code\n名称: name\n计划: annual_plan\n' > map.yaml
run_kpr import projects mapped.csv --year 2023 --columns map.yaml
is "$status" 1 "a --columns list without regions is refused"
like "$err" "mapped.csv:1:region: missing required column 'region'" "by name"
is "$(psql_q "SELECT name FROM kpr.project WHERE code = 'LF2023-002'")" "廊坊临空经济区智慧物流园项目" "the registry keeps its name"

# --- --rejects never overwrites the input, nor an existing file without --overwrite-rejects ---
printf 'code,name,region,annual_plan\nLF2023-101,桥,安次区,10\nLF2023-102,路,火星,10\n' > skip.csv
cp skip.csv skip.orig
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects skip.csv
is "$status" 2 "--rejects naming the input is refused"
like "$err" "--rejects 'skip.csv' is the file being imported" "and says so"
is "$(cmp -s skip.csv skip.orig && echo same)" same "the input is untouched"
ln -f skip.csv hard.csv
mkdir -p sub
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects ./sub/../hard.csv
is "$status" 2 "the same file by another name (a hard link) is refused too"
is "$(cmp -s skip.csv skip.orig && echo same)" same "the input is still untouched"
echo keep > old-rejects.csv
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects old-rejects.csv
is "$status" 1 "an existing rejects file is not overwritten"
like "$err" "rejects file 'old-rejects.csv' exists; give --overwrite-rejects to replace it" "and says how to replace it"
is "$(cat old-rejects.csv)" keep "it is kept as it was"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE code LIKE 'LF2023-1%'")" 0 "and nothing is imported"
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects old-rejects.csv --overwrite-rejects
is "$status" 1 "with --overwrite-rejects the import runs (one row rejected)"
like "$(cat old-rejects.csv)" "LF2023-102.*unknown region '火星'" "and the rejects file is replaced"
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects skip.csv --overwrite-rejects
is "$status" 2 "--overwrite-rejects never allows overwriting the input"
run_kpr import --help
like "$out" "--overwrite-rejects" "--help lists --overwrite-rejects"

# --- import_batch.finished_at is when the batch finished, not when its transaction began -----
project_locks() { # GRANTED
	psql_q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	        WHERE c.relname = 'project' AND c.relnamespace = 'kpr'::regnamespace
	        AND l.pid <> pg_backend_pid() AND l.granted = $1"
}
fresh_db_with_config finished
psql -X -q -d "$KPR_DATABASE" -c "BEGIN" -c "LOCK kpr.project IN SHARE MODE" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do [ "$(project_locks true)" = 1 ] && break; sleep 0.1; done
${KPR_WRAPPER:-} "$KPR" import projects "$PROJ" >wait.out 2>wait.err &
importer=$!
for _ in $(seq 300); do [ "$(project_locks false)" = 1 ] && break; sleep 0.1; done
is "$(project_locks false)" 1 "the import waits for a lock another session holds"
released=$(psql_q "SELECT clock_timestamp()")
psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null || true
waited "$importer" import_status
is "$import_status" 0 "and then imports"
is "$(psql_q "SELECT started_at < '$released' AND finished_at > '$released' FROM kpr.import_batch")" t \
	"the batch started before the lock was released and finished after it"

# --- messages that say what is wrong ---------------------------------------------------------
fresh_db_with_config messages
printf 'code,name,region,zone,annual_plan\nLF2023-201,园区,开发区,,10\n' > zone-as-region.csv
run_kpr import projects zone-as-region.csv --year 2023
is "$status" 1 "a functional zone in the region column is refused"
like "$err" "zone-as-region.csv:2:region: '开发区' is a functional zone \(廊坊经济技术开发区\); put it in the zone column" \
	"saying it is a zone, by its real name, and where it goes"
printf '项目代码,项目名称,县(市、区),计划投资\n2401-131002-04-01-1000,路,安次区,10\n2401-131002-04-01-5732741,桥,安次区,10\n' > cut.csv
run_kpr import projects cut.csv --year 2023
is "$status" 1 "a national code cut short is refused, not taken as a local code"
like "$err" "cut.csv:2:项目代码: '2401-131002-04-01-1000' looks like a national project code, but has 22 characters, not 24" \
	"saying what it looks like"
like "$err" "cut.csv:3:项目代码: '2401-131002-04-01-5732741' looks like a national project code, but has 25 characters, not 24" \
	"and one too long likewise"

printf 'code,name,region,annual_plan\nLF2023-202,\xb9\xcc\xb0\xb2\xb2\xfa\xd2\xb5\xd4\xb0,\xb9\xcc\xb0\xb2\xcf\xd8,10\n' > gb.csv
run_kpr import projects gb.csv --year 2023
is "$status" 1 "a GB18030 file with ASCII headers is not read as UTF-8"
like "$err" "gb.csv:2: invalid UTF-8 \(byte 0xB9 at byte offset [0-9]+\)" "the byte is named as before"
like "$err" "HINT: .*try --encoding gb18030" "with a hint to try GB18030"
run_kpr import projects gb.csv --year 2023 --encoding gb18030
is "$status" 0 "which imports it"
binary() { # description expected bytes
	printf "$3" > "bin.$4"
	run_kpr import "${5:-projects}" "bin.$4"
	is "$status" 1 "$1 is refused"
	like "$err" "bin.$4:1: this is $2, not a ${6:-CSV} file" "$1: says what it is"
	unlike "$err" "invalid UTF-8|NUL byte" "$1: not as invalid UTF-8"
}
binary "a PNG image" "a PNG image" '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' csv
binary "a JPEG image" "a JPEG image" '\xff\xd8\xff\xe0\0\x10JFIF' csv
binary "a PDF" "a PDF document" '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' csv progress
binary "an executable" "an executable \(ELF\)" '\x7fELF\x02\x01\x01\0\0\0' yaml projects YAML

# an empty file and a headers-only file: one message each, the same in every import
for kind in projects progress; do
	for f in csv yaml; do
		: > "empty.$f"
		run_kpr import $kind "empty.$f"
		is "$status" 1 "import $kind of an empty .$f file: exit 1"
		like "$err" "empty.$f: the file is empty; nothing to import" "import $kind of an empty .$f file: says so"
	done
	printf '[]\n' > nothing.yaml
	run_kpr import $kind nothing.yaml
	is "$status" 1 "import $kind of an empty YAML list: exit 1"
	like "$err" "nothing.yaml: the file is empty; nothing to import" "import $kind of an empty YAML list: the same message"
done
setup "a list" "$KPR" -q import projects "$PROJ"
before=$(psql_q "SELECT count(*) || ' ' || (SELECT count(*) FROM kpr.import_batch) FROM kpr.project")
head -n 3 "$PROJ" > headers.csv
run_kpr import projects headers.csv
is "$status" 0 "a headers-only list: exit 0"
is "$(grep -c warning <<<"$err")" 1 "warns once"
like "$err" "headers.csv: no rows below the header; nothing to import" "that it has no rows"
unlike "$err" "not in this file" "not once about each project of the list"
is "$(psql_q "SELECT count(*) || ' ' || (SELECT count(*) FROM kpr.import_batch) FROM kpr.project")" "$before" "and changes nothing"
head -n 1 "$PROG" > headers.csv
run_kpr import progress headers.csv
is "$status" 0 "a headers-only progress file: exit 0"
like "$err" "headers.csv: no rows below the header; nothing to import" "with the same warning"

done_testing
