/*
 * fuzz_import: libFuzzer target for the CSV and YAML parse-and-validate paths of kpr import: the
 * reader (encoding detection, UTF-8 and GB18030 decoding, libcsv or libyaml, line counting), then header
 * recognition and the row validation of project lists and progress reports (validate.h),
 * against reference data built in memory.  No database.
 *
 *     make fuzz FUZZ_SECONDS=60
 *
 * Messages about bad input go to stderr (closed by make fuzz); they are expected.  A crash, a
 * sanitizer report or a leak is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "reader.h"
#include "refdata.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kpr_refdata refdata;
static bool refdata_ready;

static void setup(void)
{
	kpr_refdata_init(&refdata, 2023);
	kpr_ref_add(&refdata.regions, 0, "131000", "廊坊市", "市本级");
	kpr_ref_add(&refdata.regions, 0, "131028", "大厂回族自治县", "大厂");
	kpr_ref_add(&refdata.zones, 0, "YJGXQ", "燕郊高新区", "燕郊");
	kpr_ref_add(&refdata.scenarios, 1, "S01", "现代商贸物流强市", NULL);
	kpr_ref_add(&refdata.scenarios, 2, "S02", "交通强市", NULL);
	refdata_ready = true;
}

static void ignore(void *arg, long line, const char *column, const char *message)
{
	/* every problem names a line at or after the header's, and says something */
	long header_line = *(long *)arg;
	if (line < header_line || !message || !*message || (column && !*column))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!refdata_ready)
		setup();
	if (size < 1)
		return 0;
	/* the first byte picks the kind of file, the default unit and CSV or YAML */
	enum kpr_import_kind kind = data[0] & 1 ? KPR_IMPORT_PROGRESS : KPR_IMPORT_PROJECTS;
	enum kpr_unit unit = (enum kpr_unit)(data[0] >> 1 & 3);
	enum kpr_format format = data[0] & 8 ? KPR_FORMAT_YAML : KPR_FORMAT_CSV;
	data++;
	size--;

	struct kpr_reader_options opts = {
		.format = format, .encoding = KPR_ENCODING_AUTO,
		.probe = kpr_header_looks_like, .probe_arg = &kind,
	};
	struct kpr_reader *r;
	const struct kpr_record *rec;
	struct kpr_header header;
	long last_line = 0, header_line = 0;
	bool have_header = false;

	if (kpr_reader_open_mem(&r, format == KPR_FORMAT_YAML ? "fuzz.yaml" : "fuzz.csv", data, size, &opts) != KPR_OK)
		return 0;
	kpr_header_init(&header, kind, NULL);
	struct kpr_validator v = { &header, &refdata, unit, 2023, 2023 * 12 + 9, ignore, &header_line };
	while (kpr_reader_next(r, &rec) == KPR_OK && rec) {
		/* lines only go forward; every field is a C string within the input's size */
		if (rec->line <= last_line)
			__builtin_trap();
		last_line = rec->line;
		for (size_t i = 0; i < rec->nfields; i++)
			if (rec->fields[i] && strlen(rec->fields[i]) > 2 * size)
				__builtin_trap();
		if (kpr_record_blank(rec))
			continue;
		if (!have_header) {
			enum kpr_unit u = KPR_UNIT_NONE;
			if (kpr_header_try(&header, rec)) {
				have_header = true;
				header_line = rec->line;
			} else {
				(void)kpr_title_row(rec, &u);
			}
			continue;
		}
		if (kind == KPR_IMPORT_PROJECTS) {
			struct kpr_project_row row;
			int problems = kpr_project_validate(&v, rec, &row);
			/* a good row is complete and consistent */
			if (!problems && (!row.code || !row.name || !row.region_code ||
					  (row.has_plan && row.has_total && row.annual_plan > row.total_investment) ||
					  (row.start_year && row.end_year && row.end_year < row.start_year)))
				__builtin_trap();
		} else {
			struct kpr_progress_row row;
			int problems = kpr_progress_validate(&v, rec, &row);
			if (!problems && (!row.code || row.month > v.today || (!row.has_amount && !row.has_ytd) ||
					  (row.has_amount && row.amount < 0 && !row.adjustment_reason)))
				__builtin_trap();
		}
	}
	kpr_header_release(&header);
	kpr_reader_free(r);
	return 0;
}
