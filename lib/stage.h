/*
 * stage.h: the city moves a project between the pools (kpr stage): forward by one or more
 * steps, back with a reason, or withdrawn (退库, the pool marked withdrawn) with a reason; each
 * move a pool_move row.
 *
 *     struct kpr_stage_request rq = { .code = "LF2023-005", .pool = "开工库" };
 *     if ((rc = kpr_stage(conn, &rq, &r)) == KPR_OK) printf("%s -> %s\n", r.from, r.to);
 *     kpr_stage_result_release(&r);
 */
#ifndef KPR_STAGE_H
#define KPR_STAGE_H

#include <libpq-fe.h>

#include "kpr.h"
#include "project.h"

struct kpr_stage_request {
	const char *code;
	const char *pool;	/* a pool's code, Chinese or English name, or "withdrawn" */
	const char *date;	/* YYYY-MM-DD, or NULL: today ($KPR_TODAY, else the registry's time zone) */
	const char *reason;	/* NULL: none */
};

struct kpr_stage_result {
	struct kpr_project project;
	char *from, *to;	/* the pools' names; from NULL when the project had none */
	char date[11];
	bool moved;		/* false: it was in that pool already, nothing written */
};

/*
 * Move the project, in one transaction with its row locked.  Refused, nothing written: a
 * session that is not the city's ("permission denied", KPR_EPERM); an unknown code (with a
 * hint) or pool (the pools listed), a move back or a withdrawal without a reason (KPR_EINPUT).
 * Release r with kpr_stage_result_release() whatever the status.
 */
int kpr_stage(PGconn *conn, const struct kpr_stage_request *rq, struct kpr_stage_result *r) KPR_WARN_UNUSED;
void kpr_stage_result_release(struct kpr_stage_result *r);

#endif
