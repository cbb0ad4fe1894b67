/* Unit tests: COPY text fields (lib/strbuf.c). */
#include <string.h>

#include "strbuf.h"
#include "tap.h"

static void field_is(const char *in, const char *want, const char *what)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_strbuf_adds(&sb, "x\t");
	kpr_strbuf_copy_field(&sb, in, '\n');
	is_str(sb.buf, want, "COPY field: %s", what);
	kpr_strbuf_release(&sb);
}

int main(void)
{
	field_is(NULL, "x\t\\N\n", "NULL is \\N");
	field_is("", "x\t\n", "the empty string is empty");
	field_is("廊坊市 项目", "x\t廊坊市 项目\n", "text without specials is copied whole");
	field_is("a\\b", "x\ta\\\\b\n", "a backslash is doubled");
	field_is("a\tb\nc\rd", "x\ta\\tb\\nc\\rd\n", "tab, newline and carriage return are escaped");
	field_is("\\\t", "x\t\\\\\\t\n", "specials at the start and end");
	field_is("一\n\n二", "x\t一\\n\\n二\n", "specials in a row");
	done_testing();
}
