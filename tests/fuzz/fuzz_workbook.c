/*
 * fuzz_workbook: libFuzzer target for the workbook readers: a zip (.xlsx: libzip, then the
 * workbook, relationships, styles and shared strings, then the sheet streamed through expat),
 * every record read, the first sheet and then the second; an OLE2 file (.xls) through kpr's own
 * BIFF reading (xlsbiff.c) only: libfreexl 1.0.6 itself is not robust to crafted files (ASan
 * finds a stack-buffer-underflow in freexl_open), which is not kpr's to fix.  No database.
 * The corpus is the committed fixtures (tests/fuzz/corpus-workbook: some of tests/data/workbook).
 *
 *     make fuzz FUZZ_SECONDS=60
 *
 * Messages about bad input go to stderr (closed by make fuzz); they are expected.  A crash, a
 * sanitizer report or a leak is a bug.
 */
#include <stdint.h>
#include <string.h>

#include "reader.h"
#include "xlsbiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_all(const uint8_t *data, size_t size, const char *sheet)
{
	struct kpr_reader_options opts = { .format = KPR_FORMAT_AUTO, .sheet = sheet };
	struct kpr_reader *r;
	const struct kpr_record *rec;
	long last = 0;

	if (kpr_reader_open_mem(&r, "fuzz.xlsx", data, size, &opts) != KPR_OK)
		return;
	while (kpr_reader_next(r, &rec) == KPR_OK && rec) {
		/* rows come in order, each with a value, none ending in an empty field */
		if (rec->line <= last || rec->nfields == 0 || !rec->fields[rec->nfields - 1])
			__builtin_trap();
		last = rec->line;
		for (size_t i = 0; i < rec->nfields; i++)
			if (rec->fields[i] && strlen(rec->fields[i]) == 0)
				__builtin_trap();
	}
	kpr_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 8 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
		struct kpr_biff b;
		if (kpr_biff_open(&b, data, size)) {
			for (size_t i = 0; i < b.nsheets && i < 4; i++) {
				b.ncells = 0;
				kpr_strbuf_reset(&b.text);
				if (kpr_biff_sheet(&b, i))
					for (size_t j = 0; j < b.ncells; j++)
						if (b.cells[j].text >= b.text.len || (j && b.cells[j].row < b.cells[j - 1].row))
							__builtin_trap();
			}
			kpr_biff_release(&b);
		}
		return 0;
	}
	read_all(data, size, NULL);
	read_all(data, size, "2");
	return 0;
}
