/*
 * period.h: closed months (kpr period).  Once the city has published a month's figures it
 * closes the month: no office can then post or correct it or an earlier month; the city can,
 * with a reason.  The database enforces it (trigger progress_post, migration 0009); this is
 * the city's side: closing, reopening, listing.
 *
 *     if ((rc = kpr_period_close(conn, month, NULL)) != KPR_OK) return rc;
 */
#ifndef KPR_PERIOD_H
#define KPR_PERIOD_H

#include <libpq-fe.h>

#include "kpr.h"

/*
 * Close month (and so every earlier one).  Refused: a session that is not the city's
 * (KPR_EPERM), a month in the future (KPR_EINPUT).  A month already closed: said, nothing
 * written, KPR_OK.  Database errors are printed and their status returned.
 */
int kpr_period_close(PGconn *conn, int month, const char *reason) KPR_WARN_UNUSED;

/* Reopen a closed month, with a reason.  A month that is not closed: KPR_EINPUT; not the
 * city: KPR_EPERM.  Later months closed keep it closed: said in a warning. */
int kpr_period_reopen(PGconn *conn, int month, const char *reason) KPR_WARN_UNUSED;

/* The closes and reopens, oldest first: month, action, reason, by, at (text columns). */
int kpr_period_list(PGconn *conn, PGresult **res) KPR_WARN_UNUSED;

#endif
