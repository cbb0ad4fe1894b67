#!/usr/bin/env bash
# kpr export projects: the year's list in the official layout (title, units, the Chinese headers
# the import reads, a row a project by region then code); importing it back changes nothing,
# on the 486-project sample; one region; -o through a temporary file; errors.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_sample
data=$SAMPLE

run_kpr export projects --year 2023
is "$status" 0 "kpr export projects"
printf '%s\n' "$out" >export.csv
is "$(head -c 3 export.csv | od -An -tx1 | tr -d ' ')" efbbbf "UTF-8 with a byte order mark, for Excel"
is "$(sed -n 1p export.csv | sed 's/^\xef\xbb\xbf//')" "2023年廊坊市重点项目计划表" \
	"a title row with the year and the city's name from the configuration"
is "$(sed -n 2p export.csv)" "单位:万元" "then the units row"
is "$(sed -n 3p export.csv)" \
	"序号,项目代码,项目名称,县(市、区),功能区,所属场景,产业类别,项目级别,建设性质,建设单位,责任单位,包联领导,建设规模及内容,建设起止年限,计划开工时间,总投资(万元),2023年计划投资(万元),备注" \
	"then the Chinese headers"
# the codes in the file's order against SQL's region-then-code order (an oracle, not kpr's query)
# the second field (the code) of each CSV record below the header (RFC 4180: quoted fields may
# hold commas, doubled quotes and line breaks)
codes_of() { perl -e 'local $/; my $t = <STDIN>; my (@rows, @f);
	while ($t =~ /\G("(?:[^"]|"")*"|[^,\n]*)(,|\n|\z)/gc) {
		my ($v, $end) = ($1, $2); $v =~ s/^"(.*)"$/$1/s and $v =~ s/""/"/g; push @f, $v;
		if ($end ne ",") { push @rows, [@f] if @f > 1; @f = (); last if $end eq "" } }
	shift @rows; print join(" ", map { $_->[1] } @rows)' <"$1"; }
got=$(codes_of export.csv)
want=$(psql_q "SELECT string_agg(p.code, ' ' ORDER BY r.ord, p.code) FROM kpr.project p
	JOIN kpr.region r ON r.code = p.region_code JOIN kpr.project_year py USING (project_id) WHERE py.year = 2023")
is "$got" "$want" "one row a project, by region then code"
is "$(wc -w <<<"$got")" 486 "all 486 of the sample"

before=$(psql_q "SELECT md5(string_agg(p::text || py::text, '|' ORDER BY code)) FROM kpr.project p JOIN kpr.project_year py USING (project_id)")
scen=$(psql_q "SELECT md5(string_agg(project_id || ':' || scenario_id, ',' ORDER BY project_id, scenario_id)) FROM kpr.project_scenario")
run_kpr import projects export.csv
is "$status" 0 "the export imports back"
like "$err" "486 rows: 0 new, 0 changed, 486 unchanged, 0 rejected; nothing changed" "486 unchanged"
unlike "$err" "warning" "without a warning"
is "$(psql_q "SELECT md5(string_agg(p::text || py::text, '|' ORDER BY code)) FROM kpr.project p JOIN kpr.project_year py USING (project_id)")" \
	"$before" "every project and plan as it was"
is "$(psql_q "SELECT md5(string_agg(project_id || ':' || scenario_id, ',' ORDER BY project_id, scenario_id)) FROM kpr.project_scenario")" \
	"$scen" "every scenario as it was"

# the same as a workbook (the default for -o FILE.xlsx): read back by the workbook reader
run_kpr export projects -o "$WORK/list.xlsx"
is "$status:$out" "0:" "kpr export projects -o FILE.xlsx writes a workbook"
is "$(head -c 2 "$WORK/list.xlsx")" "PK" "(a zip)"
run_kpr import projects "$WORK/list.xlsx"
like "$err" "486 rows: 0 new, 0 changed, 486 unchanged, 0 rejected; nothing changed" "the workbook imports back: 486 unchanged"
is "$(psql_q "SELECT md5(string_agg(p::text || py::text, '|' ORDER BY code)) FROM kpr.project p JOIN kpr.project_year py USING (project_id)")" \
	"$before" "every project and plan as it was"
is "$(unzip -p "$WORK/list.xlsx" xl/worksheets/sheet1.xml | grep -o '<pane [^>]*ySplit="3"' | head -c 5)" "<pane" "the header stays in view"
run_kpr export projects --format xlsx
is "$status" 0 "--format xlsx to standard output (not a terminal)"

run_kpr export projects --region 固安 -o "$WORK/guan.csv"
is "$status:$out" "0:" "-o FILE writes nothing to standard output"
is "$(sed -n 1p "$WORK/guan.csv" | sed 's/^\xef\xbb\xbf//')" "2023年廊坊市重点项目计划表(固安)" "one region's title names it"
n=$(psql_q "SELECT count(*) FROM kpr.project p JOIN kpr.project_year py USING (project_id) WHERE py.year = 2023 AND region_code = '131022'")
is "$(codes_of "$WORK/guan.csv")" "$(psql_q "SELECT string_agg(code, ' ' ORDER BY code) FROM kpr.project p
	JOIN kpr.project_year py USING (project_id) WHERE py.year = 2023 AND region_code = '131022'")" \
	"and holds that region's projects, only those"
ok "(固安县 has projects)" test "$n" -gt 0
is "$(ls "$WORK" | grep -c 'guan.csv.tmp')" 0 "no temporary file left"

run_kpr export projects --region 固安区
is "$status" 1 "an unknown region is an input error"
like "$err" "固安区" "naming it"
run_kpr export projects --year 2031
is "$status" 1 "a year without a list is an input error"
like "$err" "there is no list for 2031" "saying so"
run_kpr export projects -o "$WORK/no/such/dir/x.csv"
is "$status" 5 "a file that cannot be written exits 5"
like "$err" "cannot write '$WORK/no/such/dir/x.csv'" "naming it"
run_kpr export projects -o /dev/full
is "$status" 5 "a device that fills up exits 5 (written directly, never renamed over)"
ok "and /dev/full is still a device" test -c /dev/full
run_kpr export
is "$status" 2 "kpr export without what is a usage error"
run_kpr export budgets
is "$status" 2 "an unknown export is a usage error"
done_testing
