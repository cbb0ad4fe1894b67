/*
 * month.h: months and dates as people write them in reports.
 *
 *     int m;
 *     kpr_month_parse("2023年9月", &m);   // also "2023-09", "2023/9", "2023.9", "2023-09-01"
 *     kpr_month_format(m, buf);           // "2023-09" (the form kpr prints everywhere)
 *
 * A month is an int: year * 12 + (month - 1).  A date is kept as "YYYY-MM-DD" text for the
 * database, after checking it exists.
 */
#ifndef KPR_MONTH_H
#define KPR_MONTH_H

#include "kpr.h"

/* Parse a month; a full date names its month.  KPR_EINPUT when it is none. */
int kpr_month_parse(const char *s, int *month) KPR_WARN_UNUSED;
/* "YYYY-MM" into buf (8 bytes) */
char *kpr_month_format(int month, char *buf);
/* "YYYY-MM-01" into buf (11 bytes): the month as the database's date */
char *kpr_month_date(int month, char *buf);
static inline int kpr_month_year(int month) { return month / 12; }
static inline int kpr_month_of_year(int month) { return month % 12 + 1; }

/* Parse a date ("2023-04-15", "2023/4/15", "2023年4月15日"; a bare month means its 1st) into
 * "YYYY-MM-DD" in buf (11 bytes).  KPR_EINPUT when it is none or does not exist. */
int kpr_date_parse(const char *s, char *buf) KPR_WARN_UNUSED;

/* Parse a year range: "2023-2025", "2023—2025", "2023年-2025年", "2023~2025", "2023至2025", or
 * one year.  KPR_EINPUT when it is none; the caller judges whether it is possible. */
int kpr_year_range_parse(const char *s, int *start, int *end) KPR_WARN_UNUSED;

/*
 * Today's month: $KPR_TODAY (YYYY-MM-DD or YYYY-MM) when set, else the current date in the
 * time zone tz (an IANA name such as "Asia/Shanghai").  KPR_EINPUT when KPR_TODAY is malformed.
 */
int kpr_month_today(const char *tz, int *month) KPR_WARN_UNUSED;
/* Today as a month and a day of it, the same way (a KPR_TODAY of YYYY-MM is its 1st). */
int kpr_date_today(const char *tz, int *month, int *day) KPR_WARN_UNUSED;

#endif
