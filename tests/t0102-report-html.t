#!/usr/bin/env bash
# kpr report --format html: one self-contained page.  Well-formed (parsed as XML by xmllint:
# every element closed, every & escaped), no script, no link, nothing fetched; the groups table
# holds every cell of kpr's CSV groups section in its row, rounded for display (PostgreSQL's
# round of the CSV's exact amounts); the headline built from the CSV's total; the chart and
# the colour distribution labelled with the same figures; hostile names from the database
# shown literally in the tables and the SVG; the headings those of the table form, in Chinese
# or English; -o FILE and its failure.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
setup "load the report fixture" psql -X -q -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -f "$TESTDATA/report/fixture.sql"

# A project, a region and a problems text that are markup in HTML
NAME=$'<b>&"x\'</b>'
REGION=$'<i>永清&\'"县</i>'
PROBLEM=$'a < b && c > "d"'
setup "hostile names in the database" psql -X -q -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -v n="$NAME" -v r="$REGION" -v p="$PROBLEM" <<'EOF'
UPDATE kpr.project SET name = :'n' WHERE code = 'T23-E5';
UPDATE kpr.region SET name = :'r' WHERE code = '131023';
UPDATE kpr.progress SET problems = :'p' WHERE progress_id = (SELECT max(progress_id) FROM kpr.progress
	WHERE project_id = (SELECT project_id FROM kpr.project WHERE code = 'T23-E5') AND problems IS NOT NULL);
EOF

# x XPATH [FILE]: the XPath expression's string value in the page (parsed as XML)
x() {
	xmllint --xpath "$1" "${2:-$WORK/r.html}" 2>/dev/null
}
# xlit S: S as an XPath 1.0 string literal, whatever quotes it holds
xlit() {
	local q="'"
	echo "concat('${1//$q/$q, \"$q\", $q}', '')"
}

run_kpr report --month 2023-09 --format html
is "$status:$err" "0:" "the report as HTML"
printf '%s\n' "$out" >"$WORK/r.html"
html=$out

# --- a self-contained, well-formed page -------------------------------------------------------------
wf=$(xmllint --noout "$WORK/r.html" 2>&1 && echo well-formed)
is "$wf" well-formed "the page is well-formed (xmllint, as XML: every tag closed and balanced)"
like "$html" '^<!DOCTYPE html>' "an HTML5 doctype"
is "$(x 'string(/html/head/meta/@charset)')" utf-8 "a <meta charset> of UTF-8"
is "$(x 'string(/html/@lang)')" zh-CN "in Chinese"
is "$(x 'count(//script) + count(//link) + count(//iframe) + count(//object) + count(//img)')" 0 \
	"no script, link, frame, object or image element"
unlike "$html" '(src|href|action) *=' "no src=, href= or action= anywhere"
unlike "$html" '@import|url\(|@font-face' "the style fetches nothing (no @import, url(), web font)"
is "$(x 'count(/html/head/style)')" 1 "one inline <style>"
like "$(x 'string(/html/head/style)')" '@page *\{ *size: *A4' "which sets the A4 page"
like "$(x 'string(/html/head/style)')" 'tr *\{[^}]*break-inside: *avoid' "and keeps table rows whole across pages"
is "$(x "count(//table[@id='groups']/thead/tr/th)")" 18 "the groups table's header is a <thead> (repeated on every printed page)"

# --- the groups table against kpr's CSV ---------------------------------------------------------------
# display CSV: the CSV's rows with the amounts rounded as people read them: 亿元 to one decimal
# (PostgreSQL's round, half away from zero), 万元 as they are (4 decimals)
display() { # CSV UNIT
	local row i q='"'
	local -a c
	while IFS= read -r row; do
		IFS=, read -r -a c <<<"$row,"
		for ((i = 0; i < 18; i++)); do # a quoted field (no comma in the fixture's)
			[ "${c[i]:0:1}" = "$q" ] && c[i]=${c[i]:1:${#c[i]}-2} && c[i]=${c[i]//$q$q/$q}
		done
		if [ "$2" = 亿元 ]; then
			for i in 3 4 5; do c[i]=$(psql_q "SELECT round(${c[i]}::numeric, 1)"); done
		fi
		(IFS=,; echo "${c[*]:0:18}")
	done < <(tail -n +2 <<<"$1")
}
# cells N FILE: the groups table's row N, its cells' text joined by commas
cells() {
	local j n s
	n=$(x "count(//table[@id='groups']/tbody/tr[$1]/td)" "$2")
	for ((j = 1; j <= n; j++)); do
		s+=${s+,}$(x "string(//table[@id='groups']/tbody/tr[$1]/td[$j])" "$2")
	done
	echo "${s-}"
}
# compare TITLE CSV UNIT FILE: the table's rows, cell by cell, against the CSV's
compare() {
	local -a want
	local i
	mapfile -t want < <(display "$2" "$3")
	is "$(x "count(//table[@id='groups']/tbody/tr)" "$4")" "${#want[@]}" "$1: as many rows as the CSV"
	for ((i = 0; i < ${#want[@]}; i++)); do
		is "$(cells $((i + 1)) "$4")" "${want[i]}" "$1: row $((i + 1)) (${want[i]%%,*}), every cell"
	done
}

run_kpr report --month 2023-09 --format csv
csv=$out
compare "亿元" "$csv" 亿元 "$WORK/r.html"
is "$(x "count(//table[@id='groups']/tbody/tr[last()][@class='total'])")" 1 "the 合计 row is the last, marked distinct"
is "$(x "string(//table[@id='groups']/tbody/tr[last()]/td[1])")" 合计 "and named 合计"
is "$(x "count(//table[@id='groups']/tbody/tr[not(@class)][td[1]='合计'])")" 0 "no other row is the total"

run_kpr report --month 2023-09 --format html --unit 万元
printf '%s\n' "$out" >"$WORK/wan.html"
run_kpr report --month 2023-09 --format csv --unit 万元
compare "万元" "$out" 万元 "$WORK/wan.html"
like "$(x 'string(//header)' "$WORK/wan.html")" "单位:万元" "the unit is named under the title"

# the colour counts coloured: a count above zero in its colour's class, a zero not
IFS=, read -r -a total <<<"$(tail -n 1 <<<"$csv"),"
for k in 12:blue 13:green 14:yellow 15:red 16:unrated; do
	i=${k%%:*} c=${k#*:}
	want=$([ "${total[i]}" != 0 ] && echo "n c-$c" || echo "n zero")
	is "$(x "string(//table[@id='groups']/tbody/tr[last()]/td[$((i + 1))]/@class)")" "$want" \
		"the total's $c count (${total[i]}) has the class $want"
done

# --- title, headline, chart, colours ------------------------------------------------------------------
is "$(x 'string(//h1)')" "2023年1—9月重点项目投资完成情况" "the title names the period"
is "$(x 'string(/html/head/title)')" "2023年1—9月重点项目投资完成情况" "and so does the page's <title>"
yi=$(psql_q "SELECT round(${total[5]}::numeric, 1)")
if [ "${total[8]:0:1}" = - ]; then vs="落后序时进度${total[8]#-}个百分点"; else vs="超序时进度${total[8]}个百分点"; fi
is "$(x "string(//p[@id='headline'])")" \
	"1—9月,全市${total[2]}个重点项目完成投资${yi}亿元,占年度计划的${total[6]}%,${vs};新开工项目开工率${total[11]}%。" \
	"the headline, from the CSV's total"

svg_texts=$(xmllint --xpath "//*[local-name()='figure'][@id='chart']//*[local-name()='text']" "$WORK/r.html" 2>/dev/null |
	sed 's/<[^>]*>/\n/g' | sed '/^$/d')
want_rates=$(awk -F, 'NR > 1 && $7 != "" { print $7 }' <<<"$csv" | sort)
got_rates=$(grep -xE -- '-?[0-9]+\.[0-9]' <<<"$svg_texts" | sort)
is "$got_rates" "$want_rates" "the chart labels a bar with every group's completion rate (and the total's)"
is "$(x "count(//*[local-name()='figure'][@id='chart']//*[local-name()='rect'][@class='bar'])")" \
	"$(awk -F, 'NR > 1 && $7 != "" { n++ } END { print n }' <<<"$csv")" "a bar per rate"
like "$svg_texts" "^序时进度 ${total[7]}%$" "the time-progress line is labelled with the CSV's time progress"
is "$(x "count(//*[local-name()='figure'][@id='chart']//*[local-name()='line'][@stroke-dasharray])")" 1 \
	"drawn as one dashed line across the bars"
col_texts=$(xmllint --xpath "//*[local-name()='figure'][@id='colours']//*[local-name()='text']" "$WORK/r.html" 2>/dev/null |
	sed 's/<[^>]*>/\n/g' | sed '/^$/d')
like "$col_texts" "^蓝 ${total[12]}$" "the colour distribution: blue, from the CSV's total"
like "$col_texts" "^绿 ${total[13]}$" "green"
like "$col_texts" "^黄 ${total[14]}$" "yellow"
like "$col_texts" "^红 ${total[15]}$" "red"
like "$col_texts" "^未评 ${total[16]}$" "and unrated"

# --- the lists and the notes --------------------------------------------------------------------------
run_kpr report --month 2023-09 --section lagging --format csv
is "$(x "count(//table[@id='lagging']/tbody/tr)")" "$(($(wc -l <<<"$out") - 1))" "the lagging list: as many rows as its CSV"
is "$(x "string(//table[@id='lagging']/tbody/tr[1]/td[1])")" "$(awk -F, 'NR == 2 { print $1 }' <<<"$out")" "in its order"
run_kpr report --month 2023-09 --section missing --format csv
is "$(x "count(//table[@id='missing']/tbody/tr)")" "$(($(wc -l <<<"$out") - 1))" "the missing reports: as many rows as their CSV"
is "$(x "string(//table[@id='missing']/tbody/tr[last()]/td[3])")" "$(tail -n 1 <<<"$out" | cut -d, -f3)" "in their order"
notes=$(x "string(//div[@id='notes'])")
like "$notes" "已退库项目\(不计入本报告\):T23-G7" "the notes: the withdrawn project"
like "$notes" "未下达年度计划的项目.*T23-C4" "the project without a plan"
like "$notes" "$(psql_q "SELECT count(*) FROM kpr.project_year y WHERE year = 2023 AND NOT EXISTS (SELECT FROM kpr.colour_evaluation e
	WHERE e.project_id = y.project_id AND e.month = '2023-09-01') AND y.project_id <> (SELECT project_id FROM kpr.project WHERE code = 'T23-G7')")个项目2023年9月的颜色尚未评定存储,已按颜色规则即时评定" \
	"and how many were evaluated on the fly (no colour stored for the month)"

# --- another period: no lagging project, a rate past 100 ---------------------------------------------
run_kpr report --year 2022 --quarter 4 --format html
printf '%s\n' "$out" >"$WORK/y22.html"
wf=$(xmllint --noout "$WORK/y22.html" 2>&1 && echo well-formed)
is "$wf" well-formed "2022: well-formed too"
run_kpr report --year 2022 --quarter 4 --section lagging --format csv
is "$(wc -l <<<"$out")" 1 "(2022 has no lagging project: its CSV is the heading alone)"
is "$(x "count(//table[@id='lagging'])" "$WORK/y22.html")" 0 "an empty list is no table"
is "$(x "string(//p[@class='none'][1])" "$WORK/y22.html")" "(无)" "but says (无)"
run_kpr report --year 2022 --quarter 4 --format csv
ticks=$(xmllint --xpath "//*[local-name()='figure'][@id='chart']//*[local-name()='text']" "$WORK/y22.html" 2>/dev/null |
	sed 's/<[^>]*>/\n/g' | grep -xE '[0-9]+' | sort -n | tail -n 1)
maxrate=$(awk -F, 'NR > 1 && $7 != "" { print $7 }' <<<"$out" | sort -n | tail -n 1)
ok "the axis ($ticks) reaches the largest rate ($maxrate)" awk -v a="$ticks" -v b="$maxrate" 'BEGIN { exit !(a + 0 >= b + 0 && b + 0 > 100) }'

run_kpr report --month 2023-09 --format html --section lagging
printf '%s\n' "$out" >"$WORK/lag.html"
is "$(x "count(//table[@id='groups']) + count(//p[@id='headline']) + count(//table[@id='missing'])" "$WORK/lag.html")|$(x "count(//table[@id='lagging'])" "$WORK/lag.html")" \
	"0|1" "--section lagging: the lagging list alone"

# --- escaping -------------------------------------------------------------------------------------------
esc_name='&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;'
like "$html" "$esc_name" "the hostile project name is escaped (& < > \" ' as references)"
ok "and never written raw" bash -c '! grep -qF -- "$1" "$2"' - "$NAME" "$WORK/r.html"
ok "nor its region's" bash -c '! grep -qF -- "$1" "$2"' - "$REGION" "$WORK/r.html"
ok "nor the problems text" bash -c '! grep -qF -- "$1" "$2"' - "$PROBLEM" "$WORK/r.html"
is "$(x "string(//table[@id='lagging']/tbody/tr[td[1]='T23-E5']/td[2])")" "$NAME" "the lagging list shows the name literally"
is "$(x "string(//table[@id='lagging']/tbody/tr[td[1]='T23-E5']/td[3])")" "$REGION" "and the region"
is "$(x "string(//table[@id='lagging']/tbody/tr[td[1]='T23-E5']/td[9])")" "$PROBLEM" "and the problems text"
is "$(x "count(//table[@id='groups']/tbody/tr[td[2]='131023'])")" 1 "the hostile region has its row in the groups table"
is "$(x "string(//table[@id='groups']/tbody/tr[td[2]='131023']/td[1])")" "$REGION" "named literally"
is "$(x "count(//*[local-name()='figure'][@id='chart']//*[local-name()='text'][. = $(xlit "$REGION")])")" 1 \
	"and in the chart's SVG text"
is "$(x "count(//b) + count(//i)")" 1 "no element made of the names (the one <b> is the notes' heading)"

# --- the headings: the table form's, in Chinese and in English ---------------------------------------
# the table form's heading line (without group_code and time_progress), split on its gaps
ths() { # FILE: the groups table's headings but 代码/code and 序时进度%/time %
	xmllint --xpath "//table[@id='groups']/thead/tr/th[position() != 2 and position() != 8]" "$1" 2>/dev/null |
		sed 's/<[^>]*>/\n/g' | sed '/^$/d' | paste -sd '|'
}
run_kpr report --month 2023-09
heads=$(grep -m1 -E '^县\(市、区\) ' <<<"$out" | sed -E 's/ {2,}/|/g')
is "$(ths "$WORK/r.html")" "$heads" "the Chinese headings are the table form's"
run_kpr report --month 2023-09 --format html --lang en
printf '%s\n' "$out" >"$WORK/en.html"
run_kpr report --month 2023-09 --lang en
heads=$(grep -m1 -E '^region ' <<<"$out" | sed -E 's/ {2,}/|/g')
is "$(ths "$WORK/en.html")" "$heads" "--lang en: the English headings of the table form"
like "$heads" "^region\|projects\|total investment" "(which are English)"
is "$(x 'string(/html/@lang)' "$WORK/en.html")" en "--lang en: the page says it is English"
like "$(x 'string(//h1)' "$WORK/en.html")" "^Key projects' investment, 2023-01 to 2023-09$" "an English title"
like "$(x "string(//p[@id='headline'])" "$WORK/en.html")" "^2023-01 to 2023-09: the city's ${total[2]} key projects completed" \
	"an English headline"
is "$(x "string(//table[@id='groups']/tbody/tr[last()]/td[1])" "$WORK/en.html")" Total "an English total row"

# --- -o FILE ----------------------------------------------------------------------------------------------
run_kpr report --month 2023-09 --format html -o "$WORK/out.html"
is "$status:$out" "0:" "-o FILE writes nothing to stdout"
is "$(cat "$WORK/out.html")" "$html" "-o FILE holds the page"
is "$(ls "$WORK" | grep -c 'out\.html\.tmp')" 0 "and leaves no temporary file"
run_kpr report --month 2023-09 --format html -o "$WORK/no/such/dir/r.html"
is "$status" 5 "a file that cannot be written exits 5"
like "$err" "cannot write '$WORK/no/such/dir/r.html'" "and names it"

run_kpr report --help
like "$out" "--format table\|csv\|json\|md\|html" "--help names the html form"

done_testing
