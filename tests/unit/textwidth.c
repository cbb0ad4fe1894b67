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
	return done_testing();
}
