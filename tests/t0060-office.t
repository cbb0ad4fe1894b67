#!/usr/bin/env bash
# kpr office add|member|list|remove: offices are login roles in <db>_county with their regions
# or zones; bad names, foreign roles and an office asking are refused; passwords are hashed by
# kpr and appear neither in the server's log nor in -v.
. "$KPR_SRC/tests/lib.sh"
fresh_db_with_config
# Roles belong to the whole server, shared by the tests running at once: names carry the database's.
O=${DBNAME}_guan
S=${DBNAME}_sanhe
as_role() { run_kpr -d "host=$KPR_TEST_HOST user=$1 dbname=$DBNAME" "${@:2}"; }
roles_of() { # the roles $1 is a member of
	psql_q "SELECT coalesce(string_agg(g.rolname, ',' ORDER BY g.rolname), '-') FROM pg_auth_members m
	        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '$1'"
}
role_exists() { psql_q "SELECT count(*) FROM pg_roles WHERE rolname = '$1'"; }

# --- the command line ------------------------------------------------------------------------
run_kpr help office
is "$status" 0 "kpr help office works"
like "$out" "kpr office add NAME \(--region CODE\[,CODE\.\.\.\] \| --zone CODE\[,CODE\.\.\.\]\) \[--title TEXT\]" \
	"and gives the synopsis"
like "$out" "Roles belong to the whole server" "and says roles are the server's"
like "$out" "--password-file=FILE" "and documents --password-file"
for sub in "add" "member" "member add" "member remove" "list" "remove"; do
	run_kpr office $sub --help
	is "$status" 0 "kpr office $sub --help works"
	like "$out" "usage: kpr office add NAME" "and gives the synopsis"
done
run_kpr office
is "$status" 2 "kpr office without an action is a usage error"
like "$err" "missing action \(add, member, list, remove\)" "naming the actions"
run_kpr office add "$O"
is "$status" 2 "add without --region or --zone is a usage error"
like "$err" "office add needs --region CODE\[,CODE\.\.\.\] or --zone CODE\[,CODE\.\.\.\], not both" "and says so"
run_kpr office add "$O" --region 131022 --zone 131071
is "$status" 2 "add with both is a usage error"
run_kpr office add "$O" --password-fil secret --region 131022
is "$status" 5 "a password never comes from the command line: the word after --password-file is a file"
is "$(role_exists "$O")" 0 "and no role is made"
run_kpr office member add "$O"
is "$status" 2 "member add needs the office and the login"

for bad in Guan 1guan gu-an "gu an" "" "$(printf 'a%.0s' {1..41})" 'x";drop' 固安; do
	run_kpr office add "$bad" --region 131022
	is "$status" 1 "the name '$bad' is refused"
	is "$(role_exists "$bad")" 0 "and no role '$bad' is made"
done
like "$err" "invalid office name '固安'" "naming the name"
like "$err" "HINT: +A name is a lower-case ASCII letter" "with what a name is"
run_kpr office member add "$O" "Li"
is "$status" 1 "a login's name is checked the same way"
like "$err" "invalid login name 'Li'" "and named as a login"
like "$(psql_q "SELECT kpr.office_add('Bad\"name', NULL, '{131022}', NULL, NULL)" 2>&1 || true)" \
	'^ERROR:  invalid office name "Bad"name"$' "the database checks the name too, whoever calls it"

# --- add, list -------------------------------------------------------------------------------
run_kpr office add "$O" --region 131022 --title 固安县重点项目办
is "$status" 0 "an office for a region is added"
like "$err" "office $O added \(固安县重点项目办\): login role \"$O\", a member of \"${DBNAME}_county\", without a password; for 固安县 \(131022\)" \
	"and kpr says what it made"
is "$(roles_of "$O")" "${DBNAME}_county" "the office is a member of the county role and nothing else"
is "$(psql_q "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolpassword IS NULL FROM pg_authid WHERE rolname = '$O'")" \
	"t|f|f|f|f|t" "a login, with no other power, and no password"
run_kpr office add "$S" --region "131082, 131028"
is "$status" 0 "an office for two regions"
run_kpr office add "${DBNAME}_kaifa" --zone 131071 --title 开发区项目办
is "$status" 0 "an office for a zone"
run_kpr office add "$O" --region 131023
is "$status" 1 "an office that exists is refused"
like "$err" "office \"$O\" exists" "and said to exist"
is "$(psql_q "SELECT string_agg(region_code, ',') FROM kpr.office_scope WHERE office = '$O'")" "131022" "its regions unchanged"
run_kpr office add "${DBNAME}_nowhere" --region 131022,999999
is "$status" 1 "an unknown region is refused"
like "$err" "unknown region code 999999" "naming it"
is "$(role_exists "${DBNAME}_nowhere")" 0 "and no role is left behind"
run_kpr office add "${DBNAME}_nozone" --zone NOPE
is "$status" 1 "an unknown zone is refused"

run_kpr office list
is "$status" 0 "office list works"
like "$(sed -n 1p <<<"$out")" "^office +title +regions or zones +members\$" "with its heading"
like "$out" "^$O +固安县重点项目办 +固安县 \(131022\)\$" "an office's row"
like "$out" "^$S +大厂回族自治县 \(131028\), 三河市 \(131082\)\$" "regions by code, named"
run_kpr office list --format csv
is "$out" "name,title,scope,members
${DBNAME}_guan,固安县重点项目办,固安县 (131022),
${DBNAME}_kaifa,开发区项目办,廊坊经济技术开发区 (131071),
${DBNAME}_sanhe,,\"大厂回族自治县 (131028), 三河市 (131082)\"," "as CSV"
run_kpr office list --format json
like "$out" "^\{\"name\":\"$O\",\"title\":\"固安县重点项目办\",\"scope\":\"固安县 \(131022\)\",\"members\":null\}," "as JSON"
run_kpr office list --format xml
is "$status" 2 "an unknown format is a usage error"

# --- a role that is not an office -----------------------------------------------------------
setup "a role of someone else" psql -X -q -d postgres -c "CREATE ROLE ${DBNAME}_dba LOGIN CREATEDB"
run_kpr office add "${DBNAME}_dba" --region 131022
is "$status" 1 "a role that exists and is not an office is refused"
like "$err" "role \"${DBNAME}_dba\" exists and is not an office of this registry" "and said so"
like "$err" "HINT: +Roles are shared by every database of the server" "with why"
is "$(roles_of "${DBNAME}_dba")" "-" "that role is given nothing"
run_kpr office add postgres --region 131022
is "$status" 1 "the superuser's role is refused"
run_kpr office remove "${DBNAME}_dba"
is "$status" 1 "remove refuses a role that is not an office"
like "$err" "no office \"${DBNAME}_dba\"" "and says so"
is "$(role_exists "${DBNAME}_dba")" 1 "and the role stays"

# --- members ---------------------------------------------------------------------------------
run_kpr office member add "$O" "${DBNAME}_zhang"
is "$status" 0 "a new personal login is made a member"
like "$err" "${DBNAME}_zhang is a member of office $O" "and kpr says so"
is "$(roles_of "${DBNAME}_zhang")" "$O" "a member of the office only"
run_kpr office member add "$O" "${DBNAME}_dba"
is "$status" 0 "an existing login may be made a member"
is "$(roles_of "${DBNAME}_dba")" "$O" "and gets the office only"
echo "new-password" > pw
run_kpr office member add "$S" "${DBNAME}_dba" --password-file pw
is "$status" 1 "but kpr sets no password on a login it did not create"
like "$err" "login \"${DBNAME}_dba\" exists and was not created by kpr" "and says so"
is "$(roles_of "${DBNAME}_dba")" "$O" "and makes it a member of nothing more"
run_kpr office member add "$O" postgres
is "$status" 1 "a superuser is not made a member"
run_kpr office member add "$O" "$S"
is "$status" 1 "an office is not made a member of another"
run_kpr office list
like "$out" "^$O +固安县重点项目办 +固安县 \(131022\) +${DBNAME}_dba, ${DBNAME}_zhang\$" "list names the members"
run_kpr office member remove "$O" "${DBNAME}_dba"
is "$status" 0 "a member is removed"
is "$(roles_of "${DBNAME}_dba")" "-" "and is a member of nothing"
is "$(role_exists "${DBNAME}_dba")" 1 "its login stays"
run_kpr office member remove "$O" "${DBNAME}_dba"
is "$status" 1 "removing a login that is not a member is refused"
like "$err" "\"${DBNAME}_dba\" is not a member of office \"$O\"" "and said so"

# --- who may ---------------------------------------------------------------------------------
setup "a city clerk and a reader" psql -X -q -d postgres \
	-c "CREATE ROLE ${DBNAME}_clerk LOGIN IN ROLE ${DBNAME}_city" -c "CREATE ROLE ${DBNAME}_rd LOGIN IN ROLE ${DBNAME}_reader"
as_role "${DBNAME}_clerk" office add "${DBNAME}_yq" --region 131023
is "$status" 0 "a city login (no CREATEROLE) adds an office"
is "$(roles_of "${DBNAME}_yq")" "${DBNAME}_county" "made as the superuser would"
is "$(psql_q "SELECT rolcreaterole FROM pg_roles WHERE rolname = '${DBNAME}_clerk'")" "f" "the clerk has no CREATEROLE"
for who in "$O" "${DBNAME}_zhang" "${DBNAME}_rd"; do
	as_role "$who" office add "${DBNAME}_x" --region 131022
	is "$status" 4 "$who may not add an office (exit 4)"
	as_role "$who" office member add "$O" "${DBNAME}_y"
	is "$status" 4 "nor add a member"
	as_role "$who" office remove "${DBNAME}_yq"
	is "$status" 4 "nor remove an office"
done
like "$err" "permission denied for function office_remove" "the database refuses"
is "$(role_exists "${DBNAME}_x")$(role_exists "${DBNAME}_y")$(role_exists "${DBNAME}_yq")" "001" "and nothing changed"
as_role "$O" office list
is "$status" 0 "an office lists the offices"
like "$out" "^${DBNAME}_yq +永清县 \(131023\)" "all of them"

# --- passwords -------------------------------------------------------------------------------
setup "log every statement of the test database" psql -X -q -d postgres \
	-c "ALTER DATABASE $DBNAME SET log_statement = 'all'" -c "ALTER DATABASE $DBNAME SET log_min_duration_statement = 0"
secret="kpr-$$-Secret-pw"
printf '%s\n' "$secret" > pwfile
run_kpr -v office add "${DBNAME}_dc" --region 131025 --password-file pwfile
is "$status" 0 "an office with a password from a file"
like "$err" "with a password" "kpr says it has one"
unlike "$err" "$secret" "-v does not show the password"
is "$(psql_q "SELECT rolpassword ~ '^SCRAM-SHA-256\\$' FROM pg_authid WHERE rolname = '${DBNAME}_dc'")" "t" \
	"the role holds the password's SCRAM hash"
printf '%s\n' "$secret-2" | run_kpr office member add "${DBNAME}_dc" "${DBNAME}_wang" --password-file -
is "$status" 0 "a member's password from standard input"
is "$(psql_q "SELECT rolpassword ~ '^SCRAM-SHA-256\\$' FROM pg_authid WHERE rolname = '${DBNAME}_wang'")" "t" "hashed too"
echo "$secret-3" > pw3
run_kpr office member add "${DBNAME}_dc" "${DBNAME}_wang" --password-file pw3
is "$status" 0 "a login kpr created may be given a new password"
like "$(cat "$KPR_TEST_HOST/server.log")" "office_add" "the server's log holds the statements"
is "$(grep -c -- "$secret" "$KPR_TEST_HOST/server.log")" 0 "but not the passwords"
: > empty
run_kpr office add "${DBNAME}_e" --region 131025 --password-file empty
is "$status" 1 "an empty password file is refused"
like "$err" "'empty' holds no password" "and said so"
is "$(role_exists "${DBNAME}_e")" 0 "before anything is made"
run_kpr office add "${DBNAME}_e" --region 131025 --password-file nothere
is "$status" 5 "a password file that cannot be read"
like "$(psql_q "SELECT kpr.office_add('${DBNAME}_p', NULL, '{131022}', NULL, 'plain text')" 2>&1 || true)" \
	"^ERROR:  the password must come hashed by the client\$" "the database takes no password that is not a hash"
is "$(role_exists "${DBNAME}_p")" 0 "and makes no role"

# --- remove ----------------------------------------------------------------------------------
run_kpr office remove "$O"
is "$status" 0 "an office is removed"
is "$(role_exists "$O")" 0 "its role is dropped"
is "$(roles_of "${DBNAME}_zhang")" "-" "its members are members of nothing"
is "$(role_exists "${DBNAME}_zhang")" 1 "their logins stay"
is "$(psql_q "SELECT count(*) FROM kpr.office_scope WHERE office = '$O'")" 0 "its regions are gone"
run_kpr office remove "$O"
is "$status" 1 "removing it again is refused"

done_testing
