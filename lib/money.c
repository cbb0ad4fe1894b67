/* money.c: exact amounts; see money.h. */
#include "money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "strbuf.h"

static const struct {
	const char *name;
	enum kpr_unit unit;
} unit_names[] = {
	{ "元", KPR_UNIT_YUAN }, { "yuan", KPR_UNIT_YUAN },
	{ "万元", KPR_UNIT_WAN }, { "wan", KPR_UNIT_WAN },
	{ "亿元", KPR_UNIT_YI }, { "yi", KPR_UNIT_YI },
};

enum kpr_unit kpr_unit_parse(const char *s)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(unit_names); i++)
		if (strcmp(s, unit_names[i].name) == 0)
			return unit_names[i].unit;
	return KPR_UNIT_NONE;
}

const char *kpr_unit_name(enum kpr_unit unit)
{
	switch (unit) {
	case KPR_UNIT_YUAN: return "元";
	case KPR_UNIT_WAN: return "万元";
	case KPR_UNIT_YI: return "亿元";
	default: return "";
	}
}

static int unit_decimals(enum kpr_unit unit)
{
	return unit == KPR_UNIT_YUAN ? 0 : unit == KPR_UNIT_YI ? 8 : 4;
}

int kpr_money_parse(const char *s, enum kpr_unit unit, int64_t *yuan, const char **why)
{
	char buf[64];
	const char *p;
	int decimals = unit_decimals(unit);
	int64_t whole = 0, frac = 0;
	int nfrac = 0, ndigits = 0;
	bool negative = false;

	if (unit == KPR_UNIT_NONE)
		unit = KPR_UNIT_WAN;
	if (kpr_fold_ascii(s, buf, sizeof(buf), false) == NULL) {
		*why = _("not a number");
		return KPR_EINPUT;
	}
	p = buf;
	if (*p == '+' || *p == '-')
		negative = *p++ == '-';
	/* digits with optional thousands separators: groups of three after the first */
	int group = -1;
	for (; *p && *p != '.'; p++) {
		if (*p == ',') {
			if (ndigits == 0 || (group >= 0 && group != 3)) {
				*why = _("misplaced thousands separator");
				return KPR_EINPUT;
			}
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9') {
			*why = _("not a number");
			return KPR_EINPUT;
		}
		if (whole > KPR_MONEY_MAX_YUAN / 10) {
			*why = _("amount too large");
			return KPR_EINPUT;
		}
		whole = whole * 10 + (*p - '0');
		ndigits++;
		if (group >= 0)
			group++;
	}
	if (group >= 0 && group != 3) {
		*why = _("misplaced thousands separator");
		return KPR_EINPUT;
	}
	if (*p == '.') {
		for (p++; *p; p++) {
			if (*p < '0' || *p > '9') {
				*why = _("not a number");
				return KPR_EINPUT;
			}
			if (nfrac == decimals) {
				if (*p != '0') {
					*why = unit == KPR_UNIT_WAN ? _("more than 4 decimals in 万元 (finer than one yuan)")
					     : unit == KPR_UNIT_YI ? _("more than 8 decimals in 亿元 (finer than one yuan)")
								   : _("decimals in 元 (finer than one yuan)");
					return KPR_EINPUT;
				}
				continue;
			}
			frac = frac * 10 + (*p - '0');
			nfrac++;
			ndigits++;
		}
	}
	if (ndigits == 0) {
		*why = _("not a number");
		return KPR_EINPUT;
	}
	for (; nfrac < decimals; nfrac++)
		frac *= 10;
	int64_t scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (whole > KPR_MONEY_MAX_YUAN / scale) {
		*why = _("amount too large");
		return KPR_EINPUT;
	}
	*yuan = whole * scale + frac;
	if (negative)
		*yuan = -*yuan;
	return KPR_OK;
}

char *kpr_money_format_wan(int64_t yuan, char *buf)
{
	/* by hand, right to left: this runs for every amount of a bulk import */
	char tmp[32], *p = tmp + sizeof(tmp);
	uint64_t a = yuan < 0 ? (uint64_t)0 - (uint64_t)yuan : (uint64_t)yuan;
	*--p = '\0';
	for (int i = 0; i < 4; i++, a /= 10)
		*--p = (char)('0' + a % 10);
	*--p = '.';
	do {
		*--p = (char)('0' + a % 10);
		a /= 10;
	} while (a);
	if (yuan < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
	return buf;
}

char *kpr_money_format_yi(int64_t yuan, int decimals, char *buf)
{
	uint64_t a = yuan < 0 ? (uint64_t)0 - (uint64_t)yuan : (uint64_t)yuan;
	uint64_t unit = 100000000, step = unit;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 8)
		decimals = 8;
	for (int i = 0; i < decimals; i++)
		step /= 10;
	uint64_t r = (a + step / 2) / step;	/* in units of step, half away from zero */
	uint64_t per = unit / step;
	if (decimals == 0)
		snprintf(buf, 32, "%s%llu", yuan < 0 && r ? "-" : "", (unsigned long long)r);
	else
		snprintf(buf, 32, "%s%llu.%0*llu", yuan < 0 && r ? "-" : "", (unsigned long long)(r / per),
			 decimals, (unsigned long long)(r % per));
	return buf;
}
