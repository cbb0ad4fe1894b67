/* xlnum.c: spreadsheet numbers, dates and cell references as text; see xlnum.h. */
#include "xlnum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool kpr_xl_number(double v, char buf[KPR_XL_NUMBER_MAX])
{
	char e[32], digits[16];
	char *p = buf;
	int exp, nd = 0;

	buf[0] = '\0';
	if (!isfinite(v))
		return false;
	if (v == 0) {
		strcpy(buf, "0");
		return true;
	}
	/* "-d.dddddddddddddde+XX": 15 significant digits, rounded by printf */
	snprintf(e, sizeof(e), "%.14e", v);
	const char *s = e;
	if (*s == '-') {
		*p++ = '-';
		s++;
	}
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			digits[nd++] = *s;
	exp = atoi(s + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp >= 0) {
		/* digits[0..exp] before the point, the rest after */
		for (int i = 0; i <= exp; i++)
			*p++ = i < nd ? digits[i] : '0';
		if (nd > exp + 1) {
			*p++ = '.';
			for (int i = exp + 1; i < nd; i++)
				*p++ = digits[i];
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -exp - 1; i++)
			*p++ = '0';
		for (int i = 0; i < nd; i++)
			*p++ = digits[i];
	}
	*p = '\0';
	return true;
}

/* Days from 1970-01-01 to y-m-d and back (proleptic Gregorian; Howard Hinnant's algorithms). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

bool kpr_xl_date(double serial, bool date1904, char buf[16])
{
	long y;
	unsigned m, d;

	buf[0] = '\0';
	if (!isfinite(serial) || serial < 0 || serial >= 2958466)
		return false;
	long n = (long)floor(serial);
	if (date1904) {
		n += days_from_civil(1904, 1, 1);
	} else if (n == 60) {
		strcpy(buf, "1900-02-29");	/* Lotus 1-2-3's leap day, kept by Excel */
		return true;
	} else {
		/* serial 1 is 1900-01-01; from 61 on, one day less for the day that was not */
		n += days_from_civil(1899, 12, n < 60 ? 31 : 30);
	}
	civil_from_days(n, &y, &m, &d);
	snprintf(buf, 16, "%04d-%02u-%02u", (int)(y % 10000), m % 100, d % 100);	/* y is 1899..9999 */
	return true;
}

bool kpr_xl_builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

bool kpr_xl_format_is_date(const char *code)
{
	for (const char *s = code; s && *s; s++) {
		switch (*s) {
		case '"':	/* literal text */
			s = strchr(s + 1, '"');
			if (!s)
				return false;
			break;
		case '\\': case '_': case '*':	/* an escaped, spacing or fill character */
			if (!*++s)
				return false;
			break;
		case '[':	/* [Red], [$-804], [>100]: not date parts */
			s = strchr(s + 1, ']');
			if (!s)
				return false;
			break;
		case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D':
		case 'h': case 'H': case 's': case 'S':
			return true;
		default:
			break;
		}
	}
	return false;
}

void kpr_xl_cellref(long col, long row, char buf[16])
{
	char letters[8];
	int n = 0;

	if (col < 0)
		col = 0;
	for (long c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
		letters[n++] = (char)('A' + (c - 1) % 26);
	for (int i = 0; i < n; i++)
		buf[i] = letters[n - 1 - i];
	snprintf(buf + n, (size_t)(16 - n), "%ld", row);
}

long kpr_xl_column(const char *ref)
{
	long col = 0;
	const char *s = ref;

	for (; *s >= 'A' && *s <= 'Z' && s - ref < 4; s++)
		col = col * 26 + (*s - 'A' + 1);
	if (s == ref || s - ref > 3)
		return -1;
	return col - 1;
}
