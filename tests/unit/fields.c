/*
 * Unit tests: the description of the columns (lib/fields.h) held against the schema
 * ($KPR_SRC/schema/kpr.sql, which tests/t0002 holds against a fresh `kpr init`), against the
 * names columns.c recognises, and the statements and COPY rows made from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "fields.h"
#include "strbuf.h"
#include "tap.h"
#include "validate.h"

/* The columns of CREATE TABLE kpr.<table> in schema/kpr.sql: "name type ..." lines, NUL-separated. */
static char *table_columns(const char *sql, const char *table)
{
	char start[64];
	snprintf(start, sizeof(start), "CREATE TABLE kpr.%s (\n", table);
	const char *p = strstr(sql, start);
	if (!p)
		return NULL;
	p += strlen(start);
	const char *end = strstr(p, "\n);");
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	while (p && p < end) {
		const char *nl = strchr(p, '\n');
		p += strspn(p, " ");
		if (strncmp(p, "CONSTRAINT ", 11) != 0) {
			kpr_strbuf_add(&sb, p, (size_t)(nl - p));
			kpr_strbuf_addch(&sb, '\0');
		}
		p = nl + 1;
	}
	kpr_strbuf_addch(&sb, '\0');
	return kpr_strbuf_detach(&sb);
}

/* The type of column in the list table_columns() made ("" when absent): the words after the
 * name, up to a constraint or the line's comma. */
static void column_type(const char *columns, const char *column, char *out, size_t size)
{
	size_t n = strlen(column);
	out[0] = '\0';
	for (const char *c = columns; c && *c; c += strlen(c) + 1) {
		if (strncmp(c, column, n) != 0 || c[n] != ' ')
			continue;
		const char *t = c + n + 1;
		size_t len = strlen(t);
		if (len && t[len - 1] == ',')	/* not the comma in numeric(18,4) */
			len--;
		const char *stops[] = { " NOT NULL", " DEFAULT", " COLLATE", " CHECK" };
		for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
			const char *s = strstr(t, stops[i]);
			if (s && (size_t)(s - t) < len)
				len = (size_t)(s - t);
		}
		snprintf(out, size, "%.*s", (int)len, t);
		return;
	}
}

static char *read_schema(void)
{
	const char *src = getenv("KPR_SRC");
	char path[4096];
	snprintf(path, sizeof(path), "%s/schema/kpr.sql", src ? src : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		kpr_strbuf_add(&sb, buf, n);
	fclose(f);
	return kpr_strbuf_detach(&sb);
}

static void schema_tests(void)
{
	char *sql = read_schema();
	if (!ok(sql != NULL, "schema/kpr.sql is readable (KPR_SRC)"))
		return;
	char *project = table_columns(sql, "project"), *project_year = table_columns(sql, "project_year");
	ok(project && project_year, "schema/kpr.sql has tables project and project_year");
	char type[64];
	int columns = 0;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		const struct kpr_field *f = &kpr_fields[c];
		if (!f->column)
			continue;
		columns++;
		column_type(project, f->column, type, sizeof(type));
		is_str(type, kpr_field_sql_type(f->type), "%s is column project.%s of type %s", f->names[0], f->column,
		       kpr_field_sql_type(f->type));
	}
	ok(columns >= 16, "the code and at least 15 project columns are described (%d)", columns);
	column_type(project_year, "annual_plan", type, sizeof(type));
	is_str(type, kpr_field_sql_type(kpr_fields[KPR_COL_ANNUAL_PLAN].type),
	       "annual_plan, staged with the list, is project_year.annual_plan of the same type");
	ok(kpr_fields[KPR_COL_CODE].flags & KPR_FIELD_KEY, "the code is the project's key");
	free(project);
	free(project_year);
	free(sql);
}

/* Every column has its names, and columns.c recognises each of them as that column. */
static void names_tests(void)
{
	int bad = 0, names = 0;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		const struct kpr_field *f = &kpr_fields[c];
		if (!ok(f->names[0] && f->names[1], "column %d has a canonical name and a header (%s)", c,
			f->names[0] ? f->names[0] : "none"))
			continue;
		is_str(kpr_column_canonical((enum kpr_col)c), f->names[0], "%s is its canonical name", f->names[0]);
		ok(f->kinds != 0, "%s is read by an import", f->names[0]);
		for (size_t i = 0; i < KPR_FIELD_NAMES && f->names[i]; i++) {
			for (int kind = KPR_IMPORT_PROJECTS; kind <= KPR_IMPORT_PROGRESS; kind++) {
				enum kpr_unit unit;
				int year;
				if (!kpr_field_read_by((enum kpr_col)c, (enum kpr_import_kind)kind))
					continue;
				names++;
				if (kpr_column_lookup(f->names[i], (enum kpr_import_kind)kind, NULL, &unit, &year) != c) {
					bad++;
					printf("# '%s' is not recognised as %s\n", f->names[i], f->names[0]);
				}
			}
		}
	}
	ok(bad == 0 && names > 100, "every name of every column is recognised as that column (%d names)", names);
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static void sql_tests(void)
{
	char *list = kpr_fields_sql("({{p.%s}}) IS DISTINCT FROM ({{s.%s}})");
	ok(strncmp(list, "(p.name, p.region_code, ", 24) == 0, "a template lists the columns in order: %.40s", list);
	ok(!strstr(list, "p.code") && count(list, "p.") == count(list, "s."), "without the code, the same on both sides");
	int n = count(list, "p.");
	free(list);

	char *stage = kpr_fields_sql("CREATE TEMP TABLE t (code text, {{%s %t}})");
	ok(strstr(stage, "total_investment numeric(18,4)") && strstr(stage, "start_year integer") &&
	   strstr(stage, "planned_start date"), "%%t is each column's SQL type");
	free(stage);

	char *jsonb = kpr_fields_sql("jsonb_build_object({{'%s', c.%s}})");
	ok(strstr(jsonb, "'remarks', c.remarks") != NULL, "%%s may come more than once");
	free(jsonb);

	char *plain = kpr_fields_sql("coalesce(x, '{}') {1}");
	is_str(plain, "coalesce(x, '{}') {1}", "a statement without {{ }} is left as it is");
	free(plain);

	/* a COPY row: the code, then one field per listed column, each followed by a tab */
	struct kpr_project_row row;
	memset(&row, 0, sizeof(row));
	row.code = (char *)"P-001";
	row.name = (char *)"道路\t一期";
	row.region_code = "131002";
	row.start_year = 2023;
	row.has_total = true;
	row.total_investment = 12345 * 10000LL;
	memcpy(row.planned_start, "2023-04-01", 11);
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_fields_copy_row(&sb, &row);
	is_int(count(sb.buf, "\t"), n + 1, "a COPY row has the code and %d columns", n);
	ok(strncmp(sb.buf, "P-001\t道路\\t一期\t131002\t\\N\t", strlen("P-001\t道路\\t一期\t131002\t\\N\t")) == 0,
	   "its fields in the listed order, escaped, NULL as \\N: %.40s", sb.buf);
	ok(strstr(sb.buf, "\t2023\t\\N\t2023-04-01\t12345.0000\t") != NULL, "years, months and amounts as COPY text");
	kpr_strbuf_release(&sb);
}

int main(void)
{
	schema_tests();
	names_tests();
	sql_tests();
	return done_testing();
}
