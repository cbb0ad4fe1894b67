/*
 * table.h: a plain-text table for the terminal, columns aligned by display width (CJK = 2).
 *
 *     struct kpr_table *t = kpr_table_new();
 *     kpr_table_add_column(t, "code", KPR_TABLE_LEFT);   kpr_table_add_column(t, "n", KPR_TABLE_RIGHT);
 *     kpr_table_add_row(t);  kpr_table_add_cell(t, "131000");  kpr_table_add_cellf(t, "%d", 11);
 *     rc = kpr_table_print(t, stdout);  kpr_table_free(t);
 *
 * Printed as a heading line, a line of dashes, then the rows; columns are separated by two
 * spaces; left-aligned text is padded on the right, right-aligned (numbers) on the left, and
 * no line ends in spaces.  Widths come from textwidth.h, so the layout does not depend on the
 * locale.  Control characters in a cell (a line break in a name) print as one space.
 */
#ifndef KPR_TABLE_H
#define KPR_TABLE_H

#include <stdio.h>

#include "kpr.h"

enum kpr_table_align { KPR_TABLE_LEFT, KPR_TABLE_RIGHT };

struct kpr_table;

/* Never fails (out of memory aborts, as everywhere in kpr). */
struct kpr_table *kpr_table_new(void);
/* Columns are added before the first row. */
void kpr_table_add_column(struct kpr_table *t, const char *heading, enum kpr_table_align align);
/* Start a new row; its cells are then added left to right.  Cells not added print empty. */
void kpr_table_add_row(struct kpr_table *t);
/* The next cell of the current row; NULL prints empty.  A cell past the last column aborts
 * (a programming error, not an input one). */
void kpr_table_add_cell(struct kpr_table *t, const char *text);
void kpr_table_add_cellf(struct kpr_table *t, const char *fmt, ...) KPR_PRINTF(2, 3);
size_t kpr_table_nrows(const struct kpr_table *t);
/* Print to out.  Returns KPR_OK, or KPR_EFILE when out is in error afterwards (nothing is
 * printed about it: the caller names the file). */
int kpr_table_print(const struct kpr_table *t, FILE *out) KPR_WARN_UNUSED;
void kpr_table_free(struct kpr_table *t);

#endif
