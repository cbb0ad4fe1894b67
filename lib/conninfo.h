/*
 * conninfo.h: the passwords inside a connection string, found so that kpr never shows them.
 *
 *     char *shown = kpr_conninfo_mask(conninfo);	// "host=db user=gu_an password=********"
 *     kpr_log_debug("connecting with %s", shown); free(shown);
 *
 * A connection string is what libpq's expand_dbname takes: key=value pairs (password=VALUE,
 * quoted or not) or a postgresql:// (postgres://) URI (user:PASSWORD@host, ?password=VALUE).
 * The string is read as libpq reads it (fe-connect.c: conninfo_parse, conninfo_uri_parse); from
 * where it stops making sense on, the rest counts as a password, since what follows a space in
 * an unquoted password (password=two words) is what libpq's error then quotes.  A plain database
 * name (no '=', no URI prefix) holds none.  Nothing here fails or prints.
 */
#ifndef KPR_CONNINFO_H
#define KPR_CONNINFO_H

#include <stddef.h>

#include "kpr.h"

/* Does the connection string hold a password (or an unreadable rest)? */
bool kpr_conninfo_has_password(const char *conninfo);

/* The connection string with each password replaced by "********"; a new string to free(). */
char *kpr_conninfo_mask(const char *conninfo) KPR_WARN_UNUSED;

/* Overwrite each password's bytes with '*' in place, the length kept: for argv, so that
 * /proc/PID/cmdline and ps no longer show it. */
void kpr_conninfo_scrub(char *conninfo);

/*
 * The passwords of conninfo as written and as libpq reads them (unquoted, unescaped,
 * percent-decoded), each a new string, appended to secrets[*n] while *n < max: what a message
 * about the string must not show (kpr_conninfo_hide).
 */
void kpr_conninfo_secrets(const char *conninfo, char **secrets, size_t *n, size_t max);

/* text with every occurrence of each non-empty secret replaced by "********"; a new string. */
char *kpr_conninfo_hide(const char *text, char *const *secrets, size_t n) KPR_WARN_UNUSED;

#endif
