/*
 * money.h: exact amounts of money, as whole yuan in an int64 (never floating point).
 *
 *     int64_t yuan;
 *     if (kpr_money_parse("1,234.5", KPR_UNIT_WAN, &yuan, &why) == KPR_OK) -> 12345000
 *     kpr_money_format_wan(yuan, buf) -> "1234.5000"   (万元, as the database stores it)
 *
 * Forms and reports work in 万元 (10^4 yuan) and 亿元 (10^8 yuan); one yuan is the finest unit,
 * so an amount in 万元 has at most 4 decimals, in 亿元 at most 8, in 元 none.
 */
#ifndef KPR_MONEY_H
#define KPR_MONEY_H

#include "kpr.h"

enum kpr_unit {
	KPR_UNIT_NONE = 0,	/* not stated */
	KPR_UNIT_YUAN = 1,	/* 元 */
	KPR_UNIT_WAN = 2,	/* 万元 */
	KPR_UNIT_YI = 3		/* 亿元 */
};

/* The largest amount accepted: 10^14 万元 (numeric(18,4) in the database). */
#define KPR_MONEY_MAX_YUAN 1000000000000000000LL

/* "元", "万元", "亿元" (also "yuan", "wan", "yi") → unit; KPR_UNIT_NONE if not a unit. */
enum kpr_unit kpr_unit_parse(const char *s);
const char *kpr_unit_name(enum kpr_unit unit);

/*
 * Parse an amount written in unit: optional sign, digits with optional thousands separators
 * (1,234.56), a decimal part no finer than one yuan; full-width digits and surrounding spaces
 * are accepted.  On error returns KPR_EINPUT and sets *why to a translated reason.
 */
int kpr_money_parse(const char *s, enum kpr_unit unit, int64_t *yuan, const char **why) KPR_WARN_UNUSED;

/* yuan as 万元 with exactly 4 decimals ("-12.0500"); buf must hold 32 bytes. */
char *kpr_money_format_wan(int64_t yuan, char *buf);
/* yuan as 亿元 rounded half away from zero to `decimals` places (0..8); buf must hold 32 bytes. */
char *kpr_money_format_yi(int64_t yuan, int decimals, char *buf);

#endif
