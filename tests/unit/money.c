/* Unit tests: money, months, year ranges, folding (lib/money.c, lib/month.c, lib/fold.c). */
#include <stdlib.h>

#include "fold.h"
#include "money.h"
#include "month.h"
#include "tap.h"

static void money_ok(const char *in, enum kpr_unit unit, int64_t want)
{
	int64_t got = 0;
	const char *why = NULL;
	int rc = kpr_money_parse(in, unit, &got, &why);
	ok(rc == KPR_OK && got == want, "money '%s' in %s is %lld yuan (got %lld, %s)", in, kpr_unit_name(unit),
	   (long long)want, (long long)got, why ? why : "ok");
}

static void money_bad(const char *in, enum kpr_unit unit, const char *reason)
{
	int64_t got;
	const char *why = "";
	int rc = kpr_money_parse(in, unit, &got, &why);
	ok(rc == KPR_EINPUT && strstr(why, reason), "money '%s' in %s is rejected: %s (got '%s')", in,
	   kpr_unit_name(unit), reason, why);
}

static void month_is(const char *in, const char *want)
{
	int m;
	char buf[8];
	if (want)
		ok(kpr_month_parse(in, &m) == KPR_OK && strcmp(kpr_month_format(m, buf), want) == 0,
		   "month '%s' is %s", in, want);
	else
		ok(kpr_month_parse(in, &m) == KPR_EINPUT, "month '%s' is rejected", in);
}

int main(void)
{
	char buf[32];

	money_ok("1234.5", KPR_UNIT_WAN, 12345000);
	money_ok("1,234.5678", KPR_UNIT_WAN, 12345678);
	money_ok("１２３４．５", KPR_UNIT_WAN, 12345000);
	money_ok("  12  ", KPR_UNIT_WAN, 120000);
	money_ok("0.0001", KPR_UNIT_WAN, 1);
	money_ok("1.50000", KPR_UNIT_WAN, 15000);
	money_ok("-3", KPR_UNIT_WAN, -30000);
	money_ok("2.5", KPR_UNIT_YI, 250000000);
	money_ok("0.00000001", KPR_UNIT_YI, 1);
	money_ok("1,000,000", KPR_UNIT_YUAN, 1000000);
	money_ok("7", KPR_UNIT_NONE, 70000);
	money_bad("1.23456", KPR_UNIT_WAN, "more than 4 decimals");
	money_bad("1.5", KPR_UNIT_YUAN, "decimals in 元");
	money_bad("12a", KPR_UNIT_WAN, "not a number");
	money_bad("", KPR_UNIT_WAN, "not a number");
	money_bad(".", KPR_UNIT_WAN, "not a number");
	money_bad("1,23.5", KPR_UNIT_WAN, "thousands separator");
	money_bad("12,3456", KPR_UNIT_WAN, "thousands separator");
	money_bad("99999999999999999999", KPR_UNIT_WAN, "too large");

	is_str(kpr_money_format_wan(12345678, buf), "1234.5678", "format 万元 keeps four decimals");
	is_str(kpr_money_format_wan(-5, buf), "-0.0005", "format 万元 of a negative amount");
	is_str(kpr_money_format_yi(65330000000LL, 1, buf), "653.3", "format 亿元 with one decimal");
	is_str(kpr_money_format_yi(5000000, 1, buf), "0.1", "format 亿元 rounds half up");
	is_str(kpr_money_format_yi(4999999, 1, buf), "0.0", "format 亿元 rounds down below the half");

	month_is("2023-09", "2023-09");
	month_is("2023-9", "2023-09");
	month_is("2023年9月", "2023-09");
	month_is("2023年09月", "2023-09");
	month_is("2023/9", "2023-09");
	month_is("2023.12", "2023-12");
	month_is("202309", "2023-09");
	month_is("2023-09-01", "2023-09");
	month_is("2023/9/1 0:00", "2023-09");
	month_is("２０２３－０９", "2023-09");
	month_is("2023-13", NULL);
	month_is("2023-00", NULL);
	month_is("Sept 2023", NULL);
	month_is("2023-02-30", NULL);
	month_is("", NULL);

	char d[11];
	ok(kpr_date_parse("2023年4月15日", d) == KPR_OK && strcmp(d, "2023-04-15") == 0, "date 2023年4月15日");
	ok(kpr_date_parse("2023/4/5", d) == KPR_OK && strcmp(d, "2023-04-05") == 0, "date 2023/4/5");
	ok(kpr_date_parse("2023-04", d) == KPR_OK && strcmp(d, "2023-04-01") == 0, "a bare month is its 1st");
	ok(kpr_date_parse("2024-02-29", d) == KPR_OK, "a leap day exists");
	ok(kpr_date_parse("2023-02-29", d) == KPR_EINPUT, "2023-02-29 does not exist");

	int a, b;
	ok(kpr_year_range_parse("2023-2025", &a, &b) == KPR_OK && a == 2023 && b == 2025, "years 2023-2025");
	ok(kpr_year_range_parse("2023—2025", &a, &b) == KPR_OK && a == 2023 && b == 2025, "years with an em dash");
	ok(kpr_year_range_parse("2023年-2025年", &a, &b) == KPR_OK && a == 2023 && b == 2025, "years 2023年-2025年");
	ok(kpr_year_range_parse("2023", &a, &b) == KPR_OK && a == 2023 && b == 2023, "a single year");
	ok(kpr_year_range_parse("2023-25", &a, &b) == KPR_EINPUT, "a two-digit end year is rejected");
	ok(kpr_year_range_parse("soon", &a, &b) == KPR_EINPUT, "words are rejected");

	setenv("KPR_TODAY", "2023-10-15", 1);
	int m;
	ok(kpr_month_today("Asia/Shanghai", &m) == KPR_OK && m == 2023 * 12 + 9, "KPR_TODAY fixes today's month");

	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	is_str(kpr_fold_key(" 总投资（万元） ", &sb), "总投资(万元)", "keys fold full-width brackets and drop spaces");
	is_str(kpr_fold_key("Total Investment", &sb), "totalinvestment", "keys lower-case ASCII");
	is_str(kpr_fold_key("县（市、区）", &sb), "县(市、区)", "the region header folds");
	kpr_strbuf_release(&sb);
	ok(kpr_blank("　 "), "an ideographic space is blank");
	ok(!kpr_blank("x"), "a letter is not blank");
	is_int(kpr_edit_distance("大厂回族自治县", "大厂回族自治", 3), 1, "edit distance counts code points");
	is_int(kpr_edit_distance("abc", "xyz123", 2), 3, "edit distance stops past the limit");
	return done_testing();
}
