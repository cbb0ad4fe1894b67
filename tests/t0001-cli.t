#!/usr/bin/env bash
# The kpr command line: help, version, exit codes, connection precedence.
. "$KPR_SRC/tests/lib.sh"

run_kpr --help
is "$status" 0 "kpr --help exits 0"
like "$out" "usage: kpr \[-d CONNINFO\]" "kpr --help prints the usage"
like "$out" "import" "kpr --help lists the import command"

run_kpr --version
like "$out" "^kpr " "kpr --version prints the version"

run_kpr init --help
is "$status" 0 "kpr init --help exits 0 without a database"
like "$out" "usage: kpr init" "kpr init --help prints the init usage"

run_kpr
is "$status" 2 "kpr with no command is a usage error"

run_kpr frobnicate
is "$status" 2 "an unknown command exits 2"
like "$err" "'frobnicate' is not a kpr command" "an unknown command is named"

run_kpr --bogus
is "$status" 2 "an unknown option exits 2"

run_kpr init --bogus
is "$status" 2 "an unknown subcommand option exits 2"
like "$err" "unknown option '--bogus'" "an unknown option is named"
like "$err" 'Try "kpr init --help"' "a usage error points at the command's help"

# the option parser's errors, the same for every command (cmd/options.c)
run_kpr import projects x.csv --year
is "$status" 2 "an option without its value exits 2"
like "$err" "option '--year' needs a value" "a missing value is named as such, not as an unknown option"
run_kpr import projects x.csv --on-error=later
is "$status" 2 "a bad choice exits 2"
like "$err" "--on-error must be abort or skip, not 'later'" "a bad choice lists the valid ones"
run_kpr import projects x.csv --format=YAML --dry --year 1999
like "$err" "--year must be a year like 2023, not '1999'" "choices ignore case, long options may be abbreviated"
run_kpr import progress x.csv --year 2023
like "$err" "--year applies to project lists only" "--year is refused for progress"
run_kpr import projects --rejects=r.csv x.csv
like "$err" "--rejects needs --on-error=skip" "--rejects without skip is refused before connecting"

# kpr help [COMMAND], -h and --help anywhere, -q for every command
run_kpr help
is "$status" 0 "kpr help exits 0"
like "$out" "usage: kpr \[-d CONNINFO\]" "kpr help prints kpr's usage"
run_kpr help import
like "$out" "usage: kpr import config FILE.yaml" "kpr help import prints the import usage"
like "$out" "--on-error=abort\|skip" "the options part is written from the table"
like "$out" "-q, --quiet +no progress bar" "import's own -q help replaces the common one"
run_kpr help nonesuch
is "$status" 2 "kpr help of an unknown command exits 2"
like "$err" "'nonesuch' is not a kpr command" "kpr help names the unknown command"
run_kpr import projects --help
is "$status" 0 "a subcommand's --help exits 0"
like "$out" "usage: kpr import" "a subcommand without its own help shows its command's"
run_kpr local status -h
like "$out" "usage: kpr local" "-h after a subcommand shows the help"
for c in init config local; do
	run_kpr help $c
	like "$out" "-q, --quiet" "kpr $c takes -q"
done
run_kpr local
like "$err" "missing action \(start, stop, status, destroy, backup, restore\)" "kpr local without an action says which there are"
run_kpr local restart
like "$err" "unknown action 'restart'" "an unknown action is named"
run_kpr import spreadsheets x
like "$err" "cannot import 'spreadsheets': not config, projects or progress" "an unknown kind of import is named"

run_kpr -d 'host=/nonexistent' init
is "$status" 3 "an unreachable server exits 3"
like "$err" "cannot connect to the database" "the connection failure is explained"
like "$err" "HINT:" "the connection failure carries a hint"

# usage errors come before connecting: exit 2 even with no server
run_kpr -d 'host=/nonexistent' init extra
is "$status" 2 "a usage error wins over a connection failure"

# precedence: -d, then KPR_DATABASE, then PG* environment, then the local instance
fresh_db a; db_a=$KPR_DATABASE; name_a=$DBNAME
fresh_db b; db_b=$KPR_DATABASE; name_b=$DBNAME
fresh_db c; name_c=$DBNAME
has_schema() { psql -X -A -t -d "$1" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'kpr'"; }

KPR_DATABASE=$db_a run_kpr -d "$db_b" init
is "$status" 0 "init with -d succeeds"
is "$(has_schema "$name_b")" 1 "-d wins over KPR_DATABASE"
is "$(has_schema "$name_a")" 0 "KPR_DATABASE is not used when -d is given"

KPR_DATABASE=$db_a run_kpr init
is "$(has_schema "$name_a")" 1 "KPR_DATABASE wins over the PG* environment"

unset KPR_DATABASE
PGDATABASE=$name_c run_kpr init
is "$status" 0 "init through PGHOST/PGDATABASE succeeds"
is "$(has_schema "$name_c")" 1 "the libpq environment is used when PGDATABASE is set"

run_kpr -d "postgresql://postgres@/$name_c?host=$KPR_TEST_HOST" init --status
is "$status" 0 "a postgresql:// URI is accepted by -d"
like "$out" "0001_init +applied" "init --status through a URI lists the applied migration"

saved_host=$PGHOST; unset PGHOST PGDATABASE PGSERVICE
KPR_HOME=/tmp/kpr-none-$$ run_kpr init
is "$status" 3 "with nothing named and no local instance, kpr exits 3"
like "$err" "kpr local start" "the hint names kpr local start"
is "$(ls -d /tmp/kpr-none-$$ 2>/dev/null)" "" "connecting does not create the local instance"
export PGHOST=$saved_host

done_testing
