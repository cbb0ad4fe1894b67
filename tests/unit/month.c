/* Unit tests: months, dates, year ranges and today's month (lib/month.c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "month.h"
#include "tap.h"

/* A month as kpr counts them: year * 12 + (month - 1). */
#define M(y, m) ((y) * 12 + (m) - 1)
#define REJECTED (-1)

static void month_is(const char *in, int want)
{
	int got = REJECTED;
	int rc = kpr_month_parse(in, &got);
	if (want == REJECTED)
		ok(rc == KPR_EINPUT, "month '%s' is rejected", in);
	else
		ok(rc == KPR_OK && got == want, "month '%s' is %d-%02d (got rc %d, %d-%02d)", in, want / 12,
		   want % 12 + 1, rc, got / 12, got % 12 + 1);
}

/* want NULL: rejected */
static void date_is(const char *in, const char *want)
{
	char buf[11] = "";
	int rc = kpr_date_parse(in, buf);
	if (!want)
		ok(rc == KPR_EINPUT, "date '%s' is rejected", in);
	else
		ok(rc == KPR_OK && strcmp(buf, want) == 0, "date '%s' is %s (got rc %d, '%s')", in, want, rc, buf);
}

/* start REJECTED: rejected */
static void years_are(const char *in, int start, int end)
{
	int a = 0, b = 0;
	int rc = kpr_year_range_parse(in, &a, &b);
	if (start == REJECTED)
		ok(rc == KPR_EINPUT, "year range '%s' is rejected", in);
	else
		ok(rc == KPR_OK && a == start && b == end, "year range '%s' is %d to %d (got rc %d, %d to %d)", in,
		   start, end, rc, a, b);
}

static void test_months(void)
{
	month_is("2023-09", M(2023, 9));
	month_is("2023-9", M(2023, 9));
	month_is("2023-1", M(2023, 1));
	month_is("2023年9月", M(2023, 9));
	month_is("2023年09月", M(2023, 9));
	month_is("2023 年 9 月", M(2023, 9));
	month_is("2023/9", M(2023, 9));
	month_is("2023.09", M(2023, 9));
	month_is("2023.12", M(2023, 12));
	month_is("202309", M(2023, 9));
	month_is("２０２３－０９", M(2023, 9));
	month_is("２０２３年９月", M(2023, 9));
	month_is("\u30002023-09\u3000", M(2023, 9));
	/* a date names its month, when the day exists */
	month_is("2023-09-01", M(2023, 9));
	month_is("2023-09-30", M(2023, 9));
	month_is("2023/9/1 0:00", M(2023, 9));
	month_is("2023-04-15T08:30:00", M(2023, 4));
	month_is("2023年4月15日", M(2023, 4));
	month_is("2023年4月15号", M(2023, 4));
	month_is("1900-01", M(1900, 1));
	month_is("2100-12", M(2100, 12));

	month_is("2023-13", REJECTED);
	month_is("2023-00", REJECTED);
	month_is("2023-0", REJECTED);
	month_is("202300", REJECTED);
	month_is("202313", REJECTED);
	month_is("1899-12", REJECTED);
	month_is("2101-01", REJECTED);
	month_is("23-09", REJECTED);
	month_is("2023", REJECTED);
	month_is("2023-", REJECTED);
	month_is("2023 09", REJECTED);
	month_is("2023-09-", REJECTED);
	month_is("2023-09x", REJECTED);
	month_is("2023-09-31", REJECTED);
	month_is("2023-02-29", REJECTED);
	month_is("Sept 2023", REJECTED);
	month_is("九月", REJECTED);
	month_is("", REJECTED);
	month_is("\u3000 ", REJECTED);
}

static void test_dates(void)
{
	date_is("2023-04-15", "2023-04-15");
	date_is("2023/4/5", "2023-04-05");
	date_is("2023.4.5", "2023-04-05");
	date_is("2023年4月15日", "2023-04-15");
	date_is("2023/4/15 0:00", "2023-04-15");
	date_is("2023-04", "2023-04-01");
	date_is("202304", "2023-04-01");
	date_is("2023年4月", "2023-04-01");
	date_is("2024-02-29", "2024-02-29");	/* divisible by 4 */
	date_is("2000-02-29", "2000-02-29");	/* by 400 */
	date_is("2023-12-31", "2023-12-31");

	date_is("2023-02-29", NULL);
	date_is("2100-02-29", NULL);		/* by 100, not 400 */
	date_is("2023-04-31", NULL);
	date_is("2023-04-00", NULL);
	date_is("2023-04-32", NULL);
	date_is("2023-4-15-1", NULL);
	date_is("tomorrow", NULL);
}

static void test_format(void)
{
	char buf[11];
	is_str(kpr_month_format(M(2023, 9), buf), "2023-09", "format: a month is YYYY-MM");
	is_str(kpr_month_format(M(2023, 12), buf), "2023-12", "format: December");
	is_str(kpr_month_format(M(2024, 1), buf), "2024-01", "format: January after December");
	is_str(kpr_month_date(M(2023, 9), buf), "2023-09-01", "date: the month's first day");
	is_str(kpr_month_date(M(2100, 12), buf), "2100-12-01", "date: the last month kpr reads");
	is_int(kpr_month_year(M(2023, 12)), 2023, "year of December 2023");
	is_int(kpr_month_of_year(M(2023, 12)), 12, "month of the year of December 2023");
	is_int(kpr_month_of_year(M(2024, 1)), 1, "month of the year of January 2024");

	/* every month kpr reads, formatted, reads back as itself, and so does its date */
	int bad = 0;
	for (int m = M(1900, 1); m <= M(2100, 12); m++) {
		int back = -1;
		char date[11];
		if (kpr_month_parse(kpr_month_format(m, buf), &back) != KPR_OK || back != m ||
		    kpr_date_parse(kpr_month_date(m, buf), date) != KPR_OK || strcmp(date, buf) != 0)
			bad++;
	}
	is_int(bad, 0, "format and parse round trip for every month from 1900 to 2100");
}

static void test_year_ranges(void)
{
	years_are("2023-2025", 2023, 2025);
	years_are("2023—2025", 2023, 2025);	/* em dash */
	years_are("2023–2025", 2023, 2025);	/* en dash */
	years_are("2023－2025", 2023, 2025);	/* full-width hyphen */
	years_are("2023~2025", 2023, 2025);
	years_are("2023～2025", 2023, 2025);
	years_are("2023至2025", 2023, 2025);
	years_are("2023到2025", 2023, 2025);
	years_are("2023年-2025年", 2023, 2025);
	years_are("2023年至2025年", 2023, 2025);
	years_are("2023 - 2025", 2023, 2025);
	years_are("２０２３—２０２５", 2023, 2025);
	years_are("2023", 2023, 2023);
	years_are("2023年", 2023, 2023);
	years_are("2025-2023", 2025, 2023);	/* the caller judges what is possible */

	years_are("2023-25", REJECTED, 0);
	years_are("23-25", REJECTED, 0);
	years_are("2023-", REJECTED, 0);
	years_are("2023-20255", REJECTED, 0);
	years_are("20231-2025", REJECTED, 0);
	years_are("2023-2025-2027", REJECTED, 0);
	years_are("soon", REJECTED, 0);
	years_are("", REJECTED, 0);
}

/* The month of the time t in a zone east of UTC by offset seconds (none of them keeps summer time). */
static int month_at(time_t t, long offset)
{
	t += offset;
	struct tm tm;
	gmtime_r(&t, &tm);
	return M(tm.tm_year + 1900, tm.tm_mon + 1);
}

/* today in tz is the month in UTC+offset (read the clock around the call: a month may turn) */
static void today_is_in(const char *tz, long offset)
{
	int m = -1;
	time_t before = time(NULL);
	int rc = kpr_month_today(tz, &m);
	time_t after = time(NULL);
	ok(rc == KPR_OK && (m == month_at(before, offset) || m == month_at(after, offset)),
	   "without KPR_TODAY, today's month is the clock's in %s (UTC%+ld)", tz ? tz : "(default)", offset / 3600);
}

static void test_today(void)
{
	int m = -1;
	setenv("KPR_TODAY", "2023-10-15", 1);
	ok(kpr_month_today("Asia/Shanghai", &m) == KPR_OK && m == M(2023, 10), "KPR_TODAY as a date fixes today's month");
	setenv("KPR_TODAY", "2023-10", 1);
	ok(kpr_month_today("Pacific/Kiritimati", &m) == KPR_OK && m == M(2023, 10),
	   "KPR_TODAY as a month, whatever the time zone");
	setenv("KPR_TODAY", "2023年10月", 1);
	ok(kpr_month_today(NULL, &m) == KPR_OK && m == M(2023, 10), "KPR_TODAY in any month form");
	setenv("KPR_TODAY", "someday", 1);
	is_int(kpr_month_today("Asia/Shanghai", &m), KPR_EINPUT, "a malformed KPR_TODAY is an input error");
	int d = -1;
	setenv("KPR_TODAY", "2023-10-15", 1);
	ok(kpr_date_today(NULL, &m, &d) == KPR_OK && m == M(2023, 10) && d == 15, "KPR_TODAY as a date gives its day");
	setenv("KPR_TODAY", "2023-10", 1);
	ok(kpr_date_today(NULL, &m, &d) == KPR_OK && m == M(2023, 10) && d == 1, "KPR_TODAY as a month is its 1st");

	setenv("KPR_TODAY", "", 1);	/* set but empty is unset */
	setenv("TZ", "UTC", 1);
	today_is_in("Asia/Shanghai", 8 * 3600);
	unsetenv("KPR_TODAY");
	today_is_in("Pacific/Kiritimati", 14 * 3600);
	today_is_in("Etc/GMT+12", -12 * 3600);	/* POSIX signs: twelve hours west */
	today_is_in(NULL, 8 * 3600);
	today_is_in("", 8 * 3600);
	is_str(getenv("TZ"), "UTC", "the caller's TZ is restored");
	unsetenv("TZ");
	today_is_in("Asia/Shanghai", 8 * 3600);
	ok(getenv("TZ") == NULL, "an unset TZ stays unset");
}

int main(void)
{
	test_months();
	test_dates();
	test_format();
	test_year_ranges();
	test_today();
	return done_testing();
}
