/* import.c: kpr import config|projects|progress: one subcommand per kind of file. */
#include "builtin.h"

#include <string.h>

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
	   "  -q, --quiet                no progress bar, no summary\n"
	   "\n"
	   "Problems are reported one a line as FILE:LINE:COLUMN: message.  Exit status 1 when the\n"
	   "input was rejected (with --on-error=abort nothing is written).\n");

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
