/* Unit tests: a spreadsheet cell's number, date and reference as text (lib/xlnum.c). */
#include <math.h>
#include <string.h>

#include "tap.h"
#include "xlnum.h"

static void number_is(double v, const char *want)
{
	char buf[KPR_XL_NUMBER_MAX];
	bool r = kpr_xl_number(v, buf);
	ok(r && strcmp(buf, want) == 0, "%.17g is '%s' (got '%s')", v, want, buf);
}

static void date_is(double serial, bool date1904, const char *want)
{
	char buf[16];
	bool r = kpr_xl_date(serial, date1904, buf);
	if (!want)
		ok(!r && buf[0] == '\0', "serial %g (%s) is no date (got '%s')", serial, date1904 ? "1904" : "1900", buf);
	else
		ok(r && strcmp(buf, want) == 0, "serial %g (%s) is %s (got '%s')", serial, date1904 ? "1904" : "1900",
		   want, buf);
}

static void test_numbers(void)
{
	number_is(0, "0");
	number_is(-0.0, "0");
	number_is(1, "1");
	number_is(-42, "-42");
	number_is(120000, "120000");
	number_is(0.1 + 0.2, "0.3");			/* 0.30000000000000004: 15 digits */
	number_is(35000.3, "35000.3");
	number_is(1234.5678, "1234.5678");
	number_is(99999999.9999, "99999999.9999");
	number_is(12345678.12, "12345678.12");
	number_is(0.0001, "0.0001");			/* %g would write 1e-04 */
	number_is(1.5e-7, "0.00000015");
	number_is(1e20, "100000000000000000000");	/* never exponent notation */
	number_is(123456789012345678.0, "123456789012346000");	/* 15 significant digits */
	number_is(0.123456789012345678, "0.123456789012346");
	number_is(2.675, "2.675");			/* binary 2.67499999...: still 2.675 at 15 digits */
	number_is(1000.0001, "1000.0001");
	number_is(-0.5, "-0.5");
	number_is(9.99999999999999999, "10");		/* rounds up into a new digit */
	char big[KPR_XL_NUMBER_MAX];
	strcpy(big, "179769313486232");
	memset(big + 15, '0', 294);		/* the largest double: 309 digits, fits the buffer */
	big[309] = '\0';
	number_is(1.7976931348623157e308, big);
	char tiny[KPR_XL_NUMBER_MAX];
	strcpy(tiny, "-0.");
	memset(tiny + 3, '0', 323);		/* the least denormal: the longest text there is */
	strcpy(tiny + 326, "494065645841247");
	number_is(-5e-324, tiny);
	char buf[KPR_XL_NUMBER_MAX];
	ok(!kpr_xl_number(NAN, buf) && buf[0] == '\0', "NaN is no number");
	ok(!kpr_xl_number(INFINITY, buf) && buf[0] == '\0', "infinity is no number");
}

static void test_dates(void)
{
	date_is(1, false, "1900-01-01");
	date_is(59, false, "1900-02-28");
	date_is(60, false, "1900-02-29");	/* Lotus's leap day, kept */
	date_is(61, false, "1900-03-01");
	date_is(45017, false, "2023-04-01");
	date_is(45017.75, false, "2023-04-01");	/* the time of day dropped */
	date_is(2958465, false, "9999-12-31");
	date_is(0, true, "1904-01-01");
	date_is(43555, true, "2023-04-01");	/* 1462 days less than in 1900 */
	date_is(-1, false, NULL);
	date_is(2958466, false, NULL);
	date_is(NAN, false, NULL);
}

static void test_formats(void)
{
	ok(kpr_xl_builtin_date(14) && kpr_xl_builtin_date(22) && kpr_xl_builtin_date(45) && kpr_xl_builtin_date(47),
	   "built-in formats 14-22 and 45-47 are dates");
	ok(!kpr_xl_builtin_date(0) && !kpr_xl_builtin_date(13) && !kpr_xl_builtin_date(23) && !kpr_xl_builtin_date(48),
	   "General, 13, 23 and 48 are not");
	ok(kpr_xl_format_is_date("yyyy-mm"), "yyyy-mm is a date");
	ok(kpr_xl_format_is_date("yyyy\"年\"m\"月\"d\"日\""), "yyyy\"年\"m\"月\"d\"日\" is a date");
	ok(kpr_xl_format_is_date("[$-804]yyyy/m/d;@"), "a locale in brackets, then a date");
	ok(kpr_xl_format_is_date("h:mm:ss"), "a time is a date (its day)");
	ok(!kpr_xl_format_is_date("General"), "General is not a date");
	ok(!kpr_xl_format_is_date("#,##0.00\"万元\""), "digits with a quoted unit are not");
	ok(!kpr_xl_format_is_date("0.00_);[Red](0.00)"), "a red negative is not");
	ok(!kpr_xl_format_is_date("\"days\"0"), "quoted letters are not");
	ok(!kpr_xl_format_is_date("0\\d"), "an escaped d is not");
	ok(!kpr_xl_format_is_date("0.0E+00"), "scientific is not");
	ok(!kpr_xl_format_is_date("\"unterminated"), "an unterminated quote is not");
}

static void test_refs(void)
{
	char buf[16];
	kpr_xl_cellref(0, 1, buf);
	is_str(buf, "A1", "column 0, row 1 is A1");
	kpr_xl_cellref(5, 12, buf);
	is_str(buf, "F12", "column 5, row 12 is F12");
	kpr_xl_cellref(25, 3, buf);
	is_str(buf, "Z3", "column 25 is Z");
	kpr_xl_cellref(26, 3, buf);
	is_str(buf, "AA3", "column 26 is AA");
	kpr_xl_cellref(16383, 1048576, buf);
	is_str(buf, "XFD1048576", "the last cell");
	is_int(kpr_xl_column("F12"), 5, "F12 is column 5");
	is_int(kpr_xl_column("AA3"), 26, "AA3 is column 26");
	is_int(kpr_xl_column("XFD1"), 16383, "XFD is column 16383");
	is_int(kpr_xl_column("12"), -1, "no letters: no column");
	is_int(kpr_xl_column("ABCD1"), -1, "four letters: no column");
}

int main(void)
{
	test_numbers();
	test_dates();
	test_formats();
	test_refs();
	return done_testing();
}
