#!/usr/bin/env bash
# Passwords and TLS as psql has them, against a server of this test's own: scram-sha-256
# password authentication over TCP on 127.0.0.1, SSL only (a self-signed certificate made with
# openssl; a hostnossl reject line, so sslmode=disable fails).  The password comes from
# PGPASSFILE, ~/.pgpass or a prompt on a terminal; sslmode and sslrootcert work in -d and as
# PGSSLMODE; a wrong or missing password is exit 3 with a message that does not hold it; and
# nothing kpr prints in any of these runs holds the password.  (make check-full)
. "$KPR_SRC/tests/lib.sh"
. "$KPR_SRC/tools/pgtmp.sh"
unset KPR_DATABASE PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGPASSWORD PGPASSFILE PGSSLMODE PGSSLROOTCERT || true

if ! command -v openssl >/dev/null; then
	_tap_result 1 "# SKIP no openssl (Debian package openssl)"
	done_testing
fi

PW="t0140-Alice-$$-pw"
ALL="$WORK/everything.txt"	# all kpr printed, checked for the password at the end
STARS='\*\*\*\*\*\*\*\*'

# --- the server: initdb as tools/pgtmp.sh does, then TLS and scram on a free TCP port ---------
start_tls_server() {
	PGTMP_BINDIR=$(pgtmp_bindir) || return 1
	SRV=$(mktemp -d /tmp/kpr-tls.XXXXXX) || return 1
	chmod 755 "$SRV"
	[ "$(id -u)" != 0 ] || chown postgres "$SRV"
	pgtmp_as_server "$PGTMP_BINDIR/initdb" --no-sync -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
		-D "$SRV/data" >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; return 1; }
	openssl req -new -x509 -days 1 -nodes -subj /CN=localhost \
		-keyout "$SRV/data/server.key" -out "$SRV/data/server.crt" >"$WORK/openssl.log" 2>&1 ||
		{ cat "$WORK/openssl.log" >&2; return 1; }
	cp "$SRV/data/server.crt" "$WORK/root.crt"
	chmod 600 "$SRV/data/server.key"
	printf '%s\n' "local all all trust" \
		"hostssl all all 127.0.0.1/32 scram-sha-256" \
		"hostnossl all all 127.0.0.1/32 reject" >"$SRV/data/pg_hba.conf"
	[ "$(id -u)" != 0 ] || chown postgres "$SRV/data/server.key" "$SRV/data/server.crt" "$SRV/data/pg_hba.conf"
	PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" start -w -D "$SRV/data" -l "$SRV/server.log" \
		-o "-k $SRV -c listen_addresses=127.0.0.1 -c port=$PORT -c ssl=on -c fsync=off" >/dev/null ||
		{ cat "$SRV/server.log" >&2; return 1; }
}
on_exit '[ -z "${SRV:-}" ] || { pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" stop -D "$SRV/data" -m immediate -w >/dev/null 2>&1; rm -rf "$SRV"; }'
setup "a server with TLS and scram-sha-256" start_tls_server
setup "role alice with a password, and her database" psql -X -q -h "$SRV" -p "$PORT" -U postgres -d postgres \
	-c "SET password_encryption = 'scram-sha-256'" \
	-c "CREATE ROLE alice LOGIN SUPERUSER PASSWORD '$PW'" -c "CREATE DATABASE tls OWNER alice"

TCP="host=127.0.0.1 port=$PORT dbname=tls user=alice"
kpr_() { # like run_kpr, everything kept for the final check
	run_kpr "$@"
	printf '%s\n%s\n' "$out" "$err" >>"$ALL"
}
printf '%s:%s:tls:alice:%s\n' 127.0.0.1 "$PORT" "$PW" localhost "$PORT" "$PW" >"$WORK/pgpass"
chmod 600 "$WORK/pgpass"
HOMEDIR="$WORK/home"
mkdir -p "$HOMEDIR"

# --- the password from PGPASSFILE or ~/.pgpass ---------------------------------------------
HOME=$HOMEDIR PGPASSFILE="$WORK/pgpass" kpr_ -v -d "$TCP sslmode=require" init
is "$status" 0 "with sslmode=require and the password in PGPASSFILE, kpr init succeeds"
like "$err" "^kpr: connected to database \"tls\" as user \"alice\" on 127\.0\.0\.1, port $PORT, over SSL \(TLSv1\.[23]\)$" \
	"-v says the connection is over SSL"
cp "$WORK/pgpass" "$HOMEDIR/.pgpass"
HOME=$HOMEDIR kpr_ -d "$TCP" init --status
is "$status" 0 "the password in ~/.pgpass (HOME), sslmode as libpq's default"
like "$out" "0001_init +applied" "and the command runs"
chmod 644 "$HOMEDIR/.pgpass"
HOME=$HOMEDIR kpr_ -d "$TCP" init --status </dev/null
is "$status" 3 "a ~/.pgpass others may read is ignored, as libpq does (exit 3)"
like "$err" "has group or world access" "with libpq's warning"
chmod 600 "$HOMEDIR/.pgpass"

# --- sslmode and sslrootcert, in -d and as PGSSLMODE ------------------------------------------
HOME=$HOMEDIR kpr_ -d "$TCP sslmode=verify-ca sslrootcert=$WORK/root.crt" init --status
is "$status" 0 "sslmode=verify-ca with the certificate as sslrootcert connects"
HOME=$HOMEDIR kpr_ -d "host=localhost port=$PORT dbname=tls user=alice sslmode=verify-full sslrootcert=$WORK/root.crt" \
	init --status
is "$status" 0 "sslmode=verify-full to localhost, the certificate's name, connects"
HOME=$HOMEDIR kpr_ -d "$TCP sslmode=verify-full sslrootcert=$WORK/root.crt" init --status
is "$status" 3 "verify-full to 127.0.0.1, not the certificate's name, is refused (exit 3)"
like "$err" "server certificate for \"localhost\" does not match host name \"127\.0\.0\.1\"" "with libpq's reason"
HOME=$HOMEDIR kpr_ -d "$TCP sslmode=verify-ca" init --status
is "$status" 3 "verify-ca without a root certificate is refused"
like "$err" "root certificate file .* does not exist" "naming the missing file"
HOME=$HOMEDIR kpr_ -d "$TCP sslmode=disable" init --status
is "$status" 3 "sslmode=disable meets the reject line (exit 3)"
like "$err" "no encryption" "the server says encryption is wanted"
HOME=$HOMEDIR PGHOST=127.0.0.1 PGPORT=$PORT PGDATABASE=tls PGUSER=alice PGSSLMODE=require kpr_ -v init --status
is "$status" 0 "the PG* environment with PGSSLMODE=require connects"
like "$err" "^kpr: connecting with PGHOST=127\.0\.0\.1 PGPORT=$PORT PGDATABASE=tls PGUSER=alice PGSSLMODE=require \(from PG\*\)$" \
	"-v names the PG* settings used"
like "$err" "over SSL" "over SSL"
HOME=$HOMEDIR PGHOST=127.0.0.1 PGPORT=$PORT PGDATABASE=tls PGUSER=alice PGSSLMODE=disable kpr_ init --status
is "$status" 3 "and PGSSLMODE=disable is refused"

# --- wrong, missing and typed passwords -------------------------------------------------------
EMPTY="$WORK/empty"
mkdir -p "$EMPTY"
printf '127.0.0.1:%s:tls:alice:not-%s\n' "$PORT" "$PW" >"$WORK/pgpass.bad"
chmod 600 "$WORK/pgpass.bad"
HOME=$EMPTY PGPASSFILE="$WORK/pgpass.bad" kpr_ -d "$TCP" init --status
is "$status" 3 "a wrong password is exit 3"
like "$err" "password authentication failed for user \"alice\"" "with the server's reason"
HOME=$EMPTY kpr_ -d "$TCP password=not-$PW" init --status
is "$status" 3 "a wrong password in -d is exit 3"
like "$err" "warning: the connection string from -d holds a password" "after the warning"
unlike "$err" "not-$PW" "and the message does not hold it"
HOME=$EMPTY kpr_ -d "$TCP" init --status </dev/null
is "$status" 3 "no password known, off a terminal: exit 3"
like "$err" "^kpr: error: cannot connect to the database: the server asks for a password for user \"alice\", and none was given$" \
	"saying the server wants a password"
like "$err" "^HINT:  Put it in ~/\.pgpass or in the file PGPASSFILE names" "and where it goes"
status=0
HOME=$EMPTY "$KPR_SRC/tests/pty-answer" "Password for user alice: " "$PW" ${KPR_WRAPPER:-} "$KPR" -d "$TCP sslmode=require" \
	init --status >"$WORK/pty.out" 2>&1 || status=$?
tr -d '\r' <"$WORK/pty.out" >>"$ALL"
out=$(tr -d '\r' <"$WORK/pty.out")
is "$status" 0 "on a terminal kpr asks for the password, as psql does, and connects"
like "$out" "^Password for user alice: $" "the prompt, the answer not echoed"
like "$out" "0001_init +applied" "and the command runs"
status=0
HOME=$EMPTY "$KPR_SRC/tests/pty-answer" "Password for user alice: " "not-$PW" ${KPR_WRAPPER:-} "$KPR" -d "$TCP" \
	init --status >"$WORK/pty.out" 2>&1 || status=$?
tr -d '\r' <"$WORK/pty.out" >>"$ALL"
is "$status" 3 "a wrong password typed at the prompt is exit 3"
like "$(tr -d '\r' <"$WORK/pty.out")" "password authentication failed for user \"alice\"" "with the server's reason"

# --- a password in -d: warned, masked, and it works ---------------------------------------------
HOME=$EMPTY kpr_ -v -d "$TCP sslmode=require password=$PW" init --status
is "$status" 0 "a password in -d works"
like "$err" "^kpr: connecting with host=127\.0\.0\.1 port=$PORT dbname=tls user=alice sslmode=require password=$STARS \(from -d\)$" \
	"-v shows it masked"
HOME=$EMPTY kpr_ -v -d "postgresql://alice:$PW@127.0.0.1:$PORT/tls?sslmode=require" init --status
is "$status" 0 "a URI with user:password@ works"
like "$err" "^kpr: connecting with postgresql://alice:$STARS@127\.0\.0\.1:$PORT/tls\?sslmode=require \(from -d\)$" \
	"-v shows the URI masked"
HOME=$EMPTY KPR_DATABASE="$TCP password=$PW" kpr_ -v init --status
is "$status" 0 "a password in KPR_DATABASE works"
like "$err" "from KPR_DATABASE holds a password" "with the warning"

is "$(grep -cF -- "$PW" "$ALL")" 0 "nothing kpr printed in any of these runs holds the password"
is "$(grep -cF -- "$PW" "$SRV/server.log")" 0 "nor does the server's log"

done_testing
