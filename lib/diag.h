/*
 * diag.h: one line per problem in an input file, as FILE:LINE:COLUMN: message.
 *
 *     kpr_diag("projects.csv", 12, "总投资(万元)", _("not a number: '%s'"), v);
 *     -> projects.csv:12:总投资(万元): not a number: '1,2x'
 *
 * COLUMN is a column name (imports) or a 1-based column number (YAML); NULL leaves it out.
 * A workbook's FILE is FILE:SHEET, its LINE the row, and its cell follows the column name:
 *     plan.xlsx:Sheet1:12:总投资(万元) (F12): negative amount
 * These lines go to stderr without the "kpr: error:" prefix so that editors and grep can
 * jump to them; a summary line in kpr's voice follows from the caller.
 */
#ifndef KPR_DIAG_H
#define KPR_DIAG_H

#include "kpr.h"

void kpr_diag(const char *file, long line, const char *column, const char *fmt, ...) KPR_PRINTF(4, 5);
/* The same, with a numeric column (YAML marks). */
void kpr_diag_col(const char *file, long line, long column, const char *fmt, ...) KPR_PRINTF(4, 5);

/* The same, with a workbook's cell reference after the column's name (CELL may be NULL). */
void kpr_diag_cell(const char *file, long line, const char *column, const char *cell, const char *fmt, ...)
	KPR_PRINTF(5, 6);

#endif
