/*
 * tar.h: a POSIX ustar archive of regular files, written and read front to back (the file of
 * kpr local backup, which tar(1) lists and unpacks too).
 *
 *     kpr_tar_header(out, "roles.sql", len, mtime); fwrite(sql, 1, len, out); kpr_tar_pad(out, len);
 *     ... kpr_tar_end(out);
 *     while ((n = kpr_tar_next(in, name, &size, &why)) == 1) { read size bytes; kpr_tar_skip_pad(in, size); }
 *
 * Only what kpr writes: names under 100 bytes, regular files, mode 0600.
 */
#ifndef KPR_TAR_H
#define KPR_TAR_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "kpr.h"

#define KPR_TAR_NAME_MAX 100
/* The largest member: eleven octal digits of size */
#define KPR_TAR_SIZE_MAX ((UINT64_C(1) << 33) - 1)

/* A member's header, its padding, the archive's end (two zero blocks).  Write errors are left
 * in the stream's error flag for the caller (fflush, ferror). */
void kpr_tar_header(FILE *out, const char *name, uint64_t size, time_t mtime);
void kpr_tar_pad(FILE *out, uint64_t size);
void kpr_tar_end(FILE *out);

/*
 * The next member's header: 1 with its name (NUL-terminated, KPR_TAR_NAME_MAX + 1 bytes) and
 * size, 0 at the archive's end marker, -1 when what is there is no ustar header (end of file,
 * a bad checksum, not a regular file), with *why saying which (translated).
 */
int kpr_tar_next(FILE *in, char *name, uint64_t *size, const char **why) KPR_WARN_UNUSED;
/* Skip the padding after a member of size bytes; false at an early end of file. */
bool kpr_tar_skip_pad(FILE *in, uint64_t size) KPR_WARN_UNUSED;

#endif
