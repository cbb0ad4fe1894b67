#!/usr/bin/env bash
# Hostile text: quotes, backslashes, SQL, control characters, bidi marks, 10,000 characters and
# emoji go in through kpr import (CSV, GB18030, workbook), kpr update and kpr office, and are
# stored byte for byte (psql's hex is the oracle) and never run; a terminal table shows control
# and bidi characters escaped (\x1b, \u202e), CSV and JSON keep the bytes; a text that a
# spreadsheet would take for a formula (=, +, -, @) gets one apostrophe in CSV and workbooks,
# a number never, and kpr import takes it off again, so that an export imports back unchanged.
# A NUL byte is refused naming its line and column.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_progress

# The values, as bytes (the tests run under LC_ALL=C: no \u escapes in $'...')
RLO=$'\xe2\x80\xae' RLM=$'\xe2\x80\x8f'
SQLI="'); DROP TABLE kpr.project; --"
QUOTES='say "hi" \ and \\n, a '"'"'quote'"'"
ESCAPES=$'红\e[31m色\a铃\x7f'
BIDI="abc${RLO}def${RLM}尾"
LONG=$(printf '长%.0s' $(seq 10000))
EMOJI=$'\xf0\x9f\x98\x80 工地\xf0\x9f\x8f\x97'
TABBED=$'甲\t乙'
FORMULA='=1+1' MINUS='-abc' AT='@SUM(A1)' PLUS='+86 10'

hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }
stored_hex() { # column code: the stored text as hex, from PostgreSQL itself
	psql_q "SELECT encode(convert_to($1, 'UTF8'), 'hex') FROM kpr.project WHERE code = '$2'"
}
csvq() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }
# a list row: code name owner leader scope remarks (region 固安县, 续建, 100 and 10 万元)
list_row() {
	printf '0,%s,%s,固安县,,制造强市,先进制造,市重点,续建,%s,固安县人民政府,%s,%s,2023-2025,,100,10,%s\n' \
		"$1" "$(csvq "$2")" "$(csvq "$3")" "$(csvq "$4")" "$(csvq "$5")" "$(csvq "$6")"
}
head -3 "$TESTDATA/import/projects-2023.csv" >head.csv
{
	cat head.csv
	list_row LF2023-101 "$SQLI" "$QUOTES" 王某 建设 "$ESCAPES"
	list_row LF2023-102 "$BIDI" 单位 "$FORMULA" "$MINUS" "$AT"
	list_row LF2023-103 "$LONG" 单位 王某 建设 ""
	list_row LF2023-104 "$EMOJI" "$PLUS" 王某 "$TABBED" ""
	list_row LF2023-105 "$FORMULA" "$MINUS" 王某 建设 "'$FORMULA"
	list_row LF2023-110 "无计划$ESCAPES$BIDI" 单位 王某 建设 "" | sed 's/,100,10,/,100,,/'
} >hostile.csv
projects_before=$(psql_q "SELECT count(*) FROM kpr.project")

run_kpr import projects hostile.csv
is "$status" 0 "kpr import projects reads the hostile list"
like "$err" "6 rows: 6 new" "six new projects"
is "$(psql_q "SELECT count(*) FROM kpr.project")" $((projects_before + 6)) "the project table is still there, six rows longer"
is "$(stored_hex name LF2023-101)" "$(hex "$SQLI")" "SQL in a name is stored as text, byte for byte"
is "$(stored_hex owner LF2023-101)" "$(hex "$QUOTES")" "quotes and backslashes verbatim"
is "$(stored_hex remarks LF2023-101)" "$(hex "$ESCAPES")" "ESC, BEL and DEL verbatim"
is "$(stored_hex name LF2023-102)" "$(hex "$BIDI")" "right-to-left override and mark verbatim"
is "$(stored_hex name LF2023-103)" "$(hex "$LONG")" "10,000 characters verbatim"
is "$(psql_q "SELECT char_length(name) FROM kpr.project WHERE code = 'LF2023-103'")" 10000 "(all 10,000 of them)"
is "$(stored_hex name LF2023-104)" "$(hex "$EMOJI")" "4-byte UTF-8 (emoji) verbatim"
is "$(stored_hex scope LF2023-104)" "$(hex "$TABBED")" "a TAB inside a text verbatim"
is "$(stored_hex leader LF2023-102)" "$(hex "$FORMULA")" "a formula is stored as the text it is"
is "$(stored_hex remarks LF2023-105)" "$(hex "$FORMULA")" \
	"an apostrophe before a formula trigger is taken off on import ('=1+1 is =1+1)"

# A NUL cannot be in a text (C strings, PostgreSQL): refused, naming line and column, not cut short
{ cat head.csv; list_row LF2023-106 "a" 单位 王某 建设 ""; } >nul.csv
sed -i '4s/,"a",/,"a\x00b",/' nul.csv
run_kpr import projects nul.csv
is "$status" 1 "a NUL byte in a CSV is refused"
like "$err" "^nul.csv:4:3: NUL byte at byte offset [0-9]+$" "naming its line and column (the field)"
is "$(psql_q "SELECT count(*) FROM kpr.project WHERE code = 'LF2023-106'")" 0 "and nothing is written"

# GB18030 input (as Excel saves on Chinese Windows) with emoji: four-byte sequences both ways
{ sed '1s/^\xef\xbb\xbf//' head.csv; list_row LF2023-107 "$EMOJI 项目" 单位 王某 建设 ""; } |
	iconv -f UTF-8 -t GB18030 >gb.csv
run_kpr import projects gb.csv
is "$status" 0 "a GB18030 list with emoji imports"
is "$(stored_hex name LF2023-107)" "$(hex "$EMOJI 项目")" "the emoji come out of GB18030 as UTF-8, verbatim"

# kpr update: problems, progress and a reason, as given on the command line (no apostrophe rule)
run_kpr update LF2023-101 --month 2023-09 --amount 5 --problems "$SQLI$ESCAPES" --progress "'$FORMULA"
is "$status" 0 "kpr update takes hostile problems and progress"
run_kpr update LF2023-101 --month 2023-10 --amount -1 --reason "$BIDI$EMOJI"
is "$status" 0 "and a hostile reason for a downward adjustment"
run_kpr update LF2023-103 --month 2023-09 --amount 1 --problems "$LONG" --progress "$EMOJI"
is "$status" 0 "kpr update takes 10,000 characters of problems"
is "$(psql_q "SELECT encode(convert_to(problems || physical_progress, 'UTF8'), 'hex') FROM kpr.progress_current c
	JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-103'")" "$(hex "$LONG$EMOJI")" "verbatim, emoji too"
progress_hex() { psql_q "SELECT encode(convert_to($1, 'UTF8'), 'hex') FROM kpr.progress_current c
	JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-101' AND c.month = '$2-01'"; }
is "$(progress_hex problems 2023-09)" "$(hex "$SQLI$ESCAPES")" "update: the problems verbatim"
is "$(progress_hex physical_progress 2023-09)" "$(hex "'$FORMULA")" "update: an apostrophe typed is kept"
is "$(progress_hex adjustment_reason 2023-10)" "$(hex "$BIDI$EMOJI")" "update: the reason verbatim"

# kpr import progress
{
	echo "项目代码,项目名称,月份,本月完成投资(万元),形象进度,存在问题,实际开工时间,调整原因"
	printf 'LF2023-102,x,2023-08,3,%s,%s,,\n' "$(csvq "$MINUS")" "$(csvq "$QUOTES$ESCAPES$BIDI")"
	printf 'LF2023-102,x,2023-09,-1,,,,%s\n' "$(csvq "$LONG")"
} >progress.csv
run_kpr import progress progress.csv
is "$status" 0 "kpr import progress reads hostile problems and reasons"
p2() { psql_q "SELECT encode(convert_to($1, 'UTF8'), 'hex') FROM kpr.progress_current c
	JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-102' AND c.month = '$2-01'"; }
is "$(p2 problems 2023-08)" "$(hex "$QUOTES$ESCAPES$BIDI")" "progress: the problems verbatim"
is "$(p2 physical_progress 2023-08)" "$(hex "$MINUS")" "progress: a formula trigger stored as text"
is "$(p2 adjustment_reason 2023-09)" "$(hex "$LONG")" "progress: a 10,000-character reason verbatim"
is "$(p2 amount::text 2023-09 | xxd -r -p)" "-1.0000" "and the negative amount is a number"

# office names: a NAME that is SQL is refused; a hostile title is stored verbatim
O=${DBNAME}_gu
run_kpr office add "$SQLI" --region 131022
is "$status" 1 "an office NAME holding SQL is refused"
is "$(psql_q "SELECT count(*) FROM kpr.project")" $((projects_before + 7)) "and runs nothing"
run_kpr office add "$O" --region 131022 --title "$ESCAPES$BIDI"
is "$status" 0 "an office with a hostile title"
is "$(psql_q "SELECT encode(convert_to(title, 'UTF8'), 'hex') FROM kpr.office WHERE name = '$O'")" \
	"$(hex "$ESCAPES$BIDI")" "its title stored verbatim"

# ---- what people see: escapes, never the raw characters ---------------------------------------
# (literal matching: the raw sequences hold regex characters)
holds() { [[ $1 == *"$2"* ]]; }
raw_any() { holds "$1" $'\e[31m色' || holds "$1" $'\a' || holds "$1" "$RLO" || holds "$1" "$RLM"; }
no_raw() { ! raw_any "$1"; }
tty_out=$(script -qec "$KPR list --year 2023" /dev/null)
ok "kpr list on a terminal sends no ESC, BEL or bidi mark of the data" no_raw "$tty_out"
ok "it shows the bidi marks as \\u202e and \\u200f" holds "$tty_out" 'abc\u202edef\u200f尾'
run_kpr show LF2023-101
like "$out" '^remarks +红\\x1b\[31m色\\x07铃\\x7f$' "kpr show's card shows ESC, BEL and DEL escaped"
ok "and the problems in the progress table too" holds "$out" "'); DROP TABLE kpr.project; --红\x1b[31m色\x07铃\x7f"
ok "with nothing raw" no_raw "$out"
tty_out=$(script -qec "$KPR show LF2023-102" /dev/null)
ok "nor on a terminal, where the bidi marks show escaped" holds "$tty_out" 'abc\u202edef\u200f尾'
ok "(none raw)" no_raw "$tty_out"
run_kpr office list
ok "kpr office list shows the title escaped" holds "$out" "$O  红\x1b[31m色\x07铃\x7fabc\u202edef\u200f尾"

run_kpr log LF2023-101
is "$status" 0 "kpr log of a project with hostile changes"
ok "kpr log shows a reason's bidi marks escaped" holds "$out" 'abc\u202edef\u200f尾'
ok "and a DEL" holds "$out" '铃\x7f'
ok "(none raw)" no_raw "$out"
ok "(no DEL raw)" no_raw "${out//$'\x7f'/$'\a'}"
run_kpr report --month 2023-09
ok "the report's note names a project without a plan, escaped" holds "$out" '无计划红\x1b[31m色\x07铃\x7fabc\u202e'
ok "(none raw)" no_raw "$out"
run_kpr stage LF2023-110 在建库 --date 2023-09-01
is "$status" 0 "kpr stage moves the project with a hostile name"
ok "and names it escaped" holds "$out" '无计划红\x1b[31m色\x07铃\x7fabc\u202e'
ok "(none raw)" no_raw "$out"
# messages quote what a file holds: escaped too, on stderr
{ cat head.csv; list_row LF2023-109 名 单位 王某 建设 ""; } >level.csv
sed -i '$s/,市重点,/,"市'$'\e''[31m重点'"$RLO"'",/' level.csv
run_kpr import projects level.csv
is "$status" 1 "an unknown level is refused"
ok "the message quotes the cell escaped" holds "$err" "'市\\x1b[31m重点\\u202e'"
ok "(none raw)" no_raw "$err"

# ---- CSV and JSON keep the bytes; CSV guards formulas --------------------------------------
# field NAME of the record whose field CODE is code, from an RFC 4180 file on stdin (quoted
# fields may hold commas, quotes and line breaks), after the heading line that names NAME
csv_get() { # code-column name-column code
	perl -e 'local $/; my $t = <STDIN>; $t =~ s/^\xef\xbb\xbf//; my ($cc, $nc, $code) = @ARGV; my (@rows, @f);
	while ($t =~ /\G("(?:[^"]|"")*"|[^,\n]*)(,|\n|\z)/gc) {
		my ($v, $end) = ($1, $2); $v =~ s/^"(.*)"$/$1/s and $v =~ s/""/"/g; push @f, $v;
		if ($end ne ",") { push @rows, [@f]; @f = (); last if $end eq "" } }
	my ($h) = grep { my $r = $_; grep { $_ eq $cc } @$r } @rows; my %i;
	@i{@$h} = (0 .. $#$h);
	for my $r (@rows) { if (($r->[$i{$cc}] // "") eq $code) { print $r->[$i{$nc}]; exit } }' "$@"
}
run_kpr list --year 2023 --format csv
printf '%s\n' "$out" >list.csv
is "$(csv_get code name LF2023-101 <list.csv | od -An -tx1 -v | tr -d ' \n')" "$(hex "$SQLI")" "list CSV: SQL as it is"
is "$(csv_get code name LF2023-102 <list.csv | od -An -tx1 -v | tr -d ' \n')" "$(hex "$BIDI")" \
	"list CSV: the bidi marks as bytes, not escaped"
is "$(csv_get code name LF2023-104 <list.csv | od -An -tx1 -v | tr -d ' \n')" "$(hex "$EMOJI")" "list CSV: emoji"
is "$(csv_get code remarks LF2023-101 <list.csv | od -An -tx1 -v | tr -d ' \n')" "$(hex "$ESCAPES")" \
	"list CSV: ESC, BEL and DEL as bytes"
is "$(csv_get code name LF2023-105 <list.csv)" "'$FORMULA" "list CSV: a formula gets one apostrophe"
is "$(csv_get code owner LF2023-105 <list.csv)" "'$MINUS" "list CSV: '-abc' too"
is "$(csv_get code scope LF2023-102 <list.csv)" "'$MINUS" "(in every text column)"
is "$(csv_get code remarks LF2023-102 <list.csv)" "'$AT" "list CSV: '@' too"
is "$(csv_get code owner LF2023-104 <list.csv)" "'$PLUS" "list CSV: '+' too"
is "$(csv_get code name LF2023-103 <list.csv)" "$LONG" "list CSV: 10,000 characters whole"
run_kpr list --year 2023 --format json
is "$(jq -r '.[] | select(.code == "LF2023-101") | .remarks' <<<"$out" | od -An -tx1 -v | tr -d ' \n')" \
	"$(hex "$ESCAPES")0a" "list JSON: the bytes back through a JSON parser"
is "$(jq -r '.[] | select(.code == "LF2023-105") | .name' <<<"$out")" "$FORMULA" "list JSON: no apostrophe"
ok "list JSON: ESC escaped as RFC 8259 says" holds "$out" '红\u001b[31m色\u0007铃'

# list CSV imports back unchanged (--year, as the list's help says)
run_kpr import projects --year 2023 list.csv
is "$status" 0 "the list's CSV imports back"
like "$err" "rows: 0 new, 0 changed, [0-9]+ unchanged, 0 rejected" "unchanged, formulas, bidi marks and all"

# kpr export projects: CSV and workbook, both guarded, both import back unchanged
run_kpr export projects --year 2023 -o export.csv
is "$status" 0 "kpr export projects to CSV"
is "$(csv_get 项目代码 项目名称 LF2023-105 <export.csv)" "'$FORMULA" "export CSV: a formula gets one apostrophe"
is "$(csv_get 项目代码 建设单位 LF2023-105 <export.csv)" "'$MINUS" "export CSV: '-abc' too"
is "$(csv_get 项目代码 '总投资(万元)' LF2023-105 <export.csv)" "100.0000" "export CSV: an amount is a number"
is "$(csv_get 项目代码 项目名称 LF2023-101 <export.csv | od -An -tx1 -v | tr -d ' \n')" "$(hex "$SQLI")" \
	"export CSV: other text byte for byte"
run_kpr import projects export.csv
like "$err" "rows: 0 new, 0 changed, [0-9]+ unchanged, 0 rejected" "export CSV → import: unchanged"
is "$(stored_hex name LF2023-105)" "$(hex "$FORMULA")" "the apostrophe came off again"

run_kpr export projects --year 2023 -o export.xlsx
is "$status" 0 "kpr export projects to a workbook"
strings_of() { unzip -p "$1" xl/sharedStrings.xml | xmllint --xpath '//*[local-name()="si"]' - |
	sed 's/<[^>]*>//g'; }
xs=$(strings_of export.xlsx)
ok "export workbook: a formula is a text cell with one apostrophe" holds "$xs" "'$FORMULA"
ok "export workbook: '-abc' too" holds "$xs" "'$MINUS"
unlike "$xs" "^'[-+]?[0-9.,]+$" "export workbook: no number with an apostrophe"
run_kpr import projects export.xlsx
like "$err" "rows: 0 new, 0 changed, [0-9]+ unchanged, 0 rejected" "export workbook → import: unchanged"
is "$(stored_hex leader LF2023-102)" "$(hex "$FORMULA")" "(the leader's formula as it was)"

# the office's form: names are text cells, guarded the same way
run_kpr export template --month 2023-09 -o form.xlsx
is "$status" 0 "kpr export template"
ok "template: a formula name gets its apostrophe" holds "$(strings_of form.xlsx)" "'$FORMULA"

# the report's CSV: text guarded, numbers never (a negative stays a number)
run_kpr report --month 2023-09 --format csv
is "$status" 0 "kpr report --format csv"
unlike "$out" "(^|,)\"?'[-+]?[0-9]" "report CSV: no number with an apostrophe"
like "$out" ",-[0-9][0-9.]*(,|$)" "report CSV: negative numbers as numbers"

# rejected rows are written back with the same guard, numbers as they came
{ cat head.csv; list_row LF2023-108 "$AT" 单位 王某 建设 ""; } >bad.csv
sed -i '$s/,100,10,/,-5,10,/' bad.csv
run_kpr import projects bad.csv --on-error=skip --rejects rejects.csv
is "$status" 1 "a row with a negative total is rejected"
is "$(csv_get 项目代码 项目名称 LF2023-108 <rejects.csv)" "'$AT" "rejects: a formula name gets its apostrophe"
is "$(csv_get 项目代码 '总投资(万元)' LF2023-108 <rejects.csv)" "-5" "rejects: a negative amount stays a number"

# a number kept as text in a spreadsheet ('42,000) is read as the number, its apostrophe dropped
{ cat head.csv; list_row LF2023-105 "$FORMULA" "$MINUS" 王某 建设 "'$FORMULA"; } >number.csv
sed -i '$s/,100,10,/,"'"'"'42,000",10,/' number.csv
run_kpr import projects number.csv
is "$status" 0 "an amount written '42,000 is read"
is "$(psql_q "SELECT total_investment FROM kpr.project WHERE code = 'LF2023-105'")" 42000.0000 "as 42,000 万元"

done_testing
