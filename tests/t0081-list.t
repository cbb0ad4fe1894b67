#!/usr/bin/env bash
# kpr list: the year's projects with their figures as of a month; defaults, every filter alone
# and combined, the output forms, page-by-page tables, and the CSV round trip through
# kpr import projects, which changes nothing.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"

# a CSV's column NAME as "code<TAB>value" lines (RFC 4180: quoted fields may hold commas,
# doubled quotes and line breaks)
csv_col() { # NAME
	printf '%s\n' "$out" | perl -e 'local $/; my $t = <STDIN>; my (@rows, @f);
		while ($t =~ /\G("(?:[^"]|"")*"|[^,\n]*)(,|\n|\z)/gc) {
			my ($v, $end) = ($1, $2); $v =~ s/^"(.*)"$/$1/s and $v =~ s/""/"/g; push @f, $v;
			if ($end ne ",") { push @rows, [@f] if @f > 1; @f = (); last if $end eq "" } }
		my @h = @{ shift @rows }; my ($i) = grep { $h[$_] eq $ARGV[0] } 0..$#h;
		print "$_->[0]\t$_->[$i]\n" for @rows' "$1"
}
# the codes of a CSV list, sorted, on one line
codes() { csv_col code | cut -f1 | sort | paste -sd' '; }
# the same set from SQL: the 2023 list's codes WHERE the condition holds
want() { psql_q "SELECT coalesce(string_agg(code, ' ' ORDER BY code), '') FROM kpr.project p
	JOIN kpr.project_year py ON py.project_id = p.project_id AND py.year = 2023 WHERE $1"; }
# one field of a project's line in a CSV list
field() { # CODE NAME
	csv_col "$2" | awk -F'\t' -v c="$1" '$1 == c { print $2 }'
}

# --- the command line ------------------------------------------------------------------------
run_kpr help list
is "$status" 0 "kpr help list works"
like "$out" "^usage: kpr list \[--year Y\] \[--month YYYY-MM\] \[--region R\] \[--zone Z\] \[--scenario S\] \[--pool P\]$" \
	"and gives the synopsis of the contract"
for o in year month region zone scenario pool colour nature leader responsible search format; do
	like "$out" "^ +--$o" "--help documents --$o"
done
run_kpr list extra
is "$status" 2 "list takes no argument"
run_kpr list --format xml
is "$status" 2 "--format is a choice"
like "$err" "--format must be table, csv, json or md, not 'xml'" "in the usual wording"
run_kpr list --colour purple
is "$status" 2 "--colour is a choice"
like "$err" "--colour must be red, yellow, green, blue or unrated, not 'purple'" "naming the colours"
run_kpr list --nature odd
is "$status" 2 "--nature is a choice"
run_kpr list --month 2023-13
is "$status" 2 "--month must be a month"
run_kpr list --year 2023 --month 2024-01
is "$status" 2 "--month outside --year is a usage error"
like "$err" "--month 2024-01 is not in --year 2023" "and says so"

# --- an empty registry -----------------------------------------------------------------------
run_kpr list
is "$status" 1 "list without any list imported fails"
like "$err" "no project list has been imported yet" "and says why"

setup "import the list" "$KPR" -q import projects "$SRC"
setup "import progress" "$KPR" -q import progress "$PROGRESS"

# --- defaults: the latest year with a list, the latest month with reports ---------------------
run_kpr list
is "$status" 0 "list succeeds"
latest=$(psql_q "SELECT to_char(max(month), 'YYYY-MM') FROM kpr.progress")
is "$(printf '%s\n' "$out" | sed -n 1p)" "Key projects of 2023, as of $latest (money in 万元)" \
	"the title names the year and the latest month with reports"
is "$(printf '%s\n' "$out" | sed -n 2p | tr -s ' ')" "code name region zone nature annual plan pool colour completed rate %" \
	"the table's heading"
is "$(($(printf '%s\n' "$out" | wc -l) - 3))" "$(psql_q "SELECT count(*) FROM kpr.project_year WHERE year = 2023")" \
	"a line a project of the list"
like "$out" "^LF2023-002 +廊坊临空经济区智慧物流园项目  广阳    临空区  续建 +20000\.2500  在建库  unrated +3500\.0000 +17\.5$" \
	"a row: short names, money in 万元, the rate; aligned for Chinese (two columns a character)"
w=$(printf '%s\n' "$out" | sed -n '2p;4,$p' | perl -CS -Mutf8 -ne 'chomp; my $n = 0;
	for (split //) { $n += /[\x{1100}-\x{115F}\x{2E80}-\x{A4CF}\x{AC00}-\x{D7A3}\x{F900}-\x{FAFF}\x{FF00}-\x{FF60}]/ ? 2 : 1 }
	s/.*(?=\S+$)//; print $n - length($_), "\n"' | sort -u | wc -l)
is "$w" 1 "every row's last column starts at the same display column"

# --- the figures ------------------------------------------------------------------------------
run_kpr list --format csv
is "$status" 0 "CSV succeeds"
is "$(printf '%s\n' "$out" | sed -n 1p)" \
	"code,name,region,zone,scenarios,industry,level,nature,owner,responsible_unit,leader,scope,start_year,end_year,planned_start,total_investment,annual_plan,remarks,pool,colour,completed,completion_rate" \
	"CSV has the English snake_case columns"
for c in LF2023-002 2303-131022-04-01-573274 LF2023-004; do
	is "$(field "$c" completed)" "$(psql_q "SELECT coalesce(sum(pc.amount), 0)::numeric(18,4) FROM kpr.project p
		LEFT JOIN kpr.progress_current pc ON pc.project_id = p.project_id AND pc.month BETWEEN '2023-01-01' AND '$latest-01'
		WHERE p.code = '$c'")" "$c: completed is the sum of the year's months up to $latest"
	is "$(field "$c" completion_rate)" "$(psql_q "SELECT round(100 * coalesce(sum(pc.amount), 0) / py.annual_plan, 1) FROM kpr.project p
		JOIN kpr.project_year py ON py.project_id = p.project_id AND py.year = 2023
		LEFT JOIN kpr.progress_current pc ON pc.project_id = p.project_id AND pc.month BETWEEN '2023-01-01' AND '$latest-01'
		WHERE p.code = '$c' GROUP BY py.annual_plan")" "$c: the completion rate is completed ÷ annual plan, one decimal"
done
is "$(field LF2023-002 scenarios)" "现代商贸物流强市、数字廊坊" "scenarios are the year's names joined by 、"
is "$(field LF2023-002 region)" "广阳区" "CSV gives the region's full name"
is "$(field LF2023-002 annual_plan)" "20000.2500" "money in 万元 with 4 decimals"
is "$(field LF2023-005 planned_start)" "2023-09" "a month as YYYY-MM"

first=$(psql_q "SELECT to_char(min(month), 'YYYY-MM') FROM kpr.progress")
run_kpr list --month "$first" --format csv
is "$(field LF2023-002 completed)" "$(psql_q "SELECT sum(amount)::numeric(18,4) FROM kpr.progress_current pc JOIN kpr.project p USING (project_id)
	WHERE p.code = 'LF2023-002' AND month <= '$first-01'")" "--month $first: the year-to-date as of that month"
run_kpr list --month 2023-01
is "$(printf '%s\n' "$out" | sed -n 1p)" "Key projects of 2023, as of 2023-01 (money in 万元)" "--month names the month"
like "$out" "^LF2023-002 .* 0\.0000 +0\.0$" "before any report a project has completed nothing"

# a correction counts once: the current version of the month
psql_q "INSERT INTO kpr.progress (project_id, month, amount) SELECT project_id, '2023-04-01', 2500 FROM kpr.project WHERE code = 'LF2023-002'" >/dev/null
run_kpr list --format csv --month 2023-04
is "$(field LF2023-002 completed)" "2500.0000" "a corrected month counts with its latest version only"

# --- filters alone ----------------------------------------------------------------------------
check_filter() { # DESCRIPTION SQL-CONDITION ARGS...
	local d=$1 cond=$2
	shift 2
	run_kpr list --format csv "$@"
	is "$status" 0 "$d: succeeds"
	is "$(codes)" "$(want "$cond")" "$d: the projects SQL finds"
}
for r in 固安 固安县 131022; do
	check_filter "--region $r" "p.region_code = '131022'" --region "$r"
done
check_filter "--zone by short name" "p.zone_code = (SELECT code FROM kpr.zone WHERE short_name = '燕郊')" --zone 燕郊
check_filter "--zone by name" "p.zone_code = (SELECT code FROM kpr.zone WHERE name = '临空经济区')" --zone 临空经济区
check_filter "--scenario by name" "EXISTS (SELECT 1 FROM kpr.project_scenario ps JOIN kpr.scenario s USING (scenario_id)
	WHERE ps.project_id = p.project_id AND s.name = '数字廊坊')" --scenario 数字廊坊
for pool in construction 在建库 "under construction"; do
	check_filter "--pool '$pool'" "p.pool_code = 'construction'" --pool "$pool"
done
check_filter "--nature 续建" "p.nature = '续建'" --nature 续建
check_filter "--nature new (English alias)" "p.nature = '新开工'" --nature new
check_filter "--leader" "p.leader LIKE '%李%'" --leader 李
check_filter "--responsible" "p.responsible_unit LIKE '%人民政府%'" --responsible 人民政府
check_filter "--search in the name" "p.name LIKE '%医院%'" --search 医院
check_filter "--search in the code, any case" "p.code LIKE 'LF2023-00%'" --search lf2023-00

# colours: an evaluation and an override (issue 11 writes them; here by hand)
psql_q "INSERT INTO kpr.colour_evaluation (project_id, month, colour, rule_colour, rule_id)
	SELECT project_id, '$latest-01', 'red', 'red', 'red-behind-30' FROM kpr.project WHERE code = 'LF2023-003';
	INSERT INTO kpr.colour_evaluation (project_id, month, colour, rule_colour, rule_id)
	SELECT project_id, '$latest-01', 'red', 'red', 'red-behind-30' FROM kpr.project WHERE code = 'LF2023-004';
	INSERT INTO kpr.colour_override (project_id, colour, reason, from_month)
	SELECT project_id, 'blue', '已竣工', '2023-01-01' FROM kpr.project WHERE code = 'LF2023-004'" >/dev/null
check_filter "--colour red" "p.code = 'LF2023-003'" --colour red
check_filter "--colour blue: an override above the evaluation" "p.code = 'LF2023-004'" --colour blue
check_filter "--colour 红 (Chinese)" "p.code = 'LF2023-003'" --colour 红
check_filter "--colour unrated" "p.code NOT IN ('LF2023-003', 'LF2023-004')" --colour unrated
run_kpr list --format csv
is "$(field LF2023-003 colour)" red "the colour column"
is "$(field LF2023-005 colour)" "" "unrated is an empty field in CSV"
run_kpr list --colour red
like "$out" "^LF2023-003 .*  red +" "the table shows the colour"
run_kpr list --colour red --month 2023-04
is "$(printf '%s\n' "$out" | sed -n 2p)" "(no projects)" "the colour is the month's: none evaluated for 2023-04"

# --- filters combined -------------------------------------------------------------------------
check_filter "--region with --nature" "p.region_code = '131028' AND p.nature = '续建'" --region 大厂 --nature 续建
check_filter "--pool with --scenario" "p.pool_code = 'construction' AND EXISTS (SELECT 1 FROM kpr.project_scenario ps
	JOIN kpr.scenario s USING (scenario_id) WHERE ps.project_id = p.project_id AND s.name = '健康廊坊')" \
	--pool 在建库 --scenario 健康廊坊
check_filter "--region with --nature matching nothing" "false" --region 固安 --nature 续建
check_filter "--search, --leader and --colour" "p.code = 'LF2023-003'" --search LF --leader 副市长 --colour red

# --- unknown names --------------------------------------------------------------------------
run_kpr list --pool 在建
is "$status" 1 "an unknown pool is bad input"
like "$err" "unknown pool '在建'" "named"
like "$err" "HINT:  Did you mean '在建库'\?" "with the nearest name"
run_kpr list --region 固安区
is "$status" 1 "an unknown region is bad input"
like "$err" "unknown region '固安区'" "named"
run_kpr list --scenario 不存在的场景
is "$status" 1 "an unknown scenario is bad input"
run_kpr list --year 2024
is "$status" 0 "a year without a list succeeds"
is "$(printf '%s\n' "$out" | sed -n 2p)" "(no projects)" "and lists nothing"

# --- JSON --------------------------------------------------------------------------------------
run_kpr list --format json --region 广阳
is "$status" 0 "JSON succeeds"
is "$(printf '%s' "$out" | jq -r '.[] | [.code, .region, .scenarios, .annual_plan, .completed, (.colour | tostring), .start_year] | @tsv')" \
	"$(printf 'LF2023-002\t广阳区\t现代商贸物流强市、数字廊坊\t20000.25\t%s\tnull\t2022' "$(psql_q "SELECT trim_scale(sum(amount)) FROM kpr.progress_current
	JOIN kpr.project p USING (project_id) WHERE p.code = 'LF2023-002' AND month <= '$latest-01'")")" \
	"JSON: objects keyed by the same names, numbers as numbers, unrated as null"

# --- the CSV round trip: kpr import projects reads it back and changes nothing ----------------
run_kpr list --format csv
printf '%s\n' "$out" > list.csv
batches=$(psql_q "SELECT count(*) FROM kpr.import_batch")
audits=$(psql_q "SELECT count(*) FROM kpr.audit_log")
before=$(psql_q "SELECT md5(string_agg(p::text, '|' ORDER BY code)) FROM kpr.project p")
run_kpr import projects list.csv --year 2023 --dry-run
is "$status" 0 "the list's CSV imports (dry run)"
like "$err" "5 rows: 0 new, 0 changed, 5 unchanged, 0 rejected" "and every row is unchanged"
unlike "$err" "warning" "the columns the import does not take are ignored silently"
run_kpr import projects list.csv --year 2023
is "$status" 0 "imported for real"
like "$err" "nothing changed" "nothing changed"
is "$(psql_q "SELECT count(*) FROM kpr.import_batch")" "$batches" "no batch recorded"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log")" "$audits" "no audit row written"
is "$(psql_q "SELECT md5(string_agg(p::text, '|' ORDER BY code)) FROM kpr.project p")" "$before" "every project as it was"

# --- a long table is aligned page by page ------------------------------------------------------
awk 'BEGIN { print "code,name,region,annual_plan"; for (i = 1; i <= 2100; i++) printf "LFP-%05d,项目%d,%s,%d\n", i, i, (i % 2 ? "固安" : "三河"), i }' > many.csv
setup "import a list of 2100 projects for 2024" "$KPR" -q import projects many.csv --year 2024
run_kpr list --year 2024
is "$status" 0 "a list of 2100 succeeds"
is "$(printf '%s\n' "$out" | grep -c '^LFP-')" 2100 "every project"
is "$(printf '%s\n' "$out" | grep -c '^code ')" 1 "the heading once"
is "$(printf '%s\n' "$out" | sed -n 4p | cut -c1-9)" "LFP-00001" "in region order, then code"
run_kpr list --year 2024 --format csv
is "$(printf '%s\n' "$out" | wc -l)" 2101 "CSV: a line a project and the heading"
run_kpr list --year 2024 --format json
is "$(printf '%s' "$out" | jq length)" 2100 "JSON: one array across pages"

done_testing
