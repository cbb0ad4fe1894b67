#!/usr/bin/env bash
# kpr import projects|progress FILE.xlsx|FILE.xls: a workbook stores what its CSV twin stores, every
# field; the format comes from the content; sheets by name or number; errors name sheet, row and cell.
# The fixtures and the script that made them (LibreOffice, openpyxl): tests/data/workbook/.
. "$KPR_SRC/tests/lib.sh"
WB="$TESTDATA/workbook"

# every stored field of the 2023 list and its progress, whatever wrote them (no ids, batches,
# times, nor source lines: a CSV's quoted line break shifts its lines against the rows)
stored() {
	psql_q "SELECT to_jsonb(p) - '{project_id,batch_id,created_at,updated_at}'::text[]
	               || jsonb_build_object('plan', y.annual_plan,
	                  'scenarios', (SELECT string_agg(s.code, ',' ORDER BY s.code) FROM kpr.project_scenario ps
	                                JOIN kpr.scenario s USING (scenario_id) WHERE ps.project_id = p.project_id))
	        FROM kpr.project p LEFT JOIN kpr.project_year y ON y.project_id = p.project_id AND y.year = 2023
	        ORDER BY p.code"
	psql_q "SELECT p.code, to_jsonb(g) - '{progress_id,project_id,batch_id,reported_at,reported_by,source_line}'::text[]
	        FROM kpr.progress g JOIN kpr.project p USING (project_id) ORDER BY p.code, g.month"
}

# --- the CSV twins: what every workbook below must store ------------------------------------
fresh_db_with_config csv
run_kpr import projects "$WB/projects.csv"
is "$status" 0 "the CSV twin of the list imports"
like "$err" "12 new, 0 changed" "twelve projects from CSV"
run_kpr import progress "$WB/progress.csv"
is "$status" 0 "the CSV twin of the progress imports"
want=$(stored)
run_kpr list --year 2023 --format csv
want_list=$out
like "$want" '"total_investment": 99999999.9999' "the CSV's largest amount is stored exactly"

# import_both NAME PROJECTS PROGRESS [OPTIONS...]: a fresh registry holding the two workbooks
import_both() {
	local name=$1 projects=$2 progress=$3
	shift 3
	fresh_db_with_config "$name"
	run_kpr import projects "$projects" "$@"
	is "$status" 0 "$name: the list imports"
	like "$err" "12 new, 0 changed, 0 unchanged, 0 rejected" "$name: twelve new projects"
	if [ -n "$progress" ]; then
		run_kpr import progress "$progress"
		is "$status" 0 "$name: the progress imports"
	fi
}

# --- .xlsx saved by LibreOffice: shared strings, numbers, dates, a boolean, cached formulas ---
import_both xlsx "$WB/projects.xlsx" "$WB/progress.xlsx"
is "$(stored)" "$want" "xlsx: every field stored as from CSV (numbers, dates, formulas by their values)"
run_kpr list --year 2023 --format csv
is "$out" "$want_list" "xlsx: kpr list shows the same list"
is "$(psql_q "SELECT remarks FROM kpr.project WHERE code = 'LF2023-010'")" TRUE "a boolean cell reads TRUE"
is "$(psql_q "SELECT annual_plan FROM kpr.project_year y JOIN kpr.project USING (project_id) WHERE code = 'LF2023-009'")" \
	"0.3000" "a formula's binary 0.1+0.2 is 0.3 (15 significant digits)"
is "$(psql_q "SELECT planned_start FROM kpr.project WHERE code = 'LF2023-008'")" "2023-03-01" \
	"a date-formatted cell is a date"

# --- .xlsx from openpyxl: inline strings; 1904 dates -------------------------------------------
import_both inline "$WB/inline.xlsx" "$WB/progress-1904.xlsx"
is "$(stored)" "$want" "inline strings and the 1904 date system store what CSV stores"
is "$(psql_q "SELECT actual_start FROM kpr.progress WHERE actual_start IS NOT NULL ORDER BY 1 LIMIT 1")" \
	"2023-04-18" "a 1904-system date is the right day"

# --- .xls (BIFF8) saved by LibreOffice, read by libfreexl ------------------------------------
import_both xls "$WB/projects.xls" "$WB/progress.xls"
is "$(stored)" "$want" "xls: every field stored as from CSV, formulas and a boolean included"
unlike "$err" "warning" "xls: no warning (its formula cells were read)"

# --- layout: merged title, a two-row header merged over 计划投资, a hidden row and column -----
import_both layout "$WB/layout.xlsx" ""
like "$err" "layout.xlsx:Sheet1: hidden columns are read as the others \\(the first is column L\\)" \
	"a hidden column is read, with a warning"
like "$err" "layout.xlsx:Sheet1: hidden rows are read as the others \\(the first is row 7\\)" \
	"a hidden row is read, with a warning"
is "$(grep -c hidden <<<"$err")" 2 "one warning for each kind"
run_kpr import progress "$WB/progress.csv"
is "$(stored)" "$want" "the two-row header: 总投资 and 2023年计划 under 计划投资 are the total and the plan"

# --- sheets: the first visible by default, by name, by number, missing --------------------------
fresh_db_with_config sheets
run_kpr import projects "$WB/sheets.xlsx" --dry-run
is "$status" 0 "the first visible sheet by default (the first, 说明, is hidden)"
like "$err" "12 new" "the default sheet is the list"
run_kpr import projects "$WB/sheets.xlsx" --sheet 项目表
is "$status" 0 "a sheet by name"
run_kpr import progress "$WB/sheets.xlsx" --sheet 3
is "$status" 0 "a sheet by number"
like "$err" "6 new months" "sheet 3 is the progress"
is "$(stored)" "$want" "the sheets store what CSV stores"
run_kpr import progress "$WB/sheets.xlsx" --sheet 汇总
is "$status" 1 "a missing sheet exits 1"
is "$(sed -n 1p <<<"$err")" "kpr: error: $WB/sheets.xlsx: no sheet '汇总'; the workbook has 说明 (hidden), 项目表, 进度" \
	"a missing sheet names those there are"
run_kpr import progress "$WB/sheets.xlsx" --sheet 4
is "$status" 1 "a sheet number past the last exits 1"
run_kpr import projects "$WB/projects.csv" --sheet 1
is "$status" 2 "--sheet with a CSV file is a usage error"
is "$err" "kpr: error: --sheet applies to workbooks (.xlsx, .xls), not to '$WB/projects.csv'" "and says so"

# --- errors name the sheet, the row and the cell ------------------------------------------------
fresh_db_with_config errors
before=$(psql_q "SELECT count(*) FROM kpr.project")
run_kpr import projects "$WB/negative.xlsx"
is "$status" 1 "a negative amount in a workbook is rejected"
like "$err" "^$WB/negative.xlsx:项目表:6:总投资\\(万元\\) \\(P6\\): " "the message names sheet, row, column and cell"
run_kpr import projects "$WB/formula-nocache.xlsx"
is "$status" 1 "a formula without a saved value is refused"
like "$err" "^$WB/formula-nocache.xlsx:项目表:12:P12: a formula without a saved value: open the workbook in Excel or LibreOffice and save it\$" \
	"the message names its cell"
run_kpr import projects "$WB/error.xlsx"
is "$status" 1 "an error value is refused"
like "$err" "^$WB/error.xlsx:项目表:5:Q5: the cell holds the error #DIV/0!\$" "the message names the cell and the error"
run_kpr import projects "$WB/error.xls"
is "$status" 1 "an error value in an .xls is refused"
like "$err" "^$WB/error.xls:项目表:5:Q5: the cell holds the error #DIV/0!\$" "the .xls message names the cell and the error"
is "$(psql_q "SELECT count(*) FROM kpr.project")" "$before" "nothing was written"

# --- rejects of a workbook are CSV, UTF-8 with a BOM ------------------------------------------
run_kpr import projects "$WB/negative.xlsx" --on-error=skip --rejects "$WORK/rejects.csv"
is "$status" 1 "skip mode writes the good rows and exits 1"
like "$err" "3 new, 0 changed, 0 unchanged, 1 rejected" "three good rows written, one rejected"
is "$(head -c 3 "$WORK/rejects.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the rejects file begins with a BOM"
like "$(sed -n 1p "$WORK/rejects.csv" | tr -d '\r')" '"项目代码","项目名称",.*,"error"$' "its header is the sheet's, with an error column"
like "$(sed -n 2p "$WORK/rejects.csv" | tr -d '\r')" '^"3","LF2023-003","大厂影视小镇二期",.*,"-45000",.*"总投资\(万元\): negative amount"$' \
	"the rejected row, as CSV, with its error"
before=$(psql_q "SELECT count(*) FROM kpr.project")

# --- not workbooks, or not readable ones ---------------------------------------------------------
refused() {	# refused FILE MESSAGE DESCRIPTION: import projects exits 1 with exactly MESSAGE
	run_kpr import projects "$WB/$1"
	is "$status" 1 "$3: exits 1"
	is "$(sed -n 1p <<<"$err")" "kpr: error: $WB/$1: $2" "$3: the message"
	is "$(sed -n 2p <<<"$err")" "kpr: error: $WB/$1: nothing written" "$3: nothing written"
}
refused renamed.xlsx "not an Excel workbook: the file does not begin as one (a text file renamed?)" \
	"a CSV renamed .xlsx"
refused not-a-workbook.xlsx "not an Excel workbook (the archive has no xl/workbook.xml)" "a zip that is no workbook"
refused encrypted.xlsx "this workbook is password-protected; save it without a password" "an encrypted workbook"
refused huge-sst.xlsx "the shared strings claim 4000000000 strings, more than the archive holds; the workbook is damaged" \
	"a shared-strings table claiming four billion strings"
run_kpr import projects - <"$WB/projects.xlsx" --dry-run
is "$status" 0 "a workbook on stdin is read (by its content)"
like "$err" "12 rows: 9 new, 0 changed, 3 unchanged" "all of it"
run_kpr import progress - <"$WB/progress.xls" --dry-run
is "$status" 1 "an .xls on stdin is read (through a temporary file for libfreexl); two codes are unknown here"
like "$err" "^<stdin>:进度:6:项目代码 \\(A6\\): unknown project code 'LF2023-003'
<stdin>:进度:7:项目代码 \\(A7\\): unknown project code 'LF2023-006'
kpr: error: -: 2 problems in 2 rows of 6; nothing written\$" "its problems name stdin, the sheet, the row and the cell"
is "$(psql_q "SELECT count(*) FROM kpr.project")" "$before" "nothing was written by the refused files"

# a shared-strings part holding a second <sst> inside the first (found by fuzzing: the first
# one's table leaked): the strings are read as they stand, nothing lost or leaked (ASan build)
/usr/bin/python3 - "$WB/projects.xlsx" "$WORK/nested-sst.xlsx" <<'PY'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
    for item in z.infolist():
        data = z.read(item.filename)
        if item.filename == "xl/sharedStrings.xml":
            data = re.sub(rb"(<sst[^>]*>)", rb'\1<sst count="7">', data, count=1).replace(b"</sst>", b"</sst></sst>", 1)
        out.writestr(item, data)
PY
run_kpr import projects "$WORK/nested-sst.xlsx" --dry-run
is "$status" 0 "a nested <sst> in the shared strings: read"
like "$err" "12 rows: 9 new, 0 changed, 3 unchanged" "every row, its texts intact"

done_testing
