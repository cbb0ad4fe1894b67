/*
 * card.h: one project's card for kpr show: its fields, its scenarios and annual plans year by
 * year with their rebaselines, its progress month by month (with the year-to-date and the
 * completion rate, and the earlier versions of corrected months), its pool moves and its colour.
 * (Its last changes come from auditlog.h.)
 *
 *     struct kpr_batch_table t;
 *     if ((rc = kpr_card_part(conn, id, KPR_CARD_PROGRESS, &t)) == KPR_OK) { ...; kpr_batch_table_release(&t); }
 *
 * Each part is one parameterized query whose rows come back as text cells (batch.h), in the
 * column order its comment gives; money is whole yuan (money.h), months YYYY-MM, times the
 * registry's clock.
 */
#ifndef KPR_CARD_H
#define KPR_CARD_H

#include <libpq-fe.h>

#include "batch.h"
#include "kpr.h"

enum kpr_card_part {
	/* one row: code, name, region, zone, level, nature, industry, owner, responsible unit,
	 * leader, scope, start year, end year, planned start (YYYY-MM), total investment (yuan),
	 * pool, actual start, completed on, remarks, created (time), updated (time), the batch that
	 * last wrote it */
	KPR_CARD_FIELDS,
	/* year, the scenarios' names joined by 、, annual plan (yuan), the plan's reason, the batch
	 * that set it: a row a year the project is listed for, newest first */
	KPR_CARD_YEARS,
	/* year, the plan before (yuan), its reason, when it was replaced, the batch that replaced
	 * it: the rebaselines, newest first */
	KPR_CARD_REBASELINES,
	/* month, amount (yuan), year-to-date (yuan: the sum of the year's months so far), the
	 * year's annual plan (yuan), physical progress, problems, actual start, who reported,
	 * when, batch, how many versions the month has: the current figure of each month, newest
	 * first */
	KPR_CARD_PROGRESS,
	/* month, amount (yuan; NULL when only a year-to-date was reported), year-to-date reported
	 * (yuan), who, when, batch, "superseded" or "reverted" (its batch was reverted): the
	 * earlier versions of corrected months, newest first */
	KPR_CARD_VERSIONS,
	/* moved on, from pool, to pool (names; NULL: withdrawn), reason, who, when: the pool
	 * moves, newest first */
	KPR_CARD_POOLS
};

/* One part of project id's card into t.  A database error: printed, its status, t empty. */
int kpr_card_part(PGconn *conn, int64_t id, enum kpr_card_part part, struct kpr_batch_table *t) KPR_WARN_UNUSED;

/* Project id's colour as of month (month.h's int; 0: none, unrated) into t, one row: colour
 * (NULL: unrated) and why (colour_current.h).  A database error: printed, its status. */
int kpr_card_colour(PGconn *conn, int64_t id, int month, struct kpr_batch_table *t) KPR_WARN_UNUSED;

#endif
