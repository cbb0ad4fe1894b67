/*
 * fuzz_import: libFuzzer target for the CSV import path: the reader (encoding detection, UTF-8
 * and GB18030 decoding, libcsv, line counting) over arbitrary bytes.  The importer's row
 * validation is to be called on each record here too.
 *
 *     make fuzz FUZZ_SECONDS=60
 *
 * Messages about bad input go to stderr; they are expected.  A crash, a sanitizer report or a
 * leak is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A header is a record whose first field starts with a letter: enough to send some inputs down
 * the GB18030 path. */
static bool probe(const struct kpr_record *rec, void *arg)
{
	(void)arg;
	return rec->nfields >= 2 && rec->fields[0] && (unsigned char)rec->fields[0][0] >= 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kpr_reader_options opts = {
		.format = KPR_FORMAT_CSV, .encoding = KPR_ENCODING_AUTO, .probe = probe,
	};
	struct kpr_reader *r;
	const struct kpr_record *rec;
	long last_line = 0;

	if (kpr_reader_open_mem(&r, "fuzz.csv", data, size, &opts) != KPR_OK)
		return 0;
	while (kpr_reader_next(r, &rec) == KPR_OK && rec) {
		/* lines only go forward; every field is a C string within the input's size */
		if (rec->line <= last_line)
			__builtin_trap();
		last_line = rec->line;
		for (size_t i = 0; i < rec->nfields; i++)
			if (rec->fields[i] && strlen(rec->fields[i]) > 2 * size)
				__builtin_trap();
	}
	kpr_reader_free(r);
	return 0;
}
