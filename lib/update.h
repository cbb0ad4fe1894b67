/*
 * update.h: one project's monthly report by hand (kpr update): the month's completed
 * investment, or the year-to-date it is derived from, with the physical progress, problems,
 * and the start or completion.
 *
 *     struct kpr_update_request rq = { .code = "LF2023-001", .month = m, .has_amount = true, .amount = y };
 *     struct kpr_update_result r;
 *     if ((rc = kpr_update(conn, &rq, &r)) == KPR_OK) ... r.before, r.after ...;
 *     kpr_update_result_release(&r);
 *
 * Posting a month again is a correction: the earlier row stays, the new one is the month's next
 * version (numbered by the database under the project's row lock, so two postings of one
 * project follow each other and the later committed is current).
 */
#ifndef KPR_UPDATE_H
#define KPR_UPDATE_H

#include <libpq-fe.h>

#include "kpr.h"
#include "project.h"

struct kpr_update_request {
	const char *code;
	int month;			/* month.h */
	bool has_amount, has_ytd;	/* exactly one */
	int64_t amount, ytd;		/* yuan */
	const char *progress, *problems;	/* 形象进度, 存在问题; NULL: none */
	const char *started, *completed;	/* YYYY-MM-DD, or NULL */
	const char *reason;		/* 调整原因: a negative month, a closed month; NULL: none */
};

/* The project's line for the month: its figure, the year-to-date and the annual plan. */
struct kpr_update_line {
	bool reported;			/* the month has a figure */
	int64_t amount;			/* the month, yuan */
	bool has_ytd;			/* some month of the year up to it has a figure */
	int64_t ytd;
	bool has_plan;
	int64_t plan;			/* the year's annual plan, yuan */
	int version;			/* the month's current version; 0: none */
};

struct kpr_update_result {
	struct kpr_project project;
	struct kpr_update_line before, after;
	bool waited;			/* another writer held the project or the table for over a second */
};

/*
 * Post the report in one transaction.  Refused with a message naming the project, nothing
 * written: an unknown code (with a hint, KPR_EINPUT), a month in the future ($KPR_TODAY
 * decides) or before the project's start year, a negative month without a reason, a
 * year-to-date that would make this month or a later one negative without a reason, or take
 * any month's year-to-date below zero, a start after the completion, a completion never
 * started (KPR_EINPUT); a closed month (KPR_EPERM, naming the close; the city may with a
 * reason); a role that may not post it, by an error or an insert that wrote no row
 * ("permission denied", KPR_EPERM).  Waits for a bulk import or another posting of the
 * project, saying so after a second.  A deadlock or serialization failure runs the posting
 * again, silently, up to KPR_DB_ATTEMPTS times (lib/db.h); a connection lost is KPR_EDB, with
 * nothing written.  Release res with kpr_update_result_release() whatever the status.
 */
int kpr_update(PGconn *conn, const struct kpr_update_request *rq, struct kpr_update_result *res) KPR_WARN_UNUSED;
void kpr_update_result_release(struct kpr_update_result *res);

#endif
