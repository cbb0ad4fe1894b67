/* Unit tests: the report's pure parts (lib/report.c): --as-of's moment. */
#include <string.h>

#include "report.h"
#include "tap.h"

/* want NULL: rejected; else what the report shows (and sets as the moment) */
static void as_of_is(const char *in, const char *want)
{
	char buf[KPR_REPORT_AS_OF_SIZE] = "";
	int rc = kpr_report_as_of_parse(in, buf);
	if (!want)
		ok(rc == KPR_EINPUT, "--as-of '%s' is rejected", in);
	else
		ok(rc == KPR_OK && strcmp(buf, want) == 0, "--as-of '%s' is '%s' (got rc %d, '%s')", in, want, rc, buf);
}

int main(void)
{
	as_of_is("2023-10-08", "2023-10-08");
	as_of_is("2023-10-08T12:00", "2023-10-08 12:00");
	as_of_is("2023-10-08T12:00:30", "2023-10-08 12:00:30");
	as_of_is("2024-02-29T23:59:59", "2024-02-29 23:59:59");
	as_of_is("2023-10-08T00:00:00", "2023-10-08 00:00:00");
	as_of_is("2023-02-29", NULL);
	as_of_is("1900-02-29", NULL);
	as_of_is("2023-10-08T24:00", NULL);
	as_of_is("2023-10-08T12:60", NULL);
	as_of_is("2023-10-08T12:00:60", NULL);
	as_of_is("2023-10-08T12:00:5", NULL);
	as_of_is("2023-10-08T12:00:+5", NULL);
	as_of_is("2023-10-08T12:00.30", NULL);
	as_of_is("2023-10-08T12:00:300", NULL);
	as_of_is("2023-10-08 12:00:30", NULL);
	as_of_is("2023-10-08T12", NULL);
	as_of_is("1899-12-31", NULL);
	as_of_is("", NULL);
	return done_testing();
}
