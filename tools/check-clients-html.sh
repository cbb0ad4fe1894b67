#!/bin/sh
# check-clients-html.sh BUILD OUTDIR: the HTML report read by a real browser.  Loads the
# Langfang 2023 sample (data/langfang-2023, as tools/demo.sh does) into a throwaway server
# (tools/pgtmp.sh), writes the Q4 2023 report as HTML, prints it to PDF with headless Chromium,
# and checks with pdftotext that the headline and every group's completion rate and completed
# amount (from kpr's own CSV of the same report, rounded for display) are in the printed text.
# Leaves OUTDIR/report.html, report.pdf, report.txt and a screenshot report.png for a person to
# look at.  Run by make check-clients (tools/check-clients.sh); exit status 0 when every check
# passes.
set -u
build=${1:-build}
outdir=${2:-$build/clients/html}
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
case $build in /*) ;; *) build=$PWD/$build ;; esac
mkdir -p "$outdir" && outdir=$(cd "$outdir" && pwd)
kpr=$build/kpr
data=$src/data/langfang-2023
[ -x "$kpr" ] || { echo "check-clients-html: no kpr binary at $kpr (run make)" >&2; exit 1; }
for prog in chromium pdftotext pdfinfo jq; do
	command -v $prog >/dev/null || { echo "check-clients-html: $prog is not installed" >&2; exit 1; }
done
# Without a CJK font Chromium draws every Chinese character as a box (pdftotext would still
# read the text): install Noto CJK from Debian as check-clients.sh installs the programs.
if ! fc-list :lang=zh family | grep -q .; then
	echo "check-clients-html: installing fonts-noto-cjk (no Chinese font)"
	if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
	else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; fi ||
		{ echo "check-clients-html: cannot install fonts-noto-cjk" >&2; exit 1; }
fi

. "$src/tools/pgtmp.sh"
trap 'pgtmp_stop' EXIT INT TERM
pgtmp_start /tmp/kpr-clients.XXXXXX || exit 1
unset PGSERVICE PGHOSTADDR PGPORT
export PGHOST=$PGTMP PGUSER=postgres PGDATABASE=postgres KPR_DATABASE="host=$PGTMP user=postgres dbname=postgres"
export TZ=Asia/Shanghai

failed=0
fail() {
	echo "check-clients-html: $*" >&2
	failed=$((failed + 1))
}
step() {
	"$kpr" -q "$@" >"$outdir/step.log" 2>&1 || { cat "$outdir/step.log" >&2; fail "kpr $* failed"; exit 1; }
}

step init
step import config "$data/config.yaml"
step import projects "$data/projects.csv" --year 2023
step import progress "$data/progress-2023.csv"
step colours --month 2023-12
step report --year 2023 --quarter 4 --format html -o "$outdir/report.html"
step report --year 2023 --quarter 4 --format csv -o "$outdir/groups.csv"
headline=$("$kpr" report --year 2023 --quarter 4 --format json | jq -r .headline)

# Chromium wants a writable home for its profile; crash reporting and the GPU off
home=$(mktemp -d /tmp/kpr-chromium.XXXXXX)
chrome() {
	HOME=$home timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --user-data-dir="$home/profile" "$@" >>"$outdir/chromium.log" 2>&1
}
: >"$outdir/chromium.log"
chrome --no-pdf-header-footer --print-to-pdf="$outdir/report.pdf" "file://$outdir/report.html" ||
	fail "chromium could not print the report to PDF (see $outdir/chromium.log)"
chrome --hide-scrollbars --window-size=1400,2000 --screenshot="$outdir/report.png" "file://$outdir/report.html" ||
	fail "chromium could not take a screenshot (see $outdir/chromium.log)"
rm -rf "$home"

[ -s "$outdir/report.pdf" ] || { fail "no PDF"; exit 1; }
pdftotext -layout "$outdir/report.pdf" "$outdir/report.txt" || { fail "pdftotext failed"; exit 1; }
pages=$(pdfinfo "$outdir/report.pdf" 2>/dev/null | awk '$1 == "Pages:" { print $2 }')
size=$(pdfinfo "$outdir/report.pdf" 2>/dev/null | awk '$1 == "Page" && $2 == "size:" { print $3 "x" $5 }')
echo "check-clients-html: $outdir/report.pdf: ${pages:-?} pages of ${size:-?} pt (A4 landscape is 842x595)"
echo "$size" | awk -Fx '{ exit !($1 > 839 && $1 < 845 && $2 > 592 && $2 < 598) }' ||
	fail "the PDF's pages are $size pt, not A4 landscape"

# pdftotext lays text out in columns and may break a long line: compare without blanks
flat=$(tr -d ' \n\f' <"$outdir/report.txt")
case $flat in
*"$(printf %s "$headline" | tr -d ' ')"*) ;;
*) fail "the headline is not in the PDF's text: $headline" ;;
esac

# Every group's completion rate and completed amount (亿元 to one decimal: PostgreSQL's round
# of the CSV's exact 8 decimals) on the group's line of the printed table.
n=0
while IFS=, read -r group code projects total plan completed rate rest; do
	[ "$group" = group ] && continue
	done1=$(psql -X -q -A -t -c "SELECT round('$completed'::numeric, 1)")
	line=$(grep -m1 "^ *$group " "$outdir/report.txt" || true)
	[ -n "$line" ] || { fail "no line for $group in the PDF's text"; continue; }
	case " $line " in *" $done1 "*) ;; *) fail "$group: completed $done1 not on its line: $line" ;; esac
	[ -z "$rate" ] || case " $line " in *" $rate "*) ;; *) fail "$group: rate $rate not on its line: $line" ;; esac
	n=$((n + 1))
done <"$outdir/groups.csv"
[ "$n" -gt 1 ] || fail "no groups read from the CSV"
echo "check-clients-html: $n groups' rates and completed amounts checked in the PDF's text"
exit $failed
