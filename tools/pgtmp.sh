# pgtmp.sh: a throwaway PostgreSQL server, for tests/run, tools/bench.sh and tools/callgrind.sh.
#
#   . tools/pgtmp.sh
#   pgtmp_start /tmp/kpr-test.XXXXXX -c max_connections=50 || exit 1
#   trap 'pgtmp_stop' EXIT            # pgtmp_stop keep: stop, and leave $PGTMP behind
#   export PGHOST=$PGTMP
#
# initdb --no-sync into a new temp dir ($PGTMP, from the mktemp template), trust
# authentication, UTF-8 with the C.UTF-8 locale; the server listens only on a unix socket in
# that dir, with fsync off (nothing here needs to survive a crash).  initdb refuses root, so as
# root the server runs as the postgres system user, which then owns the dir.  On failure prints
# the log and returns 1.  A sourced sh library: plain POSIX sh, for sh and bash alike.

# The PostgreSQL server programs: pg_config's, else the newest installed.
pgtmp_bindir() {
	_b=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$_b/initdb" ] || _b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$_b/initdb" ] || return 1
	echo "$_b"
}

# Run a server program as the server's user.
pgtmp_as_server() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pgtmp_start TEMPLATE [SERVER OPTIONS...]: sets PGTMP (the dir, holding the socket) and
# PGTMP_BINDIR; the server's log is $PGTMP/server.log.
pgtmp_start() {
	_template=$1
	shift
	PGTMP_BINDIR=$(pgtmp_bindir) || { echo "no PostgreSQL server programs (initdb) found" >&2; return 1; }
	PGTMP=$(mktemp -d "$_template") || return 1
	chmod 755 "$PGTMP"
	if [ "$(id -u)" = 0 ]; then chown postgres "$PGTMP"; fi
	pgtmp_as_server "$PGTMP_BINDIR/initdb" --no-sync -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
		-D "$PGTMP/data" >"$PGTMP/initdb.log" 2>&1 || { cat "$PGTMP/initdb.log" >&2; return 1; }
	pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" start -w -D "$PGTMP/data" -l "$PGTMP/server.log" \
		-o "-k $PGTMP -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off $*" \
		>/dev/null || { cat "$PGTMP/server.log" >&2; return 1; }
}

# pgtmp_stop [keep]: stop the server at once; remove $PGTMP unless "keep".
pgtmp_stop() {
	[ -n "${PGTMP:-}" ] || return 0
	pgtmp_as_server "$PGTMP_BINDIR/pg_ctl" stop -D "$PGTMP/data" -m immediate -w >/dev/null 2>&1 || true
	[ "${1:-}" = keep ] || rm -rf "$PGTMP"
}
