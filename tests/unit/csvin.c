/*
 * csvin: the CSV reader against csv-spectrum (tests/data/csv-spectrum): each csvs/NAME.csv
 * reads as json/NAME.json, an array of objects keyed by the header row, empty fields as "".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "strbuf.h"
#include "tap.h"

static const char *const cases[] = {
	"comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines",
	"newlines_crlf", "quotes_and_newlines", "simple", "simple_crlf", "utf8",
};

static char *data_path(const char *fmt, const char *name)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	const char *src = getenv("KPR_SRC");
	kpr_strbuf_addf(&sb, "%s/tests/data/csv-spectrum/", src ? src : ".");
	kpr_strbuf_addf(&sb, fmt, name);
	return kpr_strbuf_detach(&sb);
}

/* Read name.csv and compare record by record with name.json. */
static void check_case(const char *name)
{
	char *csv = data_path("csvs/%s.csv", name), *jpath = data_path("json/%s.json", name);
	json_error_t jerr;
	json_t *want = json_load_file(jpath, 0, &jerr);
	struct kpr_reader_options opts = { .format = KPR_FORMAT_CSV };
	struct kpr_reader *r;
	const struct kpr_record *rec;
	char **header = NULL;
	size_t nheader = 0, row = 0;
	int rc;
	bool same = true;

	if (!ok(want && json_is_array(want), "%s: expected records load", name) ||
	    !ok(kpr_reader_open(&r, csv, &opts) == KPR_OK, "%s: opens", name))
		goto out;
	while ((rc = kpr_reader_next(r, &rec)) == KPR_OK && rec) {
		if (!header) {
			nheader = rec->nfields;
			header = kpr_xcalloc(nheader, sizeof(*header));
			for (size_t i = 0; i < nheader; i++)
				header[i] = kpr_xstrdup(rec->fields[i] ? rec->fields[i] : "");
			continue;
		}
		json_t *obj = json_array_get(want, row++);
		if (!obj || json_object_size(obj) != rec->nfields || rec->nfields != nheader) {
			printf("# %s: record %zu has %zu fields\n", name, row, rec->nfields);
			same = false;
			continue;
		}
		for (size_t i = 0; i < nheader; i++) {
			const char *w = json_string_value(json_object_get(obj, header[i]));
			const char *got = rec->fields[i] ? rec->fields[i] : "";
			if (!w || strcmp(w, got) != 0) {
				printf("# %s: record %zu field '%s': got '%s', expected '%s'\n", name, row,
				       header[i], got, w ? w : "(missing)");
				same = false;
			}
		}
	}
	is_int(rc, KPR_OK, "%s: reads to the end", name);
	is_int(row, json_array_size(want), "%s: record count", name);
	ok(same, "%s: every field as expected", name);
	kpr_reader_free(r);
out:
	for (size_t i = 0; i < nheader; i++)
		free(header[i]);
	free(header);
	json_decref(want);
	free(csv);
	free(jpath);
}

int main(void)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(cases); i++)
		check_case(cases[i]);

	/* location_coordinates.csv: 37°36'37.8"N has a bare quote in an unquoted field */
	char *bad = data_path("csvs/%s.csv", "location_coordinates");
	struct kpr_reader_options opts = { .format = KPR_FORMAT_CSV };
	struct kpr_reader *r;
	const struct kpr_record *rec;
	int rc = KPR_OK;
	size_t n = 0;
	tap_capture_stderr();
	if (kpr_reader_open(&r, bad, &opts) == KPR_OK) {
		while ((rc = kpr_reader_next(r, &rec)) == KPR_OK && rec)
			n++;
		kpr_reader_free(r);
	}
	const char *msg = tap_captured_stderr();
	is_int(rc, KPR_EINPUT, "location_coordinates: a bare quote in an unquoted field is rejected");
	is_int(n, 1, "location_coordinates: only the header before it");
	printf("# %s\n", msg);
	ok(strstr(msg, "location_coordinates.csv:2: quote in unquoted field 2") != NULL,
	   "location_coordinates: the error names line 2 and field 2");
	free(bad);
	return done_testing();
}
