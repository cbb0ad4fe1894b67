#!/usr/bin/env bash
# kpr in Chinese (issue 14): the message catalog po/zh_CN.po complete and current, built into the
# build folder and found there (KPR_LOCALEDIR, set by tests/run); under zh_CN.UTF-8 the help,
# an import error, a usage error and a permission error in Chinese with the prefixes (kpr:,
# FILE:LINE:COLUMN) and exit statuses of the C locale; under any other locale English; tables
# aligned by display width with Chinese headings.  tests/run builds the zh_CN.UTF-8 locale
# into the build folder (KPR_TEST_LOCPATH, given as LOCPATH), so that this runs where it was
# never generated.
. "$KPR_SRC/tests/lib.sh"

# --- the catalog -------------------------------------------------------------------------

# the template the sources give now, against the committed one (the creation date aside)
sh "$KPR_SRC/tools/po-template.sh" "$WORK/now.pot"
ok "po/kpr.pot is current (run make po after changing messages)" \
	cmp -s <(grep -v '^"POT-Creation-Date:' "$WORK/now.pot") <(grep -v '^"POT-Creation-Date:' "$KPR_SRC/po/kpr.pot")
is "$(msgcmp --use-untranslated "$KPR_SRC/po/zh_CN.po" "$WORK/now.pot" 2>&1 >/dev/null | head -3)" "" \
	"po/zh_CN.po has every message of the template (msgcmp)"
is "$(msgattrib --untranslated --no-wrap "$KPR_SRC/po/zh_CN.po" | grep -c '^msgid')" 0 \
	"no message of po/zh_CN.po is untranslated (msgattrib --untranslated)"
is "$(msgattrib --only-fuzzy --no-wrap "$KPR_SRC/po/zh_CN.po" | grep -c '^msgid')" 0 \
	"no message of po/zh_CN.po is fuzzy (msgattrib --only-fuzzy)"
ok "every translation's conversions are the English's (msgfmt --check)" \
	msgfmt --check -o "$WORK/zh.mo" "$KPR_SRC/po/zh_CN.po"
ok "the build's catalog is where KPR_LOCALEDIR points" test -s "$KPR_LOCALEDIR/zh_CN/LC_MESSAGES/kpr.mo"
ok "and is po/zh_CN.po's (make rebuilt it)" cmp -s "$WORK/zh.mo" "$KPR_LOCALEDIR/zh_CN/LC_MESSAGES/kpr.mo"

# --- which language ----------------------------------------------------------------------

# zh [VAR=VALUE...] -- ARGS: kpr under those locale variables, LC_ALL and LANG=C of tests/run unset
zh() {
	local vars=()
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	status=0
	env -u LC_ALL -u LANG -u LC_MESSAGES -u LANGUAGE LOCPATH="$KPR_TEST_LOCPATH" "${vars[@]}" ${KPR_WRAPPER:-} "$KPR" "$@" \
		>"$WORK/.out" 2>"$WORK/.err" || status=$?
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
}

zh LANG=zh_CN.UTF-8 -- no-such-command
like "$err" "^kpr: 错误: 'no-such-command' 不是 kpr 命令" "LANG=zh_CN.UTF-8: Chinese"
zh LC_MESSAGES=zh_CN.UTF-8 -- no-such-command
like "$err" "^kpr: 错误: " "LC_MESSAGES=zh_CN.UTF-8: Chinese"
zh LC_ALL=zh_CN.UTF-8 LANG=C -- no-such-command
like "$err" "^kpr: 错误: " "LC_ALL=zh_CN.UTF-8 over LANG=C: Chinese"
zh LANG=zh_CN.UTF-8 LC_ALL=C -- no-such-command
like "$err" "^kpr: error: 'no-such-command' is not a kpr command" "LC_ALL=C over LANG=zh_CN.UTF-8: English"
zh LANG=zh_CN.UTF-8 LANGUAGE=en -- no-such-command
like "$err" "^kpr: error: " "LANGUAGE=en is honoured over LANG=zh_CN.UTF-8"
zh LANG=C.UTF-8 -- no-such-command
like "$err" "^kpr: error: 'no-such-command' is not a kpr command" "LANG=C.UTF-8: English"
zh -- no-such-command
like "$err" "^kpr: error: 'no-such-command' is not a kpr command" "no locale variable at all: English"
zh LANG=en_US.UTF-8 -- no-such-command
like "$err" "^kpr: error: " "another language's locale (not generated here): English"
zh LANG=zh_CN.UTF-8 KPR_LOCALEDIR=/nonexistent -- no-such-command
like "$err" "^kpr: error: " "a KPR_LOCALEDIR without the catalog: English, not a failure"

# --- kpr --help --------------------------------------------------------------------------

zh LANG=C -- --help
c_out=$out c_status=$status
zh LANG=zh_CN.UTF-8 -- --help
is "$status" "$c_status" "kpr --help exits the same under zh_CN as under C"
like "$c_out" "^usage: kpr " "under C the help is English"
like "$out" "^用法：kpr \[-d CONNINFO\] \[-v\] \[-q\] COMMAND \[ARGS\]" "under zh_CN the usage line is Chinese"
like "$out" "选项：" "and the Options heading"
like "$out" "-d, --dbname=CONNINFO +要使用的数据库" "option names stay as they are, their help is Chinese"
like "$out" "退出状态：0 成功" "the exit statuses are explained in Chinese"
commands() { sed -n '/^\(Commands:\|命令：\)$/,$p' | sed -n 's/^  \([a-z]\+\) .*/\1/p'; }
is "$(printf '%s\n' "$out" | commands)" "$(printf '%s\n' "$c_out" | commands)" \
	"the same commands, by the same names, in the same order"
like "$(printf '%s\n' "$out" | sed -n 's/^  import \+//p')" "^装载配置、项目清单和进度$" "each with its summary in Chinese"
zh LANG=zh_CN.UTF-8 -- import --help
like "$out" "^用法：kpr import config FILE.yaml \[--dry-run\]" "a command's help is Chinese too"
like "$out" "--on-error=abort\|skip +abort：有任何一行有误即不写入任何内容" "and its options' help"

# --- an import error: a bad CSV ----------------------------------------------------------

fresh_db_with_config
cat > bad.csv <<'EOF'
code,name,region,scenarios,total_investment,annual_plan,years
P-001,道路,安次区,交通强市,-1,10,2023-2024
P-002,桥梁,火星,交通强市,100,10,2023-2024
EOF
snapshot() { psql_q "SELECT count(*) FROM kpr.project"; }
before=$(snapshot)
zh LANG=C "KPR_DATABASE=$KPR_DATABASE" -- import projects bad.csv --year 2023
c_err=$err c_status=$status
zh LANG=zh_CN.UTF-8 "KPR_DATABASE=$KPR_DATABASE" -- import projects bad.csv --year 2023
is "$status" 1 "a bad CSV under zh_CN exits 1"
is "$status" "$c_status" "as under C"
is "$(snapshot)" "$before" "and writes nothing"
like "$c_err" "bad.csv:2:total_investment: negative amount" "under C the problem is English"
like "$err" "bad.csv:2:total_investment: 金额为负" "under zh_CN it is Chinese, after the same FILE:LINE:COLUMN"
like "$err" "bad.csv:3:region: 未知的县（市、区） '火星'" "every problem, in the file's own column names"
is "$(printf '%s\n' "$err" | grep -o '^bad.csv:[0-9]*:[a-z_]*:')" "$(printf '%s\n' "$c_err" | grep -o '^bad.csv:[0-9]*:[a-z_]*:')" \
	"the same FILE:LINE:COLUMN prefixes, in the same order"
like "$c_err" "kpr: error: bad.csv: 2 problems in 2 rows of 2; nothing written" "under C the summary is English, plural"
like "$err" "kpr: 错误: bad.csv: 2 行中的 2 行有 2 个问题；未写入任何内容" "under zh_CN the summary is Chinese"
{ echo 'code,name,region,scenarios,total_investment,annual_plan,years'
  echo 'P-001,道路,安次区,交通强市,-1,10,2023-2024'; echo 'P-002,桥梁,安次区,交通强市,100,10,2023-2024'; } > one.csv
zh LANG=C "KPR_DATABASE=$KPR_DATABASE" -- import projects one.csv --year 2023
like "$err" "kpr: error: one.csv: 1 problem in 1 row of 2; nothing written" "one problem in one row: singular (ngettext)"

# --- a usage error -----------------------------------------------------------------------

zh LANG=C -- import projects
c_err=$err c_status=$status
zh LANG=zh_CN.UTF-8 -- import projects
is "$status" 2 "a usage error under zh_CN exits 2"
is "$status" "$c_status" "as under C"
is "$c_err" "kpr: error: missing the file to import
Try \"kpr import --help\" for more information." "under C: the English message and its Try line"
is "$err" "kpr: 错误: 缺少要导入的文件
请用 \"kpr import --help\" 获取更多信息。" "under zh_CN: the same two lines in Chinese, the kpr: prefix kept"
zh LANG=zh_CN.UTF-8 -- list --no-such-option
is "$status" 2 "an unknown option under zh_CN exits 2"
like "$err" "^kpr: 错误: 未知选项 '--no-such-option'" "naming the option as given"

# --- a permission error ------------------------------------------------------------------

psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_rd LOGIN IN ROLE ${DBNAME}_reader"
reader="host=$KPR_TEST_HOST user=${DBNAME}_rd dbname=$DBNAME"
zh LANG=C -- -d "$reader" period close 2023-09
c_err=$err c_status=$status
zh LANG=zh_CN.UTF-8 -- -d "$reader" period close 2023-09
is "$status" 4 "a permission error under zh_CN exits 4"
is "$status" "$c_status" "as under C"
like "$c_err" "^kpr: error: permission denied: role \"${DBNAME}_rd\" is not the city office's; only the city office may close months" \
	"under C the refusal is English"
like "$err" "^kpr: 错误: 权限不足：角色 \"${DBNAME}_rd\" 不是市项目办的；只有市项目办可以关账" \
	"under zh_CN it is Chinese, naming the role"
like "$err" "提示:  请以具有市级角色的登录运行。" "HINT: is 提示:, as PostgreSQL's tools write it"
is "$(psql_q "SELECT count(*) FROM kpr.period_close")" 0 "and nothing is closed"

# --- tables with Chinese headings --------------------------------------------------------

# aligned LINES: every line keeps the two-space gaps the dash line shows, ends within it, and
# each column is as wide as its widest cell (some line fills its first and last place); widths
# are display widths (East Asian wide and fullwidth characters count two)
aligned() {
	perl -CSA -e '
		sub w { my $n = 0; $n += /\p{EA=W}|\p{EA=F}/ ? 2 : 1 for split //, $_[0]; $n }
		sub cells { my @c; for (split //, $_[0]) { push @c, $_; push @c, "" if /\p{EA=W}|\p{EA=F}/ } @c }
		my @l = map { chomp; $_ } <STDIN>;
		my ($d) = grep { /^-+(  -+)*$/ } @l or die "no dash line\n";
		my @cols; while ($d =~ /(-+)/g) { push @cols, [$-[1], $+[1] - 1] }
		for my $line (grep { $_ ne $d } @l) {
			my @c = cells($line);
			die "too wide: $line\n" if w($line) > length $d;
			for my $i (1 .. $#cols) { for my $p ($cols[$i-1][1] + 1, $cols[$i][0] - 1) {
				die "gap $p filled: $line\n" if $p < @c && $c[$p] ne " " } }
		}
		for my $col (@cols) {
			my ($a, $b) = @$col;
			die "column $a-$b wider than its cells\n" unless grep { my @c = cells($_);
				$_ ne $d && $b < @c && $c[$a] ne " " && $c[$b] ne " " } @l;
		}'
}
zh LANG=zh_CN.UTF-8 "KPR_DATABASE=$KPR_DATABASE" -- config
is "$status" 0 "kpr config under zh_CN"
regions=$(printf '%s\n' "$out" | sed -n '/^县（市、区）$/,/^$/p' | sed '1d;/^$/d')
like "$regions" "^代码 +名称 +简称 +级别 +上级" "its regions table has Chinese headings"
like "$regions" "安次区" "and Chinese names"
ok "the regions table is aligned by display width" aligned <<<"$regions"
if printf '%s\n' "$regions" | sed '4s/安次区  /安次区/' | aligned 2>/dev/null; then r=aligned; else r=misaligned; fi
is "$r" misaligned "the check sees a row padded as if a Chinese character counted one"

done_testing
