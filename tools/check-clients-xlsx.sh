#!/bin/sh
# check-clients-xlsx.sh BUILD OUTDIR: the report's XLSX form read by LibreOffice (run by
# tools/check-clients.sh, which installs libreoffice-calc-nogui and poppler-utils).
#
# On a throwaway server (tools/pgtmp.sh) loaded with the Langfang 2023 sample as tools/demo.sh
# loads it, writes the Q4 2023 report as OUTDIR/report.xlsx, has LibreOffice convert every sheet
# to CSV twice (CSV filter options, tokens: 1 separator 44 ",", 2 quote 34, 3 charset 76 UTF-8,
# 4 first line 1, 5 cell formats none, 6 language 0, 7 quoted as text, 8 detect special numbers,
# 9 save cell contents as shown, 10 formulas, 11 remove spaces, 12 sheet: -1 is every sheet to
# a file of its own, NAME-SHEET.csv, LibreOffice 7.2 and later): the values (token 9 false)
# into OUTDIR/raw, the text a person sees (token 9 true) into OUTDIR/shown; compares every
# figure of the groups, lagging and missing sheets with kpr's CSV of the same report (values:
# amounts to the CSV's last decimal, rates as LibreOffice writes a percentage, "125.9%"; shown: amounts rounded half away from
# zero to 0.0, rates 0.0%, points signed), and finds the headline in 说明.  Then prints the
# workbook to OUTDIR/report.pdf and its first pages to OUTDIR/report-N.png for a person to look
# at.  Exit status 0 when every figure is the same, 1 otherwise.
set -u
build=${1:-build}
out=${2:-$build/clients/xlsx}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
kpr=$(cd "$build" && pwd)/kpr
data=$root/data/langfang-2023
[ -x "$kpr" ] || { echo "check-clients-xlsx: no kpr binary at $kpr (run make)" >&2; exit 1; }

. "$root/tools/pgtmp.sh"
unset KPR_DATABASE PGHOSTADDR PGPORT PGDATABASE PGSERVICE
pgtmp_start /tmp/kpr-clients.XXXXXX || exit 1
trap 'pgtmp_stop; rm -rf "$out/lo-profile"' EXIT
trap 'exit 1' INT TERM
export PGHOST=$PGTMP PGUSER=postgres
psql -X -q -d postgres -c "CREATE DATABASE kpr_clients" || exit 1
export KPR_DATABASE="host=$PGTMP user=postgres dbname=kpr_clients"

step() {
	"$kpr" "$@" || { echo "check-clients-xlsx: \"kpr $*\" failed (exit status $?)" >&2; exit 1; }
}
step -q init
step -q import config "$data/config.yaml"
step -q import projects "$data/projects.csv" --year 2023
step -q import progress "$data/progress-2023.csv"
step -q colours --month 2023-12 >/dev/null
period="--year 2023 --quarter 4"
step report $period --format xlsx -o "$out/report.xlsx"
step report $period --format csv -o "$out/groups.csv"
step report $period --section lagging --format csv -o "$out/lagging.csv"
step report $period --section missing --format csv -o "$out/missing.csv"
headline=$("$kpr" report $period --format json | jq -r .headline)

# soffice with a profile of its own (another soffice may be running), quiet
office() {
	soffice -env:UserInstallation="file://$out/lo-profile" --headless "$@" >"$out/soffice.log" 2>&1 ||
		{ cat "$out/soffice.log" >&2; echo "check-clients-xlsx: soffice $* failed" >&2; exit 1; }
}
filter='Text - txt - csv (StarCalc):44,34,76,1,,0,false,true'
office --convert-to "csv:$filter,false,false,false,-1" --outdir "$out/raw" "$out/report.xlsx"
office --convert-to "csv:$filter,true,false,false,-1" --outdir "$out/shown" "$out/report.xlsx"

# compare SHEET KPR-CSV SKIP FORM TYPES: the sheet's rows after its first SKIP lines against
# the CSV's after its header, field by field.  TYPES: a letter a column: t text, c colour (red:
# 红), i integer, a amount (亿元), r rate (%), p points (signed), d decimal.  Prints each
# difference, then "SHEET: N figures, M differ"; fails when one differs.
compare() {
	awk -v skip="$3" -v form="$4" -v types="$5" -v sheet="$1" '
	function parse(line, f,    n, i, c, q, cur) {
		n = 0; cur = ""; q = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (q && c == "\"" && substr(line, i + 1, 1) == "\"") { cur = cur c; i++ }
			else if (c == "\"") q = !q
			else if (!q && c == ",") { f[++n] = cur; cur = "" }
			else cur = cur c
		}
		f[++n] = cur
		return n
	}
	# a decimal text rounded half away from zero to one decimal
	function round1(s,    neg, ip, fp, t) {
		neg = s ~ /^-/; sub(/^-/, "", s)
		ip = s; fp = ""
		if (index(s, ".")) { ip = substr(s, 1, index(s, ".") - 1); fp = substr(s, index(s, ".") + 1) }
		fp = fp "00"
		t = ip * 10 + substr(fp, 1, 1) + (substr(fp, 2, 1) >= 5 ? 1 : 0)
		return (neg && t ? "-" : "") sprintf("%d.%d", int(t / 10), t % 10)
	}
	function near(a, b, eps) { return a != "" && (a - b < eps && b - a < eps) }
	function same(ty, got, want) {
		if (want == "") return got == ""
		if (ty == "c") return got == (want == "red" ? "红" : want == "yellow" ? "黄" : want)
		if (ty == "t" || ty == "i") return got == want
		if (form == "shown") {
			if (ty == "a") return got == round1(want)
			if (ty == "r") return got == want "%"
			if (ty == "p") return got == (want + 0 > 0 ? "+" want : want)
			return got == want
		}
		if (ty == "a") return near(got, want, 5e-9)
		# a percentage: LibreOffice writes the value in the standard percent format ("125.9%")
		if (ty == "r") return sub(/%$/, "", got) ? near(got, want, 1e-9) : near(got * 100, want, 1e-9)
		return near(got, want, 1e-9)
	}
	FNR == NR { if (FNR > 1) want[++nw] = $0; next }
	FNR > skip && FNR - skip <= nw {
		i = FNR - skip
		parse(want[i], w); parse($0, g)
		for (c = 1; c <= length(types); c++) {
			n++
			if (!same(substr(types, c, 1), g[c], w[c])) {
				if (++bad <= 20) printf "%s (%s) row %d column %d: got \"%s\", kpr says \"%s\"\n", sheet, form, i, c, g[c], w[c]
			}
		}
		seen++
	}
	END {
		if (seen != nw) { bad++; printf "%s (%s): %d rows, kpr has %d\n", sheet, form, seen, nw }
		printf "%s (%s): %d figures, %d differ\n", sheet, form, n, bad + 0
		exit bad > 0
	}' "$2" "$6"
}

failed=0
for form in raw shown; do
	compare 汇总 "$out/groups.csv" 2 $form ttiaaarrpiiriiiiii "$out/$form/report-汇总.csv" || failed=1
	compare 滞后项目 "$out/lagging.csv" 1 $form tttttcrdt "$out/$form/report-滞后项目.csv" || failed=1
	compare 未报项目 "$out/missing.csv" 1 $form ttttt "$out/$form/report-未报项目.csv" || failed=1
done
if grep -qF "$headline" "$out/shown/report-说明.csv"; then
	echo "说明: the headline is there: $headline"
else
	echo "说明: the headline \"$headline\" is missing"
	failed=1
fi

# for a person to look at
office --convert-to pdf --outdir "$out" "$out/report.xlsx"
rm -f "$out"/report-*.png
pdftoppm -png -r 90 -f 1 -l 2 "$out/report.pdf" "$out/report" || failed=1
echo "look at: $out/report.pdf, $(ls "$out"/report-*.png | tr '\n' ' ')"
exit $failed
