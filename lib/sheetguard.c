/* sheetguard.c: the formula guard of spreadsheet text cells; see sheetguard.h. */
#include "sheetguard.h"

#include <string.h>

bool kpr_sheetguard_needed(const char *s)
{
	if (!s)
		return false;
	s += strspn(s, "'");
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

void kpr_sheetguard_add(struct kpr_strbuf *sb, const char *s)
{
	if (!s)
		return;
	if (kpr_sheetguard_needed(s))
		kpr_strbuf_addch(sb, '\'');
	kpr_strbuf_adds(sb, s);
}

char *kpr_sheetguard_strip(char *s, bool number)
{
	if (s && s[0] == '\'' && (number || kpr_sheetguard_needed(s + 1)))
		return s + 1;
	return s;
}
