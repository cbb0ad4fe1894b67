/*
 * record.h: input records built by hand, for the unit tests of what reads them.
 *
 *     struct kpr_record *rec = RECORD(2, "LF2023-001", NULL, " 道路 ");   // NULL: an empty cell
 *     ... kpr_project_validate(&v, rec, &row) ...
 *     record_free(rec);
 *
 * The fields are copies, so code that trims them in place may.
 */
#ifndef KPR_TEST_RECORD_H
#define KPR_TEST_RECORD_H

#include <stdlib.h>

#include "kpr.h"
#include "reader.h"
#include "strbuf.h"

#define RECORD(line, ...)                                                                  \
	record_new((line), KPR_ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })), \
		   (const char *const[]){ __VA_ARGS__ })

__attribute__((unused))
static struct kpr_record *record_new(long line, size_t n, const char *const *fields)
{
	struct kpr_record *rec = kpr_xcalloc(1, sizeof(*rec));
	rec->line = line;
	rec->nfields = n;
	rec->fields = kpr_xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		rec->fields[i] = fields[i] ? kpr_xstrdup(fields[i]) : NULL;
	return rec;
}

__attribute__((unused))
static void record_free(struct kpr_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		free(rec->fields[i]);
	free(rec->fields);
	free(rec);
}

#endif
