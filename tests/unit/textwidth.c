/* textwidth: display columns of UTF-8 text, the same in every locale. */
#include "textwidth.h"

#include <locale.h>

#include "tap.h"

int main(void)
{
	/* the caller's locale must not matter: run under C whatever the environment says */
	setlocale(LC_ALL, "C");

	is_int(kpr_text_width("abc"), 3, "ASCII takes one column a character");
	is_int(kpr_text_width(""), 0, "the empty string takes none");
	is_int(kpr_text_width(NULL), 0, "NULL takes none");
	is_int(kpr_text_width("廊坊市"), 6, "CJK ideographs take two columns each");
	is_int(kpr_text_width("（"), 2, "a fullwidth parenthesis takes two columns");
	is_int(kpr_text_width("，"), 2, "a fullwidth comma takes two columns");
	is_int(kpr_text_width("市本级 city"), 11, "mixed Chinese and ASCII add up");
	is_int(kpr_text_width("S07 科技创新强市"), 4 + 12, "a scenario code and name");
	is_int(kpr_text_width("总投资(万元)"), 6 + 1 + 4 + 1, "half-width parentheses take one column");
	is_int(kpr_text_width("e\xcc\x81"), 1, "a combining acute accent takes none");
	is_int(kpr_text_width("a\xe2\x80\x8b" "b"), 2, "a zero-width space takes none");
	is_int(kpr_text_width("\xef\xbd\x81"), 2, "a fullwidth Latin letter takes two columns");
	is_int(kpr_text_width("\xef\xbd\xb1"), 1, "a halfwidth katakana takes one column");
	is_int(kpr_text_width("한국"), 4, "Hangul syllables take two columns");
	is_int(kpr_text_width("\xf0\xa0\x80\x80"), 2, "a plane-2 ideograph takes two columns");
	is_int(kpr_text_width("\xf0\x9f\x98\x80"), 2, "an emoji with wide presentation takes two columns");
	is_int(kpr_text_width("é"), 1, "a precomposed Latin letter takes one column");
	is_int(kpr_text_width("\xff" "ab"), 3, "an invalid byte counts as one column");
	is_int(kpr_text_width("\xe5\xbb"), 2, "a truncated sequence counts one column a byte");
	is_int(kpr_text_width("\xc0\xaf"), 2, "an overlong sequence is not decoded");
	is_int(kpr_text_width("a\tb"), 2, "a control character takes none");

	uint32_t cp;
	is_int(kpr_utf8_decode("坊", 3, &cp), 3, "decode uses three bytes for a BMP ideograph");
	is_int(cp, 0x574A, "and yields its code point");
	is_int(kpr_utf8_decode("坊", 2, &cp), 0, "decode refuses a sequence cut short");
	is_int(kpr_utf8_decode("\xed\xa0\x80", 3, &cp), 0, "decode refuses a surrogate");
	is_int(kpr_char_width(0x3000), 2, "the ideographic space is wide");
	is_int(kpr_char_width(0x302A), 0, "an ideographic tone mark is a combining mark");

	/* kpr_text_escape: what a terminal table shows of a cell */
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
#define ESCAPED(in) (kpr_strbuf_reset(&sb), kpr_text_escape(&sb, (in)), sb.buf ? sb.buf : "")
	is_str(ESCAPED("廊坊 a\\b 'x\" 😀"), "廊坊 a\\b 'x\" 😀", "text without controls is kept as it is");
	is_str(ESCAPED("a\033[31mb"), "a\\x1b[31mb", "ESC is shown as \\x1b");
	is_str(ESCAPED("\a\x7f\x01"), "\\x07\\x7f\\x01", "BEL, DEL and another C0 control as \\xHH");
	is_str(ESCAPED("a\tb\nc\rd"), "a b c d", "TAB, LF and CR as one space each");
	is_str(ESCAPED("\xc2\x9b" "2J"), "\\u009b2J", "a C1 control (CSI) as \\u009b");
	is_str(ESCAPED("abc\u202edef"), "abc\\u202edef", "RIGHT-TO-LEFT OVERRIDE as \\u202e");
	is_str(ESCAPED("\u200e\u200f\u061c\u202a\u2066\u2069"), "\\u200e\\u200f\\u061c\\u202a\\u2066\\u2069",
	       "every bidi control escaped: LRM, RLM, ALM, the embeddings and the isolates");
	is_str(ESCAPED("\u2065\u206a\u202f"), "\u2065\u206a\u202f", "their neighbours are not");
	is_str(ESCAPED("\xff\xe5\xbb"), "\\xff\\xe5\\xbb", "bytes that are not UTF-8 as \\xHH");
	is_int(kpr_text_width(ESCAPED("名\033")), 2 + 4, "the width counts the escaped form");
	is_str(ESCAPED(NULL), "", "NULL adds nothing");
	kpr_strbuf_reset(&sb);
	kpr_text_escape_lines(&sb, "a\tb\nc\rd\033");
	is_str(sb.buf, "a\tb\nc d\\x1b", "kpr_text_escape_lines keeps TAB and LF, and escapes the rest the same");
	kpr_strbuf_release(&sb);
	return done_testing();
}
