/* help.c: kpr --help, kpr COMMAND --help, and kpr help [COMMAND]. */
#include "builtin.h"

#include <stdio.h>

#include "log.h"

static const char main_usage[] =
	N_("usage: kpr [-d CONNINFO] [-v] [-q] COMMAND [ARGS]\n"
	   "\n"
	   "kpr keeps a city's key-project registry in PostgreSQL.\n");

static const char main_footer[] =
	N_("Exit status: 0 success; 1 input rejected or refused by a rule, nothing written;\n"
	   "2 usage error; 3 cannot connect, server error, or schema newer than kpr;\n"
	   "4 permission denied; 5 a local file cannot be read or written.\n");

void kpr_help_main(FILE *out)
{
	fputs(_(main_usage), out);
	fprintf(out, "\n%s\n", _("Options:"));
	kpr_options_help(kpr_main_options, out);
	fprintf(out, "\n%s", _(main_footer));
	fprintf(out, "\n%s\n", _("Commands:"));
	for (const struct kpr_command *const *c = kpr_commands; *c; c++)
		if ((*c)->summary)
			fprintf(out, "  %-10s %s\n", (*c)->name, _((*c)->summary));
}

void kpr_help_command(const struct kpr_command *cmd, const struct kpr_command *parent, FILE *out)
{
	if (!cmd->usage && parent)
		cmd = parent;
	fputs(_(cmd->usage), out);
	fprintf(out, "\n%s\n", cmd->options_title ? _(cmd->options_title) : _("Options:"));
	kpr_options_help(cmd->options, out);
	if (cmd->footer)
		fprintf(out, "\n%s", _(cmd->footer));
}

static const char help_usage[] =
	N_("usage: kpr help [COMMAND]\n"
	   "\n"
	   "Show kpr's help, or a command's (the same as \"kpr COMMAND --help\").\n");

static int run_help(struct kpr_ctx *ctx)
{
	if (ctx->argc == 0) {
		kpr_help_main(stdout);
		return KPR_OK;
	}
	const struct kpr_command *cmd = kpr_command_find(kpr_commands, ctx->argv[0]);
	if (!cmd)
		return kpr_log_usage(NULL, _("'%s' is not a kpr command"), ctx->argv[0]);
	kpr_help_command(cmd, NULL, stdout);
	return KPR_OK;
}

const struct kpr_command kpr_cmd_help = {
	.name = "help",
	.summary = N_("show kpr's help, or a command's"),
	.usage = help_usage,
	.max_args = 1,
	.run = run_help,
};
