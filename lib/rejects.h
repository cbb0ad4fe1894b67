/*
 * rejects.h: rejected rows written back in the input's own format, each with its reason, for
 * the user to correct and import again (--rejects FILE).
 *
 *     if ((rc = kpr_rejects_open(&w, "rejects.csv", KPR_FORMAT_CSV, &header)) != KPR_OK) return rc;
 *     rc = kpr_rejects_write(w, rec, "总投资(万元): negative amount");  ...  rc = kpr_rejects_close(w);
 *
 * CSV gets the header with an added "error" column and each record's fields; YAML gets each
 * mapping with an added "error" key.  Both read back with kpr_reader_open() (reader.h).
 */
#ifndef KPR_REJECTS_H
#define KPR_REJECTS_H

#include "kpr.h"
#include "reader.h"

struct kpr_rejects;

/*
 * Create the file.  format AUTO goes by the path's extension; header may be NULL (no header
 * row; YAML uses it for keys when a record has none).  An existing file is replaced only with
 * overwrite, else refused (printed, KPR_EINPUT).  open and write print and return KPR_EFILE
 * when they cannot write.
 */
int kpr_rejects_open(struct kpr_rejects **w, const char *path, enum kpr_format format,
		     const struct kpr_record *header, bool overwrite) KPR_WARN_UNUSED;
int kpr_rejects_write(struct kpr_rejects *w, const struct kpr_record *rec, const char *error) KPR_WARN_UNUSED;
/* Flush and close; KPR_EFILE (printed) when the file could not be written. */
int kpr_rejects_close(struct kpr_rejects *w) KPR_WARN_UNUSED;

#endif
