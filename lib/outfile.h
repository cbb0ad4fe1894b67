/*
 * outfile.h: an output file written whole or not at all (kpr report -o, kpr export -o).
 *
 *     static int write_it(FILE *out, const char *path, void *arg) { ...fprintf(out, ...)... }
 *     rc = kpr_outfile_write("report.csv", write_it, &what);
 *
 * A regular file (or a new one) is written to a temporary file in the same folder, flushed to
 * disk (fsync) and renamed over path: an existing file is replaced only whole, and a failure
 * leaves no truncated file.  A device or pipe that exists (/dev/stdout, /dev/full, a FIFO) is
 * written directly, never renamed over.  fn writes to out; path is the file being written (the
 * temporary one), for writers that need a name rather than a stream (libxlsxwriter): such a
 * writer leaves out alone and writes the file itself.  fn returns KPR_OK or an error it has
 * reported; a write error found afterwards is reported here, naming path, as KPR_EFILE (exit 5).
 */
#ifndef KPR_OUTFILE_H
#define KPR_OUTFILE_H

#include <stdio.h>

#include "kpr.h"

typedef int (*kpr_outfile_fn)(FILE *out, const char *path, void *arg);

int kpr_outfile_write(const char *path, kpr_outfile_fn fn, void *arg) KPR_WARN_UNUSED;

/* A file format written by name (a workbook) to standard output: fn (given out NULL) writes a
 * temporary file under TMPDIR, then it is copied.  Refused, as a usage error naming the command, when standard output is a
 * terminal (give -o FILE). */
int kpr_outfile_stdout(const char *command, kpr_outfile_fn fn, void *arg) KPR_WARN_UNUSED;

#endif
