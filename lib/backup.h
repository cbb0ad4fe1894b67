/*
 * backup.h: a backup of the local instance (kpr local backup|restore): its registry database
 * and the roles that go with it, in one file.
 *
 *     struct kpr_backup b;
 *     rc = kpr_backup_write(&l, NULL, &written);          // $KPR_HOME/backups/kpr-backup-DATE.tar
 *     if (kpr_backup_read("kpr-backup-2023-10-15.tar", &b) == KPR_OK) rc = kpr_backup_restore(&l, &b);
 *     kpr_backup_release(&b);
 *
 * The file is a POSIX tar archive (tar tf lists it, tar xf unpacks it) of three members:
 *   MANIFEST   "kpr-backup 1", then one "key value" line each: database, date, postgresql,
 *              schema, and "file NAME SIZE SHA256" for each member below
 *   roles.sql  the registry's roles and memberships as SQL that may be run again: <db>_city,
 *              <db>_county, <db>_reader, the offices, their members' logins, and the logins
 *              made members of any of these by hand; their attributes and password hashes
 *   kpr.dump   pg_dump's custom format of database kpr (pg_restore reads it)
 * Role names follow the database's name (migrations/0001_init.sql), so a backup is restored
 * under the same name, kpr, into an instance whose database holds nothing yet.
 */
#ifndef KPR_BACKUP_H
#define KPR_BACKUP_H

#include <stdio.h>

#include "kpr.h"
#include "local.h"
#include "strbuf.h"

struct kpr_backup {
	char database[64];	/* the database it holds */
	char date[40];		/* the day it was made, YYYY-MM-DD */
	char postgresql[32];	/* the server's version */
	char schema[16];	/* kpr's schema version */
	struct kpr_strbuf roles;	/* roles.sql */
	FILE *dump;		/* kpr.dump, a temporary file, read from its start */
};

/*
 * Back up the running local instance's registry to path, or, when path is NULL, to
 * $KPR_HOME/backups/kpr-backup-DATE.tar (DATE from $KPR_TODAY, else today in the registry's time
 * zone; -2, -3... added rather than replacing one of the same day).  The file, mode 0600 since
 * it holds password hashes, is written whole or not at all (outfile.h); *written gets its name.
 * Prints and returns KPR_EDB when the instance does not run or holds no registry, or pg_dump
 * fails; KPR_EFILE when the file cannot be written; KPR_EUSAGE for a bad $KPR_TODAY.
 */
int kpr_backup_write(const struct kpr_local *l, const char *path, struct kpr_strbuf *written) KPR_WARN_UNUSED;

/*
 * Read and check a backup file whole (each member against its checksum) into b, before
 * anything is changed.  Prints, naming the file, and returns KPR_EFILE when it cannot be read,
 * is not a kpr backup, or is damaged (b is then released).
 */
int kpr_backup_read(const char *path, struct kpr_backup *b) KPR_WARN_UNUSED;
void kpr_backup_release(struct kpr_backup *b);

/* Is the running local instance's database empty: no schema but public, no table in it?
 * KPR_OK; else prints and returns KPR_EINPUT; KPR_EDB when it cannot be reached. */
int kpr_backup_check_empty(const struct kpr_local *l) KPR_WARN_UNUSED;

/*
 * Restore b into the running, empty local instance: the roles (created when missing, their
 * attributes, passwords and memberships set) in one transaction, then the database with
 * pg_restore in one transaction, then ANALYZE.  A failure of pg_restore leaves the roles
 * and an empty database: the restore can be run again.  Prints and returns KPR_EINPUT for a
 * backup of another database, KPR_EDB when a step fails.
 */
int kpr_backup_restore(const struct kpr_local *l, const struct kpr_backup *b) KPR_WARN_UNUSED;

#endif
