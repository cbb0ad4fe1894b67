/*
 * year.h: opening a new year: its scenarios and colour rules copied from an earlier year, so
 * that the year's project list can be imported at once.
 *
 *     struct kpr_year_open_result r;
 *     if ((rc = kpr_year_open(conn, 2024, 0, &r)) == KPR_OK) printf("%d copied\n", r.scenarios_copied);
 *
 * What a year holds is the configuration's (config.h, kpr import config): scenarios by year and
 * code, colour rules replaced as a set.  Opening a year only adds what the year lacks.
 */
#ifndef KPR_YEAR_H
#define KPR_YEAR_H

#include <libpq-fe.h>

#include "kpr.h"

struct kpr_year_open_result {
	int year;
	int from;			/* the year copied from */
	int scenarios_copied;
	int scenarios_kept;		/* the year's own scenarios, there before and left alone */
	int rules_copied;		/* with their conditions */
	int rules_kept;			/* the year's own colour rules: then none are copied */
	int from_rules;			/* the colour rules of the year copied from */
};

/* Did the opening write anything? */
bool kpr_year_open_changed(const struct kpr_year_open_result *r);

/*
 * Open year: copy into it, in one transaction, the scenarios of year from that it lacks (a
 * scenario whose code or name the year already has is the year's own, kept as it is), and
 * from's colour rules with their conditions when the year has no rules at all.  from 0: the
 * latest year before year that has scenarios.  The rows written are audited one by one, as
 * kpr import config's are; running it again writes nothing.
 *
 * No year to copy from (none before year has scenarios, or from has none): message, nothing
 * written, KPR_EINPUT.  A database error (a role that may not write the configuration:
 * KPR_EPERM with the permission hint) is printed and its status returned; nothing written.
 * res is filled only on success.
 */
int kpr_year_open(PGconn *conn, int year, int from, struct kpr_year_open_result *res) KPR_WARN_UNUSED;

#endif
