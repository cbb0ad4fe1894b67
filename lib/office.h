/*
 * office.h: the county offices (县级项目办) of a registry: login roles, members of <db>_county,
 * each with the regions or zones it reports for, and the personal logins that act for them
 * (migrations/0008_offices.sql).  Everything goes through the registry's SECURITY DEFINER
 * functions, which only the city may run: the city role itself has no CREATEROLE.
 *
 *     struct kpr_office_spec o = { .name = "gu_an", .regions = "131022", .title = "固安县重点项目办" };
 *     rc = kpr_office_add(conn, &o, password_hash);
 *
 * Roles are shared by every database of a server: an office's name is the server's, not the
 * registry's.  On error each function prints the server's message and returns its status:
 * KPR_EPERM for a session that is not the city's, KPR_EINPUT for a bad or taken name, an
 * unknown region or zone, an office or member that is not there.
 */
#ifndef KPR_OFFICE_H
#define KPR_OFFICE_H

#include <libpq-fe.h>

#include "batch.h"
#include "kpr.h"

/* The longest name of an office or login, and its pattern: [a-z][a-z0-9_]{0,39}. */
#define KPR_OFFICE_NAME_MAX 40

struct kpr_office_spec {
	const char *name;
	const char *regions;	/* codes, comma-separated; or NULL */
	const char *zones;	/* codes, comma-separated; or NULL */
	const char *title;	/* its Chinese name; or NULL */
};

/* Is name an office's or login's name?  (The server checks again.) */
bool kpr_office_name_valid(const char *name);

/* Create the office's role (a login with password_hash, or none when NULL), in <db>_county. */
int kpr_office_add(PGconn *conn, const struct kpr_office_spec *o, const char *password_hash) KPR_WARN_UNUSED;
/* Drop the office's role; its members lose their membership (their logins stay). */
int kpr_office_remove(PGconn *conn, const char *name) KPR_WARN_UNUSED;
/* Make login (created when missing, with password_hash or none) a member of office name.  A
 * password for a login kpr did not create is refused (KPR_EINPUT), as is a login that is a
 * superuser or may create roles. */
int kpr_office_member_add(PGconn *conn, const char *name, const char *login, const char *password_hash)
	KPR_WARN_UNUSED;
int kpr_office_member_remove(PGconn *conn, const char *name, const char *login) KPR_WARN_UNUSED;

/* The offices, by name: name, title, scope ('固安县 (131022), ...'), members ('li, zhang'). */
int kpr_office_list(PGconn *conn, struct kpr_batch_table *t) KPR_WARN_UNUSED;

/* The scope of office name as text ('固安县 (131022)'), for messages; NULL on error. Free it. */
char *kpr_office_scope(PGconn *conn, const char *name);

#endif
