/* import.c: kpr import config|projects|progress: one subcommand per kind of file. */
#include "builtin.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "import.h"
#include "log.h"

const char import_usage[] =
	N_("usage: kpr import config FILE.yaml\n"
	   "       kpr import projects FILE [--year YYYY] [options]\n"
	   "       kpr import progress FILE [options]\n"
	   "\n"
	   "config    regions, functional zones, the scenarios of a year, the project pools and the\n"
	   "          colour rules, from the YAML file described in docs/formats.md; idempotent\n"
	   "projects  a year's key-project list: projects, their scenarios, the annual plan\n"
	   "progress  monthly progress reports\n"
	   "\n"
	   "Options for projects and progress:\n"
	   "  --format=csv|yaml          input format (default: by the file's extension)\n"
	   "  --encoding=auto|utf-8|gb18030\n"
	   "                             input encoding (default auto: UTF-8, or GB18030 as Excel\n"
	   "                             writes it on Chinese Windows)\n"
	   "  --unit=元|万元|亿元          unit of money columns whose header names none (default 万元)\n"
	   "  --columns=MAP.yaml         map other column names onto kpr's (docs/formats.md)\n"
	   "  --dry-run                  say what would happen; write nothing\n"
	   "  --on-error=abort|skip      abort: nothing is written when any row is bad (default);\n"
	   "                             skip: write the good rows, exit 1 if any was rejected\n"
	   "  --rejects=FILE             with skip: write rejected rows there, with an error column\n"
	   "  --max-errors=N             stop reporting after N problems (default 100)\n"
	   "  --bulk=auto|yes|no         yes: drop the foreign keys of the tables written (for a\n"
	   "                             project list, their indexes too) and create them again,\n"
	   "                             checked, before the commit (faster for large loads;\n"
	   "                             readers of those tables wait until the import ends);\n"
	   "                             auto (default): when the file, judged by its size, adds\n"
	   "                             10,000 rows or more, and at least a quarter of what the\n"
	   "                             table holds\n"
	   "  -q, --quiet                no progress bar, no summary\n"
	   "\n"
	   "Problems are reported one a line as FILE:LINE:COLUMN: message.  Exit status 1 when the\n"
	   "input was rejected (with --on-error=abort nothing is written).  A project list's import\n"
	   "makes other writers of projects wait until it ends (readers do not); a dry run does not.\n");

/* A progress bar on stderr for long imports: rows, rate, ETA; only on a terminal. */
struct progress_bar {
	struct timespec start;
	bool shown;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void show_progress(void *arg, uint64_t rows, uint64_t offset, uint64_t size, bool done)
{
	struct progress_bar *bar = arg;
	double elapsed = seconds_since(&bar->start);
	if (!done && elapsed < 1.0)
		return;		/* short imports show nothing */
	if (done && !bar->shown)
		return;
	double rate = elapsed > 0 ? (double)rows / elapsed : 0;
	fprintf(stderr, "\r%s: %llu rows, %.0f rows/s", kpr_progname, (unsigned long long)rows, rate);
	if (size && offset <= size) {
		double frac = (double)offset / (double)size;
		double eta = frac > 0 ? elapsed / frac - elapsed : 0;
		fprintf(stderr, ", %3.0f%%, ETA %.0fs ", frac * 100, eta);
	}
	if (done)
		fputc('\n', stderr);
	bar->shown = true;
}

enum { OPT_FORMAT = 256, OPT_ENCODING, OPT_UNIT, OPT_COLUMNS, OPT_DRY_RUN, OPT_ON_ERROR, OPT_REJECTS, OPT_MAX_ERRORS, OPT_YEAR, OPT_BULK };

/* Options shared by projects and progress; returns the file in *path. */
static int parse_import_options(int argc, char **argv, struct kpr_ctx *ctx, bool projects,
				struct kpr_import_options *o, const char **path)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "on-error", required_argument, NULL, OPT_ON_ERROR },
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "bulk", required_argument, NULL, OPT_BULK },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "q", options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->format = KPR_FORMAT_CSV;
			else if (strcmp(optarg, "yaml") == 0 || strcmp(optarg, "yml") == 0)
				o->format = KPR_FORMAT_YAML;
			else
				return kpr_usage_error("import", _("--format must be csv or yaml, not '%s'"), optarg);
			break;
		case OPT_ENCODING:
			if (strcmp(optarg, "auto") == 0)
				o->encoding = KPR_ENCODING_AUTO;
			else if (strcasecmp(optarg, "utf-8") == 0 || strcasecmp(optarg, "utf8") == 0)
				o->encoding = KPR_ENCODING_UTF8;
			else if (strcasecmp(optarg, "gb18030") == 0 || strcasecmp(optarg, "gbk") == 0)
				o->encoding = KPR_ENCODING_GB18030;
			else
				return kpr_usage_error("import", _("--encoding must be auto, utf-8 or gb18030, not '%s'"), optarg);
			break;
		case OPT_UNIT:
			if ((o->unit = kpr_unit_parse(optarg)) == KPR_UNIT_NONE)
				return kpr_usage_error("import", _("--unit must be 元, 万元 or 亿元, not '%s'"), optarg);
			break;
		case OPT_COLUMNS:
			o->columns = optarg;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_ON_ERROR:
			if (strcmp(optarg, "abort") == 0)
				o->skip_errors = false;
			else if (strcmp(optarg, "skip") == 0)
				o->skip_errors = true;
			else
				return kpr_usage_error("import", _("--on-error must be abort or skip, not '%s'"), optarg);
			break;
		case OPT_REJECTS:
			o->rejects = optarg;
			break;
		case OPT_MAX_ERRORS:
			o->max_errors = strtol(optarg, &end, 10);
			if (*end || o->max_errors < 1)
				return kpr_usage_error("import", _("--max-errors must be a positive number, not '%s'"), optarg);
			break;
		case OPT_YEAR:
			o->year = (int)strtol(optarg, &end, 10);
			if (!projects)
				return kpr_usage_error("import", _("--year applies to project lists only"));
			if (*end || o->year < 2000 || o->year > 2100)
				return kpr_usage_error("import", _("--year must be a year like 2023, not '%s'"), optarg);
			break;
		case OPT_BULK:
			if (strcmp(optarg, "auto") == 0)
				o->bulk = KPR_BULK_AUTO;
			else if (strcmp(optarg, "yes") == 0)
				o->bulk = KPR_BULK_YES;
			else if (strcmp(optarg, "no") == 0)
				o->bulk = KPR_BULK_NO;
			else
				return kpr_usage_error("import", _("--bulk must be auto, yes or no, not '%s'"), optarg);
			break;
		case 'q':
			ctx->quiet = true;
			kpr_log_min_level = KPR_LOG_ERROR;
			break;
		default:
			return kpr_usage_error("import", _("unknown option '%s'"), argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return kpr_usage_error("import", optind >= argc ? _("missing the file to import")
							 : _("too many arguments"));
	if (o->rejects && !o->skip_errors)
		return kpr_usage_error("import", _("--rejects needs --on-error=skip"));
	*path = argv[optind];
	return KPR_OK;
}

static int run_import(int argc, char **argv, struct kpr_ctx *ctx, bool projects)
{
	struct kpr_import_options o = KPR_IMPORT_OPTIONS_INIT;
	struct kpr_import_result r;
	struct progress_bar bar = { 0 };
	const char *path = NULL;
	int rc;

	if ((rc = parse_import_options(argc, argv, ctx, projects, &o, &path)) != KPR_OK ||
	    (rc = kpr_ctx_connect(ctx)) != KPR_OK)
		return rc;
	if (!ctx->quiet && isatty(STDERR_FILENO)) {
		clock_gettime(CLOCK_MONOTONIC, &bar.start);
		o.progress = show_progress;
		o.progress_arg = &bar;
	}
	rc = projects ? kpr_import_projects(ctx->conn, path, &o, &r) : kpr_import_progress(ctx->conn, path, &o, &r);
	if (rc != KPR_OK && rc != KPR_EINPUT)
		return rc;

	const char *verb = o.dry_run ? _("would write") : r.committed ? _("wrote") : _("wrote nothing");
	if (rc == KPR_EINPUT && !r.committed) {
		if (r.problems)
			kpr_log_error(_("%s: %ld problem(s) in %ld row(s) of %ld; nothing written"), path, r.problems,
				      r.rejected, r.rows);
		else
			kpr_log_error(_("%s: nothing written"), path);
		return rc;
	}
	if (projects)
		kpr_log_info(_("%s: %ld rows: %ld new, %ld changed, %ld unchanged, %ld rejected; %s"), path, r.rows,
			     r.inserted, r.updated, r.unchanged, r.rejected,
			     r.inserted + r.updated ? verb : _("nothing changed"));
	else
		kpr_log_info(_("%s: %ld rows: %ld new months, %ld corrections, %ld unchanged, %ld rejected; %s"), path,
			     r.rows, r.inserted, r.updated, r.unchanged, r.rejected,
			     r.inserted + r.updated ? verb : _("nothing changed"));
	if (r.committed)
		kpr_log_info(_("recorded as import batch %ld"), r.batch_id);
	if (rc == KPR_EINPUT)
		kpr_log_error(_("%ld row(s) rejected%s%s"), r.rejected, o.rejects ? _("; see ") : "", o.rejects ? o.rejects : "");
	return rc;
}

int cmd_import_projects(int argc, char **argv, struct kpr_ctx *ctx)
{
	return run_import(argc, argv, ctx, true);
}

int cmd_import_progress(int argc, char **argv, struct kpr_ctx *ctx)
{
	return run_import(argc, argv, ctx, false);
}

int cmd_import(int argc, char **argv, struct kpr_ctx *ctx)
{
	static const struct {
		const char *kind;
		kpr_cmd_fn fn;
	} kinds[] = {
		{ "config", cmd_import_config },
		{ "projects", cmd_import_projects },
		{ "progress", cmd_import_progress },
	};
	if (argc < 2)
		return kpr_usage_error("import", _("missing what to import (config, projects, progress)"));
	for (size_t i = 0; i < KPR_ARRAY_SIZE(kinds); i++)
		if (strcmp(argv[1], kinds[i].kind) == 0)
			return kinds[i].fn(argc - 1, argv + 1, ctx);
	return kpr_usage_error("import", _("cannot import '%s': not config, projects or progress"), argv[1]);
}
