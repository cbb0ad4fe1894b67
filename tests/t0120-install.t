#!/usr/bin/env bash
# make install PREFIX=... DESTDIR=...: every file in place with its mode; the installed kpr, moved
# to PREFIX as a package manager would, runs from another folder, finds its catalogs under
# PREFIX (no DESTDIR, no KPR_LOCALEDIR) and works against a database; a program built with
# pkg-config's flags links the library and runs; each public header compiles by itself; the man
# page is clean and names every command and variable; make uninstall removes exactly what
# install wrote.
. "$KPR_SRC/tests/lib.sh"
base=$(mktemp -d /tmp/kpri.XXXXXX)
on_exit 'rm -rf "$base"'
prefix="$base/usr"
dest="$base/dest"
stage="$dest$prefix"

# make in the source tree, reusing this build ($KPR_BUILD: its objects and libkpr.a), outside
# the make that may be running the tests (its MAKEFLAGS); a sanitized build links only with the
# sanitizers, and so does a program linking its library
san=()
nm -u "$KPR" 2>/dev/null | grep -q __asan_init && san=(-fsanitize=address,undefined)
make_kpr() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$KPR_SRC" BUILD="$KPR_BUILD" PREFIX="$prefix" \
		DESTDIR="$dest" ${san:+SANITIZE=address,undefined} "$@"
}

# files that are not kpr's, which uninstall must leave
mkdir -p "$stage/bin" "$stage/include" "$stage/share/man/man1"
echo other >"$stage/bin/other-tool"
echo other >"$stage/include/other.h"
echo other >"$stage/share/man/man1/other.1"

setup "make install" make_kpr install

mode_is() { # FILE MODE: FILE (under the staged PREFIX) is a file with MODE
	is "$( [ -f "$stage/$1" ] && stat -c %a "$stage/$1" || echo missing)" "$2" "$1 installed, mode $2"
}
mode_is bin/kpr 755
mode_is lib/libkpr.a 644
mode_is lib/pkgconfig/kpr.pc 644
mode_is share/man/man1/kpr.1 644
for po in "$KPR_SRC"/po/*.po; do
	lang=$(basename "$po" .po)
	mode_is "share/locale/$lang/LC_MESSAGES/kpr.mo" 644
done
mode_is include/kpr/kpr.h 644
mode_is include/kpr/money.h 644
headers=$(cd "$stage/include/kpr" && ls)
is "$(cd "$stage/include/kpr" && stat -c %a -- * | sort -u)" 644 "every header is mode 644"
is "$(cd "$stage/include/kpr" && ls -- *_impl.h 2>/dev/null)" "" "no *_impl.h is installed"
# each header's own includes ("x.h") are installed beside it
missing=
for h in $headers; do
	for inc in $(sed -n 's/^#include "\(.*\)"$/\1/p' "$stage/include/kpr/$h"); do
		[ -e "$stage/include/kpr/$inc" ] || missing="$missing $h:$inc"
	done
done
is "$missing" "" "the headers the installed ones include are installed"

# as a package would put it: the staged tree at PREFIX itself
setup "move the staged tree to PREFIX" mv "$stage" "$prefix"
mkdir "$base/elsewhere"
cd "$base/elsewhere"
installed="$prefix/bin/kpr"

status=0
out=$("$installed" --version 2>&1) || status=$?
version=$out
is "$status" 0 "the installed kpr --version runs from another folder"
like "$out" "^kpr [^ ]+$" "and prints kpr's version"
out=$("$installed" --help 2>&1) || status=$?
is "$out" "$("$KPR" --help)" "the installed kpr --help is kpr's help"

# the catalogs: found under PREFIX with no KPR_LOCALEDIR (LOCPATH: the tests' zh_CN locale)
zh() { env -u KPR_LOCALEDIR LOCPATH="$KPR_TEST_LOCPATH" LC_ALL=zh_CN.UTF-8 "$@"; }
chinese=$(zh KPR_LOCALEDIR="$KPR_BUILD/locale" "$KPR" --help)
english=$("$KPR" --help)
ok "(the reference help in Chinese is not the English one)" test "$chinese" != "$english"
is "$(zh "$installed" --help)" "$chinese" "the installed kpr finds its catalogs under PREFIX"

fresh_db
run_kpr() { # the installed kpr, now
	status=0
	"$installed" "$@" >"$WORK/.out" 2>"$WORK/.err" || status=$?
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
}
run_kpr -q init
is "$status:$err" "0:" "the installed kpr init creates the schema of a fresh database"
run_kpr -q import config "$TESTDATA/config.yaml"
is "$status" 0 "it loads a configuration"
run_kpr config
is "$status" 0 "kpr config runs"
is "$out" "$("$KPR" config)" "and shows what the build's kpr shows"

# the library through pkg-config
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
is "$(pkg-config --variable=prefix kpr)" "$prefix" "kpr.pc names PREFIX"
is "kpr $(pkg-config --modversion kpr)" "$version" "and kpr's version"
cat >money.c <<'EOF'
#include <stdio.h>
#include <kpr/money.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int64_t yuan;
		const char *why;
		char wan[32], yi[32];
		if (kpr_money_parse(argv[i], KPR_UNIT_WAN, &yuan, &why) != KPR_OK)
			printf("%s: rejected\n", argv[i]);
		else
			printf("%s: %lld yuan, %s wan, %s yi\n", argv[i], (long long)yuan,
			       kpr_money_format_wan(yuan, wan), kpr_money_format_yi(yuan, 2, yi));
	}
	return 0;
}
EOF
status=0
cc -std=c17 -Wall -Wextra -Werror "${san[@]}" -o money money.c $(pkg-config --static --cflags --libs kpr) \
	2>"$WORK/.err" || status=$?
is "$status" 0 "a program using <kpr/money.h> builds with pkg-config --static --cflags --libs kpr"
[ -s "$WORK/.err" ] && diag "$(cat "$WORK/.err")"
is "$(./money '1,234.5' '12,345.6789' '0.00001' 2>&1)" "1,234.5: 12345000 yuan, 1234.5000 wan, 0.12 yi
12,345.6789: 123456789 yuan, 12345.6789 wan, 1.23 yi
0.00001: rejected" "and parses and formats money as kpr does (1 wan = 10^4 yuan, 1 yi = 10^8)"

failed=
for h in $headers; do
	printf '#include <kpr/%s>\n' "$h" | cc -std=c17 -pedantic -Wall -Wextra -Werror \
		$(pkg-config --cflags kpr) -fsyntax-only -x c - 2>/dev/null || failed="$failed $h"
done
is "$failed" "" "every public header compiles by itself (-std=c17 -pedantic)"

# the man page
man1="$prefix/share/man/man1/kpr.1"
is "$(groff -man -Tutf8 -ww -z "$man1" 2>&1)" "" "groff finds nothing to warn about in kpr(1)"
missing=
for c in $("$KPR" --help | sed -n '/^Commands:/,$s/^  \([a-z]*\) .*/\1/p'); do
	grep -q "^\.B $c\$" "$man1" || missing="$missing $c"
done
is "$missing" "" "kpr(1) has every command of kpr --help"
missing=
for v in $(cd "$KPR_SRC" && grep -ho 'getenv("[A-Z_]*")' lib/*.c cmd/*.c | sort -u | sed 's/getenv("\(.*\)")/\1/'); do
	grep -q "^\.B.* $v\b" "$man1" || grep -q "^\.B $v\$" "$man1" || missing="$missing $v"
done
is "$missing" "" "kpr(1)'s ENVIRONMENT has every variable kpr reads"

# uninstall, from where install put it
cd "$WORK"
setup "move PREFIX back to the staged tree" mv "$prefix" "$stage"
setup "make uninstall" make_kpr uninstall
is "$(cd "$dest" && find . -type f | sort)" "./${prefix#/}/bin/other-tool
./${prefix#/}/include/other.h
./${prefix#/}/share/man/man1/other.1" "make uninstall removes every file install wrote, and only those"
ok "and kpr's own include folder" test ! -e "$stage/include/kpr"
make_kpr uninstall >/dev/null 2>&1 && status=0 || status=$?
is "$status" 0 "a second make uninstall finds nothing to do and succeeds"

done_testing
