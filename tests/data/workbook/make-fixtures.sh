#!/bin/sh
# Makes the workbook fixtures of tests/t0047-import-workbook.t, committed beside it; the tests
# never run this.  Needs LibreOffice (Debian's libreoffice-calc-nogui: soffice), python3-openpyxl,
# (the encrypted workbook is crafted by make-encrypted.py).
#
#   openpyxl writes what LibreOffice does not: 1904 dates, inline strings (openpyxl 3.0 writes
#   every text so), a formula without a saved value, hidden rows and columns, a two-row
#   header merged over 计划投资, a hidden first sheet.  LibreOffice re-saves the rest, as a clerk's
#   Calc would: shared strings, formulas with their saved values, an error value, and .xls.
set -eu
PYTHON=${PYTHON:-/usr/bin/python3}	# Debian's, with python3-openpyxl
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PYTHON" make-fixtures.py "$tmp"

convert() {	# convert FORMAT FILE...: into this folder, by LibreOffice
	fmt=$1
	shift
	soffice --headless -env:UserInstallation="file://$tmp/lo" --convert-to "$fmt" --outdir . "$@" >/dev/null
}
convert xlsx "$tmp/projects.xlsx" "$tmp/progress.xlsx" "$tmp/error.xlsx" "$tmp/negative.xlsx" "$tmp/sections.xlsx"
convert xls projects.xlsx progress.xlsx error.xlsx sections.xlsx	# formulas, a boolean, an error value: read by xlsbiff.c

# a shared-strings table claiming four billion strings in a small archive
"$PYTHON" - <<'PY'
import re, zipfile
with zipfile.ZipFile("projects.xlsx") as z, zipfile.ZipFile("huge-sst.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
    for item in z.infolist():
        data = z.read(item.filename)
        if item.filename == "xl/sharedStrings.xml":
            data = re.sub(rb'uniqueCount="[0-9]+"', b'uniqueCount="4000000000"', data)
            data = re.sub(rb' count="[0-9]+"', b' count="4000000000"', data)
        out.writestr(item, data)
PY

# a password-protected workbook: the OLE2 container Excel writes (EncryptionInfo, EncryptedPackage),
# made with python3 (LibreOffice 7.4 does not encrypt when converting headless, and msoffcrypto-tool
# is not in Debian): its package is random bytes, not a real encryption of a list, which is all a
# reader that refuses it needs.
"$PYTHON" make-encrypted.py encrypted.xlsx
