/*
 * kpr.h: what every part of kpr shares: exit statuses, the gettext macros, attributes.
 *
 *     int rc = kpr_migrate_check(conn);
 *     if (rc != KPR_OK) return rc;      // rc is already the command's exit status
 *
 * Library functions return a kpr_status; the command returns it as its exit status unchanged,
 * so the documented exit codes hold by construction.
 */
#ifndef KPR_H
#define KPR_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* a message with a count n: the singular s or the plural p, as the language's rules say
 * (kpr_log_error(P_("%ld row rejected", "%ld rows rejected", n), n)) */
#define P_(s, p, n) ngettext(s, p, (unsigned long)(n))

#define KPR_WARN_UNUSED __attribute__((warn_unused_result))
#define KPR_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* The documented exit codes (docs/user-guide.md, kpr --help). */
enum kpr_status {
	KPR_OK = 0,
	KPR_EINPUT = 1,		/* input rejected or refused by a rule; nothing written */
	KPR_EUSAGE = 2,		/* bad command line */
	KPR_EDB = 3,		/* cannot connect, server error, schema newer than binary */
	KPR_EPERM = 4,		/* permission denied */
	KPR_EFILE = 5		/* a local file cannot be read or written */
};

#define KPR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
