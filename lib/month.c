/* month.c: months, dates and year ranges; see month.h. */
#include "month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fold.h"

/* Read up to maxdigits digits at *p; -1 if none. */
static int read_number(const char **p, int maxdigits)
{
	int v = 0, n = 0;
	while (**p == ' ')
		(*p)++;
	while (n < maxdigits && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/* Skip a separator between parts: - / . 年 月 and the dashes people type. */
static bool skip_sep(const char **p)
{
	static const char *const seps[] = { "-", "/", ".", "年", "月", "—", "–", "－", "～", "~", "至", "到" };
	while (**p == ' ')
		(*p)++;
	for (size_t i = 0; i < KPR_ARRAY_SIZE(seps); i++) {
		size_t n = strlen(seps[i]);
		if (strncmp(*p, seps[i], n) == 0) {
			*p += n;
			return true;
		}
	}
	return false;
}

static bool skip_word(const char **p, const char *w)
{
	size_t n = strlen(w);
	while (**p == ' ')
		(*p)++;
	if (strncmp(*p, w, n) == 0) {
		*p += n;
		return true;
	}
	return false;
}

static bool valid_day(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1)
		return false;
	int max = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return d <= max;
}

/* year, month and optional day (0 when absent); the whole string must be used */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	char buf[64];
	if (!kpr_fold_ascii(s, buf, sizeof(buf), false))
		return KPR_EINPUT;
	const char *p = buf;
	*d = 0;
	if ((*y = read_number(&p, 4)) < 1900 || *y > 2100)
		return KPR_EINPUT;
	if (p - buf == 4 && *p >= '0' && *p <= '9') {	/* 202309 */
		if ((*m = read_number(&p, 2)) < 1)
			return KPR_EINPUT;
		return *p == '\0' && *m <= 12 ? KPR_OK : KPR_EINPUT;
	}
	if (!skip_sep(&p) || (*m = read_number(&p, 2)) < 1 || *m > 12)
		return KPR_EINPUT;
	bool had_yue = skip_word(&p, "月");
	if (*p == '\0')
		return KPR_OK;
	if (!had_yue && !skip_sep(&p))
		return KPR_EINPUT;
	if ((*d = read_number(&p, 2)) < 0)
		return KPR_EINPUT;
	/* Excel may add a time: "2023/4/15 0:00" */
	if ((*p == ' ' || *p == 'T') && strchr(p, ':'))
		p += strlen(p);
	if (!skip_word(&p, "日"))
		skip_word(&p, "号");
	return *p == '\0' && valid_day(*y, *m, *d) ? KPR_OK : KPR_EINPUT;
}

int kpr_month_parse(const char *s, int *month)
{
	int y, m, d;
	if (parse_ymd(s, &y, &m, &d) != KPR_OK)
		return KPR_EINPUT;
	*month = y * 12 + m - 1;
	return KPR_OK;
}

char *kpr_month_format(int month, char *buf)
{
	snprintf(buf, 8, "%04u-%02u", (unsigned)kpr_month_year(month) % 10000u, (unsigned)kpr_month_of_year(month) % 100u);
	return buf;
}

char *kpr_month_date(int month, char *buf)
{
	unsigned y = (unsigned)kpr_month_year(month) % 10000u, m = (unsigned)kpr_month_of_year(month);
	memcpy(buf, "0000-00-01", 11);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	return buf;
}

int kpr_date_parse(const char *s, char *buf)
{
	int y, m, d;
	if (parse_ymd(s, &y, &m, &d) != KPR_OK)
		return KPR_EINPUT;
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)(d ? d : 1) % 100u);
	return KPR_OK;
}

int kpr_year_range_parse(const char *s, int *start, int *end)
{
	char buf[64];
	if (!kpr_fold_ascii(s, buf, sizeof(buf), true))
		return KPR_EINPUT;
	const char *p = buf;
	if ((*start = read_number(&p, 4)) < 0 || p - buf != 4)
		return KPR_EINPUT;
	skip_word(&p, "年");
	if (*p == '\0') {
		*end = *start;
		return KPR_OK;
	}
	if (!skip_sep(&p))
		return KPR_EINPUT;
	const char *q = p;
	if ((*end = read_number(&p, 4)) < 0 || p - q != 4)
		return KPR_EINPUT;
	skip_word(&p, "年");
	return *p == '\0' ? KPR_OK : KPR_EINPUT;
}

int kpr_month_today(const char *tz, int *month)
{
	int day;
	return kpr_date_today(tz, month, &day);
}

int kpr_date_today(const char *tz, int *month, int *day)
{
	const char *fixed = getenv("KPR_TODAY");
	if (fixed && *fixed) {
		char buf[11];
		if (kpr_date_parse(fixed, buf) != KPR_OK)
			return KPR_EINPUT;
		*day = atoi(buf + 8);
		return kpr_month_parse(buf, month);
	}

	/* localtime_r under the registry's time zone, restoring the caller's TZ afterwards */
	char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	setenv("TZ", tz && *tz ? tz : "Asia/Shanghai", 1);
	tzset();
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	*month = (tm.tm_year + 1900) * 12 + tm.tm_mon;
	*day = tm.tm_mday;
	return KPR_OK;
}
