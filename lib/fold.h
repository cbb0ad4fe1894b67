/*
 * fold.h: the forgiving comparisons of what people type into Excel.
 *
 *     kpr_fold_ascii("１，２３４．５ ", buf, sizeof buf, false) -> "1,234.5"
 *     kpr_fold_key("总投资（万元）", &sb) -> "总投资(万元)"
 *
 * Full-width ASCII (U+FF01..U+FF5E) becomes ASCII, the ideographic space U+3000 a space; the
 * result is trimmed.  Keys (column names, region names) also lose every space, and ASCII
 * letters are lower-cased, and 【】 become [].
 */
#ifndef KPR_FOLD_H
#define KPR_FOLD_H

#include "kpr.h"
#include "strbuf.h"

/* Fold s into buf (size bytes); NULL when it does not fit.  drop_spaces removes inner spaces. */
char *kpr_fold_ascii(const char *s, char *buf, size_t size, bool drop_spaces);
/* Fold a key for lookups into sb (reset first); returns sb->buf. */
const char *kpr_fold_key(const char *s, struct kpr_strbuf *sb);
/* Is s NULL, empty or only spaces (ASCII, U+3000)? */
bool kpr_blank(const char *s);
/* Edit distance in code points, capped at limit+1 (for "did you mean" hints). */
int kpr_edit_distance(const char *a, const char *b, int limit);

#endif
