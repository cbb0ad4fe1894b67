/* sheetguard: the apostrophe before a spreadsheet text cell that could run as a formula. */
#include "sheetguard.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* guard then strip: the text comes back whatever it was */
static void round_trip(const char *s)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_sheetguard_add(&sb, s);
	is_str(kpr_sheetguard_strip(sb.buf, false), s, "'%s' survives the guard and the import", s);
	kpr_strbuf_release(&sb);
}

static const char *guarded(const char *s)
{
	static struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_strbuf_reset(&sb);
	kpr_sheetguard_add(&sb, s);
	return sb.buf ? sb.buf : "";
}

int main(void)
{
	is_str(guarded("=1+1"), "'=1+1", "'=' gets the apostrophe");
	is_str(guarded("+86 10"), "'+86 10", "'+' too");
	is_str(guarded("-abc"), "'-abc", "'-' too");
	is_str(guarded("@SUM(A1)"), "'@SUM(A1)", "'@' too");
	is_str(guarded("\tx"), "'\tx", "a leading TAB too");
	is_str(guarded("\rx"), "'\rx", "a leading CR too");
	is_str(guarded("'=x"), "''=x", "an apostrophe a person put before a trigger gets another");
	is_str(guarded("'abc"), "'abc", "an apostrophe before anything else is left alone");
	is_str(guarded("固安=1"), "固安=1", "a trigger not at the start is left alone");
	is_str(guarded(" =1"), " =1", "nor after a space");
	is_str(guarded(""), "", "the empty text stays empty");
	is_str(guarded("'"), "'", "a lone apostrophe stays");
	ok(!kpr_sheetguard_needed(NULL), "NULL needs nothing");

	char a[] = "'=1+1", b[] = "'abc", c[] = "'42,000", d[] = "'-12.5", e[] = "=1", f[] = "''=x";
	is_str(kpr_sheetguard_strip(a, false), "=1+1", "import takes the apostrophe off a guarded text");
	is_str(kpr_sheetguard_strip(b, false), "'abc", "not off a text that was never guarded");
	is_str(kpr_sheetguard_strip(c, true), "42,000", "a number kept as text loses its apostrophe");
	is_str(kpr_sheetguard_strip(d, true), "-12.5", "a negative one too");
	is_str(kpr_sheetguard_strip(c, false), "'42,000", "but as text, '42,000 is what it says");
	is_str(kpr_sheetguard_strip(e, false), "=1", "an unguarded trigger is read as it is");
	is_str(kpr_sheetguard_strip(f, false), "'=x", "exactly one apostrophe comes off");
	ok(kpr_sheetguard_strip(NULL, false) == NULL, "NULL stays NULL");

	const char *texts[] = { "=1+1", "-abc", "'=x", "''@", "'", "''", "abc", "'abc", "-", "=", "\t", "", "@'" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		round_trip(texts[i]);
	return done_testing();
}
