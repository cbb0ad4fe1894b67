/*
 * textwidth.h: how many terminal columns a UTF-8 string takes, whatever the locale.
 *
 *     size_t w = kpr_text_width("廊坊市");          // 6
 *     for (size_t i = w; i < 10; i++) putc(' ', out); // pad to 10 columns
 *
 * East Asian Wide and Fullwidth characters take two columns, combining marks and format
 * characters none, everything else one.  The tables are built in (Unicode 14), not taken from
 * wcwidth(), so that the output of kpr is the same under LANG=C as under zh_CN.UTF-8.
 */
#ifndef KPR_TEXTWIDTH_H
#define KPR_TEXTWIDTH_H

#include "kpr.h"
#include "utf8.h"

/* Columns taken by one code point: 0, 1 or 2 (control characters take 0). */
int kpr_char_width(uint32_t cp);

/*
 * Columns taken by a NUL-terminated UTF-8 string; NULL is 0.  Never fails: a byte that does
 * not start a valid UTF-8 sequence counts as one column, as a terminal shows it as one
 * replacement character.
 */
size_t kpr_text_width(const char *utf8);

#endif
