#!/usr/bin/env bash
# kpr batch list|show: the import batches newest first, filtered by kind and date, in every
# output form; one batch's details and the rows it wrote or changed; unknown batches and bad
# command lines.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
SRC="$TESTDATA/import/projects-2023.csv"
PROGRESS="$TESTDATA/import/progress-2023.csv"

# --- the command line: usage errors exit 2 before connecting --------------------------------
run_kpr help batch
is "$status" 0 "kpr help batch works"
like "$out" "usage: kpr batch list \[--kind projects\|progress\] \[--since DATE\] \[--format FORMAT\]" \
	"and gives the synopsis"
like "$out" "--format=FORMAT +list: table \(default\), csv, json or md" "and the options"
run_kpr batch
is "$status" 2 "kpr batch without an action is a usage error"
like "$err" "missing action \(list, show\)" "and says which actions there are"
run_kpr batch undo 1
is "$status" 2 "an unknown action is a usage error"
like "$err" "unknown action 'undo'" "and names it"
run_kpr batch show
is "$status" 2 "show without a batch is a usage error"
like "$err" "missing the batch number \(kpr batch show N\)" "and says what is missing"
run_kpr batch show 1 2
is "$status" 2 "show with two batches is a usage error"
for n in x 0 -1 1.5 99999999999999999999 12abc; do
	run_kpr batch show -- "$n"
	is "$status" 2 "show '$n' is a usage error"
done
like "$err" "the batch must be a number like 12 \(see kpr batch list\), not '12abc'" "naming the word given"
run_kpr batch list extra
is "$status" 2 "list takes no argument"
run_kpr batch list --kind config
is "$status" 2 "--kind is a choice"
like "$err" "--kind must be projects or progress, not 'config'" "of the kinds imports record"
run_kpr batch list --since yesterday
is "$status" 2 "--since must be a date"
like "$err" "--since must be a date like 2023-10-01, not 'yesterday'" "and says so"
run_kpr batch list --since 2023-02-30
is "$status" 2 "--since must be a date that exists"
run_kpr batch list --format xml
is "$status" 2 "--format is table, csv, json or md"
like "$err" "--format must be table, csv, json or md, not 'xml'" "in the usual wording"
run_kpr batch show 1 --format csv
is "$status" 2 "show takes no --format"
run_kpr batch show 1 --limit=-1
is "$status" 2 "--limit must not be negative"

# --- no batches yet -----------------------------------------------------------------------
run_kpr batch list
is "$status" 0 "list on a registry without imports succeeds"
is "$out" "(no import batches)" "and says there are none"
run_kpr batch list --format csv
is "$out" "id,kind,file,started_at,finished_at,user,year,rows_read,rows_inserted,rows_updated,rows_unchanged,rows_rejected" \
	"CSV without batches is the heading line"
run_kpr batch list --format json
is "$out" "[]" "JSON without batches is an empty array"

# --- four batches: a list, a changed list, progress, a correction ---------------------------
setup "import the list" "$KPR" -q import projects "$SRC"
sed -e 's/大厂影视小镇二期/大厂影视小镇二期工程/' -e 's/,品位廊坊,/,健康廊坊,/' \
	-e 's/,2023-04,"120,000",35000,/,2023-04,"120,000",36000,/' "$SRC" > changed.csv
setup "import a changed list" "$KPR" -q import projects changed.csv
setup "import progress" "$KPR" -q import progress "$PROGRESS"
sed -e 's/2023年5月,4000.5/2023年5月,4100/' "$PROGRESS" > corrected.csv
setup "import a correction" "$KPR" -q import progress corrected.csv

run_kpr batch list
is "$status" 0 "list succeeds"
# (the file column is as wide as the longest name: the sample's absolute path, which varies)
is "$(printf '%s\n' "$out" | sed -n 1p | tr -s ' ')" \
	"id kind file started finished by year read new changed unchanged rejected" "the table's heading"
like "$(printf '%s\n' "$out" | sed -n 1p)" "^id  kind      file +started              finished             by        year  read  new  changed  unchanged  rejected$" \
	"the heading's columns are aligned"
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "4 3 2 1" "one row a batch, newest first"
like "$out" "^ 2  projects  changed\.csv +[0-9-]{10} [0-9:]{8}  [0-9-]{10} [0-9:]{8}  postgres  2023     5    0        2          3         0$" \
	"a row: id, kind, file, started, finished, who, year, rows read, new, changed, unchanged, rejected"
like "$out" "^ 4  progress  corrected\.csv .*  postgres           5    0        1          4         0$" \
	"a progress batch has no year"

run_kpr batch list --kind projects
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "2 1" "--kind projects lists the lists' batches"
run_kpr batch list --kind PROGRESS
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "4 3" "--kind progress the progress batches"

# --since is a day of the registry's clock (Asia/Shanghai, UTC+8)
psql_q "UPDATE kpr.import_batch SET started_at = '2023-01-31 20:00+00', finished_at = '2023-01-31 20:00:05+00' WHERE batch_id = 1;
	UPDATE kpr.import_batch SET started_at = '2023-01-31 12:00+00', finished_at = '2023-01-31 12:00:01+00' WHERE batch_id = 2" >/dev/null
run_kpr batch list
like "$out" "^ 1  projects  .*  2023-02-01 04:00:00  2023-02-01 04:00:05  postgres" "times are the registry's clock"
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "4 3 1 2" "newest first is by when they started"
run_kpr batch list --since 2023-02-01
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "4 3 1" \
	"--since takes the batches started that day or later, by the registry's clock"
run_kpr batch list --since 2023年1月31日 --kind projects
is "$(printf '%s\n' "$out" | awk 'NR > 2 { print $1 }' | paste -sd' ')" "1 2" "--since takes dates as people write them, with --kind"
run_kpr batch list --since 2099-01-01
is "$status" 0 "--since after every batch succeeds"
is "$out" "(no import batches)" "and lists none"

# --- the output forms -----------------------------------------------------------------------
run_kpr batch list --format csv
is "$status" 0 "CSV succeeds"
is "$(printf '%s\n' "$out" | sed -n 1p)" \
	"id,kind,file,started_at,finished_at,user,year,rows_read,rows_inserted,rows_updated,rows_unchanged,rows_rejected" \
	"CSV has the English column names"
is "$(printf '%s\n' "$out" | sed -n 2p)" "4,progress,corrected.csv,$(psql_q "SELECT to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') || ',' || to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') FROM kpr.import_batch WHERE batch_id = 4"),postgres,,5,0,1,4,0" \
	"a CSV row; no year is an empty field"
is "$(printf '%s\n' "$out" | perl -ne '$n = () = /,/g; print $n + 1, "\n"' | sort -u)" 12 "every CSV line has 12 fields"

run_kpr batch list --format json
is "$status" 0 "JSON succeeds"
is "$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>);
	print join(" ", scalar(@$d), map({ $_->{id} } @$d), $d->[0]{kind}, defined $d->[0]{year} ? "year" : "null",
		$d->[2]{year}, $d->[2]{file}, $d->[1]{rows_updated}, $d->[0]{rows_unchanged})' 2>&1)" \
	"4 4 3 1 2 progress null 2023 $SRC 0 4" "JSON is valid: an array of objects, numbers as numbers, no year as null"

run_kpr batch list --format md --kind projects
is "$(printf '%s\n' "$out" | sed -n 1,2p)" "| id | kind | file | started | finished | by | year | read | new | changed | unchanged | rejected |
| ---: | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" "Markdown is a pipe table"
is "$(printf '%s\n' "$out" | wc -l)" 4 "with a line a batch"

# --- one batch ----------------------------------------------------------------------------
run_kpr batch show 2
is "$status" 0 "show succeeds"
like "$out" "^Import batch 2$" "show names the batch"
like "$out" "^file +changed\.csv$" "its file"
like "$out" "^sha256 +$(sha256sum changed.csv | cut -d' ' -f1)$" "the file's sha256"
like "$out" "^by +postgres$" "who ran it"
like "$out" "^started +2023-01-31 20:00:00$" "when it started"
like "$out" "^changed +2$" "its counts"
like "$out" "^LF2023-003 +大厂影视小镇二期工程 +changed +name: 大厂影视小镇二期 → 大厂影视小镇二期工程$" \
	"a project it changed, field by field, old → new"
like "$out" "^2303-131022-04-01-573274 +2023 +35000\.0000 +36000\.0000$" "a plan it rebaselined, old and new"
like "$out" "^project_scenario +DELETE +LF2023-003 " "and its other audited rows: scenarios dropped"
like "$out" "^project_scenario +INSERT +LF2023-003 " "and added"
unlike "$out" "Progress it wrote" "a list's batch has no progress part"

run_kpr batch show 1
like "$out" "^LF2023-003 +大厂影视小镇二期工程 +new *$" "a project it created is new, though a later batch changed it"
is "$(printf '%s\n' "$out" | grep -c ' new *$')" 5 "the five projects it created"
like "$out" "Annual plans it rebaselined
\(none\)" "a part without rows says (none)"

run_kpr batch show 1 --limit 2
is "$(printf '%s\n' "$out" | grep -c ' new *$')" 2 "--limit shows that many rows"
like "$out" "^\(2 of 5 shown; --limit 0 shows all\)$" "and says how many there are"
run_kpr batch show 1 --limit 0
is "$(printf '%s\n' "$out" | grep -c ' new *$')" 5 "--limit 0 shows all"
unlike "$out" "shown; --limit" "with no note"

run_kpr batch show 3
like "$out" "^kind +progress$" "a progress batch"
like "$out" "^2303-131022-04-01-573274 +固安智能制造产业园项目 +changed +actual_start:  → 2023-04-18$" \
	"the start date it gave a project"
like "$out" "^2303-131022-04-01-573274 +2023-05 +4000\.5000 +new +3$" "the months it wrote, with their line"
is "$(printf '%s\n' "$out" | grep -c ' new  *[0-9]*$')" 5 "five new months"
unlike "$out" "Annual plans" "a progress batch has no plan part"

run_kpr batch show 4
like "$out" "^2303-131022-04-01-573274 +2023-05 +4100\.0000 +correction +3$" "a correction is marked as such"
like "$out" "Projects it created or changed
\(none\)" "it changed no project"

before=$(psql_q "SELECT count(*) FROM kpr.audit_log")
run_kpr batch show 99
is "$status" 1 "an unknown batch exits 1"
like "$err" "kpr: error: no import batch 99" "and says so"
like "$err" "HINT:  \"kpr batch list\" lists the batches\." "with a hint"
is "$out" "" "and prints nothing on stdout"
is "$(psql_q "SELECT count(*) FROM kpr.audit_log")" "$before" "showing writes nothing"

done_testing
