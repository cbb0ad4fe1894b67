#!/usr/bin/env bash
# kpr local: start, status, stop, destroy round trip in a private KPR_HOME; destroy's question
# on a terminal, its --yes elsewhere; a relative KPR_HOME.
. "$KPR_SRC/tests/lib.sh"
unset PGHOST PGDATABASE PGSERVICE KPR_DATABASE
base=$(mktemp -d /tmp/kprl.XXXXXX)
chmod 755 "$base"
export KPR_HOME="$base/h"

on_exit '"$KPR" local stop >/dev/null 2>&1; KPR_HOME="$base/rel" "$KPR" local stop >/dev/null 2>&1; rm -rf "$base"'

run_kpr local status
is "$status" 3 "status before start exits 3"
like "$out" "not created" "status says the instance is not created"
run_kpr local stop
is "$status" 0 "stop before start exits 0"
is "$err" "kpr: local instance not created in $KPR_HOME; nothing to stop" "and says there is none"
ok "stop before start creates nothing" test ! -e "$KPR_HOME"

run_kpr local start
is "$status" 0 "local start succeeds"
[ "$(id -u)" = 0 ] && is "$(stat -c %U "$KPR_HOME/data")" postgres "as root the cluster belongs to postgres"
run_kpr local status
is "$status" 0 "status of a running instance exits 0"
like "$out" "local instance: running" "status says it runs"
like "$out" "psql \"host=$KPR_HOME/run dbname=kpr" "status says how to connect with psql"

run_kpr local start
is "$status" 0 "a second start is harmless"

run_kpr init
is "$status" 0 "with nothing named, init uses the local instance"
is "$(psql -X -A -t "host=$KPR_HOME/run dbname=kpr user=postgres" -c "SELECT count(*) FROM kpr.schema_migrations")" \
	"$(ls "$KPR_SRC"/migrations/*.sql | wc -l)" "the schema is in the local instance's kpr database"
is "$(psql -X -A -t "host=$KPR_HOME/run dbname=kpr user=postgres" -c "SHOW listen_addresses")" "" \
	"the local instance has no TCP listener"

run_kpr local stop
is "$status" 0 "local stop succeeds"
is "$err" "kpr: local instance stopped" "stop says it stopped the instance"
run_kpr local stop
is "$status" 0 "stopping a stopped instance exits 0"
is "$err" "kpr: local instance not running; nothing to stop" "and says it was not running"
run_kpr local status
like "$out" "local instance: stopped" "status after stop says stopped"
run_kpr init
is "$status" 3 "with the instance stopped, commands exit 3"

run_kpr local start
run_kpr init --status
like "$out" "0001_init +applied" "data survive a stop and start"

# destroy asks on a terminal; elsewhere it needs --yes (the relative home's test below)
run_kpr local destroy </dev/null
is "$status" 2 "destroy off a terminal without --yes is a usage error"
like "$err" "^kpr: error: refusing to remove '$KPR_HOME' without --yes \(not on a terminal to ask\)$" \
	"and names --yes and what it would remove"
ok "and removes nothing" test -e "$KPR_HOME/data/PG_VERSION"
run_kpr local status
is "$status" 0 "nor stops the instance"

if command -v script >/dev/null; then
	in_terminal n local destroy
	is "$status" 1 "destroy answered n on a terminal exits 1"
	like "$out" "^remove KPR_HOME \($KPR_HOME\) and all its data\? \[y/N\] " "it asks first"
	like "$out" "kpr: nothing removed$" "and says it removed nothing"
	ok "the instance is still there" test -e "$KPR_HOME/data/PG_VERSION"
	in_terminal yes local destroy
	is "$status" 0 "destroy answered yes on a terminal succeeds"
	like "$out" "kpr: removed $KPR_HOME$" "and says what it removed"
	ok "destroy removes KPR_HOME" test ! -e "$KPR_HOME"
else
	for t in "destroy on a terminal asks" "and removes only after yes"; do _tap_result 1 "$t # SKIP no script(1)"; done
	setup "remove the instance" "$KPR" local destroy --yes
fi
run_kpr local destroy </dev/null
is "$status" 0 "destroying what is not there exits 0"
is "$err" "kpr: local instance not created in $KPR_HOME; nothing to remove" "and says so"

# A relative KPR_HOME is taken from the current directory, once, and means the same to every
# later command run from there (it used to put the cluster in rel/rel and break every start).
cd "$base"
KPR_HOME=rel run_kpr local start
is "$status" 0 "local start with a relative KPR_HOME succeeds"
ok "the relative KPR_HOME's cluster is in \$PWD/rel/data" test -e "$base/rel/data/PG_VERSION"
ok "and not in rel/rel" test ! -e "$base/rel/rel"
KPR_HOME=rel run_kpr local status
is "$status" 0 "status with the relative KPR_HOME finds it running"
like "$out" "^home: +$base/rel\$" "status shows the absolute home"
like "$out" "^socket: +$base/rel/run/" "and an absolute socket"
KPR_HOME=./rel run_kpr local stop
is "$status" 0 "stop with the relative KPR_HOME succeeds"
KPR_HOME=rel run_kpr local start
is "$status" 0 "a later start with the relative KPR_HOME succeeds"
KPR_HOME=rel run_kpr local destroy --yes </dev/null
is "$status" 0 "destroy --yes off a terminal succeeds"
is "$err" "kpr: removed $base/rel" "and names the absolute home it removed"
ok "and removes it" test ! -e "$base/rel"
cd "$WORK"

KPR_HOME="$base/$(printf 'x%.0s' $(seq 1 100))" run_kpr local start
is "$status" 5 "a KPR_HOME too long for a unix socket exits 5"
like "$err" "socket path would be too long" "and says why"

done_testing
