#!/usr/bin/env bash
# tests/lib.sh itself: a failing setup step, an unexpected failure and an early end are failed
# tests that say why, the rest of the file skipped; expected failures are not reported.
. "$KPR_SRC/tests/lib.sh" || exit 1	# it writes test files into its own $WORK

# child NAME < BODY: run a test file made of BODY after lib.sh; sets $status, $out (its TAP)
# and $err (its diagnostics).  Line 3 of the file is BODY's first line.
child() {
	{ printf '#!/usr/bin/env bash\n. "$KPR_SRC/tests/lib.sh"\n'; cat; } >"$1.t"
	chmod +x "$1.t"
	status=0
	"./$1.t" >"$1.out" 2>"$1.err" || status=$?
	out=$(cat "$1.out")
	err=$(cat "$1.err")
}
# printed STATUS DESCRIPTION LINE...: the child exited STATUS and printed exactly LINEs
printed() {
	local want=$1 desc=$2
	shift 2
	is "$status:$out" "$want:$(printf '%s\n' "$@")" "$desc"
}
# prove_verdict NAME: PASS or FAIL, as prove (run as tests/run runs it) judges the file
prove_verdict() {
	if prove --exec "$KPR_SRC/tests/exec" "./$1.t" >/dev/null 2>&1; then echo PASS; else echo FAIL; fi
}

child pass <<'EOF'
setup "a step that works" true
is 1 1 "one"
done_testing
EOF
printed 0 "a setup that succeeds prints nothing and the file passes" "ok 1 - one" "1..1"
is "$(prove_verdict pass)" PASS "prove passes a file whose setup succeeds"

child setup <<EOF
on_exit "touch '$WORK/hook-ran'"
is 1 1 "before"
setup "load the sample list" sh -c 'echo "kpr: error: cannot open x.csv" >&2; echo detail >&2; exit 5'
is 1 1 "after"
done_testing
EOF
printed 1 "a failed setup is a failed test with its description, the tests after it skipped" \
	"ok 1 - before" "not ok 2 - setup: load the sample list" "1..2"
like "$err" "# exit status: 5" "the diagnostics give the setup's exit status"
like "$err" "^# kpr: error: cannot open x.csv$" "the diagnostics give the setup's stderr"
like "$err" "^# detail$" "every line of it"
like "$err" '# skipping the rest of setup.t: setup "load the sample list" failed' "and say why the rest is skipped"
is "$(prove_verdict setup)" FAIL "prove fails a file whose setup failed"
ok "on_exit hooks run when a setup fails" test -e "$WORK/hook-ran"

printf '#!/bin/sh\necho "kpr: error: broken on purpose" >&2\nexit 3\n' >broken-kpr
chmod +x broken-kpr
KPR="$WORK/broken-kpr" child config <<'EOF'
fresh_db_with_config
is 1 1 "never reached"
done_testing
EOF
printed 1 "fresh_db_with_config reports a failing kpr init as a failed setup" "not ok 1 - setup: kpr init" "1..1"
like "$err" "# kpr: error: broken on purpose" "with kpr's message"

child bare <<'EOF'
is 1 1 "before"
cat no-such-file
is 1 1 "after"
done_testing
EOF
printed 1 "an unexpected failure is a failed test naming the line and the command, the rest skipped" \
	"ok 1 - before" "not ok 2 - unexpected failure at bare.t line 4: cat no-such-file (exit 1)" "1..2"
is "$(prove_verdict bare)" FAIL "prove fails a file with an unexpected failure"

child function <<'EOF'
load() {
	true
	false
}
load
done_testing
EOF
printed 1 "a failure inside a function names the calling line and the line in the function" \
	"not ok 1 - unexpected failure at function.t line 7 (in load, function.t line 5): false (exit 1)" "1..1"

child multiline <<'EOF'
sh -c '
exit 2'
done_testing
EOF
printed 1 "a command over several lines stays on its TAP line" \
	"not ok 1 - unexpected failure at multiline.t line 3: sh -c ' exit 2' (exit 2)" "1..1"

KPR=false child expected <<'EOF'
run_kpr init
is "$status" 1 "run_kpr keeps kpr's status"
false || true
if false; then :; fi
! true
x=$(false; echo y)
is "$x" y "a failure inside \$(...) is left to the caller"
status=0
false || status=$?
is "$status" 1 "a status kept with ||"
done_testing
EOF
printed 0 "failures in conditions, in \$(...) and with a kept status are not reported" \
	"ok 1 - run_kpr keeps kpr's status" "ok 2 - a failure inside \$(...) is left to the caller" \
	"ok 3 - a status kept with ||" "1..3"

child like <<'EOF'
like $'road 8条，\n配套' $'8条，\n配套' "two lines, one after the other"
like $'road 8条，x\n配套' $'8条，\n配套' "the same two lines, not one after the other"
like $'title\nkpr 1.0' "^kpr " "a line that starts so"
unlike $'title\nkpr 1.0' "^kpr 2" "no line starts so"
done_testing
EOF
printed 1 "like matches a regex with a line break across lines, and others line by line" \
	"ok 1 - two lines, one after the other" "not ok 2 - the same two lines, not one after the other" \
	"ok 3 - a line that starts so" "ok 4 - no line starts so" "1..4"

child early <<'EOF'
is 1 1 "one"
exit 0
EOF
printed 1 "a file that exits before done_testing fails" \
	"ok 1 - one" "not ok 2 - early.t ended before done_testing (exit 0)" "1..2"

child unset <<'EOF'
echo "$no_such_variable"
done_testing
EOF
printed 1 "an unset variable ends the file with a failed test" \
	"not ok 1 - unset.t ended before done_testing (exit 1)" "1..1"
like "$err" "no_such_variable: unbound variable" "and bash's message"

done_testing
