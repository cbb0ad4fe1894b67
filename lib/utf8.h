/*
 * utf8.h: one code point of UTF-8 decoded, and text made safe to show on a terminal.
 *
 *     kpr_text_escape(&sb, "名\033[2J\u202e");      // sb: "名\x1b[2J\u202e"
 *     kpr_text_escape_lines(&sb, message);            // the same, keeping line breaks and TABs
 *
 * Below textwidth.h (which measures the escaped text) so that the messages of log.h and
 * diag.h, which quote what files and people gave, can use it too.
 */
#ifndef KPR_UTF8_H
#define KPR_UTF8_H

#include "kpr.h"
#include "strbuf.h"

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

/* kpr_text_escape(), but LF and TAB are kept as they are: a message of several lines. */
void kpr_text_escape_lines(struct kpr_strbuf *sb, const char *s);

#endif
