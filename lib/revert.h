/*
 * revert.h: undoing an import batch (kpr batch revert N --reason TEXT).
 *
 *     struct kpr_revert_result r;
 *     if ((rc = kpr_revert_batch(conn, 12, "wrong month", false, &r)) == KPR_OK) { ...r.restored... }
 *     kpr_revert_result_release(&r);
 *
 * In one transaction: the batch's progress rows stop counting (the batch is marked reverted:
 * reverted_at, reverted_by, revert_reason; view progress_current skips them), the projects it
 * changed get their earlier values back from the audit rows it wrote (old_row), its scenario
 * changes are undone, its rebaselines are undone from annual_plan_history, the list entries it
 * added are removed, and the projects it created are deleted.  Every one of those changes is
 * audited row by row (by the audit triggers: audit_log rows at the batch's reverted_at).
 * A row is still the batch's when nothing after it changed it (a batch not reverted, or a
 * single change); the rest are conflicts.
 */
#ifndef KPR_REVERT_H
#define KPR_REVERT_H

#include <libpq-fe.h>

#include "batch.h"
#include "kpr.h"

struct kpr_revert_result {
	long progress;		/* its progress rows that no longer count */
	long restored;		/* projects given their earlier values back */
	long scenarios;		/* scenario links removed or put back */
	long plans;		/* rebaselines undone */
	long unlisted;		/* list entries it added to known projects, removed */
	long deleted;		/* projects it created, deleted */
	/* what a later batch or change touched, one line a row ("LF2023-003: changed by batch 5"):
	 * kept as it is (with force), or the reason for refusing */
	struct kpr_batch_table conflicts;
};

/*
 * Revert batch id for reason.  Refuses (prints why, returns KPR_EINPUT, writes nothing) a batch
 * that does not exist, a configuration batch, one already reverted, and, without force, one
 * with conflicts (listed in r->conflicts as well as printed); with force, undoes what is still
 * the batch's and leaves the conflicts as they are.  A database error (KPR_EPERM for a role
 * without the city's rights) is printed and its status returned, with nothing written.
 */
int kpr_revert_batch(PGconn *conn, long id, const char *reason, bool force, struct kpr_revert_result *r)
	KPR_WARN_UNUSED;

/* The conflicts as a DETAIL message (stderr), the first 20 and how many more; nothing when none. */
void kpr_revert_detail_conflicts(const struct kpr_revert_result *r);

void kpr_revert_result_release(struct kpr_revert_result *r);

#endif
