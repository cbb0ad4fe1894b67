#!/bin/sh
# check-clients.sh BUILD: run every tools/check-clients-*.sh (one a rich form of kpr report:
# HTML through Chromium and pdftotext, XLSX through LibreOffice), each with BUILD and a folder of
# its own under $BUILD/clients, where it leaves what a person may want to look at (a PNG, a PDF).
# Installs what the checks need from Debian first.  Exit status: the number of checks failed.
set -u
build=${1:-build}
here=$(dirname "$0")
pkgs="libreoffice-calc-nogui chromium poppler-utils fonts-noto-cjk"
missing=$(for p in $pkgs; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
	echo "check-clients: installing $missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || exit 1
fi
failed=0
for check in "$here"/check-clients-*.sh; do
	[ -e "$check" ] || continue
	name=$(basename "$check" .sh)
	out="$build/clients/${name#check-clients-}"
	rm -rf "$out" && mkdir -p "$out"
	if sh "$check" "$build" "$out"; then
		echo "ok: $name (see $out)"
	else
		echo "FAILED: $name (see $out)"
		failed=$((failed + 1))
	fi
done
exit $failed
