/* table: columns line up by display width, Chinese included, whatever the locale. */
#include "table.h"

#include <locale.h>
#include <stdlib.h>

#include "kpr.h"
#include "tap.h"

static char *render(const struct kpr_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = kpr_table_print(t, f);
	fclose(f);
	ok(rc == KPR_OK, "print succeeds");
	return buf;
}

int main(void)
{
	setlocale(LC_ALL, "C");

	struct kpr_table *t = kpr_table_new();
	kpr_table_add_column(t, "code", KPR_TABLE_LEFT);
	kpr_table_add_column(t, "name", KPR_TABLE_LEFT);
	kpr_table_add_column(t, "short name", KPR_TABLE_LEFT);
	kpr_table_add_column(t, "n", KPR_TABLE_RIGHT);
	kpr_table_add_row(t);
	kpr_table_add_cell(t, "131000");
	kpr_table_add_cell(t, "廊坊市");
	kpr_table_add_cell(t, "市本级");
	kpr_table_add_cellf(t, "%d", 7);
	kpr_table_add_row(t);
	kpr_table_add_cell(t, "131028");
	kpr_table_add_cell(t, "大厂回族自治县");
	kpr_table_add_cell(t, NULL);
	kpr_table_add_cellf(t, "%d", 1234);
	kpr_table_add_row(t);
	kpr_table_add_cell(t, "LKJJQ");
	kpr_table_add_cell(t, "two\nlines");
	is_int(kpr_table_nrows(t), 3, "three rows were added");

	char *s = render(t);
	is_str(s,
	       "code    name            short name     n\n"
	       "------  --------------  ----------  ----\n"
	       "131000  廊坊市          市本级         7\n"
	       "131028  大厂回族自治县              1234\n"
	       "LKJJQ   two lines\n",
	       "columns line up by display width; numbers are right-aligned; missing cells are empty; no trailing spaces");
	free(s);
	kpr_table_free(t);

	t = kpr_table_new();
	kpr_table_add_column(t, "id", KPR_TABLE_LEFT);
	kpr_table_add_column(t, "说明", KPR_TABLE_LEFT);
	kpr_table_add_row(t);
	kpr_table_add_cell(t, "blue-completed");
	kpr_table_add_cell(t, "已竣工");
	s = render(t);
	is_str(s,
	       "id              说明\n"
	       "--------------  ------\n"
	       "blue-completed  已竣工\n",
	       "a Chinese heading is measured too, and the last column is not padded");
	free(s);
	kpr_table_free(t);

	t = kpr_table_new();
	kpr_table_add_column(t, "x", KPR_TABLE_LEFT);
	s = render(t);
	is_str(s, "x\n-\n", "a table without rows prints its heading");
	free(s);
	kpr_table_free(t);
	return done_testing();
}
