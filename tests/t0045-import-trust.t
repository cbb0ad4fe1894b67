#!/usr/bin/env bash
# kpr import: imports a clerk can trust (issue 9): progress outside the year's list refused,
# an old file imported again refused rather than undoing later corrections, and a dry run
# with -v that lists what would change.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
PROJ="$TESTDATA/import/projects-2023.csv"
PROG="$TESTDATA/import/progress-2023.csv"
count() { psql_q "SELECT count(*) FROM kpr.$1"; }
setup "the 2023 list" "$KPR" -q import projects "$PROJ"

# --- progress outside the list ----------------------------------------------------------------
# LF2023-002 runs 2022-2024 but is on the 2023 list only; LF2023-005 is listed for 2023
psql_q "UPDATE kpr.project SET start_year = 2024 WHERE code = 'LF2023-005'" >/dev/null
printf 'code,month,amount\nLF2023-002,2022-12,100\nLF2023-003,2023-06,50\nLF2023-005,2023-05,10\n' > unlisted.csv
run_kpr import progress unlisted.csv
is "$status" 1 "a month of a project not on that year's list is refused"
like "$err" "unlisted.csv:2:month: project LF2023-002 is not on the 2022 list" "with its line and the year"
like "$err" "unlisted.csv:4:month: project LF2023-005, 2023-05: before its start year 2024" \
	"a month before the start year, with its line"
unlike "$err" "unlisted.csv:3:" "a listed project's month is fine"
is "$(count progress)" 0 "nothing is written"
run_kpr import progress unlisted.csv --allow-unlisted
is "$status" 0 "--allow-unlisted accepts them"
like "$err" "warning: unlisted.csv: 2 rows for projects not on their year's list or before their start year, accepted \(--allow-unlisted\)" \
	"warned once, with a count"
is "$(count progress)" 3 "all three months are written"
run_kpr import projects "$PROJ" --allow-unlisted
is "$status" 2 "--allow-unlisted is for progress files only"
run_kpr import --help
like "$out" "--allow-unlisted" "--help lists --allow-unlisted"
psql_q "DELETE FROM kpr.progress; UPDATE kpr.project SET start_year = 2023 WHERE code = 'LF2023-005'" >/dev/null

# --- an old file imported again -------------------------------------------------------------
last_batch() { psql_q "SELECT max(batch_id) FROM kpr.import_batch"; }
jan() { psql_q "SELECT amount::numeric(18,0) FROM kpr.progress_current pc JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-002' AND pc.month = '2023-01-01'"; }
printf 'code,month,amount\nLF2023-003,2023-01,50\nLF2023-002,2023-01,100\n' > jan.csv
printf 'code,month,amount\nLF2023-002,2023-01,120\n' > fix.csv
setup "January as first reported" "$KPR" -q import progress jan.csv
setup "January corrected" "$KPR" -q import progress fix.csv
fix=$(last_batch)
run_kpr import progress jan.csv
is "$status" 1 "January's original imported again after a correction is refused"
like "$err" "jan.csv:3:amount: project LF2023-002, 2023-01: 100 would put back an earlier figure over 120, written later by import batch $fix" \
	"naming the row and the correcting batch"
like "$err" "error: jan.csv: 1 row would undo later changes \(import batch $fix\): is this an older file imported again\?" \
	"and saying what it looks like"
like "$err" "HINT: +Give --force to apply the file anyway" "with the way out"
is "$(jan)" 120 "the correction stays"
run_kpr import progress jan.csv --dry-run
is "$status" 1 "a dry run says the same"
run_kpr import progress fix.csv
is "$status:$err" "0:kpr: fix.csv: 1 rows: 0 new months, 0 corrections, 1 unchanged, 0 rejected; nothing changed" \
	"an unchanged file stays a quiet no-op"
printf 'code,month,amount\nLF2023-002,2023-01,120\nLF2023-002,2023-02,70\n' > feb.csv
run_kpr import progress feb.csv
is "$status" 0 "a file that only adds is accepted"
printf 'code,month,amount\nLF2023-002,2023-01,130\n' > fix2.csv
run_kpr import progress fix2.csv
is "$status" 0 "a genuinely new correction is accepted"
is "$(jan)" 130 "and written"
fix2=$(last_batch)
run_kpr import progress fix.csv
is "$status" 1 "the first correction, imported again after the second, is refused too"
like "$err" "120 would put back an earlier figure over 130, written later by import batch $fix2" "naming the second"
run_kpr import progress jan.csv --force
is "$status" 0 "--force applies it anyway"
like "$err" "warning: jan.csv: 1 row put back figures that later batches or changes replaced \(--force\)" "warned"
is "$(jan)" 100 "January is back to its first figure"
run_kpr import --help
like "$out" "--force" "--help lists --force"

# a project list's annual plan: an older plan coming back
sed 's/,20000\.25,/,25000,/' "$PROJ" > rebased.csv
setup "a rebaseline" "$KPR" -q import projects rebased.csv
rebase=$(last_batch)
run_kpr import projects "$PROJ"
is "$status" 1 "the older list imported again is refused"
like "$err" "projects-2023.csv:[0-9]+:2023年计划投资（万元）: project LF2023-002, 2023 annual plan: 20000.25 would put back an earlier figure over 25000, written later by import batch $rebase" \
	"naming the row, the plan and the rebaseline's batch"
is "$(psql_q "SELECT annual_plan::numeric(18,0) FROM kpr.project_year py JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-002'")" 25000 \
	"the later plan stays"
printf 'code,name,region,annual_plan\nLF2023-002,廊坊临空经济区智慧物流园项目,广阳区,26000\n' > newplan.csv
run_kpr import projects newplan.csv --year 2023
is "$status" 0 "a plan never seen before is a rebaseline, accepted"
run_kpr import projects "$PROJ" --force
is "$status" 0 "--force applies the older list"
is "$(psql_q "SELECT count(*) FROM kpr.annual_plan_history h JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-002'")" 3 \
	"each replaced plan is kept"

# a project's fields: an older list putting back a name a later list or a single change replaced
printf 'code,name,region\nLF2023-003,新名称三号,大厂\n' > renamed.csv
setup "a later list renames LF2023-003" "$KPR" -q import projects renamed.csv --year 2023
rename=$(last_batch)
old3=$(grep -o 'LF2023-003,[^,]*' "$PROJ" | cut -d, -f2)
run_kpr import projects "$PROJ"
is "$status" 1 "an older list putting back a renamed project's name is refused"
like "$err" "projects-2023.csv:[0-9]+:项目名称: project LF2023-003, name: $old3 would put back an earlier figure over 新名称三号, written later by import batch $rename" \
	"naming the row, the field and the later batch"
is "$(psql_q "SELECT name FROM kpr.project WHERE code = 'LF2023-003'")" 新名称三号 "the later name stays"
setup "a single change of LF2023-004's owner" \
	psql_q "UPDATE kpr.project SET owner = '新业主' WHERE code = 'LF2023-004'"
printf 'code,name,region,owner\nLF2023-004,x,三河市,旧业主\n' > owner0.csv
run_kpr import projects owner0.csv --year 2023
is "$status" 0 "a value never seen before is a change, accepted"
run_kpr import projects owner0.csv --year 2023
is "$status" 0 "the same file again changes nothing"
psql_q "UPDATE kpr.project SET owner = '新业主' WHERE code = 'LF2023-004'" >/dev/null
run_kpr import projects owner0.csv --year 2023
is "$status" 1 "putting back what a single change replaced is refused"
like "$err" "owner0.csv:2:owner: project LF2023-004, owner: 旧业主 would put back an earlier figure over 新业主, written later by [a-z_0-9]+ on 20[0-9-]+" \
	"naming who made the change and when"
run_kpr import projects "$PROJ" --force
is "$status" 0 "--force applies the older list"
is "$(psql_q "SELECT name FROM kpr.project WHERE code = 'LF2023-003'")" "$old3" "and its name is back"

# --- a dry run with -v lists what would change ------------------------------------------------
printf 'code,month,amount\nLF2023-002,2023-01,140\nLF2023-003,2023-03,60\n' > dry.csv
run_kpr -v import progress dry.csv --dry-run
is "$status" 0 "a dry run with -v"
err=$(grep -v '^kpr: query:' <<<"$err")	# -v prints each statement as well
like "$err" "kpr: dry.csv: new months: 1
kpr:   dry.csv:3: LF2023-003, 2023-03: 60
kpr: dry.csv: corrections: 1
kpr:   dry.csv:2: LF2023-002, 2023-01: 100 → 140" "lists the new months and the corrections, old → new"
like "$err" "1 new months, 1 corrections, 0 unchanged, 0 rejected; would write" "then the counts"
is "$(jan)" 100 "and writes nothing"
run_kpr import progress dry.csv --dry-run
unlike "$err" "new months:" "without -v, the counts alone"
printf 'code,month,amount\nLF2023-002,2023-01,140\nLF2023-003,2023-03,x\nLF2023-003,2023-04,60\n' > dryskip.csv
run_kpr import progress dryskip.csv --dry-run --on-error=skip
like "$err" "1 new months, 1 corrections, 0 unchanged, 1 rejected; would write 2 rows" \
	"a dry run in skip mode says how many rows would be written"
run_kpr import progress dry.csv --dry-run -v
like "$err" "^kpr: dry.csv: new months: 1
kpr:   dry.csv:3: LF2023-003, 2023-03: 60
kpr: dry.csv: corrections: 1" "--dry-run -v after the command lists them too, without the SQL"
printf 'code,name,region,annual_plan\nLF2023-002,新名称,广阳区,27000\nLF2023-301,新项目,安次区,100\n' > drylist.csv
run_kpr -v import projects drylist.csv --year 2023 --dry-run
is "$status" 0 "a list's dry run with -v"
err=$(grep -v '^kpr: query:' <<<"$err")
like "$err" "kpr: drylist.csv: new projects: 1
kpr:   drylist.csv:3: LF2023-301" "lists the new projects"
like "$err" "kpr: drylist.csv: changed fields: 1
kpr:   drylist.csv:2: LF2023-002: name: 廊坊临空经济区智慧物流园项目 → 新名称" "the changed fields, old → new"
like "$err" "kpr: drylist.csv: annual plans changed \(rebaselines\): 1
kpr:   drylist.csv:2: LF2023-002: 20000.25 → 27000" "and the rebaselines"
is "$(count project)" 5 "and writes nothing"

done_testing
