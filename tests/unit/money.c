/* Unit tests: amounts of money (lib/money.c); months are tests/unit/month.c, folding fold.c. */
#include <stdlib.h>

#include "money.h"
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

	return done_testing();
}
