#!/usr/bin/env bash
# The committed Langfang 2023 sample (data/langfang-2023) is exactly what tools/gen-langfang writes,
# and has the shape the brief promises: 486 projects, CRLF records, a GB18030 twin of the list.
. "$KPR_SRC/tests/lib.sh"
data="$KPR_SRC/data/langfang-2023"
gen="$KPR_BUILD/tools/gen-langfang"

# CSV records, not lines: a record ends at a newline outside quotes (scopes hold line breaks)
count_records() { LC_ALL=C awk '{ q += gsub(/"/, "\"") } q % 2 == 0 { n++ } END { print n + 0 }' "$1"; }

mkdir one two
status=0
"$gen" one >summary 2>"$WORK/gen.err" || status=$?
setup "a second run of gen-langfang" "$gen" two
is "$status" 0 "gen-langfang writes the sample"

for f in projects.csv projects-gb18030.csv progress-2023.csv; do
	ok "the committed $f is what the generator writes" cmp -s "$data/$f" "one/$f"
	ok "a second run writes the same $f byte for byte" cmp -s "one/$f" "two/$f"
done

printed=$(sed -n 's/^projects: //p' summary)
is "$printed" 486 "the generator says it wrote 486 projects"
records=$(count_records "$data/projects.csv")
is "$((records - 3))" "$printed" "projects.csv has a title row, a units row, a header and 486 records"
is "$(LC_ALL=C grep -c $'\r$' "$data/projects.csv")" "$records" "every record of projects.csv ends in CRLF"
ok "some scopes hold a line break inside quotes" test "$(wc -l <"$data/projects.csv")" -gt "$records"
is "$(head -c 3 "$data/projects.csv" | od -An -tx1 | tr -d ' ')" efbbbf "projects.csv starts with a UTF-8 BOM"
like "$(sed -n 3p "$data/projects.csv")" '^序号,项目代码,项目名称,县\(市、区\),' "the third row is the header"

is "$(count_records "$data/progress-2023.csv")" "$(($(sed -n 's/^progress rows: //p' summary) + 1))" \
	"progress-2023.csv has the header and the rows the generator counted"

iconv -f GB18030 -t UTF-8 "$data/projects-gb18030.csv" >gb.txt
tail -c +4 "$data/projects.csv" >utf8.txt
ok "projects-gb18030.csv decodes to projects.csv without its BOM" cmp -s gb.txt utf8.txt
ok "projects-gb18030.csv is really GB18030, not UTF-8" sh -c '! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1' sh \
	"$data/projects-gb18030.csv"

done_testing
