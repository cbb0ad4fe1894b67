/*
 * listing.h: the year's project list with its figures as of a month, for kpr list: filtered in
 * the database and read through a cursor a page at a time, so that 200,000 projects are never
 * held in memory at once.
 *
 *     struct kpr_listing_filter f = { .region = "固安", .colour = "red" };
 *     struct kpr_listing l;
 *     if ((rc = kpr_listing_open(conn, &f, &l)) == KPR_OK) {
 *         while ((rc = kpr_listing_fetch(&l, &page)) == KPR_OK && page) { ...PQgetvalue(page, r, KPR_LISTING_CODE)...; PQclear(page); }
 *         kpr_listing_close(&l);
 *     }
 *
 * The figures: completed is the year-to-date, the sum of the current month amounts
 * (progress_current.amount) of the year's months up to the month; the colour is the one stored
 * for the month (colour_current.h).  Money comes back as whole yuan (money.h).
 */
#ifndef KPR_LISTING_H
#define KPR_LISTING_H

#include <libpq-fe.h>

#include "kpr.h"

/* The columns of a page, in this order (text as libpq gives it; NULL where the project has none). */
enum kpr_listing_col {
	KPR_LISTING_CODE, KPR_LISTING_NAME,
	KPR_LISTING_REGION,		/* the region's name */
	KPR_LISTING_REGION_SHORT,	/* its short name, else its name */
	KPR_LISTING_ZONE, KPR_LISTING_ZONE_SHORT,
	KPR_LISTING_SCENARIOS,		/* the year's scenario names, joined by 、 in their order */
	KPR_LISTING_INDUSTRY, KPR_LISTING_LEVEL, KPR_LISTING_NATURE, KPR_LISTING_OWNER,
	KPR_LISTING_RESPONSIBLE_UNIT, KPR_LISTING_LEADER, KPR_LISTING_SCOPE,
	KPR_LISTING_START_YEAR, KPR_LISTING_END_YEAR,
	KPR_LISTING_PLANNED_START,	/* YYYY-MM */
	KPR_LISTING_TOTAL_INVESTMENT,	/* yuan */
	KPR_LISTING_ANNUAL_PLAN,	/* yuan */
	KPR_LISTING_REMARKS,
	KPR_LISTING_POOL,		/* the pool's name */
	KPR_LISTING_COLOUR,		/* red, yellow, green, blue; NULL: unrated */
	KPR_LISTING_COMPLETED,		/* yuan: the year-to-date as of the month (0 without reports) */
	KPR_LISTING_NCOLS
};

struct kpr_listing_filter {
	int year;		/* 0: the latest year with a list */
	int month;		/* month.h's int; 0: the latest month of the year with reports */
	/* each NULL: any; region, zone, scenario and pool by code or name (folded, refdata.h) */
	const char *region, *zone, *scenario, *pool;
	const char *colour;	/* red, yellow, green, blue or unrated */
	const char *nature;	/* 新开工, 续建, 竣工投产 or 前期 */
	const char *leader, *responsible, *search;	/* contained in the leader, the responsible
							   unit; in the code, name or owner */
};

struct kpr_listing {
	PGconn *conn;
	int year;		/* the list's year */
	int month;		/* the figures' month; 0 when the year has no reports */
	int page_rows;		/* rows a fetch (default 1000) */
	bool open;
};

/*
 * Resolve the filter's names, choose the year and month, and open the cursor (in a read-only
 * transaction of its own).  An unknown region, zone, scenario or pool, a year without a list or
 * a month outside the year: the error (with the nearest name as a hint) and KPR_EINPUT.  A
 * database error: printed, its status.  Either way nothing is left open.
 */
int kpr_listing_open(PGconn *conn, const struct kpr_listing_filter *f, struct kpr_listing *l) KPR_WARN_UNUSED;

/* The next page of rows into *page (the caller PQclear()s it), or *page NULL at the end.  A
 * database error: printed, its status. */
int kpr_listing_fetch(struct kpr_listing *l, PGresult **page) KPR_WARN_UNUSED;

/* kpr list's defaults: the latest year with a list (0: none) and its latest month with reports
 * that count (0: none), for the commands that show figures "as of now".  A database error:
 * printed, its status. */
int kpr_listing_period(PGconn *conn, int *year, int *month) KPR_WARN_UNUSED;

/* Is there a list for year (0: for any year)?  What is handed out must not be an empty list: no
 * list is an error saying so, KPR_EINPUT; a database error: printed, its status. */
int kpr_listing_require(PGconn *conn, int year) KPR_WARN_UNUSED;

/* Close the cursor and end the transaction (whatever state it is in). */
void kpr_listing_close(struct kpr_listing *l);

#endif
