/* Unit tests: passwords found, masked, scrubbed and hidden in connection strings (lib/conninfo.c). */
#include "conninfo.h"
#include "tap.h"

static void mask_is(const char *in, const char *want, const char *desc)
{
	char *got = kpr_conninfo_mask(in);
	is_str(got, want, "mask '%s': %s", in, desc);
	free(got);
}

static void test_mask(void)
{
	mask_is("host=db user=gu_an password=s3cret dbname=kpr", "host=db user=gu_an password=******** dbname=kpr",
		"a bare key=value password");
	mask_is("password = 's3 cr\\'et' host=db", "password = ******** host=db", "a quoted one with spaces and an escape");
	mask_is("password=a\\ b host=db", "password=******** host=db", "a bare one with an escaped space");
	mask_is("host=db password=two words", "host=db password=******** ********",
		"what follows an unquoted space is masked to the end (libpq quotes it in its error)");
	mask_is("host=db password='open", "host=db password=********", "an unterminated quote masks the rest");
	mask_is("postgresql://gu_an:s3cret@db:5433/kpr?sslmode=require",
		"postgresql://gu_an:********@db:5433/kpr?sslmode=require", "a URI's user:password@");
	mask_is("postgres://gu_an:p%40ss@db/kpr", "postgres://gu_an:********@db/kpr", "the short scheme, percent-encoded");
	mask_is("postgresql://db/kpr?sslmode=require&password=s3cret&user=x",
		"postgresql://db/kpr?sslmode=require&password=********&user=x", "a URI's ?password=");
	mask_is("postgresql://db/kpr?pass%77ord=s3cret", "postgresql://db/kpr?pass%77ord=********",
		"a percent-encoded password key");
	mask_is("postgresql://gu_an@db/kpr", "postgresql://gu_an@db/kpr", "a URI without a password is unchanged");
	mask_is("host=db passwordx=1 user=password", "host=db passwordx=1 user=password", "only the key password counts");
	mask_is("kpr_password", "kpr_password", "a plain database name is not a connection string");
	mask_is("", "", "an empty string");
}

static void test_has(void)
{
	ok(kpr_conninfo_has_password("host=x password=y"), "a password is found");
	ok(kpr_conninfo_has_password("postgresql://u:p@h/d"), "a URI's password is found");
	ok(!kpr_conninfo_has_password("host=x password="), "an empty password is none");
	ok(!kpr_conninfo_has_password("postgresql://u@h/d?sslmode=require"), "a URI without one has none");
	ok(!kpr_conninfo_has_password("host=/tmp dbname=kpr"), "a conninfo without one has none");
	ok(!kpr_conninfo_has_password(NULL), "NULL has none");
}

static void test_scrub(void)
{
	char a[] = "host=db password=s3cret user=x", b[] = "postgresql://u:abc@h/d?password=xy";
	kpr_conninfo_scrub(a);
	is_str(a, "host=db password=****** user=x", "scrub overwrites a password in place, its length kept");
	kpr_conninfo_scrub(b);
	is_str(b, "postgresql://u:***@h/d?password=**", "and both of a URI's");
}

static void test_secrets_hide(void)
{
	char *s[8];
	size_t n = 0;
	kpr_conninfo_secrets("password='a\\'b c' host=x", s, &n, 8);
	is_int(n, 2, "a quoted password gives two secrets");
	is_str(s[0], "a'b c", "as libpq reads it");
	is_str(s[1], "'a\\'b c'", "and as written");
	kpr_conninfo_secrets("postgresql://u:p%25w@h/d", s, &n, 8);
	is_int(n, 4, "a URI's password adds two more");
	is_str(s[2], "p%w", "percent-decoded");
	char *h = kpr_conninfo_hide("invalid percent-encoded token: \"p%25w\" and p%w and 'a\\'b c'", s, n);
	is_str(h, "invalid percent-encoded token: \"********\" and ******** and ********", "hide masks each form");
	free(h);
	h = kpr_conninfo_hide("nothing here", s, n);
	is_str(h, "nothing here", "hide leaves a message without them alone");
	free(h);
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	n = 0;
	kpr_conninfo_secrets("postgresql://u:x@h?password=y", s, &n, 1);
	is_int(n, 1, "secrets stops at max");
	free(s[0]);
}

int main(void)
{
	test_mask();
	test_has();
	test_scrub();
	test_secrets_hide();
	return done_testing();
}
