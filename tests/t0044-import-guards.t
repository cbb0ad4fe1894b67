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

done_testing
