#!/usr/bin/env bash
# kpr local backup|restore: the sample's registry in a private local instance, with an office,
# its member and a city login made by hand, backed up; the instance destroyed and restored:
# kpr report, kpr list and kpr office list byte-identical, the roles, password hashes and
# memberships back.  The default file's name from KPR_TODAY; restore refused into a non-empty
# instance, of an absent, foreign, damaged or truncated file (nothing created), and off a
# terminal without --yes.
. "$KPR_SRC/tests/lib.sh"
unset PGHOST PGDATABASE PGSERVICE KPR_DATABASE
base=$(mktemp -d /tmp/kprb.XXXXXX)
chmod 755 "$base"
export KPR_HOME="$base/h"
SAMPLE="$KPR_SRC/data/langfang-2023"
on_exit '"$KPR" local stop >/dev/null 2>&1; rm -rf "$base"'

local_psql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "host=$KPR_HOME/run dbname=kpr user=postgres" -c "$1"
}
# the registry's roles (not the cluster's own) and their memberships, as the catalogs hold them
roles() {
	local_psql "SELECT rolname, rolcanlogin, rolinherit, coalesce(rolpassword, '-') FROM pg_authid
		WHERE rolname !~ '^pg_' AND NOT rolsuper ORDER BY 1"
	local_psql "SELECT g.rolname || ' > ' || m.rolname || ' ' || a.admin_option FROM pg_auth_members a
		JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
		WHERE g.rolname !~ '^pg_' ORDER BY 1"
}
# what the round trip must keep: the report in two forms, the list in two, the offices, the roles
snapshot() { # FOLDER
	mkdir -p "$1"
	"$KPR" report --year 2023 --quarter 3 >"$1/report.txt" &&
		"$KPR" report --year 2023 --quarter 3 --format csv >"$1/report.csv" &&
		"$KPR" list --month 2023-09 >"$1/list.txt" &&
		"$KPR" list --month 2023-09 --format csv >"$1/list.csv" &&
		"$KPR" office list >"$1/offices.txt" &&
		roles >"$1/roles.txt"
}

run_kpr local backup
is "$status" 3 "backup without a running instance exits 3"
like "$err" "^kpr: error: the local instance in $KPR_HOME is not running: nothing to back up$" "and says so"

setup "start the local instance" "$KPR" local start
run_kpr local backup
is "$status" 3 "backup of an instance without a registry exits 3"
like "$err" "holds no registry to back up" "and says there is none"
ok "and writes no file" test ! -e "$KPR_HOME/backups/kpr-backup-$KPR_TODAY.tar"

setup "kpr init" "$KPR" -q init
setup "the sample's configuration" "$KPR" -q import config "$SAMPLE/config.yaml"
setup "the sample's list" "$KPR" -q import projects "$SAMPLE/projects.csv" --year 2023
setup "the sample's progress" env KPR_TODAY=2023-12-31 "$KPR" -q import progress "$SAMPLE/progress-2023.csv"
setup "September's colours" "$KPR" -q colours --month 2023-09
printf 'a secret\n' >"$WORK/pw"
setup "an office with a password" "$KPR" -q office add gu_an --region 131022 --password-file "$WORK/pw"
setup "a member of it" "$KPR" -q office member add gu_an zhang_san --password-file "$WORK/pw"
setup "a city login made by hand" local_psql "CREATE ROLE li_si LOGIN PASSWORD 'md5$(printf 'xli_si' |
	md5sum | cut -c1-32)' VALID UNTIL '2030-01-01'; GRANT kpr_city TO li_si WITH ADMIN OPTION"
setup "what the registry shows" snapshot "$WORK/before"
projects=$(local_psql "SELECT count(*) FROM kpr.project")

# the default file: dated by KPR_TODAY, another one the same day beside it
file="$KPR_HOME/backups/kpr-backup-$KPR_TODAY.tar"
run_kpr local backup
is "$status" 0 "local backup succeeds"
is "$err" "kpr: backed up the local instance to $file" "and names the file it wrote"
ok "the file is under the instance's folder, dated KPR_TODAY" test -s "$file"
is "$(stat -c %a "$file")" 600 "it is its owner's only (it holds password hashes)"
KPR_TODAY=2024-02-29 run_kpr -q local backup
is "$status:$err" "0:" "a backup under -q says nothing"
ok "another KPR_TODAY names another file" test -s "$KPR_HOME/backups/kpr-backup-2024-02-29.tar"
run_kpr local backup
is "$err" "kpr: backed up the local instance to ${file%.tar}-2.tar" "a second backup the same day goes beside the first"
run_kpr local backup "$base/copy.tar"
is "$status" 0 "a backup to a FILE named succeeds"
ok "and writes it" test -s "$base/copy.tar"
if command -v tar >/dev/null; then
	is "$(tar tf "$file" | tr '\n' ' ')" "MANIFEST roles.sql kpr.dump " "tar lists MANIFEST, roles.sql and kpr.dump"
	like "$(tar xOf "$file" MANIFEST)" "^database kpr$" "the MANIFEST names the database"
	like "$(tar xOf "$file" roles.sql)" "^GRANT kpr_city TO li_si WITH ADMIN OPTION;$" \
		"roles.sql holds the memberships"
else
	for t in "tar lists the members" "the manifest" "roles.sql"; do _tap_result 1 "$t # SKIP no tar"; done
fi

run_kpr local restore "$file" --yes
is "$status" 1 "restore into an instance holding a registry exits 1"
like "$err" "^kpr: error: the local instance's database kpr is not empty" "and says why"
is "$(local_psql "SELECT count(*) FROM kpr.project")" "$projects" "and leaves the registry as it was"

# destroy keeps $KPR_HOME/backups, and only that
backups=$(ls "$KPR_HOME/backups" | sort)
run_kpr local destroy --yes
is "$status" 0 "destroy with backups in the instance's folder"
is "$err" "kpr: removed the local instance in $KPR_HOME; kept its $(echo "$backups" | wc -l) backups in $KPR_HOME/backups" \
	"says it kept them, and where"
is "$(ls -A "$KPR_HOME")" "backups" "nothing else is left"
is "$(ls "$KPR_HOME/backups" | sort)" "$backups" "and the backups are all there"
run_kpr local status
is "$status" 3 "the instance is gone: status exits 3"
like "$out" "local instance: not created" "and says it is not created"
run_kpr local destroy --yes
is "$status|$err" "0|kpr: local instance not created in $KPR_HOME; nothing to remove" \
	"destroy again: nothing to remove, the backups still kept"
ok "the backups are still there" test -s "$file"

# refusals: nothing created, nothing asked
run_kpr local restore "$file" </dev/null
is "$status" 2 "restore off a terminal without --yes is a usage error"
like "$err" "^kpr: error: refusing to restore '$file' without --yes \(not on a terminal to ask\)$" "and names --yes"
run_kpr local restore "$base/absent.tar" --yes
is "$status" 5 "restore of an absent file exits 5"
like "$err" "^kpr: error: cannot open '$base/absent.tar': No such file or directory$" "and names it"
printf 'not a backup\n' >"$base/text.tar"
run_kpr local restore "$base/text.tar" --yes
is "$status" 5 "restore of a file that is no backup exits 5"
like "$err" "^kpr: error: '$base/text.tar' is not a kpr backup: " "and says so, naming it"
size=$(stat -c %s "$file")
cp "$file" "$base/damaged.tar"
printf 'X' | dd of="$base/damaged.tar" bs=1 seek=$((size / 2)) conv=notrunc status=none
run_kpr local restore "$base/damaged.tar" --yes
is "$status" 5 "restore of a damaged file exits 5"
is "$err" "kpr: error: '$base/damaged.tar' is damaged: kpr.dump does not match its checksum" \
	"and names the file and the member"
head -c $((size - 3000)) "$file" >"$base/short.tar"
run_kpr local restore "$base/short.tar" --yes
is "$status" 5 "restore of a truncated file exits 5"
is "$err" "kpr: error: '$base/short.tar' is damaged: it ends inside kpr.dump" "and says where it ends"
ok "none of them created an instance" test ! -e "$KPR_HOME/data"
if command -v script >/dev/null; then
	in_terminal n local restore "$file"
	is "$status" 1 "restore answered n on a terminal exits 1"
	like "$out" "restore '$file' \(of $KPR_TODAY\) into the local instance in $KPR_HOME\? \[y/N\] " "it asks first"
	like "$out" "kpr: nothing restored$" "and says it restored nothing"
	ok "nor created an instance" test ! -e "$KPR_HOME/data"
else
	for t in "restore on a terminal asks" "and says" "and creates nothing"; do _tap_result 1 "$t # SKIP no script(1)"; done
fi

# the round trip, into an instance restore starts itself
# straight from the backup destroy kept in the instance's folder
run_kpr local restore "$file" --yes </dev/null
is "$status" 0 "restore --yes into no instance at all succeeds, from the backup destroy kept"
like "$err" "kpr: restored $file \(of $KPR_TODAY\) into the local instance$" "and says what it restored"
setup "what the restored registry shows" snapshot "$WORK/after"
for f in report.txt report.csv list.txt list.csv offices.txt; do
	ok "$f is byte-identical after the round trip" cmp -s "$WORK/before/$f" "$WORK/after/$f"
done
is "$(cat "$WORK/after/roles.txt")" "$(cat "$WORK/before/roles.txt")" \
	"the roles, their password hashes and memberships are back"
like "$(cat "$WORK/after/roles.txt")" "^li_si\|t\|t\|md5" "the hand-made login among them"
is "$(local_psql "SELECT rolvaliduntil::date FROM pg_roles WHERE rolname = 'li_si'")" 2030-01-01 \
	"with its expiry"
run_kpr init --status
like "$out" "0001_init +applied" "the restored registry's schema is kpr's"

run_kpr local restore "$file" --yes
is "$status" 1 "a second restore is refused: the instance is no longer empty"

done_testing
