/*
 * project.h: one project of the registry, found by its code for the commands that work on one
 * (kpr update, kpr stage).
 *
 *     struct kpr_project p;
 *     if ((rc = kpr_project_load(conn, "LF2023-001", &p)) != KPR_OK) return rc;
 *     ... p.id, p.name ...;  kpr_project_release(&p);
 */
#ifndef KPR_PROJECT_H
#define KPR_PROJECT_H

#include <libpq-fe.h>

#include "kpr.h"

struct kpr_project {
	int64_t id;
	char *code, *name;
	char *region;		/* region code */
	char *pool;		/* pool code, or NULL */
	int start_year;		/* 0: not known */
};

/*
 * The project with exactly this code, found by kpr_project_find() (project_find.h: an unknown
 * code is an error with the nearest code or name as a hint, KPR_EINPUT), and its fields.  A
 * database error is printed and its status returned.  On success release p with
 * kpr_project_release().
 */
int kpr_project_load(PGconn *conn, const char *code, struct kpr_project *p) KPR_WARN_UNUSED;
void kpr_project_release(struct kpr_project *p);

/* Is the session the city office's (kpr.is_city())?  When not: "permission denied: role R is
 * not the city office's; only the city office may DOING" with a hint, KPR_EPERM.  The one
 * check of every city-only command. */
int kpr_require_city(PGconn *conn, const char *doing) KPR_WARN_UNUSED;

/* The registry's time zone (setting "timezone"), into buf; "Asia/Shanghai" when unset. */
int kpr_project_timezone(PGconn *conn, char *buf, size_t size) KPR_WARN_UNUSED;

#endif
