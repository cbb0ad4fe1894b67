#!/usr/bin/env bash
# kpr import projects: the files people have, all-or-nothing, idempotent, audited by batch.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"

snapshot() {
	psql_q "SELECT concat_ws(' ', (SELECT count(*) FROM kpr.project), (SELECT count(*) FROM kpr.import_batch),
	        (SELECT count(*) FROM kpr.audit_log), (SELECT count(*) FROM kpr.annual_plan_history),
	        (SELECT count(*) FROM kpr.project_scenario), (SELECT count(*) FROM kpr.project_year))"
}

# --- a good file in the official layout: BOM, title and units rows, Chinese headers -----------
empty=$(snapshot)
run_kpr import projects "$SRC" --dry-run
is "$status" 0 "a dry run of a good list succeeds"
like "$err" "5 new, 0 changed, 0 unchanged, 0 rejected; would write" "the dry run says what would happen"
is "$(snapshot)" "$empty" "a dry run writes nothing"

run_kpr import projects "$SRC"
is "$status" 0 "the official layout imports"
like "$err" "5 new, 0 changed" "the summary counts five new projects"
unlike "$err" "warning" "the official layout draws no warning"
is "$(psql_q "SELECT count(*) FROM kpr.project")" 5 "five projects are written"
is "$(psql_q "SELECT sum(annual_plan) FROM kpr.project_year WHERE year = 2023")" "87000.2500" \
	"annual plans are exact (full-width digits, thousands separators, four decimals)"
is "$(psql_q "SELECT total_investment FROM kpr.project WHERE code = '2303-131022-04-01-573274'")" "120000.0000" \
	"a total with thousands separators is read exactly"
is "$(psql_q "SELECT region_code FROM kpr.project WHERE code = 'LF2023-003'")" 131028 "a region by its short name (大厂)"
is "$(psql_q "SELECT region_code || ' ' || zone_code FROM kpr.project WHERE code = 'LF2023-004'")" "131082 YJGXQ" \
	"a region by its code and a zone by its short name"
is "$(psql_q "SELECT region_code FROM kpr.project WHERE code = 'LF2023-005'")" 131000 "a city-level project"
is "$(psql_q "SELECT string_agg(s.code, ',' ORDER BY s.code) FROM kpr.project_scenario ps JOIN kpr.scenario s USING (scenario_id) JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-002'")" \
	"S01,S04" "two scenarios separated by 、"
is "$(psql_q "SELECT start_year || '-' || end_year FROM kpr.project WHERE code = 'LF2023-003'")" "2021-2024" \
	"years written 2021年-2024年"
is "$(psql_q "SELECT start_year || '-' || end_year FROM kpr.project WHERE code = 'LF2023-002'")" "2022-2024" \
	"years written with an em dash"
is "$(psql_q "SELECT planned_start FROM kpr.project WHERE code = 'LF2023-005'")" "2023-09-01" "the planned start month"
is "$(psql_q "SELECT remarks FROM kpr.project WHERE code = 'LF2023-005'")" "备注文字" "remarks (备注) are kept"
like "$(psql_q "SELECT scope FROM kpr.project WHERE code = '2303-131022-04-01-573274'")" $'8条，\n配套' \
	"a quoted scope keeps its commas and line break"
is "$(psql_q "SELECT scope FROM kpr.project WHERE code = 'LF2023-002'")" '建设"智慧物流"分拣中心及冷链仓库' \
	"doubled quotes in a field are one quote"
is "$(psql_q "SELECT rows_inserted || ' ' || checksum FROM kpr.import_batch")" "5 $(sha256sum < "$SRC" | cut -d' ' -f1)" \
	"the batch records its rows and the file's sha256"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE batch_id = (SELECT batch_id FROM kpr.import_batch)")" 5 \
	"every project written is tagged with the batch"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE table_name = 'project'")" 0 \
	"a bulk load writes no per-row trigger audit"
is "$(psql_q "SELECT pool_code FROM kpr.project WHERE code = 'LF2023-003'")" construction "a continuing project is under construction"

# --- re-import: nothing changes, and it says so; no batch is left behind --------------------
before=$(snapshot)
run_kpr import projects "$SRC"
is "$status" 0 "re-importing the same file succeeds"
like "$err" "5 unchanged, 0 rejected; nothing changed" "and says nothing changed"
is "$(snapshot)" "$before" "re-importing writes nothing, not even a batch"

# --- changes: a field update is audited, a plan change is a rebaseline -----------------------
sed -e 's/大厂影视小镇二期/大厂影视小镇二期工程/' -e 's/,2023-04,"120,000",35000,/,2023-04,"120,000",36000,/' "$SRC" > changed.csv
run_kpr import projects changed.csv
is "$status" 0 "a changed list imports"
like "$err" "0 new, 2 changed, 3 unchanged" "two projects changed"
is "$(psql_q "SELECT old_row->>'name' || ' > ' || (new_row->>'name') FROM kpr.audit_log WHERE table_name = 'project' AND op = 'UPDATE'")" \
	"大厂影视小镇二期 > 大厂影视小镇二期工程" "the batch audits the old and new values"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log WHERE batch_id IS NOT NULL AND table_name = 'project'")" 1 \
	"the audit row carries the batch"
is "$(psql_q "SELECT y.annual_plan || ' ' || y.plan_reason || ' ' || (y.batch_id = h.superseded_by)
              || ' ' || h.amount || ' ' || (h.batch_id < h.superseded_by)
              FROM kpr.project_year y JOIN kpr.project p USING (project_id)
              JOIN kpr.annual_plan_history h USING (project_id, year) WHERE p.code = '2303-131022-04-01-573274'")" \
	"36000.0000 rebaseline by import true 35000.0000 true" \
	"a plan change is a rebaseline: the new figure on the list, the old one in the history, each with its batch"
is "$(psql_q "SELECT count(*) FROM kpr.annual_plan_history")" 1 "only the changed plan has history"

# --- projects missing from a re-imported list are reported, never deleted -------------------
grep -v LF2023-005 changed.csv > fewer.csv
run_kpr import projects fewer.csv
is "$status" 0 "a shorter list imports"
like "$err" "1 project of the 2023 list is not in this file and is kept: LF2023-005" "the missing project is named"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE code = 'LF2023-005'")" 1 "and kept"

# --- the same list as others write it --------------------------------------------------------
variant() { # description file
	fresh_db_with_config "v$RANDOM"
	run_kpr import projects "$2" --year 2023 "${@:3}"
	is "$status:$(psql_q "SELECT count(*) || ' ' || sum(project_year.annual_plan) FROM kpr.project JOIN kpr.project_year USING (project_id)")" \
		"0:5 87000.2500" "$1"
}
tail -c +4 "$SRC" > nobom.csv
variant "UTF-8 without BOM" nobom.csv
sed 's/$/\r/' nobom.csv > crlf.csv
variant "CRLF line ends" crlf.csv
tr '\n' '\r' < nobom.csv > cr.csv
variant "CR-only line ends (old Mac Excel)" cr.csv
iconv -f UTF-8 -t GB18030 nobom.csv > gb.csv
variant "GB18030 as Excel writes it on Chinese Windows (detected)" gb.csv
variant "GB18030 forced with --encoding" gb.csv --encoding gb18030
sed 's/$/,,,/' nobom.csv > trailing.csv; printf ',,,,,,,,,,,,,,,,,,,,\n,,,,,,,,,,,,,,,,,,,,\n' >> trailing.csv
variant "the empty trailing rows and columns Excel leaves" trailing.csv
sed '1,2d; 3s/.*/no,code,name,region,zone,scenarios,industry,level,nature,owner,responsible_unit,leader,scope,years,planned_start,total_investment,annual_plan,remark/' nobom.csv > english.csv
variant "English canonical headers" english.csv
cat > projects.yaml <<'YAML'
- {code: 2303-131022-04-01-573274, name: 固安智能制造产业园项目, region: 固安县, scenarios: 制造强市, total_investment: "120,000", annual_plan: 35000, years: 2023-2025}
- {code: LF2023-002, name: 智慧物流园, region: 广阳区, scenarios: "S01;S04", total_investment: 80000.5, annual_plan: 20000.25}
- {code: LF2023-003, name: 大厂影视小镇二期, region: 大厂, total_investment: 45000, annual_plan: 12000}
- {code: LF2023-004, name: 三河市第一医院新院区, region: "131082", total_investment: 60000, annual_plan: 15000}
- {code: LF2023-005, name: 城区道路, region: 廊坊市, total_investment: 30000, annual_plan: 5000}
YAML
variant "a YAML list of mappings with the same keys" projects.yaml
sed 's/(万元)//; s/（万元）//' english.csv > yi.csv
fresh_db_with_config yi
run_kpr import projects english.csv --year 2023 --unit 亿元
is "$(psql_q "SELECT annual_plan FROM kpr.project_year JOIN kpr.project USING (project_id) WHERE code = 'LF2023-005'")" \
	"50000000.0000" "--unit 亿元 applies to columns whose header names no unit"

fresh_db_with_config unknown
printf 'code,name,region,联系电话,annual_plan\nP-001,道路,安次区,13800000000,10\n' > unknown.csv
run_kpr import projects unknown.csv --year 2023
is "$status" 0 "a file with an unknown column imports"
like "$err" "unknown.csv:1: ignoring unknown column\(s\) '联系电话'" "the unknown column is named in a warning"

# other layouts through a column mapping
fresh_db_with_config mapped
cat > map.yaml <<'EOF'
项目统一代码: code
项目名: name
所在县区: region
年度投资（亿元）: annual_plan
填表人: ignore
EOF
printf '项目统一代码,项目名,所在县区,年度投资(亿元),填表人\nP-001,道路,安次区,1.5,张三\n' > mapped.csv
run_kpr import projects mapped.csv --year 2023 --columns map.yaml
is "$status" 0 "--columns maps another layout's names"
unlike "$err" "warning" "a column mapped to ignore draws no warning"
is "$(psql_q "SELECT p.name || ' ' || p.region_code || ' ' || y.annual_plan FROM kpr.project p JOIN kpr.project_year y USING (project_id)")" \
	"道路 131002 15000.0000" "the mapped columns land, with the unit their header names"
printf 'code: kpr_code\n' > badmap.yaml
run_kpr import projects mapped.csv --year 2023 --columns badmap.yaml
is "$status" 1 "a mapping to an unknown kpr column is rejected"
like "$err" "badmap.yaml:1:7: unknown kpr column 'kpr_code'" "with its line and column"
printf '项目名: name\n所在县区: region\n项目名: code\n' > dupmap.yaml
run_kpr import projects mapped.csv --year 2023 --columns dupmap.yaml
is "$status" 1 "a mapping that names a file column twice is rejected, not read first-wins"
like "$err" "dupmap.yaml:3:1: duplicate key '项目名' \(first at line 1\)" "the repeat is named with both lines"
printf '项目统一代码: !code\n' > tagmap.yaml
run_kpr import projects mapped.csv --year 2023 --columns tagmap.yaml
is "$status" 1 "a mapping with a YAML tag (an unquoted '!') is rejected"
like "$err" "tagmap.yaml:1:9: unexpected tag '!code'" "the tag is named at its place"

# rejects of a YAML file are YAML
cat > rej.yaml <<'EOF'
- {code: P-101, name: 桥, region: 安次区}
- {code: P-102, name: 路, region: 火星}
EOF
run_kpr import projects rej.yaml --year 2023 --on-error skip --rejects rejected.yaml
is "$status" 1 "a YAML list with a bad row, skip mode: exit 1"
run_kpr import projects rejected.yaml --year 2023 --dry-run
like "$err" "rejected.yaml:[0-9]+:region: unknown region '火星'" "the YAML rejects file reads back as a list of the rejected rows"

# --- bad input: every problem reported as FILE:LINE:COLUMN, exit 1, nothing written ----------
fresh_db_with_config bad
header='code,name,region,scenarios,total_investment,annual_plan,years'
bad_case() { # description expected-stderr-regex [import options] < file body
	{ echo "$header"; cat; } > bad.csv
	local before=$(snapshot)
	run_kpr import projects bad.csv --year 2023 "${@:3}"
	is "$status" 1 "$1: exit 1"
	like "$err" "$2" "$1: the message"
	is "$(snapshot)" "$before" "$1: nothing written"
}
header='code,name,total_investment'
bad_case "a missing required column" "bad.csv:1:region: missing required column 'region'" <<'EOF'
P-001,x,1
EOF
header='code,name,region,scenarios,total_investment,annual_plan,years'
bad_case "an empty required field" "bad.csv:3:name: empty, but required" <<'EOF'
P-001,道路,安次区,交通强市,100,10,2023-2024
P-002,,安次区,交通强市,100,10,2023-2024
EOF
bad_case "a code of neither shape" "bad.csv:2:code: '项目#1' is neither a national project code" <<'EOF'
项目#1,道路,安次区,交通强市,100,10,2023-2024
EOF
bad_case "a code twice in the file" "bad.csv:3:code: code 'P-001' is already on line 2" <<'EOF'
P-001,道路,安次区,交通强市,100,10,2023-2024
P-001,桥梁,安次区,交通强市,100,10,2023-2024
EOF
bad_case "an unknown region, with the nearest name" "bad.csv:2:region: unknown region '大厂县' \(did you mean '大厂回族自治县'\?\)" <<'EOF'
P-001,道路,大厂县,交通强市,100,10,2023-2024
EOF
bad_case "an unknown scenario, with the nearest name" "bad.csv:2:scenarios: unknown scenario '交通强国' \(did you mean '交通强市'\?\)" <<'EOF'
P-001,道路,安次区,交通强国,100,10,2023-2024
EOF
bad_case "a negative amount" "bad.csv:2:total_investment: negative amount" <<'EOF'
P-001,道路,安次区,交通强市,-100,10,2023-2024
EOF
bad_case "a non-numeric amount" "bad.csv:2:annual_plan: not a number: '十万'" <<'EOF'
P-001,道路,安次区,交通强市,100,十万,2023-2024
EOF
bad_case "an over-precise amount" "bad.csv:2:annual_plan: more than 4 decimals in 万元" <<'EOF'
P-001,道路,安次区,交通强市,100,1.23456,2023-2024
EOF
bad_case "an annual plan above the total investment" "bad.csv:2:annual_plan: annual plan 200.0000 万元 is above the total investment 100.0000 万元" <<'EOF'
P-001,道路,安次区,交通强市,100,200,2023-2024
EOF
bad_case "an impossible year range" "bad.csv:2:years: impossible year range 2025-2023" <<'EOF'
P-001,道路,安次区,交通强市,100,10,2025-2023
EOF
bad_case "an unterminated quote" "bad.csv:3: .*unterminated" <<'EOF'
P-001,道路,安次区,交通强市,100,10,2023-2024
P-002,"桥梁,安次区,交通强市,100,10,2023-2024
EOF
printf 'P-001,道\xff路,安次区,交通强市,100,10,2023-2024\n' > badbytes
bad_case "invalid bytes for the encoding" "bad.csv:2: .*invalid UTF-8.*byte offset 71" < badbytes
bad_case "every problem is reported, on its physical line" "bad.csv:6:region: unknown region" <<'EOF'
P-001,道路,安次区,交通强市,-1,10,2023-2024
P-002,"桥梁
二期",安次区,交通强市,100,10,2023-2024
P-003,隧道,安次区,交通强市,100,abc,2023-2024
P-004,隧道,火星,交通强市,100,10,2023-2024
EOF
like "$err" "bad.csv:2:total_investment: negative" "the first of several problems is reported"
like "$err" "bad.csv:5:annual_plan: not a number" "the line after a multi-line field is the physical line"
like "$err" "3 problems in 3 rows of 4; nothing written" "the summary counts problems and rows"
bad_case "--max-errors limits the report" "not reporting more than 1" --max-errors 1 <<'EOF'
P-001,道路,安次区,交通强市,-1,10,2023-2024
P-002,道路,安次区,交通强市,-1,10,2023-2024
EOF
is "$(grep -c '^bad.csv:' .err)" 1 "only one problem line is printed with --max-errors 1"

{ echo "$header"; echo "P-001,道路,安次区,交通强市,100,10,2023-2024"; echo "P-002,桥梁,安次区,交通强市,-5,10,2023-2024"; echo "P-003,隧道,广阳区,交通强市,100,10,2023-2024"; } > skip.csv
run_kpr import projects skip.csv --year 2023 --on-error skip --rejects rejects.csv
is "$status" 1 "--on-error skip exits 1 when a row was rejected"
like "$err" "2 new, 0 changed, 0 unchanged, 1 rejected; wrote" "the summary says how many were written"
is "$(psql_q "SELECT string_agg(code, ',' ORDER BY code) FROM kpr.project")" "P-001,P-003" "the good rows are written"
unquote() { sed '1s/^\xef\xbb\xbf//' "$1" | tr -d '"\r'; }
is "$(unquote rejects.csv | head -1)" "$header,error" "the rejects file has the header and an error column"
like "$(unquote rejects.csv | sed -n 2p)" '^P-002,桥梁,安次区,交通强市,-5,10,2023-2024,.*negative amount' "the rejected row is in the rejects file with its error"
{ echo "$header"; echo "P-001,道路,安次区,交通强市,100,10,2023-2024"; echo "P-003,隧道,广阳区,交通强市,-1,10,2023-2024"; } > skip2.csv
run_kpr import projects skip2.csv --year 2023 --on-error skip
unlike "$err" "not in this file" "a project whose row was rejected is not reported missing from the file"

run_kpr import projects nobom.csv
is "$status" 0 "the year is taken from the plan column's header when --year is absent"
run_kpr import projects skip.csv
is "$status" 2 "a list whose year cannot be told is a usage error"
# bulk import is the city office's work: a reader is refused, and nothing is written
setup "a login role that may only read" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_clerk LOGIN IN ROLE ${DBNAME}_reader"
before=$(snapshot)
run_kpr -d "host=$KPR_TEST_HOST user=${DBNAME}_clerk dbname=$DBNAME" import projects changed.csv
is "$status" 4 "a role without write privileges exits 4"
like "$err" "permission denied" "and says permission denied"
like "$err" "HINT: +Role \"${DBNAME}_clerk\" lacks the privilege.*\"${DBNAME}_city\"" "and names the role that has it"
is "$(snapshot)" "$before" "and writes nothing"

# a short data row right below the header is data, not a units row (only 单位:万元 is)
printf 'code,name,region\n单位:万元\nS-001,道路,\nS-002,桥梁,安次区\n' > short.csv
run_kpr import projects short.csv --year 2023 --dry-run
is "$status" 1 "a first data row with two cells filled is checked, not skipped"
like "$err" "short.csv:3:region: empty, but required" "its missing region is reported on its line"

run_kpr import projects nonexistent.csv --year 2023
is "$status" 5 "a file that cannot be read exits 5"

done_testing
