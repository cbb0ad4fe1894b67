/* office.c: kpr office add|remove|list|member: the county offices and who acts for them. */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "office.h"
#include "password.h"
#include "print.h"

static const char office_usage[] =
	N_("usage: kpr office add NAME (--region CODE[,CODE...] | --zone CODE[,CODE...]) [--title TEXT]\n"
	   "                      [--password-file FILE]\n"
	   "       kpr office member add NAME LOGIN [--password-file FILE]\n"
	   "       kpr office member remove NAME LOGIN\n"
	   "       kpr office list [--format FORMAT]\n"
	   "       kpr office remove NAME\n"
	   "\n"
	   "A county office (县级项目办) is a PostgreSQL login role NAME (a lower-case ASCII letter, then\n"
	   "up to 39 lower-case letters, digits or \"_\"), a member of the registry's <db>_county role,\n"
	   "that reports progress for the projects of its regions or zones (row-level security holds\n"
	   "it, and anyone logged in as it, to them).  Roles belong to the whole server, not to one\n"
	   "database: a NAME that is a role already, and not an office of this registry, is refused.\n"
	   "\n"
	   "  add NAME      create the office, for the regions (--region) or zones (--zone) given by\n"
	   "                code (see kpr config); --title is its Chinese name (固安县重点项目办)\n"
	   "  member add NAME LOGIN\n"
	   "                make the personal login LOGIN a member of office NAME, so that it posts\n"
	   "                for the office under its own name; LOGIN is created when it does not\n"
	   "                exist.  A password is set only on a login kpr created\n"
	   "  member remove NAME LOGIN\n"
	   "                LOGIN no longer acts for office NAME (the login stays)\n"
	   "  list          the offices: name, title, regions or zones, members\n"
	   "  remove NAME   drop the office's role; its members' logins stay, members of nothing\n"
	   "\n"
	   "The password comes from --password-file (its first line) or, on a terminal, a prompt\n"
	   "that does not echo; with neither the role has none (for peer or trust authentication).\n"
	   "It is hashed here (SCRAM-SHA-256) and only the hash is sent: neither the server's log\n"
	   "nor kpr -v shows it.  Needs the city's role (exit status 4 without it).\n");

static struct {
	const char *region, *zone, *title, *password_file, *format;
} opt;

static enum kpr_print_format format;	/* --format */

#define REGION_OPT KPR_OPT_STR(0, "region", &opt.region, "CODE[,CODE...]", N_("add: the regions the office reports for"))
#define ZONE_OPT KPR_OPT_STR(0, "zone", &opt.zone, "CODE[,CODE...]", N_("add: the zones the office reports for"))
#define TITLE_OPT KPR_OPT_STR(0, "title", &opt.title, "TEXT", N_("add: the office's Chinese name"))
#define PASSWORD_OPT KPR_OPT_STR(0, "password-file", &opt.password_file, "FILE", \
				 N_("add, member add: the new login's password, the file's first line\n" \
				    "(- reads standard input)"))
#define FORMAT_OPT KPR_OPT_STR(0, "format", &opt.format, "FORMAT", N_("list: table (default), csv, json or md (Markdown)"))

static const struct kpr_option office_options[] = {
	REGION_OPT, ZONE_OPT, TITLE_OPT, PASSWORD_OPT, FORMAT_OPT, KPR_OPT_END
};
static const struct kpr_option add_options[] = { REGION_OPT, ZONE_OPT, TITLE_OPT, PASSWORD_OPT, KPR_OPT_END };
static const struct kpr_option member_add_options[] = { PASSWORD_OPT, KPR_OPT_END };
static const struct kpr_option no_options[] = { KPR_OPT_END };
static const struct kpr_option list_options[] = { FORMAT_OPT, KPR_OPT_END };

/* The names among the arguments: an office's, then a login's. */
static int check_names(struct kpr_ctx *ctx)
{
	for (int i = 0; i < ctx->argc; i++)
		if (!kpr_office_name_valid(ctx->argv[i])) {
			kpr_log_error(_("invalid %s name '%s'"), i == 0 ? _("office") : _("login"), ctx->argv[i]);
			kpr_log_hint(_("A name is a lower-case ASCII letter, then up to 39 lower-case letters, digits or \"_\"."));
			return KPR_EINPUT;
		}
	return KPR_OK;
}

static int check_add(struct kpr_ctx *ctx)
{
	if (!opt.region == !opt.zone)
		return kpr_log_usage("office", "%s", _("office add needs --region CODE[,CODE...] or --zone CODE[,CODE...], "
						       "not both"));
	return check_names(ctx);
}

/* The password for the new role name, hashed; *hash NULL when none was given. */
static int password_hash(struct kpr_ctx *ctx, const char *what, const char *name, char **hash)
{
	char prompt[128], *pw;
	*hash = NULL;
	snprintf(prompt, sizeof(prompt), _("Password for %s %s: "), what, name);
	int rc = kpr_password_read(opt.password_file, prompt, &pw);
	if (rc == KPR_OK && pw)
		rc = kpr_db_hash_password(ctx->conn, pw, name, hash);
	kpr_password_free(pw);
	return rc;
}

static int run_add(struct kpr_ctx *ctx)
{
	const char *name = ctx->argv[0];
	struct kpr_office_spec o = { .name = name, .regions = opt.region, .zones = opt.zone, .title = opt.title };
	char *hash;
	int rc = password_hash(ctx, _("office"), name, &hash);
	if (rc == KPR_OK)
		rc = kpr_office_add(ctx->conn, &o, hash);
	if (rc == KPR_OK) {
		char *scope = kpr_office_scope(ctx->conn, name);
		kpr_log_info(_("office %s added%s%s%s: login role \"%s\", a member of \"%s_county\", %s; for %s"), name,
			     opt.title ? " (" : "", opt.title ? opt.title : "", opt.title ? ")" : "", name,
			     PQdb(ctx->conn), hash ? _("with a password") : _("without a password"), scope ? scope : "?");
		free(scope);
	}
	free(hash);
	return rc;
}

static int run_remove(struct kpr_ctx *ctx)
{
	int rc = kpr_office_remove(ctx->conn, ctx->argv[0]);
	if (rc == KPR_OK)
		kpr_log_info(_("office %s removed: its role is dropped; its members' logins stay"), ctx->argv[0]);
	return rc;
}

static int run_member_add(struct kpr_ctx *ctx)
{
	char *hash;
	int rc = password_hash(ctx, _("login"), ctx->argv[1], &hash);
	if (rc == KPR_OK)
		rc = kpr_office_member_add(ctx->conn, ctx->argv[0], ctx->argv[1], hash);
	if (rc == KPR_OK)
		kpr_log_info(_("%s is a member of office %s: posts for it under its own name"), ctx->argv[1], ctx->argv[0]);
	free(hash);
	return rc;
}

static int run_member_remove(struct kpr_ctx *ctx)
{
	int rc = kpr_office_member_remove(ctx->conn, ctx->argv[0], ctx->argv[1]);
	if (rc == KPR_OK)
		kpr_log_info(_("%s is no longer a member of office %s"), ctx->argv[1], ctx->argv[0]);
	return rc;
}

static int check_list(struct kpr_ctx *ctx)
{
	(void)ctx;
	if (opt.format && !kpr_print_format_parse(opt.format, &format))
		return kpr_log_usage("office", _("--format must be table, csv, json or md, not '%s'"), opt.format);
	return KPR_OK;
}

static int run_list(struct kpr_ctx *ctx)
{
	static const struct kpr_print_column cols[] = {
		{ "name", N_("office"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "title", N_("title"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "scope", N_("regions or zones"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
		{ "members", N_("members"), KPR_PRINT_TEXT, KPR_UNIT_NONE, 0 },
	};
	struct kpr_batch_table t;
	int rc = kpr_office_list(ctx->conn, &t);
	if (rc != KPR_OK)
		return rc;
	struct kpr_print_column tr[KPR_ARRAY_SIZE(cols)];
	for (size_t c = 0; c < KPR_ARRAY_SIZE(cols); c++) {
		tr[c] = cols[c];
		tr[c].heading = _(cols[c].heading);
	}
	struct kpr_print_opts po = { .format = format, .empty = _("(no offices)") };
	struct kpr_print *p = kpr_print_begin(stdout, tr, KPR_ARRAY_SIZE(tr), &po);
	for (size_t r = 0; r < t.nrows; r++) {
		kpr_print_row(p);
		for (size_t c = 0; c < KPR_ARRAY_SIZE(cols); c++)
			kpr_print_text(p, kpr_batch_cell(&t, r, c));
	}
	rc = kpr_print_end(p);
	kpr_batch_table_release(&t);
	return rc;
}

static const struct kpr_command office_add = {
	.name = "add", .db = NEEDS_DB, .options = add_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the office's name (kpr office add NAME --region CODE)"),
	.too_many = N_("too many arguments"), .check = check_add, .run = run_add,
};
static const struct kpr_command office_remove = {
	.name = "remove", .db = NEEDS_DB, .options = no_options, .min_args = 1, .max_args = 1,
	.missing = N_("missing the office's name (kpr office remove NAME)"),
	.too_many = N_("too many arguments"), .check = check_names, .run = run_remove,
};
static const struct kpr_command office_list = {
	.name = "list", .db = NEEDS_DB, .options = list_options, .too_many = N_("too many arguments"),
	.check = check_list, .run = run_list,
};
static const struct kpr_command member_add = {
	.name = "add", .db = NEEDS_DB, .options = member_add_options, .min_args = 2, .max_args = 2,
	.missing = N_("missing the office and the login (kpr office member add NAME LOGIN)"),
	.too_many = N_("too many arguments"), .check = check_names, .run = run_member_add,
};
static const struct kpr_command member_remove = {
	.name = "remove", .db = NEEDS_DB, .options = no_options, .min_args = 2, .max_args = 2,
	.missing = N_("missing the office and the login (kpr office member remove NAME LOGIN)"),
	.too_many = N_("too many arguments"), .check = check_names, .run = run_member_remove,
};
static const struct kpr_command *const member_actions[] = { &member_add, &member_remove, NULL };
static const struct kpr_command office_member = {
	.name = "member", .usage = office_usage, .options = office_options,	/* the help of kpr office */
	.missing = N_("missing action (add, remove)"), .subcommands = member_actions,
	.unknown = N_("unknown action '%s'"),
};

static const struct kpr_command *const office_actions[] = {
	&office_add, &office_member, &office_list, &office_remove, NULL
};

const struct kpr_command kpr_cmd_office = {
	.name = "office",
	.summary = N_("add and remove county offices and their members; list them"),
	.usage = office_usage,
	.options = office_options,
	.missing = N_("missing action (add, member, list, remove)"),
	.subcommands = office_actions,
	.unknown = N_("unknown action '%s'"),
};
