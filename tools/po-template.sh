#!/bin/sh
# po-template.sh OUT: kpr's message template (po/kpr.pot) from the sources, written to OUT.
#
#   sh tools/po-template.sh po/kpr.pot        (make po runs this, then msgmerge)
#
# One definition of the extraction, shared by make po and the staleness check of
# tests/t0110-i18n.t.  Locations name the file only and the messages are sorted, so that the
# template changes when a message does, not when a line moves.
set -e
out=${1:?usage: po-template.sh OUT}
case $out in /*) ;; *) out=$PWD/$out ;; esac
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --language=C --package-name=kpr \
	--keyword=_ --keyword=N_ --keyword=ngettext:1,2 --keyword=P_:1,2 \
	--flag=P_:1:c-format --flag=P_:2:c-format \
	--add-comments=TRANSLATORS: --add-location=file --sort-output \
	-o "$out" cmd/*.c lib/*.c
