#!/usr/bin/env bash
# kpr export template: an office's monthly form as a workbook: its projects (a region's, or an
# office's regions and zones), the reference cells locked and the cells the office fills open,
# checked and explained; the codes kept on a hidden sheet at their rows.  Read without any
# spreadsheet program: the sheet XML through unzip and xmllint.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_sample
data=$SAMPLE
# the sample's progress up to September: October is the month the office fills in below
grep -v ',2023-1[012],' "$data/progress-2023.csv" >to-september.csv
setup "the sample's progress to September" env KPR_TODAY=2024-01-15 "$KPR" -q import progress to-september.csv

# XPath over a part of the workbook, its default namespace taken off (xmllint 2.9 has no way to
# declare one)
xp() { # FILE.xml XPATH: the result
	sed 's/ xmlns="[^"]*"//' "$1" | xmllint --xpath "$2" - 2>/dev/null
}

run_kpr export template --month 2023-09 --region 固安 -o "$WORK/form.xlsx"
is "$status:$out" "0:" "kpr export template writes the workbook"
mkdir x && (cd x && unzip -q "$WORK/form.xlsx")
ok "it is a zip of a workbook" test -f x/xl/workbook.xml
is "$(xp x/xl/workbook.xml 'string(//sheet[1]/@name)')|$(xp x/xl/workbook.xml 'string(//sheet[1]/@state)')" "2023-09|" \
	"the form is the first sheet, visible, named after the month"
is "$(xp x/xl/workbook.xml 'string(//sheet[2]/@name)')|$(xp x/xl/workbook.xml 'string(//sheet[2]/@state)')" "_kpr|hidden" \
	"the codes' sheet is hidden"

# shared strings by index, and a cell's text ( shared string, else its value)
mapfile -t SST < <(xp x/xl/sharedStrings.xml //si | sed 's/<[^>]*>//g; /^$/d')
cell() { # SHEET.xml REF
	local t v
	t=$(xp "x/xl/worksheets/$1" "string(//c[@r='$2']/@t)")
	v=$(xp "x/xl/worksheets/$1" "string(//c[@r='$2']/v)")
	if [ "$t" = s ]; then printf '%s' "${SST[$v]}"; else printf '%s' "$v"; fi
}
heads=$(for c in A B C D E F G H I J K L; do cell sheet1.xml "${c}3"; printf '|'; done)
is "$heads" "项目代码|项目名称|县(市、区)|年度计划投资(万元)|截至上月累计(万元,仅供参考)|月份|本月完成投资(万元)|形象进度|存在问题|实际开工时间|竣工时间|调整原因|" \
	"the headers, the reference columns first"
like "$(cell sheet1.xml A1)" "^2023年9月重点项目调度表\(固安\)$" "a title naming the month and region"

want=$(psql_q "SELECT string_agg(p.code, ' ' ORDER BY p.code) FROM kpr.project p JOIN kpr.project_year py USING (project_id)
	WHERE py.year = 2023 AND p.region_code = '131022'")
n=$(wc -w <<<"$want")
got=$(for ((r = 4; r < 4 + n; r++)); do cell sheet1.xml "A$r"; printf ' '; done)
is "${got% }" "$want" "固安县's projects, one a row, by code"
is "$(cell sheet1.xml "A$((4 + n))")" "" "and no more"
hidden=$(for ((r = 4; r < 4 + n; r++)); do cell sheet2.xml "A$r"; printf ' '; done)
is "${hidden% }" "$want" "the hidden sheet keeps each code at its row"
is "$(cell sheet2.xml A1)|$(cell sheet2.xml B1)" "kpr monthly template 1|2023-09" "with the marker and the month"
is "$(cell sheet1.xml F4)" "2023-09" "the month is filled in"

# the reference figures against SQL (an oracle, not kpr's query): the plan and the year-to-date to August
code=$(cell sheet1.xml A4)
is "$(cell sheet1.xml D4)" "$(psql_q "SELECT trim_scale(py.annual_plan) FROM kpr.project_year py JOIN kpr.project p USING (project_id)
	WHERE p.code = '$code' AND py.year = 2023")" "the annual plan in 万元"
is "$(cell sheet1.xml E4)" "$(psql_q "SELECT trim_scale(coalesce(sum(amount), 0)) FROM kpr.progress_current c JOIN kpr.project p USING (project_id)
	WHERE p.code = '$code' AND c.month BETWEEN '2023-01-01' AND '2023-08-01'")" "the year-to-date to August, for reference"

# protection: the sheet is protected without a password; the reference cells locked, the others not
ok "the sheet is protected" test -n "$(xp x/xl/worksheets/sheet1.xml 'string(//sheetProtection/@sheet)')"
is "$(xp x/xl/worksheets/sheet1.xml 'string(//sheetProtection/@password)')" "" "without a password"
locked() { # REF: 1 when the cell's style is locked
	local s; s=$(xp x/xl/worksheets/sheet1.xml "string(//c[@r='$1']/@s)")
	[ "$(xp x/xl/styles.xml "string(//cellXfs/xf[$((s + 1))]/protection/@locked)")" != 0 ] && echo 1 || echo 0
}
is "$(for c in A B C D E F; do locked "${c}4"; done | tr -d '\n')" 111111 "the first six columns are locked"
is "$(for c in G H I J K L; do locked "${c}4"; done | tr -d '\n')" 000000 "the cells the office fills are open"
is "$(xp x/xl/worksheets/sheet1.xml "string(//dataValidation[starts-with(@sqref, 'G4')]/@type)")" decimal \
	"the amount must be a number"
is "$(xp x/xl/worksheets/sheet1.xml "string(//dataValidation[starts-with(@sqref, 'J4')]/@type)")|$(xp x/xl/worksheets/sheet1.xml "string(//dataValidation[starts-with(@sqref, 'K4')]/@type)")" \
	"date|date" "the start and completion must be dates"
like "$(xp x/xl/worksheets/sheet1.xml "string(//dataValidation[starts-with(@sqref, 'G4')]/@prompt)")" "单位万元" \
	"with an input note in Chinese"
is "$(xp x/xl/worksheets/sheet1.xml 'string(//pane/@ySplit)')" 3 "the header stays in view"

# an office's form: its regions and zones
setup "an office for 固安 and 永清" "$KPR" -q office add gu_yong --region 131022,131023
run_kpr export template --month 2023-09 --office gu_yong -o "$WORK/office.xlsx"
is "$status" 0 "an office's form"
rm -rf x && mkdir x && (cd x && unzip -q "$WORK/office.xlsx")
mapfile -t SST < <(xp x/xl/sharedStrings.xml //si | sed 's/<[^>]*>//g; /^$/d')
m=$(psql_q "SELECT count(*) FROM kpr.project p JOIN kpr.project_year py USING (project_id)
	WHERE py.year = 2023 AND p.region_code IN ('131022', '131023')")
is "$(xp x/xl/worksheets/sheet2.xml "count(//sheetData/row[@r > 3])")" "$m" \
	"holds the projects of both its regions"

run_kpr export template --month 2023-01 --region 固安 -o "$WORK/jan.xlsx"
rm -rf x && mkdir x && (cd x && unzip -q "$WORK/jan.xlsx")
is "$(cell sheet1.xml E4)" 0 "in January nothing came before"

# errors
run_kpr export template --region 固安
is "$status" 2 "--month is required"
run_kpr export template --month 2023-09 --region 固安 --office gu_yong
is "$status" 2 "--region and --office together is a usage error"
run_kpr export template --month 2023-09 --office nobody -o "$WORK/n.xlsx"
is "$status" 1 "an unknown office is an input error"
like "$err" "no office named 'nobody'" "naming it"
ok "and no file is left" test ! -e "$WORK/n.xlsx"
run_kpr export template --month 2031-09 -o "$WORK/n.xlsx"
is "$status" 1 "a year without a list is an input error"
run_kpr export template --month 2023-09 --region 固安 -o "$WORK/no/such/dir/f.xlsx"
is "$status" 5 "a folder that does not exist: exit 5"
"$KPR" export template --month 2023-09 --region 固安 >"$WORK/stdout.xlsx" 2>/dev/null
ok "without -o the workbook goes to standard output" cmp -s <(unzip -p "$WORK/stdout.xlsx" xl/worksheets/sheet2.xml) \
	<(unzip -p "$WORK/form.xlsx" xl/worksheets/sheet2.xml)
tty_out=$(script -qec "$KPR export template --month 2023-09 --region 固安" /dev/null || true)
like "$tty_out" "give -o FILE.xlsx" "but never to a terminal"
# the round trip: the office fills three rows (as a spreadsheet program stores them: numbers and
# dates as numbers; python3-openpyxl writes them here), the city imports the workbook
run_kpr export template --month 2023-10 --region 固安 -o "$WORK/oct.xlsx"
/usr/bin/python3 - "$WORK/oct.xlsx" "$WORK/filled.xlsx" <<'PY'
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["2023-10"]
ws["G4"] = 1234.5; ws["H4"] = "主体结构完工"; ws["I4"] = "用地指标待落实"
ws["G5"] = 88; ws["J5"] = datetime.date(2023, 10, 8)
ws["G6"] = 10; ws["K6"] = datetime.date(2023, 10, 20)
wb.save(sys.argv[2])
PY
rm -rf x && mkdir x && (cd x && unzip -q "$WORK/oct.xlsx")
codes=($(for r in 4 5 6; do cell sheet1.xml "A$r"; printf ' '; done))
KPR_TODAY=2023-11-10 run_kpr import progress "$WORK/filled.xlsx"
is "$status" 0 "the filled form imports"
like "$err" "3 rows: 3 new months" "its three filled rows are the month's reports"
like "$err" "$((n - 3)) rows with nothing reported skipped" "the rows left empty are no report"
unlike "$err" "warning" "and its reference columns draw no warning"
got=$(psql_q "SELECT string_agg(concat_ws('|', p.code, trim_scale(g.amount), g.physical_progress, g.problems, g.actual_start,
	g.completed_on), ' ' ORDER BY p.code) FROM kpr.progress g JOIN kpr.project p USING (project_id)
	WHERE g.batch_id = (SELECT max(batch_id) FROM kpr.import_batch)")
is "$got" "${codes[0]}|1234.5|主体结构完工|用地指标待落实 ${codes[1]}|88|2023-10-08 ${codes[2]}|10|2023-10-20" \
	"every filled cell stored as typed, the dates as dates"
is "$(psql_q "SELECT pool_code || ' ' || completed_on FROM kpr.project WHERE code = '${codes[2]}'")" "completed 2023-10-20" \
	"a completion moves the project to 竣工库"
# a code edited on the form is found against the codes the form was exported with (its hidden
# sheet), not against the database: the row is refused, naming the cell
/usr/bin/python3 - "$WORK/oct.xlsx" "$WORK/edited.xlsx" "${codes[0]}" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["2023-10"]
ws["A5"] = sys.argv[3]; ws["G5"] = 7
wb.save(sys.argv[2])
PY
KPR_TODAY=2023-11-10 run_kpr import progress "$WORK/edited.xlsx"
is "$status" 1 "a form with an edited code is refused"
like "$err" "edited.xlsx:2023-10:5:项目代码 \(A5\): the form was exported with ${codes[1]} in this row, not ${codes[0]}" \
	"naming the row, the cell and both codes"
KPR_TODAY=2023-11-10 run_kpr import progress "$WORK/filled.xlsx"
like "$err" "3 unchanged" "the same form unedited reads as before (its months already there)"
unlike "$err" "warning|_kpr" "and its hidden sheet is read without a word"
done_testing
