/*
 * sheetguard.h: text that a spreadsheet must show as text, never run as a formula.
 *
 *     kpr_sheetguard_add(&sb, "=1+1");             // sb: "'=1+1", what CSV and XLSX get
 *     char *s = kpr_sheetguard_strip(cell, false);  // "'=1+1" read back: "=1+1"
 *
 * A text cell starting with '=', '+', '-', '@', TAB or CR is one Excel, LibreOffice and WPS
 * may take for a formula (OWASP's list for CSV injection).  kpr writes such a cell with one
 * apostrophe before it, in CSV and in workbooks alike, and an import takes exactly that one
 * apostrophe off again.  So that the two are inverses for every text, a text of apostrophes
 * followed by a trigger ("'=x", what a person may have typed) gets one more: "''=x" reads
 * back as "'=x".  Numbers are never guarded: "-12.5" in an amount column stays a number.
 */
#ifndef KPR_SHEETGUARD_H
#define KPR_SHEETGUARD_H

#include "kpr.h"
#include "strbuf.h"

/* Does the text s need the apostrophe: apostrophes (none or more), then a trigger? */
bool kpr_sheetguard_needed(const char *s);

/* s appended to sb, with the apostrophe before it when needed; NULL appends nothing. */
void kpr_sheetguard_add(struct kpr_strbuf *sb, const char *s);

/*
 * A cell read from a file as kpr stores it: the apostrophe kpr_sheetguard_add() wrote taken
 * off (s + 1 when s is an apostrophe and the rest needs one), else s unchanged.  For a number
 * (number true) any one leading apostrophe is taken off, as a spreadsheet marks a number kept
 * as text ("'42,000").  NULL stays NULL.  Never copies: the result points into s.
 */
char *kpr_sheetguard_strip(char *s, bool number);

#endif
