# tests/lib.sh: TAP for shell tests, and a fresh database per test file.
#
#   . "$KPR_SRC/tests/lib.sh"
#   fresh_db_with_config
#   setup "load the sample list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
#   run_kpr init;  is "$status" 0 "init succeeds on an empty database"
#   done_testing
#
# Whatever goes wrong is a failed test, never an abort with a bare exit status:
# - a step the tests rely on runs under setup: when it fails, "not ok N - setup: DESCRIPTION"
#   with the command, its exit status and its stderr as diagnostics, and the rest of the file
#   is skipped (its tests would fail for the same reason, or worse, pass for the wrong one);
# - any other command that fails outside a condition (what set -e would stop at) is
#   "not ok N - unexpected failure at FILE line L: COMMAND (exit S)", and the rest is skipped;
# - a file that ends without reaching done_testing (exit, an unset variable) gets a failed test
#   saying so.
# Commands whose failure is expected go in a condition, or keep their status: cmd || status=$?
# A failure inside $(...) or ( ... ) is not reported there: the value or status it leaves is
# what the caller tests.
set -u
_tap_n=0
_tap_failed=0
_tap_done=
_tap_pid=$BASHPID
_tap_on_exit=()
TESTDATA="$KPR_SRC/tests/data"
WORK=$(mktemp -d /tmp/kpr-t.XXXXXX)
cd "$WORK"

_tap_result() { # ok? description
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 1 ]; then echo "ok $_tap_n - $2"; else
		echo "not ok $_tap_n - $2"; _tap_failed=$((_tap_failed + 1)); fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
ok() { # description command...
	local d=$1; shift
	if "$@"; then _tap_result 1 "$d"; else _tap_result 0 "$d"; fi
}
is() { # got expected description
	if [ "$1" = "$2" ]; then _tap_result 1 "$3"; else
		_tap_result 0 "$3"; diag "got:      '$1'" "expected: '$2'"; fi
}
# Does got match the extended regex, line by line (^ and $ at each line)?  A regex with a
# line break in it matches across lines (grep would take each of its lines as an alternative).
_tap_match() { # got regex
	case $2 in
	*$'\n'*) [[ $1 =~ $2 ]] ;;
	*) printf '%s' "$1" | grep -Eq -- "$2" ;;
	esac
}
like() { # got regex description
	if _tap_match "$1" "$2"; then _tap_result 1 "$3"; else
		_tap_result 0 "$3"; diag "got:      '$1'" "expected to match: '$2'"; fi
}
unlike() {
	if _tap_match "$1" "$2"; then _tap_result 0 "$3"; diag "got: '$1'" "must not match: '$2'"; else
		_tap_result 1 "$3"; fi
}
# done_testing: the plan, and the file's exit status (1 when a test failed).  Ends the file.
done_testing() {
	echo "1..$_tap_n"
	_tap_done=1
	exit $((_tap_failed > 0))
}

# on_exit COMMAND: run COMMAND (a string for eval) when the file ends, however it ends
on_exit() {
	_tap_on_exit+=("$1")
}

# After a failed test that leaves nothing sound to test: say why, end the file with its plan.
_tap_skip_rest() { # reason
	diag "skipping the rest of ${0##*/}: $1"
	done_testing
}

# setup DESCRIPTION COMMAND...: a step the tests below rely on; see the top.  Quiet when it
# succeeds; the command's output is discarded.  Runs in this shell, so a function may set
# variables.  Its stdout is the TAP stream: do not redirect a setup.
setup() {
	local desc=$1 rc=0
	shift
	"$@" >"$WORK/.setup.out" 2>"$WORK/.setup.err" || rc=$?
	[ "$rc" = 0 ] && return 0
	_tap_result 0 "setup: $desc"
	diag "command: $*" "exit status: $rc"
	[ -s "$WORK/.setup.err" ] && diag "stderr:" "$(cat "$WORK/.setup.err")"
	_tap_skip_rest "setup \"$desc\" failed"
}

# The ERR trap: a command failed outside a condition.  Names the line of the test file (and,
# when it failed inside a function, where).
_tap_err() { # status line command
	[ "$BASHPID" = "$_tap_pid" ] || return 0
	local n=${#FUNCNAME[@]} at cmd=${3//$'\n'/ }
	[ "${#cmd}" -le 120 ] || cmd="${cmd:0:117}..."
	if [ "$n" -le 2 ]; then at="line $2"; else
		at="line ${BASH_LINENO[n - 2]} (in ${FUNCNAME[1]}, ${BASH_SOURCE[1]##*/} line $2)"; fi
	_tap_result 0 "unexpected failure at ${0##*/} $at: $cmd (exit $1)"
	_tap_skip_rest "an unexpected failure"
}
set -E
trap '_tap_err $? "$LINENO" "$BASH_COMMAND"' ERR

_tap_exit() {
	local rc=$? hook
	trap - ERR
	if [ -z "$_tap_done" ] && [ "$BASHPID" = "$_tap_pid" ]; then
		_tap_result 0 "${0##*/} ended before done_testing (exit $rc)"
		echo "1..$_tap_n"
		rc=1
	fi
	for hook in "${_tap_on_exit[@]}"; do eval "$hook" || true; done
	rm -rf "$WORK"
	exit "$rc"
}
trap _tap_exit EXIT

# run_kpr ARGS...: sets $status, $out (stdout), $err (stderr); a NUL byte in stdout (a workbook
# written there) is dropped, as bash must, without bash's warning in the test's output
run_kpr() {
	status=0
	${KPR_WRAPPER:-} "$KPR" "$@" >"$WORK/.out" 2>"$WORK/.err" || status=$?
	{ out=$(cat "$WORK/.out"); } 2>/dev/null
	err=$(cat "$WORK/.err")
}

# in_terminal ANSWER ARGS...: kpr ARGS on a pseudo-terminal (script(1)) with ANSWER typed;
# sets $status and $out (all it printed, stdout and stderr, without carriage returns; the answer,
# typed ahead, is echoed before the prompt, so a message follows the prompt on its line)
in_terminal() {
	local answer=$1
	shift
	status=0
	printf '%s\n' "$answer" | script -qec "$(printf '%q ' ${KPR_WRAPPER:-} "$KPR" "$@")" /dev/null \
		>"$WORK/.out" 2>&1 || status=$?
	out=$(tr -d '\r' <"$WORK/.out")
}

# psql_q SQL: one value or rows, unaligned, from the test's database
psql_q() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -c "$1"
}

# fresh_db [NAME]: a new database for this test file; KPR_DATABASE points at it (a setup step)
fresh_db() {
	local name="t_$(basename "$0" .t | tr -c 'a-z0-9\n' '_')_$$${1:+_$1}"
	setup "a fresh database $name" psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
	export KPR_DATABASE="host=$KPR_TEST_HOST user=postgres dbname=$name"
	DBNAME=$name
}

# registry_at N: in the test's database, the schema as kpr init left it at version N (the
# migrations up to N, recorded in kpr.schema_migrations), then the SQL on stdin in the same
# transaction (search_path kpr): a registry holding data, for testing the migrations after N.
#     setup "a registry at 0006 with progress" registry_at 6 <<EOF
#     INSERT INTO region (code, name, level) VALUES ('131002', '安次区', 'county');
#     EOF
registry_at() {
	local m v
	{
		printf '%s\n' "SET client_min_messages = warning;" "CREATE SCHEMA kpr;" \
			"CREATE TABLE kpr.schema_migrations (version int PRIMARY KEY, name text NOT NULL," \
			"	applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT current_user);" \
			"BEGIN;" "SET LOCAL search_path = kpr, pg_catalog;"
		for m in "$KPR_SRC"/migrations/[0-9]*.sql; do
			v=$(basename "$m" .sql)
			[ $((10#${v%%_*})) -le "$1" ] || continue
			printf '\\i %s\nINSERT INTO schema_migrations (version, name) VALUES (%d, '"'%s'"');\n' \
				"$m" $((10#${v%%_*})) "$v"
		done
		cat
		echo "COMMIT;"
	} | psql -X -q -v ON_ERROR_STOP=1 -d "$KPR_DATABASE"
}

# a database with the schema and the Langfang configuration loaded (setup steps)
fresh_db_with_config() {
	fresh_db "$@"
	setup "kpr init" "$KPR" -q init
	setup "load the test configuration" "$KPR" -q import config "$TESTDATA/config.yaml"
}

# a database with the test configuration, its 2023 list and progress (tests/data/import; setup
# steps)
fresh_db_with_progress() {
	fresh_db_with_config "$@"
	setup "import the list" "$KPR" -q import projects "$TESTDATA/import/projects-2023.csv"
	setup "import progress" "$KPR" -q import progress "$TESTDATA/import/progress-2023.csv"
}

# a database with the Langfang 2023 sample's configuration and list (data/langfang-2023; setup
# steps); SAMPLE names the sample's folder
fresh_db_with_sample() {
	SAMPLE="$KPR_SRC/data/langfang-2023"
	fresh_db "$@"
	setup "kpr init" "$KPR" -q init
	setup "the sample's configuration" "$KPR" -q import config "$SAMPLE/config.yaml"
	setup "the sample's list" "$KPR" -q import projects "$SAMPLE/projects.csv" --year 2023
}

# own_server [SERVER OPTIONS...]: a PostgreSQL server of this test file's own, started as
# tests/run starts the shared one (tools/pgtmp.sh), for a test that crashes or restarts it:
# the shared server serves the tests running beside this one.  KPR_TEST_HOST and PGHOST point
# at it from here on (fresh_db after it makes the database there); it is stopped and removed
# when the file ends.  synchronous_commit on: a commit acknowledged is on disk before a crash.
own_server() {
	. "$KPR_SRC/tools/pgtmp.sh"
	setup "a server of this test's own" pgtmp_start /tmp/kpr-own.XXXXXX -c synchronous_commit=on "$@"
	on_exit pgtmp_stop
	export KPR_TEST_HOST=$PGTMP PGHOST=$PGTMP
}

# server_crash: own_server's server stopped at once, as by a crash (pg_ctl stop -m immediate:
# every backend killed, no checkpoint; the next start recovers from the WAL)
server_crash() {
	pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" stop -D "$PGTMP/data" -m immediate -w >/dev/null
}

# server_restart: start own_server's server again with the options it had (pg_ctl restart
# reads them back from postmaster.opts), crashed or not; waits until it accepts connections
server_restart() {
	pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" restart -D "$PGTMP/data" -l "$PGTMP/server.log" -m immediate -w >/dev/null 2>&1
}

# Locks held by a second session, so that a test can make kpr wait, deterministically, where it
# wants it to (never a sleep).  hold SQL...: a psql session on $KPR_DATABASE runs BEGIN and the
# SQL and keeps the transaction open, its input on fd 3 and output on fd 4 (a test may send it
# more), $holder its pid; release commits and ends it.  hold_b and release_b: a second such
# session at once (fds 7 and 8, $holder_b).  holder_gone: after a crash, its psql's end.
hold_session() { # NAME FD_IN FD_OUT SQL...: the session, its pid in ${NAME}_pid
	local name=$1 fin=$2 fout=$3 line
	shift 3
	rm -f "$name.in" "$name.out"
	mkfifo "$name.in" "$name.out"
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" <"$name.in" >"$name.out" 2>&1 &
	eval "${name}_pid=\$!"
	eval "exec $fin>\"\$name.in\" $fout<\"\$name.out\""
	printf '%s\n' "BEGIN;" "$@" '\echo held' >&"$fin"
	while read -r line <&"$fout"; do [ "$line" = held ] && return 0; done
	return 1
}
release_session() { # FD_IN FD_OUT PID
	printf '%s\n' "COMMIT;" '\q' >&"$1"
	eval "exec $1>&- $2<&-"
	wait "$3"
}
hold() { hold_session hold 3 4 "$@" && holder=$hold_pid; }
release() { release_session 3 4 "$holder"; }
hold_b() { hold_session holdb 7 8 "$@" && holder_b=$holdb_pid; }
release_b() { release_session 7 8 "$holder_b"; }
holder_gone() {
	exec 3>&- 4<&-
	wait "$holder" || true
}

# waited PID VAR: wait for a background process of the test; its exit status into VAR
waited() {
	local s=0
	wait "$1" || s=$?
	printf -v "$2" '%s' "$s"
}

# until_true COMMAND...: until it succeeds, checked ten times a second, for at most two minutes
until_true() {
	local i
	for i in $(seq 1200); do "$@" && return 0; sleep 0.1; done
	return 1
}
