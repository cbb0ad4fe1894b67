/*
 * options.h: a command's options, from one table (git's parse-options).
 *
 *     static struct { bool dry_run; int unit; } o;
 *     static const struct kpr_option import_options[] = {
 *         KPR_OPT_FLAG(0, "dry-run", &o.dry_run, N_("say what would happen; write nothing")),
 *         KPR_OPT_CHOICE(0, "unit", &o.unit, units, N_("unit of money columns")),
 *         KPR_OPT_END
 *     };
 *
 * The dispatcher (cmd/kpr.c) parses a command's arguments against its table, storing each value
 * where the table says, before anything connects; the same table writes the "Options:" part of
 * the command's --help.  Long options may be abbreviated to a unique prefix and take their value
 * as --name=VALUE or --name VALUE; short ones as -xVALUE or -x VALUE, and flags may be bundled
 * (-qv).  Options and arguments may come in any order; "--" ends the options.  Every command
 * also takes -q/--quiet and -h/--help unless its table has its own.
 *
 * Errors are usage errors (exit 2), one wording a kind: unknown option '--x', option '--x' needs
 * a value, and a bad value: "--format must be csv or yaml, not 'xml'" (the choices listed), or
 * the option's own message.
 */
#ifndef KPR_OPTIONS_H
#define KPR_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "kpr.h"

enum kpr_opt_type {
	KPR_OPT_END_,
	KPR_OPT_BOOL,		/* bool *: set to true */
	KPR_OPT_INT,		/* int *: a whole number from min to max */
	KPR_OPT_STRING,		/* const char **: the value as given */
	KPR_OPT_MONTH,		/* int *: a month as month.h keeps it (2023-09, 2023年9月, ...) */
	KPR_OPT_CHOICE,		/* int *: the value of the choice named (case-insensitive) */
	KPR_OPT_MONEY		/* int64_t *: yuan, from an amount in 万元 (money.h) */
};

/* One accepted value of a CHOICE option; hidden ones (aliases) are accepted but not listed. */
struct kpr_choice {
	const char *name;
	int value;
	bool hidden;
};

struct kpr_option {
	enum kpr_opt_type type;
	char short_name;		/* 0: none */
	const char *long_name;		/* NULL: none */
	void *value;			/* where the value goes, of the type's C type */
	const char *argh;		/* the value's name in --help ("FILE"); NULL: by type or choices */
	const char *help;		/* N_(): may hold several lines */
	const struct kpr_choice *choices;	/* CHOICE: ends with { NULL } */
	int min, max;			/* INT: the range accepted */
	const char *invalid;		/* N_(): a bad value's message, one %s (the value); NULL: by type */
};

#define KPR_OPT_FLAG(s, l, v, h) { KPR_OPT_BOOL, (s), (l), (v), NULL, (h), NULL, 0, 0, NULL }
#define KPR_OPT_STR(s, l, v, a, h) { KPR_OPT_STRING, (s), (l), (v), (a), (h), NULL, 0, 0, NULL }
#define KPR_OPT_INTEGER(s, l, v, a, h, lo, hi, bad) { KPR_OPT_INT, (s), (l), (v), (a), (h), NULL, (lo), (hi), (bad) }
#define KPR_OPT_CHOICE(s, l, v, c, h) { KPR_OPT_CHOICE, (s), (l), (v), NULL, (h), (c), 0, 0, NULL }
#define KPR_OPT_MONTHS(s, l, v, h) { KPR_OPT_MONTH, (s), (l), (v), "YYYY-MM", (h), NULL, 0, 0, NULL }
#define KPR_OPT_AMOUNT(s, l, v, a, h) { KPR_OPT_MONEY, (s), (l), (v), (a), (h), NULL, 0, 0, NULL }
#define KPR_OPT_END { KPR_OPT_END_, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }

/* What a parse found besides the table's options. */
struct kpr_parsed {
	int argc;		/* the arguments left, in order, in argv[0..argc) */
	char **argv;
	bool help;		/* -h or --help: print the help, run nothing */
	bool quiet;		/* -q or --quiet, when the table has no -q of its own */
};

enum {
	KPR_PARSE_STOP_AT_ARG = 1	/* the first argument ends the options (kpr's own, before COMMAND) */
};

/*
 * Parse argv[1..argc) (argv[0] is the command's name) against opts, storing each value; the
 * arguments left are compacted into argv from argv[0] and described in *p.  cmd names the
 * command for the "Try ..." line of a usage error (NULL: kpr itself).  Returns KPR_OK, or
 * KPR_EUSAGE once the error is printed.  On -h/--help it stops there with p->help set.
 */
int kpr_options_parse(const struct kpr_option *opts, int flags, const char *cmd, int argc, char **argv,
		      struct kpr_parsed *p) KPR_WARN_UNUSED;

/* The options of the table, one a line, help aligned, as the "Options:" part of --help. */
void kpr_options_help(const struct kpr_option *opts, FILE *out);

/* Is this the option (by its long name) given in a table?  For commands that share a table. */
const struct kpr_option *kpr_options_find(const struct kpr_option *opts, const char *long_name);

#endif
