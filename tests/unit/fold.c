/* Unit tests: full-width folding, keys, blanks and edit distance (lib/fold.c). */
#include "fold.h"
#include "strbuf.h"
#include "tap.h"

/* want NULL: does not fit in size bytes */
static void ascii_is(const char *in, size_t size, bool drop_spaces, const char *want, const char *desc)
{
	char buf[64];
	is_str(kpr_fold_ascii(in, buf, size, drop_spaces), want, "fold '%s': %s", in, desc);
}

static void key_is(const char *in, const char *want, const char *desc)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	is_str(kpr_fold_key(in, &sb), want, "key of '%s': %s", in, desc);
	kpr_strbuf_release(&sb);
}

static void test_fold_ascii(void)
{
	ascii_is("１，２３４．５ ", 64, false, "1,234.5", "full-width digits and punctuation, trailing space trimmed");
	ascii_is("ＡＢｃ", 64, false, "ABc", "full-width letters keep their case");
	ascii_is("！～", 64, false, "!~", "the first and last full-width forms (U+FF01, U+FF5E)");
	ascii_is("｟", 64, false, "｟", "U+FF5F, past the full-width ASCII, stays");
	ascii_is("\u3000\u00a012\u3000", 64, false, "12", "ideographic and no-break spaces are spaces, trimmed");
	ascii_is("1 2\t3", 64, false, "1 2 3", "inner spaces stay, a tab is a space");
	ascii_is("1  2", 64, false, "1  2", "inner spaces are not squeezed");
	ascii_is("1 2\u30003", 64, true, "123", "drop_spaces removes inner spaces of every kind");
	ascii_is("【注】总投资", 64, false, "[注]总投资", "【】 become [], Chinese stays");
	ascii_is("a\xff" "b", 64, false, "a\xff" "b", "an invalid byte passes through");
	ascii_is("12345", 6, false, "12345", "five characters fit in six bytes");
	ascii_is("12345", 5, false, NULL, "five characters do not fit in five bytes");
	ascii_is("１２", 3, false, "12", "full-width characters count as what they fold to");
	ascii_is("总", 3, false, NULL, "a three-byte character does not fit in three bytes");
	ascii_is("", 1, false, "", "nothing fits in one byte");
}

static void test_fold_key(void)
{
	key_is(" 总投资（万元） ", "总投资(万元)", "full-width brackets, spaces dropped");
	key_is("县（市、区）", "县(市、区)", "the region header");
	key_is("县 (市、区)", "县(市、区)", "an inner space goes");
	key_is("Total Investment", "totalinvestment", "ASCII lower-cased, spaces dropped");
	key_is("ＣＯＤＥ", "code", "full-width letters folded, then lower-cased");
	key_is("a\tb\u3000c\u00a0d", "abcd", "every kind of space dropped");
	key_is("【项目】代码", "[项目]代码", "【】 become []");
	key_is("", "", "an empty key on a fresh buffer is the empty string");
	key_is("\u3000 \u00a0", "", "a key of only spaces folds to the empty string, not to what the buffer held");

	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_fold_key("first", &sb);
	is_str(kpr_fold_key("Second", &sb), "second", "the buffer is reset first");
	kpr_strbuf_release(&sb);
}

static void test_blank(void)
{
	ok(kpr_blank(NULL), "NULL is blank");
	ok(kpr_blank(""), "the empty string is blank");
	ok(kpr_blank(" \t\r\n"), "ASCII spaces are blank");
	ok(kpr_blank("\u3000 "), "an ideographic space is blank");
	ok(kpr_blank("\u00a0"), "a no-break space is blank");
	ok(!kpr_blank("x"), "a letter is not blank");
	ok(!kpr_blank(" x "), "a letter between spaces is not blank");
	ok(!kpr_blank("０"), "a full-width zero is not blank");
	ok(!kpr_blank("\xe3\x80"), "a cut ideographic space is not blank");
}

static void test_edit_distance(void)
{
	is_int(kpr_edit_distance("abc", "abc", 3), 0, "edit distance of equal strings");
	is_int(kpr_edit_distance("abc", "abd", 3), 1, "edit distance: one substitution");
	is_int(kpr_edit_distance("abc", "abxc", 3), 1, "edit distance: one insertion");
	is_int(kpr_edit_distance("abxc", "abc", 3), 1, "edit distance: one deletion");
	is_int(kpr_edit_distance("kitten", "sitting", 5), 3, "edit distance kitten/sitting");
	is_int(kpr_edit_distance("大厂回族自治县", "大厂回族自治", 3), 1, "edit distance counts code points");
	is_int(kpr_edit_distance("交通强国", "交通强市", 2), 1, "edit distance of one changed character");
	is_int(kpr_edit_distance("", "abc", 3), 3, "edit distance from the empty string");
	is_int(kpr_edit_distance("", "abcd", 3), 4, "edit distance stops past the limit (lengths)");
	is_int(kpr_edit_distance("abc", "xyz123", 2), 3, "edit distance stops past the limit");
	is_int(kpr_edit_distance("abcdef", "uvwxyz", 3), 4, "edit distance stops past the limit (substitutions)");
}

int main(void)
{
	test_fold_ascii();
	test_fold_key();
	test_blank();
	test_edit_distance();
	return done_testing();
}
