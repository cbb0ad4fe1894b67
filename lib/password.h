/*
 * password.h: a password as people give it to kpr: from a file, or typed at a terminal with no
 * echo; never from the command line, where ps and the shell's history would show it.
 *
 *     char *pw;
 *     if ((rc = kpr_password_read(file, _("Password for office gu_an: "), &pw)) != KPR_OK) return rc;
 *     ... kpr_db_hash_password(conn, pw, "gu_an", &hash) ...; kpr_password_free(pw);
 */
#ifndef KPR_PASSWORD_H
#define KPR_PASSWORD_H

#include "kpr.h"

/*
 * With file: its first line, without the line end (a file "-" is standard input).  Without:
 * when standard input is a terminal, asked with prompt on stderr, echo off, then again to
 * confirm; otherwise no password (*password NULL), for peer or trust authentication.  An empty
 * password, a file that cannot be read, or two answers that differ: the error is printed and
 * KPR_EINPUT (KPR_EFILE for the file) returned, *password NULL.
 */
int kpr_password_read(const char *file, const char *prompt, char **password) KPR_WARN_UNUSED;

/*
 * Ask once with prompt on stderr, echo off, when standard input is a terminal: for a server that
 * asks for a password (psql's prompt).  Not on a terminal: KPR_EINPUT, nothing printed, so that
 * the caller says what it wanted.  An empty answer or end of input: KPR_EINPUT, *password NULL.
 */
int kpr_password_ask(const char *prompt, char **password) KPR_WARN_UNUSED;

/* Overwrite and free a password (NULL is fine). */
void kpr_password_free(char *password);

#endif
