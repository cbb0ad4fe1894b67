/* import.c: kpr import config|projects|progress: one subcommand per kind of file. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import.h"
#include "log.h"

static const char import_usage[] =
	N_("usage: kpr import config FILE.yaml [--dry-run]\n"
	   "       kpr import projects FILE [--year YYYY] [--sheet NAME|N] [options]\n"
	   "       kpr import progress FILE [--sheet NAME|N] [options]\n"
	   "\n"
	   "config    regions, functional zones, the scenarios of a year, the project pools and the\n"
	   "          colour rules, from the YAML file described in docs/formats.md; idempotent;\n"
	   "          with --dry-run, checked against the database, saying what would change\n"
	   "projects  a year's key-project list: projects, their scenarios, the annual plan\n"
	   "progress  monthly progress reports\n"
	   "\n"
	   "FILE is CSV (UTF-8 or GB18030), YAML, or an Excel workbook (.xlsx, or .xls from\n"
	   "Excel 97-2003), known by its content; - reads stdin.\n");

static const char import_footer[] =
	N_("Problems are reported one a line as FILE:LINE:COLUMN: message (a workbook's as\n"
	   "FILE:SHEET:ROW:COLUMN (CELL): message; its --rejects file is CSV).  Exit status 1 when the\n"
	   "input was rejected (with --on-error=abort nothing is written).  A project list's import\n"
	   "makes other writers of projects wait until it ends (readers do not); a dry run does not.\n");

/* What the options of projects and progress set; run_import() turns them into kpr_import_options. */
static struct {
	int format, encoding, unit, skip_errors, bulk, year, max_errors;
	const char *columns, *rejects, *sheet;
	bool dry_run, overwrite_rejects, allow_unlisted, force, list_changes;
} opt = { KPR_FORMAT_AUTO, KPR_ENCODING_AUTO, KPR_UNIT_NONE, false, KPR_BULK_AUTO, 0, 100, NULL, NULL, NULL, false,
	  false, false, false, false };

static const struct kpr_choice formats[] = {
	{ "csv", KPR_FORMAT_CSV, false }, { "yaml", KPR_FORMAT_YAML, false }, { "yml", KPR_FORMAT_YAML, true }, { NULL, 0, false }
};
static const struct kpr_choice encodings[] = {
	{ "auto", KPR_ENCODING_AUTO, false }, { "utf-8", KPR_ENCODING_UTF8, false }, { "utf8", KPR_ENCODING_UTF8, true },
	{ "gb18030", KPR_ENCODING_GB18030, false }, { "gbk", KPR_ENCODING_GB18030, true }, { NULL, 0, false }
};
static const struct kpr_choice units[] = {
	{ "元", KPR_UNIT_YUAN, false }, { "万元", KPR_UNIT_WAN, false }, { "亿元", KPR_UNIT_YI, false },
	{ "yuan", KPR_UNIT_YUAN, true }, { "wan", KPR_UNIT_WAN, true }, { "yi", KPR_UNIT_YI, true }, { NULL, 0, false }
};
static const struct kpr_choice on_error[] = {
	{ "abort", false, false }, { "skip", true, false }, { NULL, 0, false }
};
static const struct kpr_choice bulk[] = {
	{ "auto", KPR_BULK_AUTO, false }, { "yes", KPR_BULK_YES, false }, { "no", KPR_BULK_NO, false }, { NULL, 0, false }
};

static const struct kpr_option import_options[] = {
	KPR_OPT_INTEGER(0, "year", &opt.year, "YYYY", N_("projects: the list's year (default: from the plan column's\n"
							 "header, 2023年计划投资, or the title row)"),
			2000, 2100, N_("--year must be a year like 2023, not '%s'")),
	KPR_OPT_CHOICE(0, "format", &opt.format, formats, N_("input format (default: a workbook, .xlsx or .xls, by its\n"
							      "content; otherwise by the file's extension)")),
	KPR_OPT_STR(0, "sheet", &opt.sheet, "NAME|N", N_("a workbook's sheet, by name or number from 1 (default:\n"
							 "the first visible sheet)")),
	KPR_OPT_CHOICE(0, "encoding", &opt.encoding, encodings,
		       N_("input encoding (default auto: UTF-8, or GB18030 as Excel\n"
			  "writes it on Chinese Windows)")),
	KPR_OPT_CHOICE(0, "unit", &opt.unit, units, N_("unit of money columns whose header names none (default 万元)")),
	KPR_OPT_STR(0, "columns", &opt.columns, "MAP.yaml", N_("map other column names onto kpr's (docs/formats.md)")),
	KPR_OPT_FLAG(0, "dry-run", &opt.dry_run, N_("say what would happen; write nothing")),
	KPR_OPT_FLAG('v', "verbose", &opt.list_changes,
		     N_("with --dry-run, list what would change: new projects,\n"
			"changed fields, rebaselines, new months, corrections\n"
			"(kpr -v import ... also prints each SQL statement)")),
	KPR_OPT_CHOICE(0, "on-error", &opt.skip_errors, on_error,
		       N_("abort: nothing is written when any row is bad (default);\n"
			  "skip: write the good rows, exit 1 if any was rejected")),
	KPR_OPT_STR(0, "rejects", &opt.rejects, "FILE", N_("with skip: write rejected rows there, with an error column\n"
							   "(never the file imported; an existing FILE only with\n"
							   "--overwrite-rejects)")),
	KPR_OPT_FLAG(0, "overwrite-rejects", &opt.overwrite_rejects, N_("replace the --rejects file if it exists")),
	KPR_OPT_INTEGER(0, "max-errors", &opt.max_errors, "N", N_("stop reporting after N problems (default 100)"),
			1, 1000000000, N_("--max-errors must be a positive number, not '%s'")),
	KPR_OPT_CHOICE(0, "bulk", &opt.bulk, bulk,
		       N_("yes: drop the foreign keys of the tables written (for a\n"
			  "project list, their indexes too) and create them again,\n"
			  "checked, before the commit (faster for large loads;\n"
			  "readers of those tables wait until the import ends);\n"
			  "auto (default): when the file, judged by its size, adds\n"
			  "10,000 rows or more, and at least a quarter of what the\n"
			  "table holds")),
	KPR_OPT_FLAG(0, "allow-unlisted", &opt.allow_unlisted,
		     N_("progress: accept months of projects not on that year's\n"
			"list, or before their start year (warned, with a count)")),
	KPR_OPT_FLAG(0, "force", &opt.force,
		     N_("write rows that would put back a figure or plan a later\n"
			"batch or change replaced (an older file imported again)")),
	KPR_OPT_FLAG('q', "quiet", NULL, N_("no progress bar, no summary")),
	KPR_OPT_END
};

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

/* Is path the same file as the one being imported (by device and inode, whatever its name)? */
static bool same_file(const char *path, const char *input)
{
	struct stat a, b;
	return stat(path, &a) == 0 && stat(input, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Options that contradict each other, or the kind of file: before connecting. */
static int check_import(struct kpr_ctx *ctx, bool projects)
{
	if (opt.year && !projects)
		return kpr_log_usage("import", "%s", _("--year applies to project lists only"));
	if (opt.allow_unlisted && projects)
		return kpr_log_usage("import", "%s", _("--allow-unlisted applies to progress files only"));
	if (opt.rejects && !opt.skip_errors)
		return kpr_log_usage("import", "%s", _("--rejects needs --on-error=skip"));
	if (opt.rejects && same_file(opt.rejects, ctx->argv[0]))
		return kpr_log_usage("import", _("--rejects '%s' is the file being imported"), opt.rejects);
	return KPR_OK;
}

static int check_projects(struct kpr_ctx *ctx)
{
	return check_import(ctx, true);
}

static int check_progress(struct kpr_ctx *ctx)
{
	return check_import(ctx, false);
}

/* "list.csv: 3 heading rows, 1 subtotal row skipped" (an official list's layout rows) */
static void say_skipped(const char *path, const struct kpr_import_result *r)
{
	char h[64], t[64];
	snprintf(h, sizeof(h), P_("%ld heading row", "%ld heading rows", r->headings), r->headings);
	snprintf(t, sizeof(t), P_("%ld subtotal row", "%ld subtotal rows", r->subtotals), r->subtotals);
	/* TRANSLATORS: "FILE: N heading rows, N subtotal rows skipped" */
	kpr_log_info(_("%s: %s, %s skipped"), path, h, t);
}

static int run_import(struct kpr_ctx *ctx, bool projects)
{
	struct kpr_import_options o = KPR_IMPORT_OPTIONS_INIT;
	struct kpr_import_result r;
	struct progress_bar bar = { 0 };
	const char *path = ctx->argv[0];
	int rc;

	o.format = opt.format;
	o.encoding = opt.encoding;
	o.unit = opt.unit;
	o.columns = opt.columns;
	o.sheet = opt.sheet;
	o.year = opt.year;
	o.dry_run = opt.dry_run;
	o.skip_errors = opt.skip_errors;
	o.rejects = opt.rejects;
	o.overwrite_rejects = opt.overwrite_rejects;
	o.max_errors = opt.max_errors;
	o.bulk = opt.bulk;
	o.allow_unlisted = opt.allow_unlisted;
	o.force = opt.force;
	o.list_changes = opt.dry_run && (opt.list_changes || ctx->verbose);
	if (!ctx->quiet && isatty(STDERR_FILENO)) {
		clock_gettime(CLOCK_MONOTONIC, &bar.start);
		o.progress = show_progress;
		o.progress_arg = &bar;
	}
	rc = projects ? kpr_import_projects(ctx->conn, path, &o, &r) : kpr_import_progress(ctx->conn, path, &o, &r);
	if (rc != KPR_OK && rc != KPR_EINPUT)
		return rc;

	/* a dry run says how many rows it would write: in skip mode, those left when the bad are set aside */
	char would[64];
	snprintf(would, sizeof(would), P_("would write %ld row", "would write %ld rows", r.inserted + r.updated),
		 r.inserted + r.updated);
	const char *verb = o.dry_run ? would : r.committed ? _("wrote") : _("wrote nothing");
	if (rc == KPR_EINPUT && !r.committed && !(o.dry_run && o.skip_errors)) {
		if (r.problems) {
			char rows[64];
			snprintf(rows, sizeof(rows), P_("%ld row of %ld", "%ld rows of %ld", r.rejected), r.rejected, r.rows);
			/* TRANSLATORS: the second %s is "N rows of M" */
			kpr_log_error(P_("%s: %ld problem in %s; nothing written", "%s: %ld problems in %s; nothing written",
					 r.problems), path, r.problems, rows);
		} else
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
	if (r.unreported)
		kpr_log_info(P_("%s: %ld row with nothing reported skipped", "%s: %ld rows with nothing reported skipped",
				 r.unreported), path, r.unreported);
	if (r.headings || r.subtotals)
		say_skipped(path, &r);
	if (r.committed)
		kpr_log_info(_("recorded as import batch %ld"), r.batch_id);
	if (rc == KPR_EINPUT)
		kpr_log_error(P_("%ld row rejected%s%s", "%ld rows rejected%s%s", r.rejected), r.rejected, o.rejects ? _("; see ") : "", o.rejects ? o.rejects : "");
	return rc;
}

static int run_projects(struct kpr_ctx *ctx)
{
	return run_import(ctx, true);
}

static int run_progress(struct kpr_ctx *ctx)
{
	return run_import(ctx, false);
}

#define IMPORT_KIND(kind)                                                                        \
	static const struct kpr_command import_##kind = {                                        \
		.name = #kind, .db = NEEDS_DB, .options = import_options, .min_args = 1, .max_args = 1, \
		.missing = N_("missing the file to import"), .too_many = N_("too many arguments"), \
		.check = check_##kind, .run = run_##kind,                                        \
	}
IMPORT_KIND(projects);
IMPORT_KIND(progress);

static const struct kpr_command *const import_kinds[] = {
	&kpr_cmd_import_config, &import_projects, &import_progress, NULL
};

const struct kpr_command kpr_cmd_import = {
	.name = "import",
	.summary = N_("load configuration, project lists and progress"),
	.usage = import_usage,
	.options_title = N_("Options for projects and progress:"),
	.options = import_options,
	.footer = import_footer,
	.missing = N_("missing what to import (config, projects, progress)"),
	.subcommands = import_kinds,
	.unknown = N_("cannot import '%s': not config, projects or progress"),
};
