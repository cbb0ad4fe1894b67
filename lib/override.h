/*
 * override.h: a manual colour (人工认定) above the rules: set for a project from a month through
 * another (or until cleared), cleared with a reason; both audited, the city's only.
 *
 *     struct kpr_override o = { .code = "LF2023-001", .colour = KPR_COLOUR_RED, .reason = "...",
 *                               .from = month, .until = KPR_COLOUR_NONE };
 *     rc = kpr_override_set(conn, &o, &id);
 */
#ifndef KPR_OVERRIDE_H
#define KPR_OVERRIDE_H

#include <libpq-fe.h>

#include "colour.h"
#include "kpr.h"

struct kpr_override {
	const char *code;
	enum kpr_colour colour;
	const char *reason;
	int from, until;	/* months; until KPR_COLOUR_NONE: until cleared */
};

/*
 * Record an override for the project with this code; *id is its number.  The latest set wins
 * where several apply.  No such project: message, KPR_EINPUT; not the city: KPR_EPERM;
 * database errors printed and returned.
 */
int kpr_override_set(PGconn *conn, const struct kpr_override *o, long *id) KPR_WARN_UNUSED;

/*
 * Clear every override of the project not cleared yet, recording who and why; *cleared is how
 * many.  None to clear, or no such project: message, KPR_EINPUT; otherwise as above.
 */
int kpr_override_clear(PGconn *conn, const char *code, const char *reason, long *cleared) KPR_WARN_UNUSED;

#endif
