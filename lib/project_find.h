/*
 * project_find.h: a project named by its code on the command line (kpr show, kpr log, kpr
 * update), with the nearest code or name as a hint when there is none.
 *
 *     int64_t id;
 *     if ((rc = kpr_project_find(conn, "LF2023-02", &id)) != KPR_OK) return rc;
 *         // kpr: error: no project with code 'LF2023-02'
 *         // HINT:  Did you mean LF2023-002 (廊坊临空经济区智慧物流园项目)?
 *
 * The code must match exactly (codes are never rewritten).  The hint: a code within a few
 * edits of the text (after folding, fold.h), else a name containing the text, contained in it
 * or within a few edits of it; the closest wins.  Looking for it reads the codes and names a
 * page at a time, never all at once.
 */
#ifndef KPR_PROJECT_FIND_H
#define KPR_PROJECT_FIND_H

#include <libpq-fe.h>

#include "kpr.h"

/*
 * The project_id of the project with this code into *id.  None: the error naming the code,
 * the hint when something is near, and KPR_EINPUT.  A database error: printed, its status.
 * Uses the connection's transaction when one is open, else a read-only one of its own.
 */
int kpr_project_find(PGconn *conn, const char *code, int64_t *id) KPR_WARN_UNUSED;

#endif
