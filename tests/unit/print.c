/* print: one set of typed rows as a terminal table, CSV, JSON and Markdown (lib/print.c). */
#include "print.h"

#include <jansson.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kpr.h"
#include "tap.h"

static char *out_buf;
static size_t out_len;
static FILE *out;

static struct kpr_print *start(enum kpr_print_format format, const struct kpr_print_column *cols, size_t ncols)
{
	struct kpr_print_opts opts = { .format = format };
	out = open_memstream(&out_buf, &out_len);
	return kpr_print_begin(out, cols, ncols, &opts);
}

static struct kpr_print *start_opts(const struct kpr_print_opts *opts, const struct kpr_print_column *cols,
				    size_t ncols)
{
	out = open_memstream(&out_buf, &out_len);
	return kpr_print_begin(out, cols, ncols, opts);
}

/* What p printed (the caller frees it); the end must succeed. */
static char *finish(struct kpr_print *p)
{
	int rc = kpr_print_end(p);
	fclose(out);
	ok(rc == KPR_OK, "print succeeds");
	return out_buf;
}

static const struct kpr_print_column regions[] = {
	{ "code", NULL, KPR_PRINT_TEXT, 0, 0 },
	{ "name", NULL, KPR_PRINT_TEXT, 0, 0 },
	{ "short_name", "short name", KPR_PRINT_TEXT, 0, 0 },
	{ "n", NULL, KPR_PRINT_INT, 0, 0 },
};

/* The rows lib/table.c was tested with: Chinese, a NULL, a line break, cells left out. */
static struct kpr_print *regions_print(enum kpr_print_format format)
{
	struct kpr_print *p = start(format, regions, KPR_ARRAY_SIZE(regions));
	kpr_print_row(p);
	kpr_print_text(p, "131000");
	kpr_print_text(p, "廊坊市");
	kpr_print_text(p, "市本级");
	kpr_print_int(p, 7);
	kpr_print_row(p);
	kpr_print_text(p, "131028");
	kpr_print_text(p, "大厂回族自治县");
	kpr_print_text(p, NULL);
	kpr_print_int(p, 1234);
	kpr_print_row(p);
	kpr_print_text(p, "LKJJQ");
	kpr_print_text(p, "two\nlines");
	return p;
}

static void test_table(void)
{
	char *s = finish(regions_print(KPR_PRINT_TABLE));
	is_str(s,
	       "code    name            short name     n\n"
	       "------  --------------  ----------  ----\n"
	       "131000  廊坊市          市本级         7\n"
	       "131028  大厂回族自治县              1234\n"
	       "LKJJQ   two lines\n",
	       "table: columns line up by display width; numbers are right-aligned; missing cells are empty; no trailing spaces");
	free(s);

	static const struct kpr_print_column rules[] = {
		{ "id", NULL, KPR_PRINT_TEXT, 0, 0 },
		{ "description", "说明", KPR_PRINT_TEXT, 0, 0 },
	};
	struct kpr_print *p = start(KPR_PRINT_TABLE, rules, 2);
	kpr_print_row(p);
	kpr_print_text(p, "blue-completed");
	kpr_print_text(p, "已竣工");
	s = finish(p);
	is_str(s,
	       "id              说明\n"
	       "--------------  ------\n"
	       "blue-completed  已竣工\n",
	       "table: a Chinese heading is measured too, and the last column is not padded");
	free(s);

	static const struct kpr_print_column x[] = { { "x", NULL, KPR_PRINT_TEXT, 0, 0 } };
	s = finish(start(KPR_PRINT_TABLE, x, 1));
	is_str(s, "x\n-\n", "table: a table without rows prints its heading");
	free(s);

	struct kpr_print_opts opts = { .format = KPR_PRINT_TABLE, .title = "Regions", .empty = "(none)" };
	s = finish(start_opts(&opts, x, 1));
	is_str(s, "Regions\n(none)\n", "table: the title, then the empty line instead of a table without rows");
	free(s);
	p = start_opts(&opts, x, 1);
	kpr_print_row(p);
	kpr_print_text(p, "a\tb\x7f");
	s = finish(p);
	is_str(s, "Regions\nx\n-------\na b\\x7f\n", "table: the title above a table with rows; a TAB is a space, DEL escaped");
	free(s);

	/* nothing that moves the cursor, colours or turns text around reaches the terminal */
	opts.title = "P \033]0;t\a";
	p = start_opts(&opts, x, 1);
	kpr_print_row(p);
	kpr_print_text(p, "\033[2J名\u202e");
	kpr_print_row(p);
	kpr_print_text(p, "ab");
	s = finish(p);
	is_str(s, "P \\x1b]0;t\\x07\nx\n---------------\n\\x1b[2J名\\u202e\nab\n",
	       "table: ESC, BEL and a bidi override shown escaped, in the title too; the width counts the escapes");
	free(s);
}

/* Colour: only the body cells of the columns given an SGR, never "0" or an empty cell, and the
 * widths as without it; never when not asked, and not asked for anything but a terminal. */
static void test_colour(void)
{
	static const struct kpr_print_column cols[] = {
		{ "group", "组", KPR_PRINT_TEXT, 0, 0 },
		{ "red", "红", KPR_PRINT_INT, 0, 0 },
		{ "blue", "蓝", KPR_PRINT_INT, 0, 0 },
	};
	static const char *const sgr[] = { NULL, "31", "34" };
	struct kpr_print_opts opts = { .format = KPR_PRINT_TABLE, .colour = true, .sgr = sgr };
	struct kpr_print *p = start_opts(&opts, cols, 3);
	kpr_print_row(p);
	kpr_print_text(p, "安次区");
	kpr_print_int(p, 12);
	kpr_print_int(p, 0);
	kpr_print_row(p);
	kpr_print_text(p, "固安县");
	kpr_print_int(p, 3);
	char *s = finish(p);
	is_str(s,
	       "组      红  蓝\n"
	       "------  --  --\n"
	       "安次区  \033[31m12\033[0m   0\n"
	       "固安县   \033[31m3\033[0m\n",
	       "table: a column's SGR colours its non-zero cells, padding outside the escapes; the heading plain");
	free(s);

	opts.colour = false;
	p = start_opts(&opts, cols, 3);
	kpr_print_row(p);
	kpr_print_text(p, "安次区");
	kpr_print_int(p, 12);
	s = finish(p);
	ok(!strchr(s, '\033'), "table: no escape without colour asked");
	free(s);

	FILE *f = tmpfile();
	ok(!kpr_print_colour_wanted(f), "colour is not wanted for a file");
	fclose(f);
}

/* kpr_print_page: a long table written a page at a time, each page measured on its own. */
static void test_pages(void)
{
	static const struct kpr_print_column cols[] = { { "name", "名称", KPR_PRINT_TEXT, 0, 0 },
							{ "n", NULL, KPR_PRINT_INT, 0, 0 } };
	struct kpr_print_opts opts = { .format = KPR_PRINT_TABLE, .title = "T", .empty = "(none)" };
	struct kpr_print *p = start_opts(&opts, cols, 2);
	kpr_print_row(p);
	kpr_print_text(p, "固安县");
	kpr_print_int(p, 1);
	kpr_print_page(p);
	fflush(out);
	is_str(out_buf, "T\n名称    n\n------  -\n固安县  1\n", "table: a page is written at once, under the title and heading");
	kpr_print_page(p);
	kpr_print_row(p);
	kpr_print_text(p, "a");
	kpr_print_int(p, 12345);
	char *s = finish(p);
	is_str(s, "T\n名称    n\n------  -\n固安县  1\na     12345\n",
	       "table: the next page has no heading, its own widths (at least the heading's); an empty page writes nothing");
	free(s);

	p = start_opts(&opts, cols, 2);
	kpr_print_page(p);
	s = finish(p);
	is_str(s, "T\n(none)\n", "table: no rows in any page is the empty line");
	free(s);

	p = start(KPR_PRINT_CSV, cols, 2);
	kpr_print_row(p);
	kpr_print_text(p, "x");
	kpr_print_int(p, 1);
	kpr_print_page(p);
	kpr_print_row(p);
	kpr_print_text(p, "y");
	kpr_print_int(p, 2);
	s = finish(p);
	is_str(s, "name,n\nx,1\ny,2\n", "CSV: a page changes nothing");
	free(s);
}

/* Money and percent columns, in each unit: the same rows for every form. */
static const struct kpr_print_column figures[] = {
	{ "group", "组", KPR_PRINT_TEXT, 0, 0 },
	{ "completed", "完成(亿元)", KPR_PRINT_MONEY, KPR_UNIT_YI, 1 },
	{ "annual_plan", NULL, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 },
	{ "yuan", NULL, KPR_PRINT_MONEY, KPR_UNIT_YUAN, 0 },
	{ "completion_rate", "完成率", KPR_PRINT_PERCENT, 0, 1 },
	{ "reported", NULL, KPR_PRINT_DATE, 0, 0 },
};

static struct kpr_print *figures_print(enum kpr_print_format format)
{
	struct kpr_print *p = start(format, figures, KPR_ARRAY_SIZE(figures));
	kpr_print_row(p);
	kpr_print_text(p, "廊坊市");
	kpr_print_money(p, 87420000000);
	kpr_print_money(p, 64000000000);
	kpr_print_money(p, 64000000000);
	kpr_print_percent(p, 87420000000, 64000000000);
	kpr_print_text(p, "2023-10-15");
	kpr_print_row(p);
	kpr_print_text(p, "");
	kpr_print_money(p, 123456789012345678);
	kpr_print_money(p, -50500);
	kpr_print_money(p, -1);
	kpr_print_percent(p, 1, 0);
	kpr_print_null(p);
	return p;
}

static void test_numbers_for_people(void)
{
	char *s = finish(figures_print(KPR_PRINT_TABLE));
	is_str(s,
	       "组        完成(亿元)   annual_plan         yuan  完成率  reported\n"
	       "------  ------------  ------------  -----------  ------  ----------\n"
	       "廊坊市         874.2  6400000.0000  64000000000   136.6  2023-10-15\n"
	       "        1234567890.1       -5.0500           -1\n",
	       "table: money in 亿元 rounded to one decimal, 万元 with four, 元; percent; NULLs blank; all right-aligned");
	free(s);
}

static void percent_is(int64_t num, int64_t den, int decimals, const char *want)
{
	struct kpr_print_column col = { "rate", NULL, KPR_PRINT_PERCENT, 0, decimals };
	struct kpr_print *p = start(KPR_PRINT_CSV, &col, 1);
	kpr_print_row(p);
	kpr_print_percent(p, num, den);
	char *s = finish(p);
	char expect[128];
	snprintf(expect, sizeof(expect), "rate\n%s\n", want);
	is_str(s, expect, "percent %lld/%lld to %d decimals is '%s'", (long long)num, (long long)den, decimals, want);
	free(s);
}

static void test_percent(void)
{
	percent_is(87420000000, 64000000000, 1, "136.6");	/* the seed's 2022 headline */
	percent_is(1, 3, 1, "33.3");
	percent_is(2, 3, 1, "66.7");
	percent_is(1, 7, 2, "14.29");
	percent_is(1, 8, 0, "13");			/* 12.5: half away from zero */
	percent_is(-1, 8, 0, "-13");
	percent_is(1, -8, 0, "-13");
	percent_is(-1, -8, 0, "13");
	percent_is(3, 8, 1, "37.5");
	percent_is(1, 2000, 1, "0.1");		/* 0.05 rounds up */
	percent_is(-1, 3000, 1, "0.0");		/* -0.033 is 0.0, not -0.0 */
	percent_is(-1, 2000, 1, "-0.1");
	percent_is(0, 5, 1, "0.0");
	percent_is(5, 1, 0, "500");
	percent_is(INT64_MAX, 1, 1, "922337203685477580700.0");
	percent_is(INT64_MIN, 1, 0, "-922337203685477580800");
	percent_is(1, INT64_MAX, 6, "0.000000");
	percent_is(2, 3, 9, "66.666667");		/* at most 6 decimals */
	percent_is(1, 0, 1, "");			/* no base, no rate: NULL */
}

static void test_csv(void)
{
	char *s = finish(regions_print(KPR_PRINT_CSV));
	is_str(s,
	       "code,name,short_name,n\n"
	       "131000,廊坊市,市本级,7\n"
	       "131028,大厂回族自治县,,1234\n"
	       "LKJJQ,\"two\nlines\",,\n",
	       "csv: the column names head it; a NULL is an empty field; a line break is quoted");
	free(s);

	static const struct kpr_print_column cols[] = {
		{ "a,b", NULL, KPR_PRINT_TEXT, 0, 0 },
		{ "c", NULL, KPR_PRINT_TEXT, 0, 0 },
	};
	struct kpr_print_opts opts = { .format = KPR_PRINT_CSV, .bom = true, .title = "T", .empty = "(none)" };
	struct kpr_print *p = start_opts(&opts, cols, 2);
	kpr_print_row(p);
	kpr_print_text(p, "say \"hi\"");
	kpr_print_text(p, "");
	kpr_print_row(p);
	kpr_print_text(p, "cr\rhere");
	kpr_print_text(p, " spaced ");
	kpr_print_row(p);
	kpr_print_null(p);
	kpr_print_text(p, "a,b");
	s = finish(p);
	is_str(s,
	       "\xEF\xBB\xBF\"a,b\",c\n"
	       "\"say \"\"hi\"\"\",\"\"\n"
	       "\"cr\rhere\", spaced \n"
	       ",\"a,b\"\n",
	       "csv: BOM first; quotes doubled; comma, CR and the empty string quoted; spaces kept; no title");
	free(s);

	opts.bom = false;
	s = finish(start_opts(&opts, cols, 2));
	is_str(s, "\"a,b\",c\n", "csv: no BOM unless asked; a table without rows is its heading line");
	free(s);

	/* text a spreadsheet would run gets an apostrophe (sheetguard.h); a number never */
	static const struct kpr_print_column mixed[] = {
		{ "name", NULL, KPR_PRINT_TEXT, 0, 0 },
		{ "n", NULL, KPR_PRINT_INT, 0, 0 },
		{ "amount", NULL, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 },
		{ "rate", NULL, KPR_PRINT_PERCENT, 0, 1 },
	};
	p = start(KPR_PRINT_CSV, mixed, 4);
	kpr_print_row(p);
	kpr_print_text(p, "=1+1");
	kpr_print_int(p, -3);
	kpr_print_money(p, -125000);
	kpr_print_percent(p, -38, 1000);
	kpr_print_row(p);
	kpr_print_text(p, "-abc,\"x\"");
	kpr_print_row(p);
	kpr_print_text(p, "@x");
	kpr_print_row(p);
	kpr_print_text(p, "a=b");
	s = finish(p);
	is_str(s, "name,n,amount,rate\n'=1+1,-3,-12.5000,-3.8\n\"'-abc,\"\"x\"\"\",,,\n'@x,,,\na=b,,,\n",
	       "csv: '=', '-', '@' at a text's start get an apostrophe (inside the quotes); numbers never");
	free(s);
	p = start(KPR_PRINT_JSON, mixed, 4);
	kpr_print_row(p);
	kpr_print_text(p, "=1+1\033");
	s = finish(p);
	is_str(s, "[\n{\"name\":\"=1+1\\u001b\",\"n\":null,\"amount\":null,\"rate\":null}\n]\n",
	       "json: the text as stored, no apostrophe, ESC as \\u001b");
	free(s);

	s = finish(figures_print(KPR_PRINT_CSV));
	is_str(s,
	       "group,completed,annual_plan,yuan,completion_rate,reported\n"
	       "廊坊市,874.20000000,6400000.0000,64000000000,136.6,2023-10-15\n"
	       "\"\",1234567890.12345678,-5.0500,-1,,\n",
	       "csv: money exact in its unit (亿元 with 8 decimals, 万元 with 4, 元), percent rounded, dates as text");
	free(s);
}

static void test_json(void)
{
	char *s = finish(regions_print(KPR_PRINT_JSON));
	is_str(s,
	       "[\n"
	       "{\"code\":\"131000\",\"name\":\"廊坊市\",\"short_name\":\"市本级\",\"n\":7},\n"
	       "{\"code\":\"131028\",\"name\":\"大厂回族自治县\",\"short_name\":null,\"n\":1234},\n"
	       "{\"code\":\"LKJJQ\",\"name\":\"two\\nlines\",\"short_name\":null,\"n\":null}\n"
	       "]\n",
	       "json: an array of objects keyed by column name, one a line; NULL is null; Chinese kept");
	free(s);

	static const struct kpr_print_column cols[] = {
		{ "te\"xt", NULL, KPR_PRINT_TEXT, 0, 0 },
		{ "n", NULL, KPR_PRINT_INT, 0, 0 },
		{ "m", NULL, KPR_PRINT_MONEY, KPR_UNIT_WAN, 0 },
	};
	struct kpr_print *p = start(KPR_PRINT_JSON, cols, 3);
	kpr_print_row(p);
	kpr_print_text(p, "q\" b\\ \t\r\b\f\x01\x1f\x7f 廊坊 é \xff end");
	kpr_print_int(p, INT64_MIN);
	kpr_print_money(p, 123456789012345678);
	kpr_print_row(p);
	kpr_print_text(p, "");
	kpr_print_int(p, INT64_MAX);
	kpr_print_money(p, -1);
	s = finish(p);
	is_str(s,
	       "[\n"
	       "{\"te\\\"xt\":\"q\\\" b\\\\ \\t\\r\\b\\f\\u0001\\u001f\x7f 廊坊 é \xEF\xBF\xBD end\","
	       "\"n\":-9223372036854775808,\"m\":12345678901234.5678},\n"
	       "{\"te\\\"xt\":\"\",\"n\":9223372036854775807,\"m\":-0.0001}\n"
	       "]\n",
	       "json: quotes, backslashes and control characters escaped, UTF-8 kept, a bad byte U+FFFD; numbers exact");

	/* an independent reader agrees */
	json_error_t err;
	json_t *doc = json_loads(s, 0, &err);
	ok(json_is_array(doc) && json_array_size(doc) == 2, "json: jansson reads it as an array of two%s%s", doc ? "" : ": ", doc ? "" : err.text);
	json_t *first = json_array_get(doc, 0), *second = json_array_get(doc, 1);
	is_str(json_string_value(json_object_get(first, "te\"xt")), "q\" b\\ \t\r\b\f\x01\x1f\x7f 廊坊 é \xEF\xBF\xBD end",
	       "json: the text reads back as written");
	ok(json_is_integer(json_object_get(first, "n")) && json_integer_value(json_object_get(first, "n")) == INT64_MIN,
	   "json: the smallest int64 reads back exactly");
	is_str(json_string_value(json_object_get(second, "te\"xt")), "", "json: an empty string is a string");
	json_decref(doc);
	free(s);

	s = finish(start(KPR_PRINT_JSON, cols, 3));
	is_str(s, "[]\n", "json: no rows is an empty array");
	free(s);

	s = finish(figures_print(KPR_PRINT_JSON));
	is_str(s,
	       "[\n"
	       "{\"group\":\"廊坊市\",\"completed\":874.20000000,\"annual_plan\":6400000.0000,\"yuan\":64000000000,"
	       "\"completion_rate\":136.6,\"reported\":\"2023-10-15\"},\n"
	       "{\"group\":\"\",\"completed\":1234567890.12345678,\"annual_plan\":-5.0500,\"yuan\":-1,"
	       "\"completion_rate\":null,\"reported\":null}\n"
	       "]\n",
	       "json: money exact in its unit, percent as a number, dates as strings, NULL as null");
	free(s);
}

static void test_markdown(void)
{
	char *s = finish(regions_print(KPR_PRINT_MARKDOWN));
	is_str(s,
	       "| code | name | short name | n |\n"
	       "| --- | --- | --- | ---: |\n"
	       "| 131000 | 廊坊市 | 市本级 | 7 |\n"
	       "| 131028 | 大厂回族自治县 |  | 1234 |\n"
	       "| LKJJQ | two<br>lines |  |  |\n",
	       "md: a pipe table, numbers right-aligned, a line break as <br>");
	free(s);

	static const struct kpr_print_column cols[] = { { "a", "a|b", KPR_PRINT_TEXT, 0, 0 } };
	struct kpr_print_opts opts = { .format = KPR_PRINT_MARKDOWN, .title = "Zones" };
	struct kpr_print *p = start_opts(&opts, cols, 1);
	kpr_print_row(p);
	kpr_print_text(p, "x|y\\|z\r\nw\rv\tu");
	s = finish(p);
	is_str(s,
	       "Zones\n\n"
	       "| a\\|b |\n"
	       "| --- |\n"
	       "| x\\|y\\\\\\|z<br>w<br>v u |\n",
	       "md: title as a paragraph; pipes and backslashes escaped; CRLF, CR one <br>; a tab a space");
	free(s);

	p = start_opts(&opts, cols, 1);
	kpr_print_row(p);
	kpr_print_text(p, "\033[1m\u202e|");
	s = finish(p);
	is_str(s, "Zones\n\n| a\\|b |\n| --- |\n| \\\\x1b[1m\\\\u202e\\| |\n",
	       "md: ESC and a bidi override escaped as in the table, their backslash escaped for Markdown");
	free(s);

	s = finish(start_opts(&opts, cols, 1));
	is_str(s, "Zones\n\n| a\\|b |\n| --- |\n", "md: without rows and without an empty text, the heading");
	free(s);
	opts.empty = "(none)";
	s = finish(start_opts(&opts, cols, 1));
	is_str(s, "Zones\n\n(none)\n", "md: without rows, the empty text instead");
	free(s);

	s = finish(figures_print(KPR_PRINT_MARKDOWN));
	is_str(s,
	       "| 组 | 完成(亿元) | annual_plan | yuan | 完成率 | reported |\n"
	       "| --- | ---: | ---: | ---: | ---: | --- |\n"
	       "| 廊坊市 | 874.2 | 6400000.0000 | 64000000000 | 136.6 | 2023-10-15 |\n"
	       "|  | 1234567890.1 | -5.0500 | -1 |  |  |\n",
	       "md: money rounded for people in 亿元");
	free(s);
}

/* Runs f in a child; true if it aborted. */
static bool aborts(void (*f)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		f();
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static FILE *devnull(void)
{
	FILE *f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

static const struct kpr_print_column one_text[] = { { "t", NULL, KPR_PRINT_TEXT, 0, 0 } };

static void int_in_text_column(void)
{
	struct kpr_print *p = kpr_print_begin(devnull(), one_text, 1, &(struct kpr_print_opts){ .format = KPR_PRINT_CSV });
	kpr_print_row(p);
	kpr_print_int(p, 1);
}

static void cell_past_the_last(void)
{
	struct kpr_print *p = kpr_print_begin(devnull(), one_text, 1, &(struct kpr_print_opts){ .format = KPR_PRINT_CSV });
	kpr_print_row(p);
	kpr_print_text(p, "a");
	kpr_print_null(p);
}

static void cell_before_a_row(void)
{
	struct kpr_print *p = kpr_print_begin(devnull(), one_text, 1, &(struct kpr_print_opts){ .format = KPR_PRINT_CSV });
	kpr_print_text(p, "a");
}

static void text_in_a_row(void)
{
	struct kpr_print *p = kpr_print_begin(devnull(), one_text, 1, &(struct kpr_print_opts){ .format = KPR_PRINT_CSV });
	kpr_print_row(p);
	kpr_print_text(p, "a");
	_exit(kpr_print_end(p) == KPR_OK ? 0 : 1);
}

static void test_errors(void)
{
	ok(aborts(int_in_text_column), "an integer in a text column aborts");
	ok(aborts(cell_past_the_last), "a cell past the last column aborts");
	ok(aborts(cell_before_a_row), "a cell before the first row aborts");
	ok(!aborts(text_in_a_row), "a text in a text column does not abort");

	FILE *ro = fopen("/dev/null", "r");
	for (enum kpr_print_format f = KPR_PRINT_TABLE; f <= KPR_PRINT_MARKDOWN; f++) {
		struct kpr_print *p = kpr_print_begin(ro, one_text, 1, &(struct kpr_print_opts){ .format = f });
		kpr_print_row(p);
		kpr_print_text(p, "a");
		is_int(kpr_print_end(p), KPR_EFILE, "a stream that cannot be written is KPR_EFILE (form %d)", (int)f);
		clearerr(ro);
	}
	fclose(ro);

	enum kpr_print_format f = KPR_PRINT_TABLE;
	ok(kpr_print_format_parse("md", &f) && f == KPR_PRINT_MARKDOWN, "'md' is Markdown");
	ok(kpr_print_format_parse("csv", &f) && f == KPR_PRINT_CSV, "'csv' is CSV");
	ok(kpr_print_format_parse("json", &f) && f == KPR_PRINT_JSON, "'json' is JSON");
	ok(kpr_print_format_parse("table", &f) && f == KPR_PRINT_TABLE, "'table' is the table");
	ok(!kpr_print_format_parse("markdown", &f) && !kpr_print_format_parse("", &f), "other names are not forms");
}

int main(void)
{
	setlocale(LC_ALL, "C");
	test_table();
	test_colour();
	test_pages();
	test_numbers_for_people();
	test_percent();
	test_csv();
	test_json();
	test_markdown();
	test_errors();
	return done_testing();
}
