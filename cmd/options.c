/* options.c: a command's options from its table; see options.h. */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "money.h"
#include "month.h"
#include "strbuf.h"
#include "textwidth.h"

/* Every command's, unless its own table has them (by long name). */
static const struct kpr_option common_options[] = {
	KPR_OPT_FLAG('q', "quiet", NULL, N_("print only errors")),
	KPR_OPT_FLAG('h', "help", NULL, N_("show this help")),
	KPR_OPT_END
};

static const struct kpr_option no_options[] = { KPR_OPT_END };

/* Help lines wider than this put their text on the next line. */
#define SPEC_MAX 30

struct parser {
	const struct kpr_option *opts;
	const char *cmd;
	struct kpr_parsed *p;
};

static bool in_table(const struct kpr_option *opts, const char *long_name)
{
	for (const struct kpr_option *o = opts; o->type != KPR_OPT_END_; o++)
		if (o->long_name && strcmp(o->long_name, long_name) == 0)
			return true;
	return false;
}

/* The common options the table does not override; calls fn for the table's, then those. */
#define FOR_EACH_OPTION(opts, o)                                                                     \
	for (const struct kpr_option *const *tbl_ = (const struct kpr_option *const[]){ (opts), common_options, NULL }; \
	     *tbl_; tbl_++)                                                                          \
		for (const struct kpr_option *o = *tbl_; o->type != KPR_OPT_END_; o++)               \
			if (*tbl_ == (opts) || !in_table((opts), o->long_name))

const struct kpr_option *kpr_options_find(const struct kpr_option *opts, const char *long_name)
{
	opts = opts ? opts : no_options;
	FOR_EACH_OPTION(opts, o)
		if (o->long_name && strcmp(o->long_name, long_name) == 0)
			return o;
	return NULL;
}

/* An exact long name, else the one option it is a prefix of (getopt_long's rule). */
static const struct kpr_option *find_long(const struct kpr_option *opts, const char *name, size_t len)
{
	const struct kpr_option *prefix_of = NULL;
	int prefixes = 0;
	FOR_EACH_OPTION(opts, o) {
		if (!o->long_name || strncmp(o->long_name, name, len) != 0)
			continue;
		if (o->long_name[len] == '\0')
			return o;
		prefix_of = o;
		prefixes++;
	}
	return prefixes == 1 ? prefix_of : NULL;
}

static const struct kpr_option *find_short(const struct kpr_option *opts, char c)
{
	FOR_EACH_OPTION(opts, o)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* "--name" for messages, or "-x" for an option with no long name. */
static const char *display_name(const struct kpr_option *o, char *buf, size_t size)
{
	if (o->long_name)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
	return buf;
}

/* "a, b or c": the visible choices, for messages; sep "|" instead joins them for --help. */
static void add_choices(struct kpr_strbuf *sb, const struct kpr_choice *choices, const char *sep)
{
	size_t n = 0, shown = 0;
	for (const struct kpr_choice *c = choices; c->name; c++)
		n += !c->hidden;
	for (const struct kpr_choice *c = choices; c->name; c++) {
		if (c->hidden)
			continue;
		if (shown)
			kpr_strbuf_adds(sb, sep ? sep : shown + 1 == n ? _(" or ") : ", ");
		kpr_strbuf_adds(sb, c->name);
		shown++;
	}
}

static int bad_choice(const struct parser *ps, const struct kpr_option *o, const char *name, const char *arg)
{
	struct kpr_strbuf list = KPR_STRBUF_INIT;
	add_choices(&list, o->choices, NULL);
	int rc = kpr_log_usage(ps->cmd, _("%s must be %s, not '%s'"), name, list.buf, arg);
	kpr_strbuf_release(&list);
	return rc;
}

static int set_int(const struct parser *ps, const struct kpr_option *o, const char *name, const char *arg)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (*arg && !*end && errno == 0 && v >= o->min && v <= o->max) {
		*(int *)o->value = (int)v;
		return KPR_OK;
	}
	if (o->invalid)
		return kpr_log_usage(ps->cmd, _(o->invalid), arg);
	return kpr_log_usage(ps->cmd, _("%s must be a whole number from %d to %d, not '%s'"), name, o->min, o->max, arg);
}

/* Store arg (NULL for a flag) where the option says. */
static int set_value(const struct parser *ps, const struct kpr_option *o, const char *arg)
{
	char name[64];
	const char *why;
	display_name(o, name, sizeof(name));
	switch (o->type) {
	case KPR_OPT_BOOL:
		if (o->long_name && strcmp(o->long_name, "help") == 0)
			ps->p->help = true;
		if (o->long_name && strcmp(o->long_name, "quiet") == 0)
			ps->p->quiet = true;
		if (o->value)
			*(bool *)o->value = true;
		return KPR_OK;
	case KPR_OPT_INT:
		return set_int(ps, o, name, arg);
	case KPR_OPT_STRING:
		*(const char **)o->value = arg;
		return KPR_OK;
	case KPR_OPT_MONTH:
		if (kpr_month_parse(arg, o->value) == KPR_OK)
			return KPR_OK;
		return kpr_log_usage(ps->cmd, _("%s must be a month like 2023-09, not '%s'"), name, arg);
	case KPR_OPT_CHOICE:
		for (const struct kpr_choice *c = o->choices; c->name; c++) {
			if (strcasecmp(c->name, arg) == 0) {
				*(int *)o->value = c->value;
				return KPR_OK;
			}
		}
		return bad_choice(ps, o, name, arg);
	case KPR_OPT_MONEY:
		if (kpr_money_parse(arg, KPR_UNIT_WAN, o->value, &why) == KPR_OK)
			return KPR_OK;
		return kpr_log_usage(ps->cmd, _("%s must be an amount in 万元, not '%s': %s"), name, arg, why);
	case KPR_OPT_END_:
		break;
	}
	abort();
}

/* --name, --name=value, --name value; *i moves past a value taken from the next argument. */
static int parse_long(const struct parser *ps, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *name = arg + 2, *eq = strchr(name, '=');
	const struct kpr_option *o = find_long(ps->opts, name, eq ? (size_t)(eq - name) : strlen(name));
	if (!o || (o->type == KPR_OPT_BOOL && eq))
		return kpr_log_usage(ps->cmd, _("unknown option '%s'"), arg);
	if (o->type == KPR_OPT_BOOL)
		return set_value(ps, o, NULL);
	if (eq)
		return set_value(ps, o, eq + 1);
	if (*i + 1 >= argc)
		return kpr_log_usage(ps->cmd, _("option '--%s' needs a value"), o->long_name);
	return set_value(ps, o, argv[++*i]);
}

/* -x, -xVALUE, -x VALUE, and flags bundled: -qv */
static int parse_short(const struct parser *ps, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	for (size_t j = 1; arg[j]; j++) {
		const struct kpr_option *o = find_short(ps->opts, arg[j]);
		int rc;
		if (!o)
			return kpr_log_usage(ps->cmd, _("unknown option '-%c'"), arg[j]);
		if (o->type == KPR_OPT_BOOL) {
			if ((rc = set_value(ps, o, NULL)) != KPR_OK || ps->p->help)
				return rc;
			continue;
		}
		if (arg[j + 1])
			return set_value(ps, o, arg + j + 1);
		if (*i + 1 >= argc)
			return kpr_log_usage(ps->cmd, _("option '-%c' needs a value"), arg[j]);
		return set_value(ps, o, argv[++*i]);
	}
	return KPR_OK;
}

int kpr_options_parse(const struct kpr_option *opts, int flags, const char *cmd, int argc, char **argv,
		      struct kpr_parsed *p)
{
	struct parser ps = { opts ? opts : no_options, cmd, p };
	int nargs = 0, rc = KPR_OK;

	memset(p, 0, sizeof(*p));
	for (int i = 1; i < argc && rc == KPR_OK && !p->help; i++) {
		char *arg = argv[i];
		bool ends = strcmp(arg, "--") == 0;
		if (ends || arg[0] != '-' || arg[1] == '\0') {	/* "-" is an argument: stdin */
			if (ends || (flags & KPR_PARSE_STOP_AT_ARG)) {
				for (i += ends; i < argc; i++)
					argv[nargs++] = argv[i];
				break;
			}
			argv[nargs++] = arg;
			continue;
		}
		rc = arg[1] == '-' ? parse_long(&ps, argc, argv, &i) : parse_short(&ps, argc, argv, &i);
	}
	argv[nargs] = NULL;
	p->argc = nargs;
	p->argv = argv;
	return rc;
}

/* "  -d, --dbname=CONNINFO" */
static void option_spec(const struct kpr_option *o, struct kpr_strbuf *sb)
{
	static const char *const by_type[] = {
		[KPR_OPT_INT] = "N", [KPR_OPT_STRING] = "VALUE", [KPR_OPT_MONEY] = "N",
	};
	kpr_strbuf_adds(sb, "  ");
	if (o->short_name)
		kpr_strbuf_addf(sb, "-%c%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name)
		kpr_strbuf_addf(sb, "--%s", o->long_name);
	if (o->type == KPR_OPT_BOOL)
		return;
	kpr_strbuf_addch(sb, o->long_name ? '=' : ' ');
	if (o->argh)
		kpr_strbuf_adds(sb, o->argh);
	else if (o->choices)
		add_choices(sb, o->choices, "|");
	else
		kpr_strbuf_adds(sb, by_type[o->type]);
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		putc(' ', out);
}

void kpr_options_help(const struct kpr_option *opts, FILE *out)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	size_t col = 0;
	opts = opts ? opts : no_options;
	FOR_EACH_OPTION(opts, o) {
		kpr_strbuf_reset(&sb);
		option_spec(o, &sb);
		size_t w = kpr_text_width(sb.buf);
		if (w <= SPEC_MAX && w > col)
			col = w;
	}
	col += 2;
	FOR_EACH_OPTION(opts, o) {
		kpr_strbuf_reset(&sb);
		option_spec(o, &sb);
		size_t w = kpr_text_width(sb.buf);
		fputs(sb.buf, out);
		if (w + 2 > col) {
			putc('\n', out);
			w = 0;
		}
		pad(out, col - w);
		for (const char *line = _(o->help); *line;) {
			size_t len = strcspn(line, "\n");
			fwrite(line, 1, len, out);
			putc('\n', out);
			line += len + (line[len] == '\n');
			if (*line)
				pad(out, col);
		}
	}
	kpr_strbuf_release(&sb);
}
