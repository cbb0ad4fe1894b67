# tests/lib.sh: TAP for shell tests, and a fresh database per test file.
#
#   . "$KPR_SRC/tests/lib.sh"
#   fresh_db
#   run_kpr init;  is "$status" 0 "init succeeds on an empty database"
#   done_testing
set -u
_tap_n=0
_tap_failed=0
TESTDATA="$KPR_SRC/tests/data"
WORK=$(mktemp -d /tmp/kpr-t.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

_tap_result() { # ok? description
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 1 ]; then echo "ok $_tap_n - $2"; else
		echo "not ok $_tap_n - $2"; _tap_failed=$((_tap_failed + 1)); fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
ok() { # command... ; description in $DESC
	local d=$1; shift
	if "$@"; then _tap_result 1 "$d"; else _tap_result 0 "$d"; fi
}
is() { # got expected description
	if [ "$1" = "$2" ]; then _tap_result 1 "$3"; else
		_tap_result 0 "$3"; diag "got:      '$1'" "expected: '$2'"; fi
}
like() { # got regex description
	if printf '%s' "$1" | grep -Eq -- "$2"; then _tap_result 1 "$3"; else
		_tap_result 0 "$3"; diag "got:      '$1'" "expected to match: '$2'"; fi
}
unlike() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then _tap_result 0 "$3"; diag "got: '$1'" "must not match: '$2'"; else
		_tap_result 1 "$3"; fi
}
done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}

# run_kpr ARGS...: sets $status, $out (stdout), $err (stderr)
run_kpr() {
	set +e
	${KPR_WRAPPER:-} "$KPR" "$@" >"$WORK/.out" 2>"$WORK/.err"
	status=$?
	set -e
	out=$(cat "$WORK/.out")
	err=$(cat "$WORK/.err")
}

# psql_q SQL: one value or rows, unaligned, from the test's database
psql_q() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$KPR_DATABASE" -c "$1"
}

# fresh_db [NAME]: a new database for this test file; KPR_DATABASE points at it
fresh_db() {
	local name="t_$(basename "$0" .t | tr -c 'a-z0-9\n' '_')_$$${1:+_$1}"
	psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
	export KPR_DATABASE="host=$KPR_TEST_HOST user=postgres dbname=$name"
	DBNAME=$name
}

# a database with the schema and the Langfang configuration loaded
fresh_db_with_config() {
	fresh_db "$@"
	"$KPR" -q init && "$KPR" -q import config "$TESTDATA/config.yaml"
}
set -e
