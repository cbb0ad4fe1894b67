/*
 * config.h: the configuration file of `kpr import config` (docs/formats.md): regions,
 * functional zones, project pools, each year's scenarios and colour rules, two settings.
 *
 *     struct kpr_config *cfg;
 *     if ((rc = kpr_config_load(&cfg, "config.yaml")) == KPR_OK) rc = kpr_config_store(conn, cfg, false, &res);
 *
 * Parsing and checking need no database (unit-testable); kpr_config_store() then checks what
 * only the database knows and writes everything in one transaction, or nothing.  The same
 * structure, read back with kpr_config_fetch(), is what `kpr config` shows.
 */
#ifndef KPR_CONFIG_H
#define KPR_CONFIG_H

#include <libpq-fe.h>

#include "kpr.h"
#include "problems.h"
#include "strbuf.h"

/* The format version this kpr reads (the file's "kpr_config:" key). */
#define KPR_CONFIG_VERSION 1

/* The struct kpr_mark fields (problems.h) say where a value was in the file, for messages;
 * they are 0 in what kpr_config_fetch() reads from the database. */

struct kpr_config_region {
	char *code;		/* GB/T 2260, six digits */
	char *name, *short_name;	/* short_name may be NULL */
	char *level;		/* "city" or "county" */
	char *parent;		/* a region code, or NULL */
	int ord;		/* position in the list, from 1 */
	struct kpr_mark at, code_at, name_at, short_name_at, parent_at;
};

struct kpr_config_zone {
	char *code, *name, *short_name;
	char *region;		/* the region it lies in, or NULL */
	int ord;
	struct kpr_mark at, code_at, name_at, short_name_at, region_at;
};

struct kpr_config_pool {
	char *code, *name, *name_en;
	char *mark;		/* what the pool means (kpr_config_pool_marks), or NULL */
	int ord;		/* position in the list, from 1: the order of the pools */
	struct kpr_mark at, code_at, name_at, mark_at;
};

/* The marks a pool may carry, each on one pool at most: where a new project starts
 * ("preparation"; "construction" when it is continuing), where a start, a completion or a
 * withdrawal (退库) moves it. */
extern const char *const kpr_config_pool_marks[];
extern const size_t kpr_config_npool_marks;

struct kpr_config_scenario {
	char *code, *name;
	bool sample;		/* a sample name, not an official one */
	int ord;
	struct kpr_mark at, code_at, name_at;
};

enum kpr_measure_kind {
	KPR_MEASURE_NUMBER,	/* a decimal: percent or percentage points */
	KPR_MEASURE_COUNT,	/* a whole number of months */
	KPR_MEASURE_BOOL	/* true or false, stored as 1 or 0 */
};

struct kpr_config_measure {
	const char *name;	/* as in colour_rule_condition.measure */
	enum kpr_measure_kind kind;
};

/* The measures a colour rule can test, in the order conditions are shown. */
extern const struct kpr_config_measure kpr_config_measures[];
extern const size_t kpr_config_nmeasures;
/* The measure called name, or NULL. */
const struct kpr_config_measure *kpr_config_measure_find(const char *name);

struct kpr_config_condition {
	const struct kpr_config_measure *measure;
	const char *op;		/* "<", "<=", "=", "!=", ">=", ">" (static) */
	char *value;		/* canonical decimal ("30", "-0.5"); booleans "1" or "0" */
	struct kpr_mark at;
};

struct kpr_config_rule {
	char *id;
	char *colour;		/* "red", "yellow", "green", "blue" */
	char *description;	/* may be NULL */
	int ord;		/* from 1; first match wins */
	struct kpr_config_condition *conds;
	size_t nconds;
	struct kpr_mark at, id_at;
};

struct kpr_config_year {
	int year;
	bool has_scenarios, has_rules;	/* the keys were given (an absent one leaves the database alone) */
	struct kpr_config_scenario *scenarios;
	size_t nscenarios;
	struct kpr_config_rule *rules;
	size_t nrules;
	struct kpr_mark at;
};

struct kpr_config {
	char *file;		/* what messages call the file; NULL when read from the database */
	int version;
	char *timezone;		/* NULL: not given */
	char *local_code_pattern;
	char *report_due_day;	/* "1" to "28": a month's reports are due that day of the next; NULL: not given */
	char *report_bands;	/* the report's bands of total investment, "FROM:CODE:NAME|..." (FROM
				   in 万元, highest first); NULL: not given */
	struct kpr_mark timezone_at, pattern_at;
	bool has_regions, has_zones, has_pools;
	struct kpr_config_region *regions;
	size_t nregions;
	struct kpr_config_zone *zones;
	size_t nzones;
	struct kpr_config_pool *pools;
	size_t npools;
	struct kpr_config_year *years;
	size_t nyears;
};

/*
 * Parse and check a configuration held in memory (name is what messages call it).  Every
 * problem is printed as NAME:LINE:COLUMN: message, in file order, followed by one error line;
 * then KPR_EINPUT is returned and *out is NULL.  On success *out is the configuration, to be
 * freed with kpr_config_free().
 */
int kpr_config_parse(struct kpr_config **out, const char *name, const char *buf, size_t len) KPR_WARN_UNUSED;

/*
 * Read the file at path ("-" is standard input) and parse it as above.  A file that cannot be
 * opened or read: message with the path and the system's reason, KPR_EFILE.
 */
int kpr_config_load(struct kpr_config **out, const char *path) KPR_WARN_UNUSED;

void kpr_config_free(struct kpr_config *cfg);

/* Inserted, updated and unchanged rows of one kind. */
struct kpr_config_count {
	int inserted, updated, unchanged;
};

enum kpr_rules_outcome {
	KPR_RULES_ABSENT,	/* the year has no colour_rules key */
	KPR_RULES_NEW,		/* the year had no rules */
	KPR_RULES_REPLACED,	/* the year's rules differed and were replaced as a set */
	KPR_RULES_UNCHANGED
};

struct kpr_config_year_result {
	int year;
	struct kpr_config_count scenarios;
	int rules;		/* rules in the file */
	enum kpr_rules_outcome rules_outcome;
};

struct kpr_config_result {
	struct kpr_config_count settings, regions, zones, pools;
	struct kpr_config_year_result *years;	/* one per cfg->years, same order */
	size_t nyears;
	/* rows in the database that the file does not list: kept (and warned about) */
	int kept_regions, kept_zones, kept_pools, kept_scenarios;
};

/*
 * Write cfg to the database in one transaction: settings, regions, zones and pools by code,
 * scenarios by year and code (inserted, or updated only where they differ, so that loading
 * the same file twice touches no row), and each year's colour rules replaced as a set when
 * they differ.  Rows the file does not list are kept, with a warning.  First checks what only
 * the database knows (parent and zone regions not in the file, names and pool orders taken by
 * rows the file does not list, the time zone): such problems are printed as
 * FILE:LINE:COLUMN: message and give KPR_EINPUT.  On any error nothing is written and the
 * status is returned (KPR_EINPUT, KPR_EDB, KPR_EPERM); res is filled only on success and is
 * released with kpr_config_result_release().  A dry run does all of it, checks and counts
 * included, then rolls back: res says what would change, and nothing is written.
 */
int kpr_config_store(PGconn *conn, const struct kpr_config *cfg, bool dry_run,
		     struct kpr_config_result *res) KPR_WARN_UNUSED;

/* Did the store change anything? */
bool kpr_config_result_changed(const struct kpr_config_result *res);
void kpr_config_result_release(struct kpr_config_result *res);

/*
 * Read the configuration back from the database: settings, all regions, zones and pools, and
 * the scenarios and colour rules of one year (year 0: the latest year that has scenarios, or
 * else rules; no year at all leaves nyears 0).  Conditions come in kpr_config_measures order.
 * On a database error prints it and returns its status, *out NULL.
 */
int kpr_config_fetch(PGconn *conn, int year, struct kpr_config **out) KPR_WARN_UNUSED;

/* Append a condition as the docs write it: "points_behind > 30", "reported = false". */
void kpr_config_condition_format(const struct kpr_config_condition *c, struct kpr_strbuf *sb);

#endif
