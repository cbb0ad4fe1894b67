#!/usr/bin/env bash
# kpr report --format xlsx: the workbook read back without a spreadsheet program (unzip, then
# xmllint and awk over the sheet XML): its sheets and their names, the frozen header, every
# figure of kpr's CSV groups section as a number cell in its row and column (amounts within
# the CSV's exactness, rates as fractions, empty cells where the CSV has none), the lagging
# and missing sheets against their CSV sections, the chart, --lang en, -o FILE and standard
# output (never a terminal), write failures (exit 5, no temporary file left).
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "load the report fixture" psql -X -q -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -f "$TESTDATA/report/fixture.sql"

# sheets FILE: the sheets' names, one a line, in order
sheets() {
	unzip -p "$1" xl/workbook.xml | xmllint --xpath '//*[local-name()="sheet"]/@name' - 2>/dev/null |
		sed 's/ name="\([^"]*\)"/\1\n/g' | sed '/^$/d'
}

# cells FILE N: sheet N's cells as "REF<TAB>KIND<TAB>VALUE" lines, KIND s (text, the shared
# string itself), n (a number) or e (empty: no value)
cells() {
	local strings
	strings=$(unzip -p "$1" xl/sharedStrings.xml 2>/dev/null | xmllint --xpath '//*[local-name()="si"]' - 2>/dev/null |
		sed 's/<si>/\n/g' | sed -n 's/<[^>]*>//gp' | sed 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g')
	unzip -p "$1" "xl/worksheets/sheet$2.xml" | awk -v strings="$strings" '
	BEGIN { n = split(strings, s, "\n"); RS = "<c " }
	NR > 1 {
		match($0, /r="[A-Z]+[0-9]+"/); ref = substr($0, RSTART + 3, RLENGTH - 4)
		head = substr($0, 1, index($0, ">"))
		v = ""; if (match($0, /<v>[^<]*<\/v>/)) v = substr($0, RSTART + 3, RLENGTH - 7)
		if (v == "") kind = "e"; else if (head ~ /t="s"/) { kind = "s"; v = s[v + 1] } else kind = "n"
		print ref "\t" kind "\t" v
	}'
}

# cell CELLS REF: "KIND VALUE" of one cell ("" when it is not there)
cell() {
	awk -F'\t' -v r="$2" '$1 == r { print $2 " " $3 }' <<<"$1"
}

COLS=(A B C D E F G H I J K L M N O P Q R)
HEADS=(group group_code projects total_investment annual_plan completed completion_rate time_progress \
	points_vs_time planned_starts started start_rate blue green yellow red unrated rank)

# same_number GOT WANT SCALE: GOT (a cell's number) is WANT / SCALE to within the last digit
same_number() {
	awk -v g="$1" -v w="$2" -v k="$3" 'BEGIN { d = g * k - w; exit !(d < 1e-9 && d > -1e-9) }'
}

# compare_groups TITLE XLSX CSV: every cell of the CSV's rows in the 汇总 sheet from row 3
compare_groups() {
	local title=$1 c i j got want kind v scale
	local -a rows f
	c=$(cells "$2" 1)
	mapfile -t rows <<<"$3"
	for ((i = 1; i < ${#rows[@]}; i++)); do
		IFS=, read -r -a f <<<"${rows[i]},"
		for ((j = 0; j < 18; j++)); do
			got=$(cell "$c" "${COLS[j]}$((i + 2))")
			want=${f[j]}
			kind=${got%% *} v=${got#* }
			case $j in
			0 | 1)
				[ -n "$want" ] && want="s $want" || want="e "
				is "$got" "$want" "$title: ${f[0]} ${HEADS[j]} is the text"
				;;
			*)
				if [ -z "$want" ]; then
					is "$kind" e "$title: ${f[0]} ${HEADS[j]} is an empty cell, as in the CSV"
					continue
				fi
				case $j in 6 | 7 | 11) scale=100 ;; *) scale=1 ;; esac
				if [ "$kind" = n ] && same_number "$v" "$want" "$scale"; then
					_tap_result 1 "$title: ${f[0]} ${HEADS[j]} is the number $want"
				else
					_tap_result 0 "$title: ${f[0]} ${HEADS[j]} is the number $want"
					diag "got: '$got' in ${COLS[j]}$((i + 2)), expected the number $want / $scale"
				fi
				;;
			esac
		done
	done
	is "$(awk -F'\t' -v r="A$((${#rows[@]} + 2))" '$1 == r { print $2 }' <<<"$c")" "" "$title: no group row after the CSV's"
}

# --- the workbook, in 亿元 and in 万元 -------------------------------------------------------------
run_kpr report --year 2023 --quarter 3 --format xlsx -o "$WORK/r.xlsx"
is "$status:$out" "0:" "xlsx with -o FILE: nothing on standard output"
ok "and FILE is a zip (an XLSX package)" unzip -tq "$WORK/r.xlsx"
is "$(ls "$WORK" | grep -c 'r\.xlsx\.tmp')" 0 "and no temporary file is left"
is "$(sheets "$WORK/r.xlsx" | paste -sd' ')" "汇总 滞后项目 未报项目 说明" "a sheet a section, named in Chinese"
run_kpr report --year 2023 --quarter 3 --format csv
compare_groups "亿元" "$WORK/r.xlsx" "$out"
csv_yi=$out

run_kpr report --year 2023 --quarter 3 --format xlsx --unit 万元 -o "$WORK/w.xlsx"
run_kpr report --year 2023 --quarter 3 --format csv --unit 万元
compare_groups "万元" "$WORK/w.xlsx" "$out"
isnt=$([ "$(cells "$WORK/w.xlsx" 1 | grep '^D3')" != "$(cells "$WORK/r.xlsx" 1 | grep '^D3')" ] && echo differs)
is "$isnt" differs "--unit changes the amounts' cells"

s1=$(unzip -p "$WORK/r.xlsx" xl/worksheets/sheet1.xml)
c1=$(cells "$WORK/r.xlsx" 1)
total_row=$(($(wc -l <<<"$csv_yi") + 1))
is "$(xmllint --xpath 'string(//*[local-name()="pane"]/@state)' - <<<"$s1")" frozen "汇总: the panes are frozen"
is "$(xmllint --xpath 'string(//*[local-name()="pane"]/@topLeftCell)' - <<<"$s1")" B3 \
	"below the title and header rows, right of the group column"
like "$(cell "$c1" A1)" "^s 2023年1—9月重点项目投资完成情况" "a title row above the table"
is "$(cell "$c1" B2)|$(cell "$c1" G2)|$(cell "$c1" R2)" "s 代码|s 完成率%|s 排名" "the header row: the table form's Chinese headings"
is "$(xmllint --xpath 'string(//*[local-name()="autoFilter"]/@ref)' - <<<"$s1")" "A2:R$((total_row - 1))" \
	"an autofilter over the header and the groups (合计 outside it)"
is "$(cell "$c1" "A$total_row")" "s 合计" "合计 is the last row"
like "$(cell "$c1" "A$((total_row + 2))")" "^s 1—9月,全市" "the headline under the table"
styles=$(unzip -p "$WORK/r.xlsx" xl/styles.xml)
for f in '0.0' '0.0%' '+0.0;-0.0;0.0'; do
	like "$styles" "formatCode=\"$(sed 's/[.+%]/\\&/g' <<<"$f")\"" "the number format $f is there"
done
s=$(grep -o '<c r="G3" s="[0-9]*"' <<<"$s1" | sed 's/.*s="//; s/"//')
fmt=$(xmllint --xpath "string(//*[local-name()='cellXfs']/*[$((s + 1))]/@numFmtId)" - <<<"$styles")
is "$(xmllint --xpath "string(//*[local-name()='numFmt'][@numFmtId='$fmt']/@formatCode)" - <<<"$styles")" "0.0%" \
	"a rate cell is shown as 0.0%"
s=$(grep -o '<c r="D3" s="[0-9]*"' <<<"$s1" | sed 's/.*s="//; s/"//')
fmt=$(xmllint --xpath "string(//*[local-name()='cellXfs']/*[$((s + 1))]/@numFmtId)" - <<<"$styles")
is "$(xmllint --xpath "string(//*[local-name()='numFmt'][@numFmtId='$fmt']/@formatCode)" - <<<"$styles")" "0.0" \
	"an amount in 亿元 as 0.0"

# column widths from the display width: a Chinese character (three bytes) counts two
heading=$(cell "$c1" I2)
shown=$(LC_ALL=C awk -v h="${heading#s }" 'BEGIN { n = split(h, b, ""); for (i = 1; i <= n; i++) w += b[i] < "\200" ? 3 : 2; print w / 3 }')
width_i=$(xmllint --xpath 'string(//*[local-name()="col"][@min="9"]/@width)' - <<<"$s1")
ok "a column is as wide as its heading's display width, two a Chinese character ($width_i >= $shown + 2)" \
	awk -v a="$width_i" -v w="$shown" 'BEGIN { exit !(a >= w + 2) }'

# --- the chart ------------------------------------------------------------------------------------
ok "a chart part" sh -c "unzip -Z1 '$WORK/r.xlsx' | grep -qx xl/charts/chart1.xml"
chart=$(unzip -p "$WORK/r.xlsx" xl/charts/chart1.xml)
is "$(xmllint --xpath '//*[local-name()="val"]//*[local-name()="f"]/text()' - <<<"$chart" 2>/dev/null | paste -sd' ')" \
	"'汇总'!\$G\$3:\$G\$$((total_row - 1)) '汇总'!\$H\$3:\$H\$$((total_row - 1))" \
	"its series: the groups' completion rates and time progress (合计 left out)"
is "$(xmllint --xpath 'count(//*[local-name()="barChart"])' - <<<"$chart")" 1 "a column chart"
like "$(unzip -p "$WORK/r.xlsx" xl/drawings/drawing1.xml)" "<xdr:row>$((total_row + 3))</xdr:row>" "on 汇总, under the headline"

# --- lagging and missing --------------------------------------------------------------------------
run_kpr report --year 2023 --quarter 3 --section lagging --format csv
want=$(awk -F, 'NR > 1 { print $1 }' <<<"$out")
c2=$(cells "$WORK/r.xlsx" 2)
ok "the lagging list is not empty in the fixture" [ -n "$want" ]
is "$(awk -F'\t' '$1 ~ /^A[0-9]+$/ && $1 != "A1" { print $3 }' <<<"$c2")" "$want" "滞后项目: the codes of --section lagging"
rate=$(awk -F, 'NR == 2 { print $7 }' <<<"$out")
got=$(cell "$c2" G2)
ok "and its rates as fractions (${got#n } for $rate)" same_number "${got#n }" "$rate" 100
is "$(cell "$c2" F2)" "s $(awk -F, 'NR == 2 { print $6 == "red" ? "红" : "黄" }' <<<"$out")" "and the colour in words"
run_kpr report --year 2023 --quarter 3 --section missing --format csv
want=$(awk -F, 'NR > 1 { print $3 }' <<<"$out")
ok "the missing list is not empty in the fixture" [ -n "$want" ]
is "$(cells "$WORK/r.xlsx" 3 | awk -F'\t' '$1 ~ /^C[0-9]+$/ && $1 != "C1" { print $3 }')" "$want" \
	"未报项目: the codes of --section missing"
s4=$(cells "$WORK/r.xlsx" 4)
like "$s4" "已退库项目\(不计入本报告\)" "说明: the notes: the withdrawn projects"
like "$s4" $'\t''s'$'\t''T23-G7 测试项目G7\(2023-07-15 项目终止\)'"\$" "a row a project, with its date and reason"
like "$s4" $'\t''s'$'\t''T23-C4 测试项目C4'"\$" "and the project without a plan"
like "$s4" "$(psql_q "SELECT count(*) FROM kpr.project_year y WHERE year = 2023 AND NOT EXISTS (SELECT FROM kpr.colour_evaluation e
	WHERE e.project_id = y.project_id AND e.month = '2023-09-01') AND y.project_id <> (SELECT project_id FROM kpr.project WHERE code = 'T23-G7')")个项目2023年9月的颜色尚未评定存储,已按颜色规则即时评定" \
	"and how many were evaluated on the fly (no colour stored for the month)"
like "$s4" $'\t''s'$'\t''1—9月,全市' "and the headline"

# --- --lang en, --section -------------------------------------------------------------------------
run_kpr report --year 2023 --quarter 3 --format xlsx --lang en -o "$WORK/en.xlsx"
is "$(sheets "$WORK/en.xlsx" | paste -sd' ')" "Summary Lagging Missing Notes" "--lang en: English sheet names"
c=$(cells "$WORK/en.xlsx" 1)
is "$(cell "$c" C2)|$(cell "$c" "A$total_row")" "s projects|s Total" "and English headings and total row"
run_kpr report --year 2023 --quarter 3 --format xlsx --section missing -o "$WORK/m.xlsx"
is "$(sheets "$WORK/m.xlsx" | paste -sd' ')" "未报项目" "--section: that sheet alone"

# --- standard output ------------------------------------------------------------------------------
mkdir "$WORK/tmpd"
status=0
TMPDIR=$WORK/tmpd "$KPR" report --year 2023 --quarter 3 --format xlsx >"$WORK/s.xlsx" 2>"$WORK/s.err" || status=$?
is "$status" 0 "xlsx to standard output when it is a file"
for n in 1 2 3 4; do
	ok "sheet $n is the same as with -o FILE" cmp -s <(unzip -p "$WORK/s.xlsx" "xl/worksheets/sheet$n.xml") \
		<(unzip -p "$WORK/r.xlsx" "xl/worksheets/sheet$n.xml")
done
is "$(ls -A "$WORK/tmpd")" "" "and its temporary file under TMPDIR is gone"
status=0
TMPDIR=$WORK/tmpd "$KPR" report --year 2023 --quarter 3 --format xlsx >/dev/full 2>"$WORK/s.err" || status=$?
is "$status" 5 "standard output that cannot be written exits 5"
is "$(ls -A "$WORK/tmpd")" "" "and leaves no temporary file"
script -qec "'$KPR' report --year 2023 --quarter 3 --format xlsx" /dev/null >"$WORK/tty.out" 2>&1 && status=0 || status=$?
is "$status" 2 "xlsx to a terminal is a usage error"
like "$(cat "$WORK/tty.out")" "give -o FILE" "and says to give -o FILE"

# --- write failures -------------------------------------------------------------------------------
run_kpr report --year 2023 --quarter 3 --format xlsx -o "$WORK/no/such/dir/r.xlsx"
is "$status" 5 "-o into a folder that is not there exits 5"
like "$err" "cannot write '$WORK/no/such/dir/r.xlsx'" "and names the file"
mkdir "$WORK/adir"
run_kpr report --year 2023 --quarter 3 --format xlsx -o "$WORK/adir"
is "$status" 5 "-o naming a folder exits 5 (the workbook is written, the rename fails)"
like "$err" "cannot write '$WORK/adir'" "and names it"
is "$(ls "$WORK" | grep -c 'adir\.tmp')" 0 "and the temporary file is gone"

done_testing
