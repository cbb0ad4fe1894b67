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
#include "strbuf.h"

/* Columns taken by one code point: 0, 1 or 2 (control characters take 0). */
int kpr_char_width(uint32_t cp);

/*
 * Columns taken by a NUL-terminated UTF-8 string; NULL is 0.  Never fails: a byte that does
 * not start a valid UTF-8 sequence counts as one column, as a terminal shows it as one
 * replacement character.
 */
size_t kpr_text_width(const char *utf8);

/*
 * Decode the code point at s (at most len bytes) into *cp; returns the bytes used (1-4), or 0
 * at an invalid, overlong or truncated sequence (then *cp is U+FFFD and one byte is to be
 * skipped).
 */
size_t kpr_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * s fit for a terminal, appended to sb: nothing in it can move the cursor, change colours or
 * turn the text around, and it stays on one line.  TAB, LF and CR become one space each (a
 * multi-line scope reads as one line); the rest is shown escaped, in ASCII: any other C0
 * control and DEL as \xHH (ESC is \x1b), a C1 control (U+0080-U+009F) and a bidirectional
 * control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as \uHHHH (\u202e); a byte
 * that does not start valid UTF-8 as \xHH.  Everything else, a backslash included, is kept as
 * it is.  Measure the result, not s: the escapes are what the terminal shows.
 */
void kpr_text_escape(struct kpr_strbuf *sb, const char *s);

#endif
