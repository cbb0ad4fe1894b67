/*
 * codemap.h: project codes to what an import needs to know about them, in memory.
 *
 *     struct kpr_codemap map;
 *     kpr_codemap_init(&map);
 *     struct kpr_code_entry *e = kpr_codemap_insert(&map, "LF2023-001", &fresh);
 *     e = kpr_codemap_find(&map, "LF2023-001");
 *
 * Open addressing; the codes are copied into large blocks, so 200,000 projects take about
 * 15 MiB.  Used by progress imports to turn codes into integer keys while streaming, and by
 * both imports to find a code repeated in one file.
 */
#ifndef KPR_CODEMAP_H
#define KPR_CODEMAP_H

#include "kpr.h"

struct kpr_code_entry {
	const char *code;
	uint64_t hash;
	int64_t id;		/* project_id, 0 when unknown */
	int32_t last_month;	/* latest month with progress in the database, -1 when none */
	int32_t seen_base;	/* months seen in this file: bit (month - seen_base) of seen */
	uint64_t seen;
	long first_line;	/* where the file first named this code */
	int16_t start_year;	/* the project's start year, 0 when none (or not loaded) */
	int16_t list_base;	/* the years it is listed for: bit (year - list_base) of listed */
	uint32_t listed;
};

struct kpr_codemap {
	struct kpr_code_entry *slots;
	size_t nslots, count;
	char **blocks;
	size_t nblocks, block_used;
};

void kpr_codemap_init(struct kpr_codemap *map);
void kpr_codemap_release(struct kpr_codemap *map);
struct kpr_code_entry *kpr_codemap_find(const struct kpr_codemap *map, const char *code);
/* Find or add; *added says which.  Entries may move when the map grows: do not keep pointers
 * across inserts. */
struct kpr_code_entry *kpr_codemap_insert(struct kpr_codemap *map, const char *code, bool *added);

/* Is e on year's list?  A year over 31 after its first listed year counts as listed. */
bool kpr_code_entry_listed(const struct kpr_code_entry *e, int year);
/* Note that e is on year's list. */
void kpr_code_entry_list(struct kpr_code_entry *e, int year);

/* Mark month as seen for e; false when it was seen already (a month twice in one file). */
bool kpr_code_entry_see(struct kpr_code_entry *e, int month, struct kpr_codemap *overflow);

#endif
