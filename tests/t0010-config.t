#!/usr/bin/env bash
# kpr import config and kpr config: load, reload without change, edit one row, reject bad files
# whole (FILE:LINE:COLUMN, exit 1, nothing written), and show the tables aligned.
. "$KPR_SRC/tests/lib.sh"
fresh_db
setup "kpr init" "$KPR" -q init

CONFIG="$TESTDATA/config.yaml"

# Everything kpr import config may write, and the audit log, as one checksum.
state() {
	psql_q "SELECT md5(concat_ws('|',
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.setting t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.region t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.zone t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.pool t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.scenario t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.colour_rule t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM kpr.colour_rule_condition t),
		(SELECT count(*) || ':' || coalesce(max(audit_id), 0) FROM kpr.audit_log)))"
}
audit_count() { psql_q "SELECT count(*) FROM kpr.audit_log"; }

# --- the command line ---------------------------------------------------------------------
run_kpr import config
is "$status" 2 "import config without a file is a usage error"
run_kpr import config "$CONFIG" extra.yaml
is "$status" 2 "import config with two files is a usage error"

before=$(state)
run_kpr import config nope.yaml
is "$status" 5 "a missing file exits 5"
like "$err" "cannot open 'nope.yaml': No such file or directory" "and names the file and the reason"
is "$(state)" "$before" "and writes nothing"

# --- a dry run on an empty registry: the whole summary, nothing written ----------------------
before=$(state)
run_kpr import config --dry-run "$CONFIG"
is "$status" 0 "a dry run of the Langfang configuration succeeds"
like "$err" "config '.*config.yaml': 2 settings, 11 regions \(11 new\), 3 zones \(3 new\), 8 pools \(8 new\), 22 scenarios of 2023 \(22 new\), 9 colour rules of 2023 \(new\); would write \(dry run: nothing written\)$" \
	"it says what would be written"
is "$(state)" "$before" "and writes nothing"
is "$(psql_q "SELECT count(*) FROM kpr.region")" 0 "not one region"

# --- the Langfang file ----------------------------------------------------------------------
run_kpr import config "$CONFIG"
is "$status" 0 "the Langfang configuration loads"
like "$err" "11 regions \(11 new\), 3 zones \(3 new\), 8 pools \(8 new\), 22 scenarios of 2023 \(22 new\), 9 colour rules of 2023 \(new\)" \
	"the summary counts what was written"
is "$(psql_q "SELECT count(*) FROM kpr.region")" 11 "11 regions"
is "$(psql_q "SELECT count(*) FROM kpr.region WHERE parent_code = '131000' AND level = 'county'")" 10 \
	"10 counties under the city"
is "$(psql_q "SELECT count(*) FROM kpr.zone")" 3 "3 zones"
is "$(psql_q "SELECT region_code FROM kpr.zone WHERE code = 'YJGXQ'")" 131082 "燕郊 lies in 三河"
is "$(psql_q "SELECT string_agg(code, ',' ORDER BY ord) FROM kpr.pool")" \
	"conceived,reserve,signed,preparation,started,construction,completed,withdrawn" "8 pools in order"
is "$(psql_q "SELECT count(*) FROM kpr.scenario WHERE year = 2023")" 22 "22 scenarios of 2023"
is "$(psql_q "SELECT count(*) FROM kpr.scenario WHERE year = 2023 AND sample")" 16 "16 of them sample names"
is "$(psql_q "SELECT count(*) FROM kpr.colour_rule WHERE year = 2023")" 9 "9 colour rules"
is "$(psql_q "SELECT string_agg(rule_id, ',' ORDER BY ord) FROM kpr.colour_rule WHERE year = 2023")" \
	"blue-completed,red-behind-30,red-start-overdue,red-stalled,yellow-behind,yellow-start-overdue,yellow-no-report,blue-ahead,green" \
	"the rules in DOMAIN.md's order"
ok "at least 9 conditions" [ "$(psql_q "SELECT count(*) FROM kpr.colour_rule_condition WHERE year = 2023")" -ge 9 ]
is "$(psql_q "SELECT op || value FROM kpr.colour_rule_condition WHERE rule_id = 'red-behind-30' AND measure = 'points_behind'")" \
	">30" "red-behind-30 is points_behind > 30"
is "$(psql_q "SELECT string_agg(op || value, ' ' ORDER BY op) FROM kpr.colour_rule_condition WHERE rule_id = 'yellow-behind' AND measure = 'points_behind'")" \
	"<=30 >0" "a list of conditions on one measure is stored as rows"
is "$(psql_q "SELECT value FROM kpr.colour_rule_condition WHERE rule_id = 'yellow-no-report'")" 0 "false is stored as 0"
is "$(audit_count)" "$(psql_q "SELECT (SELECT count(*) FROM kpr.region) + (SELECT count(*) FROM kpr.zone) + (SELECT count(*) FROM kpr.pool)
	+ (SELECT count(*) FROM kpr.scenario) + (SELECT count(*) FROM kpr.colour_rule) + (SELECT count(*) FROM kpr.colour_rule_condition)")" \
	"every inserted row is in the audit log"

# --- idempotence -----------------------------------------------------------------------------
before=$(state)
run_kpr import config "$CONFIG"
is "$status" 0 "loading the same file again succeeds"
like "$err" "nothing changed" "and says nothing changed"
is "$(state)" "$before" "and touches no row: every table and the audit log are unchanged"

run_kpr -q import config "$CONFIG"
is "$status:$err" "0:" "-q silences the summary"

# --- one change, one row ---------------------------------------------------------------------
sed 's/name: 安次区, short_name: 安次,/name: 安次区, short_name: 安次区,/' "$CONFIG" > changed.yaml
audit=$(audit_count)
run_kpr import config changed.yaml
is "$status" 0 "a changed short name loads"
like "$err" "11 regions \(1 updated\), 3 zones, 8 pools, 22 scenarios of 2023, 9 colour rules of 2023$" \
	"the summary says one region was updated"
is "$(audit_count)" "$((audit + 1))" "the audit log gains exactly one row"
is "$(psql_q "SELECT table_name, op, old_row->>'short_name', new_row->>'short_name' FROM kpr.audit_log ORDER BY audit_id DESC LIMIT 1")" \
	"region|UPDATE|安次|安次区" "an UPDATE of that region, old and new"

sed 's/points_behind: "> 30"/points_behind: "> 25"/' changed.yaml > rules.yaml
run_kpr import config rules.yaml
is "$status" 0 "a changed rule loads"
like "$err" "9 colour rules of 2023 \(replaced\)" "the year's rules are replaced as a set"
is "$(psql_q "SELECT value FROM kpr.colour_rule_condition WHERE rule_id = 'red-behind-30' AND measure = 'points_behind'")" \
	25 "with the new threshold"
before=$(state)
run_kpr import config rules.yaml
is "$(state)" "$before" "and loading it again changes nothing"

# --- dry runs against a loaded registry ---------------------------------------------------------
sed 's/points_behind: "> 25"/points_behind: "> 20"/' rules.yaml > dry.yaml
before=$(state)
run_kpr import config dry.yaml --dry-run
is "$status" 0 "a dry run of a changed rule succeeds"
like "$err" "9 colour rules of 2023 \(replaced\); would write \(dry run: nothing written\)$" "and says the rules would be replaced"
is "$(state)" "$before" "and writes nothing, not even an audit row"
run_kpr import config --dry-run rules.yaml
is "$status" 0 "a dry run of the loaded file succeeds"
like "$err" "9 colour rules of 2023; nothing would change \(dry run\)$" "and says nothing would change"
printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: 廊坊市, level: county }\n' > taken.yaml
run_kpr import config --dry-run taken.yaml
is "$status" 1 "a dry run checks against the database: a taken name exits 1"
like "$err" "^taken.yaml:3:29: region name '廊坊市' is taken by region '131000' in the database" "with the problem's place"
printf 'kpr_config: 1\nregions:\n  - { code: "131098", name: 新区二, level: county, parent: "131000" }\n' > kept.yaml
run_kpr import config --dry-run kept.yaml
like "$err" "warning: would keep 11 region\(s\) that 'kept.yaml' does not list" "what would be kept is worded as such"
like "$err" "1 regions \(1 new\); would write" "and the new region counted"
is "$(state)" "$before" "nothing written by any dry run"
run_kpr import config --dry-run
is "$status" 2 "--dry-run without a file is a usage error"

# --- partial files: what the file leaves out is left alone -------------------------------------
cat > partial.yaml <<'EOF'
kpr_config: 1
regions:
  - { code: "131099", name: 新区, short_name: 新区, level: county, parent: "131000" }
years:
  - year: 2024
    scenarios:
      - { code: S01, name: 现代商贸物流强市 }
EOF
run_kpr import config partial.yaml
is "$status" 0 "a file with a county whose city is only in the database loads"
like "$err" "warning: kept 11 region\(s\) that 'partial.yaml' does not list: 131000, 131002" \
	"regions the file does not list are kept, with a warning"
is "$(psql_q "SELECT count(*) FROM kpr.region")" 12 "no region was deleted"
is "$(psql_q "SELECT count(*) FROM kpr.colour_rule WHERE year = 2023")" 9 "a year the file does not list keeps its rules"
is "$(psql_q "SELECT count(*) FROM kpr.scenario WHERE year = 2024")" 1 "the new year has its scenario"

# --- bad files: exit 1, FILE:LINE:COLUMN, nothing written --------------------------------------
rejects() { # description regex: bad.yaml is rejected whole
	local before
	before=$(state)
	run_kpr import config bad.yaml
	is "$status" 1 "$1: exit 1"
	like "$err" "$2" "$1: the message says where"
	is "$(state)" "$before" "$1: nothing written"
}

printf 'kpr_config: 1\npools:\n  - { code: a, name: x, code: b }\n' > bad.yaml
rejects "a duplicate key" "^bad.yaml:3:25: duplicate key 'code' \(first at line 3\)"

printf 'kpr_config: 1\npools:\n  - { code: a, name: x, english: y }\n' > bad.yaml
rejects "an unknown key" "^bad.yaml:3:25: unknown key 'english' in a pool \(known: code, name, name_en, mark\)"

printf 'kpr_config: 1\nzones: { code: a }\n' > bad.yaml
rejects "a wrong type" "^bad.yaml:2:8: 'zones' must be a list, not a mapping"

printf 'kpr_config: 1\nregions:\n  - code: "131097"\n    level: county\n' > bad.yaml
rejects "a missing required key" "^bad.yaml:3:5: missing key 'name' in a region"

printf 'kpr_config: 1\nregions:\n  - { code: "13100A", name: x, level: county }\n' > bad.yaml
rejects "a bad region code" "^bad.yaml:3:13: region code '13100A' must be 6 digits"

printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: x, level: town }\n' > bad.yaml
rejects "a bad level" "^bad.yaml:3:39: level 'town' must be city or county"

printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: x, level: county, parent: "139900" }\n' > bad.yaml
rejects "an unknown parent region" "^bad.yaml:3:55: unknown parent region '139900': not in this file nor in the database"

printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: x, level: county, parent: "131002" }\n' > bad.yaml
rejects "a parent in the database that is a county" "^bad.yaml:3:55: parent region '131002' is a county"

printf 'kpr_config: 1\nzones:\n  - { code: Z1, name: x, region: "139900" }\n' > bad.yaml
rejects "an unknown zone region" "^bad.yaml:3:34: unknown region '139900': not in this file nor in the database"

printf 'kpr_config: 1\nzones:\n  - { code: Z1, name: x, region: "null" }\n' > bad.yaml
rejects "a quoted \"null\"" "^bad.yaml:3:34: region code 'null' must be 6 digits"

printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: 廊坊市, level: county }\n' > bad.yaml
rejects "a name taken by a region the file does not list" \
	"^bad.yaml:3:29: region name '廊坊市' is taken by region '131000' in the database"

printf 'kpr_config: 1\npools:\n  - { code: a, name: x }\n  - { code: a, name: y }\n' > bad.yaml
rejects "a duplicate code" "^bad.yaml:4:13: duplicate pool code 'a' \(first at line 3\)"

printf 'kpr_config: 1\ntimezone: Mars/Olympus\n' > bad.yaml
rejects "an unknown time zone" "^bad.yaml:2:11: unknown time zone 'Mars/Olympus'"

printf 'kpr_config: 1\nyears:\n  - year: 2101\n' > bad.yaml
rejects "a year out of range" "^bad.yaml:3:11: 'year' 2101 is out of range \(2000 to 2100\)"

rule() { printf 'kpr_config: 1\nyears:\n  - year: 2023\n    colour_rules:\n      - %s\n' "$1" > bad.yaml; }
rule '{ id: a, colour: orange, when: {} }'
rejects "an unknown colour" "^bad.yaml:5:26: unknown colour 'orange'"
rule '{ id: a, colour: red, when: { behind: "> 3" } }'
rejects "an unknown measure" "^bad.yaml:5:39: unknown measure 'behind'"
rule '{ id: a, colour: red, when: { points_behind: "=< 3" } }'
rejects "an unknown operator" "^bad.yaml:5:54: 'points_behind' needs an operator and a number"
rule '{ id: a, colour: red, when: { completed: "> true" } }'
rejects "an ordering operator on a boolean" "^bad.yaml:5:50: 'completed' is true or false: compare it with = or !="
rule '{ id: a, colour: red, when: {} }
      - { id: a, colour: blue, when: {} }'
rejects "a duplicate rule id" "^bad.yaml:6:15: duplicate rule id 'a' \(first at line 5\)"

printf 'kpr_config: 1\nregions:\n  - { code: "131097", name: x\n' > bad.yaml
rejects "a YAML syntax error" "^bad.yaml:4:1: YAML syntax: "

# a good file with one bad rule at the end writes nothing at all
{ cat "$CONFIG"; printf '  - year: 2025\n    colour_rules:\n      - { id: x, colour: red, when: { started: maybe } }\n'; } |
	sed 's/name: 廊坊市, short_name: 市本级/name: 廊坊市, short_name: 市区/' > bad.yaml
line=$(($(wc -l < "$CONFIG") + 3))
rejects "one bad rule in an otherwise good file" "^bad.yaml:$line:48: 'started' is true or false, not 'maybe'"
is "$(psql_q "SELECT short_name FROM kpr.region WHERE code = '131000'")" 市本级 "the good changes were not written either"

printf 'kpr_config: 1\nregions:\n  - { code: "1", name: x, level: x }\npools: 3\n' > bad.yaml
run_kpr import config bad.yaml
is "$(printf '%s\n' "$err" | grep -c '^bad.yaml:')" 3 "every problem is reported, not only the first"
like "$err" "rejected: 3 problems; nothing was written" "and counted"

# --- kpr config --------------------------------------------------------------------------------
run_kpr import config "$CONFIG"
run_kpr config
is "$status" 0 "kpr config succeeds"
like "$out" "131028  大厂回族自治县  大厂        county  131000" "it lists the regions"
like "$out" "Scenarios of 2024" "the default year is the latest with scenarios"
run_kpr config --year 2023
like "$out" "S07   科技创新强市      sample" "it lists the scenarios of the year asked for"
like "$out" "red-behind-30 +red +has_plan = true and points_behind > 30 +投资完成率落后" \
	"it lists the rules with their conditions"
like "$out" "yellow-no-report +yellow +reported = false" "a boolean condition reads true or false"

# The display column where a heading starts must be where that column's text starts on every
# row, counting a CJK character as two columns (kpr must not depend on the locale: LANG=C here).
aligned() { # section heading
	printf '%s\n' "$out" | perl -CSD -Mutf8 -e '
		my ($section, $heading) = @ARGV;
		my ($in, $col, $bad, $rows) = (0, -1, 0, 0);
		sub width { my $s = shift; my $w = length $s; $w++ while $s =~ /[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FF60}]/g; $w }
		while (<STDIN>) {
			chomp;
			if ($_ eq $section) { $in = 1; next }
			next unless $in;
			last if $_ eq "";
			if ($col < 0) { $col = index($_, $heading); next }
			next if /^-/;
			my ($w, $i) = (0, 0);
			my @c = split //;
			$w += width($c[$i++]) while $i < @c && $w < $col;
			$rows++;
			$bad++ unless $w == $col && $c[$i - 1] eq " " && $c[$i - 2] eq " " && $c[$i] ne " ";
		}
		exit($rows > 0 && $bad == 0 ? 0 : 1);' "$1" "$2"
}
ok "the short name column lines up on every region row" aligned "Regions" "short name"
ok "the level column lines up on every region row" aligned "Regions" "level"
ok "the region column of zones lines up" aligned "Functional zones" "short name"
ok "the description column of the rules lines up" aligned "Colour rules of 2023 (first match wins)" "description"

run_kpr config --year 1999
is "$status" 2 "kpr config --year out of range is a usage error"
run_kpr config --year 2030
is "$status" 0 "kpr config for a year without data succeeds"
like "$(printf '%s\n' "$out" | grep -A1 'Scenarios of 2030' | tail -n 1)" "^\(none\)$" "and says there is none"
run_kpr config --help
like "$out" "usage: kpr config \[--year YYYY\]" "kpr config --help shows the usage"

done_testing
