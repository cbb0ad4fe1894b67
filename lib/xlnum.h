/*
 * xlnum.h: a spreadsheet cell's number or date as the text a CSV export would hold.
 *
 *     char buf[KPR_XL_NUMBER_MAX];
 *     kpr_xl_number(0.1 + 0.2, buf);              -> "0.3"
 *     kpr_xl_date(45000, false, buf);             -> "2023-03-15"
 *     kpr_xl_cellref(5, 12, buf);                 -> "F12"
 *
 * A cell holds a binary double.  kpr_xl_number() rounds it to 15 significant digits (what Excel
 * shows and keeps) and writes the shortest plain decimal: no exponent, no trailing zeros, so
 * that the CSV rules (money.h) then read it exactly.  Pure functions, no state.
 */
#ifndef KPR_XLNUM_H
#define KPR_XLNUM_H

#include "kpr.h"

/* the longest: "-0.", 323 zeros and 15 digits (the least denormal, 4.94065645841247e-324), a NUL */
#define KPR_XL_NUMBER_MAX 344

/* Writes v into buf; false (and "") for a NaN or an infinity. */
bool kpr_xl_number(double v, char buf[KPR_XL_NUMBER_MAX]);

/*
 * The day of a date serial, YYYY-MM-DD (the time of day dropped).  The 1900 system counts
 * 1900-01-01 as 1 and keeps Lotus's 1900-02-29 (serial 60, written as such and refused later as
 * a date); the 1904 system counts 1904-01-01 as 0.  False for a serial outside 0..2958465
 * (9999-12-31).
 */
bool kpr_xl_date(double serial, bool date1904, char buf[16]);

/* Is a number format a date or time: built-in ids 14-22 and 45-47, or a format code with y, m,
 * d, h or s outside quotes, escapes and [brackets]. */
bool kpr_xl_builtin_date(int id);
bool kpr_xl_format_is_date(const char *code);

/* The A1-style reference of a cell: column from 0, row from 1 ("F12"); buf of 16. */
void kpr_xl_cellref(long col, long row, char buf[16]);
/* The column of a reference's letters ("F12" -> 5); -1 when it has none. */
long kpr_xl_column(const char *ref);

#endif
