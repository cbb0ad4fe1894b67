/* codemap.c: an open-addressing hash of project codes; see codemap.h. */
#include "codemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define BLOCK_SIZE (1 << 20)

static uint64_t hash_code(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a, then a final mix */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h | 1;	/* 0 marks an empty slot */
}

void kpr_codemap_init(struct kpr_codemap *map)
{
	memset(map, 0, sizeof(*map));
	map->nslots = 1024;
	map->slots = kpr_xcalloc(map->nslots, sizeof(*map->slots));
}

void kpr_codemap_release(struct kpr_codemap *map)
{
	for (size_t i = 0; i < map->nblocks; i++)
		free(map->blocks[i]);
	free(map->blocks);
	free(map->slots);
	memset(map, 0, sizeof(*map));
}

static const char *copy_code(struct kpr_codemap *map, const char *code)
{
	size_t n = strlen(code) + 1;
	if (map->nblocks == 0 || map->block_used + n > BLOCK_SIZE) {
		map->blocks = kpr_xrealloc(map->blocks, (map->nblocks + 1) * sizeof(char *));
		map->blocks[map->nblocks++] = kpr_xmalloc(n > BLOCK_SIZE ? n : BLOCK_SIZE);
		map->block_used = 0;
	}
	char *p = map->blocks[map->nblocks - 1] + map->block_used;
	memcpy(p, code, n);
	map->block_used += n;
	return p;
}

static struct kpr_code_entry *probe(const struct kpr_codemap *map, const char *code, uint64_t h)
{
	size_t mask = map->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct kpr_code_entry *e = &map->slots[i];
		if (e->hash == 0 || (e->hash == h && strcmp(e->code, code) == 0))
			return e;
	}
}

struct kpr_code_entry *kpr_codemap_find(const struct kpr_codemap *map, const char *code)
{
	struct kpr_code_entry *e = probe(map, code, hash_code(code));
	return e->hash ? e : NULL;
}

static void grow(struct kpr_codemap *map)
{
	struct kpr_code_entry *old = map->slots;
	size_t n = map->nslots;
	map->nslots *= 2;
	map->slots = kpr_xcalloc(map->nslots, sizeof(*map->slots));
	for (size_t i = 0; i < n; i++)
		if (old[i].hash)
			*probe(map, old[i].code, old[i].hash) = old[i];
	free(old);
}

struct kpr_code_entry *kpr_codemap_insert(struct kpr_codemap *map, const char *code, bool *added)
{
	if ((map->count + 1) * 4 > map->nslots * 3)
		grow(map);
	uint64_t h = hash_code(code);
	struct kpr_code_entry *e = probe(map, code, h);
	*added = e->hash == 0;
	if (*added) {
		e->hash = h;
		e->code = copy_code(map, code);
		e->last_month = -1;
		e->seen_base = -1;
		map->count++;
	}
	return e;
}

bool kpr_code_entry_listed(const struct kpr_code_entry *e, int year)
{
	int bit = year - e->list_base;
	return e->listed && bit >= 0 && (bit >= 32 || (e->listed & (1U << bit)));
}

void kpr_code_entry_list(struct kpr_code_entry *e, int year)
{
	if (!e->listed || year < e->list_base) {
		uint32_t shift = e->listed ? (uint32_t)(e->list_base - year) : 0;
		e->listed = shift >= 32 ? 0 : e->listed << shift;
		e->list_base = (int16_t)year;
	}
	if (year - e->list_base < 32)
		e->listed |= 1U << (year - e->list_base);
}

bool kpr_code_entry_see(struct kpr_code_entry *e, int month, struct kpr_codemap *overflow)
{
	if (e->seen_base < 0)
		e->seen_base = month > 32 ? month - 32 : 0;
	int bit = month - e->seen_base;
	if (bit >= 0 && bit < 64) {
		uint64_t m = 1ULL << bit;
		bool fresh = !(e->seen & m);
		e->seen |= m;
		return fresh;
	}
	/* a file spanning more than five years: remember the rare outliers by name */
	struct kpr_strbuf key = KPR_STRBUF_INIT;	/* the whole code: a local pattern may allow long ones */
	kpr_strbuf_addf(&key, "%s\t%d", e->code, month);
	bool added;
	kpr_codemap_insert(overflow, key.buf, &added);
	kpr_strbuf_release(&key);
	return added;
}
