/*
 * evaluation.h: a month's colours for every project on the year's list (kpr colours): the
 * measures of all projects from one query, the engine (colour.h) on each, and the changed
 * results stored back in one COPY; unchanged ones write nothing.
 *
 *     struct kpr_evaluation_result res;
 *     if ((rc = kpr_evaluation_run(conn, month, false, &res)) == KPR_OK) ... res.counts[KPR_COLOUR_RED] ...
 *     kpr_evaluation_result_release(&res);
 */
#ifndef KPR_EVALUATION_H
#define KPR_EVALUATION_H

#include <libpq-fe.h>

#include "colour.h"
#include "kpr.h"

/* A project in the lists of a run: a colour changed since the month before, or a row stored. */
struct kpr_evaluation_item {
	char *code, *name;
	bool has_previous;	/* false: nothing before (no evaluation stored, or the month before none) */
	enum kpr_colour previous, colour;
	char *rule_id;		/* NULL: none (unrated) */
	char *reason;		/* the override's words when one applies, else the rules' */
};

struct kpr_evaluation_list {
	struct kpr_evaluation_item *items;
	size_t n, alloc;
};

struct kpr_evaluation_result {
	int month;
	long projects;			/* on the year's list */
	long counts[KPR_COLOUR_COUNT];	/* by the colour given (an override's when one applies) */
	long stored;			/* new or changed rows written (or, in a dry run, to be written) */
	long previous;			/* projects evaluated the month before */
	/* colours that differ from the month before, worst first (red, yellow, unrated, green,
	 * blue), then by code */
	struct kpr_evaluation_list changed;
	struct kpr_evaluation_list to_store;	/* a dry run: the rows it would write, worst first */
};

/*
 * The default month: the latest month whose reports are due by today (KPR_TODAY, else the
 * clock in the configuration's time zone), a month's reports being due on the setting
 * report_due_day (default 5) of the month after.  Database errors are printed and returned.
 */
int kpr_evaluation_default_month(PGconn *conn, int *month) KPR_WARN_UNUSED;

/*
 * Evaluate every project on month's year's list as of month, in one transaction, and store
 * each result that differs from the current stored one (which stays, superseded).  A dry run
 * computes the same and writes nothing.  Refused for a session that is not the city's
 * (KPR_EPERM); a year without colour rules is KPR_EINPUT; both with a message.  Database
 * errors are printed and returned.  res is filled on success, released with
 * kpr_evaluation_result_release().
 */
int kpr_evaluation_run(PGconn *conn, int month, bool dry_run, struct kpr_evaluation_result *res) KPR_WARN_UNUSED;

void kpr_evaluation_result_release(struct kpr_evaluation_result *res);

/*
 * What the measures read, as SQL text kpr writes (never a user's): listed, the rows
 * (project_id, year, annual_plan) of the list; progress, rows shaped as progress_current; override,
 * a call giving the override of p.project_id in m.month (SETOF colour_override); only, "" or
 * " AND <condition on y.project_id>" to evaluate some of the list.  kpr_evaluation_current is
 * the registry as it is now (kpr colours reads it).
 */
struct kpr_evaluation_sources {
	const char *listed, *progress, *override, *only;
};
extern const struct kpr_evaluation_sources kpr_evaluation_current;

/*
 * A month's colours on the fly, in the caller's transaction, nothing stored: the same measures
 * and engine as kpr_evaluation_run(), over src, each project's colour (NULL: unrated) into the
 * temporary table colour_fly (project_id, colour), dropped at commit.  Any role that reads the
 * registry may.  A year without colour rules evaluates nothing (*evaluated 0, no table).
 * Database errors are printed and returned.
 */
int kpr_evaluation_fly(PGconn *conn, int month, const struct kpr_evaluation_sources *src, long *evaluated)
	KPR_WARN_UNUSED;

#endif
