/* Unit tests: the option parser of every command (cmd/options.c). */
#include <stdlib.h>

#include "money.h"
#include "month.h"
#include "options.h"
#include "strbuf.h"
#include "tap.h"

static struct {
	bool dry_run, verbose;
	int year, format, month;
	int64_t amount;
	const char *file;
} v;

static const struct kpr_choice formats[] = {
	{ "csv", 1, false }, { "yaml", 2, false }, { "yml", 2, true }, { "xlsx", 3, false }, { "markdown", 4, false },
	{ NULL, 0, false }
};

static const struct kpr_option opts[] = {
	KPR_OPT_FLAG(0, "dry-run", &v.dry_run, N_("write nothing")),
	KPR_OPT_FLAG('v', "verbose", &v.verbose, N_("say more")),
	KPR_OPT_INTEGER('y', "year", &v.year, "YYYY", N_("the year"), 2000, 2100, NULL),
	KPR_OPT_CHOICE(0, "format", &v.format, formats, N_("the format\nsecond line")),
	KPR_OPT_MONTHS(0, "month", &v.month, N_("the month")),
	KPR_OPT_AMOUNT(0, "amount", &v.amount, "N", N_("万元 completed")),
	KPR_OPT_STR('o', "output", &v.file, "FILE", N_("write there")),
	KPR_OPT_STR(0, "dry-wit", &v.file, "X", N_("shares a prefix with dry-run")),
	KPR_OPT_END
};

/* Parse the words of line (split on spaces) with argv[0] "cmd"; stderr is captured. */
static int parse(const char *line, int flags, struct kpr_parsed *p, char *err, size_t errsize)
{
	static char buf[512];
	static char *argv[32];
	int argc = 0;
	memset(&v, 0, sizeof(v));
	snprintf(buf, sizeof(buf), "cmd %s", line);
	for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	tap_capture_stderr();
	int rc = kpr_options_parse(opts, flags, "test", argc, argv, p);
	snprintf(err, errsize, "%s", tap_captured_stderr());
	return rc;
}

static void parses(const char *line, int nargs, const char *desc)
{
	struct kpr_parsed p;
	char err[1024];
	int rc = parse(line, 0, &p, err, sizeof(err));
	ok(rc == KPR_OK && p.argc == nargs && !err[0], "'%s' parses, %d argument(s) left: %s (rc %d, %d left, '%s')",
	   line, nargs, desc, rc, p.argc, err);
}

static void refused(const char *line, const char *msg)
{
	struct kpr_parsed p;
	char err[1024];
	int rc = parse(line, 0, &p, err, sizeof(err));
	ok(rc == KPR_EUSAGE && strstr(err, msg), "'%s' is a usage error: %s (rc %d, '%s')", line, msg, rc, err);
}

static void test_values(void)
{
	struct kpr_parsed p;
	char err[1024];

	parses("--dry-run a.csv", 1, "a flag, then an argument");
	ok(v.dry_run, "--dry-run sets its flag");
	parses("a.csv --year 2023", 1, "options after the argument (permuted, as getopt_long does)");
	is_int(v.year, 2023, "--year VALUE takes the next word");
	parses("--year=2024", 0, "--name=value");
	is_int(v.year, 2024, "--year=2024 stores 2024");
	parses("-y2025", 0, "-xVALUE");
	is_int(v.year, 2025, "-y2025 stores 2025");
	parses("-vo out.csv", 0, "a bundled flag, then a short option taking the next word");
	ok(v.verbose && v.file && strcmp(v.file, "out.csv") == 0, "-vo out.csv sets -v and -o out.csv");
	parses("--form YAML", 0, "a unique prefix, and a choice in capitals");
	is_int(v.format, 2, "--form YAML chooses yaml");
	parses("--format yml", 0, "a hidden alias of a choice");
	is_int(v.format, 2, "yml is yaml");
	parses("--month 2023年9月", 0, "a month as people write it");
	is_int(v.month, 2023 * 12 + 8, "2023年9月 is September 2023");
	parses("--amount 1,234.5", 0, "an amount in 万元");
	is_int(v.amount, 12345000, "1,234.5 万元 is 12,345,000 yuan exactly");
	parses("--amount -0.0001", 0, "a negative amount is a value, not an option");
	is_int(v.amount, -1, "-0.0001 万元 is -1 yuan");
	parses("- --dry-run", 1, "'-' alone is an argument (stdin)");
	parses("-- --dry-run -v", 2, "'--' ends the options");
	ok(!v.dry_run && !v.verbose, "after '--' nothing is an option");

	int rc = parse("-q --dry-run", 0, &p, err, sizeof(err));
	ok(rc == KPR_OK && p.quiet, "every command takes -q");
	rc = parse("--help --bogus", 0, &p, err, sizeof(err));
	ok(rc == KPR_OK && p.help && !err[0], "--help stops the parse before a later bad option");
	rc = parse("sub --dry-run", KPR_PARSE_STOP_AT_ARG, &p, err, sizeof(err));
	ok(rc == KPR_OK && p.argc == 2 && !v.dry_run && strcmp(p.argv[0], "sub") == 0,
	   "with STOP_AT_ARG the first argument ends the options");
}

static void test_errors(void)
{
	refused("--bogus", "unknown option '--bogus'");
	refused("-x", "unknown option '-x'");
	refused("--dry-run=yes", "unknown option '--dry-run=yes'");
	refused("--dry", "unknown option '--dry'");	/* dry-run or dry-wit */
	refused("a.csv --year", "option '--year' needs a value");
	refused("-o", "option '-o' needs a value");
	refused("--year 1999", "--year must be a whole number from 2000 to 2100, not '1999'");
	refused("--year 20x3", "not '20x3'");
	refused("--format xml", "--format must be csv, yaml, xlsx or markdown, not 'xml'");
	refused("--month 2023-13", "--month must be a month like 2023-09, not '2023-13'");
	refused("--amount 1.00001", "--amount must be an amount in 万元, not '1.00001'");
	refused("--bogus", "\nTry \"kpr test --help\" for more information.");
}

static void test_help(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	kpr_options_help(opts, f);
	fclose(f);
	/* the longest spec that fits, "  -o, --output=FILE" (19 columns), sets the text's column: 21 */
	ok(strstr(text, "  --dry-run          write nothing\n") != NULL, "help aligns the text after the longest option");
	ok(strstr(text, "  -y, --year=YYYY    the year\n") != NULL, "help shows short and long names with the value's name");
	ok(strstr(text, "  --format=csv|yaml|xlsx|markdown\n                     the format\n                     second line\n"),
	   "a long option's text goes on the next line; later lines are indented");
	ok(strstr(text, "  --amount=N         万元 completed\n") != NULL, "Chinese help text is kept as is");
	ok(strstr(text, "  -q, --quiet        print only errors\n") != NULL, "the common -q is listed");
	ok(strstr(text, "yml") == NULL, "hidden choices are not listed");
	ok(kpr_options_find(opts, "month") == &opts[4], "kpr_options_find finds an option by its long name");
	ok(kpr_options_find(opts, "quiet") != NULL, "kpr_options_find finds the common options");
	free(text);
}

int main(void)
{
	test_values();
	test_errors();
	test_help();
	return done_testing();
}
