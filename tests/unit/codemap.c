/* Unit tests: the in-memory map of project codes and the months seen for each (lib/codemap.c). */
#include "codemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define M(y, m) ((y) * 12 + (m) - 1)

/* The i-th of many national-shape codes, all distinct. */
static const char *nth_code(size_t i, char *buf)
{
	snprintf(buf, 32, "2303-131022-04-01-%06zu", i);
	return buf;
}

static void test_insert_find(void)
{
	struct kpr_codemap map;
	bool added = false;
	char code[] = "LF2023-001";

	kpr_codemap_init(&map);
	ok(kpr_codemap_find(&map, "LF2023-001") == NULL, "an empty map finds nothing");
	struct kpr_code_entry *e = kpr_codemap_insert(&map, code, &added);
	ok(added && e && strcmp(e->code, "LF2023-001") == 0, "insert adds a code");
	ok(e->id == 0 && e->last_month == -1 && e->first_line == 0, "a new entry is unknown: no id, no month, no line");
	e->id = 42;
	e->first_line = 7;
	code[0] = 'X';
	is_str(e->code, "LF2023-001", "the map keeps its own copy of the code");
	e = kpr_codemap_insert(&map, "LF2023-001", &added);
	ok(!added && e->id == 42 && e->first_line == 7, "inserting a code again finds its entry");
	is_int(map.count, 1, "and does not count it twice");
	e = kpr_codemap_find(&map, "LF2023-001");
	ok(e && e->id == 42, "find returns the entry");
	ok(kpr_codemap_find(&map, "LF2023-00") == NULL, "find: a prefix of a code is not the code");
	ok(kpr_codemap_find(&map, "LF2023-0011") == NULL, "find: a longer code is not the code");
	ok(kpr_codemap_find(&map, "lf2023-001") == NULL, "find: codes are compared exactly, case included");
	e = kpr_codemap_insert(&map, "", &added);
	ok(added && kpr_codemap_find(&map, "") == e, "the empty string is a code like any other");
	kpr_codemap_release(&map);
}

/* Many codes: the map grows many times and copies the codes into several blocks. */
static void test_growth(void)
{
	enum { N = 150000 };
	struct kpr_codemap map;
	char buf[32];
	bool added;
	size_t not_added = 0, wrong = 0, found_absent = 0, added_again = 0;

	kpr_codemap_init(&map);
	for (size_t i = 0; i < N; i++) {
		struct kpr_code_entry *e = kpr_codemap_insert(&map, nth_code(i, buf), &added);
		not_added += !added;
		e->id = (int64_t)i + 1;
	}
	is_int(not_added, 0, "%d distinct codes are each added", N);
	is_int(map.count, N, "the map counts %d codes", N);
	for (size_t i = 0; i < N; i++) {
		const struct kpr_code_entry *e = kpr_codemap_find(&map, nth_code(i, buf));
		wrong += !e || e->id != (int64_t)i + 1 || strcmp(e->code, buf) != 0;
	}
	is_int(wrong, 0, "after growing, every code finds its own entry");
	for (size_t i = N; i < 2 * N; i++)
		found_absent += kpr_codemap_find(&map, nth_code(i, buf)) != NULL;
	is_int(found_absent, 0, "codes never inserted are not found");
	for (size_t i = 0; i < N; i += 7)
		added_again += kpr_codemap_insert(&map, nth_code(i, buf), &added) && added;
	is_int(added_again, 0, "inserting known codes after growing adds none");
	is_int(map.count, N, "and the count stays");

	/* a code longer than a block of copies, between short ones */
	size_t len = 3 << 20;
	char *huge = malloc(len + 1);
	memset(huge, 'A', len);
	huge[len] = '\0';
	kpr_codemap_insert(&map, huge, &added);
	ok(added, "a code of 3 MiB is added");
	kpr_codemap_insert(&map, "LF-after", &added);
	const struct kpr_code_entry *e = kpr_codemap_find(&map, huge);
	ok(added && e && strlen(e->code) == len, "it is found whole, and a short code after it is added");
	e = kpr_codemap_find(&map, "LF-after");
	ok(e && strcmp(e->code, "LF-after") == 0, "the short code after it is found");
	e = kpr_codemap_find(&map, nth_code(0, buf));
	ok(e && e->id == 1, "the first code is still found");
	free(huge);
	kpr_codemap_release(&map);
}

static void test_seen_months(void)
{
	struct kpr_codemap map, overflow;
	bool added;
	int m = M(2023, 1);

	kpr_codemap_init(&map);
	kpr_codemap_init(&overflow);
	kpr_codemap_insert(&map, "LF2023-001", &added);
	kpr_codemap_insert(&map, "LF2023-002", &added);
	/* entries may move on insert: look them up after the inserts */
	struct kpr_code_entry *a = kpr_codemap_find(&map, "LF2023-001");
	struct kpr_code_entry *b = kpr_codemap_find(&map, "LF2023-002");

	ok(kpr_code_entry_see(a, m, &overflow), "a month not seen before is fresh");
	ok(!kpr_code_entry_see(a, m, &overflow), "the same month again is not");
	ok(kpr_code_entry_see(b, m, &overflow), "another code's month is its own");
	ok(kpr_code_entry_see(a, m + 1, &overflow), "the next month is fresh");
	ok(kpr_code_entry_see(a, m + 31, &overflow) && !kpr_code_entry_see(a, m + 31, &overflow),
	   "31 months after the first: fresh, then seen");
	ok(kpr_code_entry_see(a, m - 32, &overflow) && !kpr_code_entry_see(a, m - 32, &overflow),
	   "32 months before the first: fresh, then seen");
	is_int(overflow.count, 0, "months within the window need no overflow map");

	ok(kpr_code_entry_see(a, m + 32, &overflow), "32 months after the first is fresh");
	ok(!kpr_code_entry_see(a, m + 32, &overflow), "and seen the second time");
	ok(kpr_code_entry_see(a, m - 33, &overflow) && !kpr_code_entry_see(a, m - 33, &overflow),
	   "33 months before the first: fresh, then seen");
	is_int(overflow.count, 2, "the two months outside the window are in the overflow map");
	ok(kpr_code_entry_see(b, m + 32, &overflow), "another code's month outside the window is its own");
	ok(kpr_code_entry_see(a, M(1990, 6), &overflow) && kpr_code_entry_see(a, M(2100, 6), &overflow) &&
	   !kpr_code_entry_see(a, M(1990, 6), &overflow) && !kpr_code_entry_see(a, M(2100, 6), &overflow),
	   "months a century apart: each fresh once");
	ok(!kpr_code_entry_see(a, m, &overflow) && !kpr_code_entry_see(a, m + 1, &overflow),
	   "the months in the window are still seen");

	/* two long codes (a local pattern may allow them) that share their first 80 characters */
	char c1[128], c2[128];
	memset(c1, 'A', 100);
	memcpy(c2, c1, 100);
	c1[100] = '1', c2[100] = '2', c1[101] = c2[101] = '\0';
	kpr_codemap_insert(&map, c1, &added);
	kpr_codemap_insert(&map, c2, &added);
	struct kpr_code_entry *l1 = kpr_codemap_find(&map, c1), *l2 = kpr_codemap_find(&map, c2);
	ok(kpr_code_entry_see(l1, m, &overflow) && kpr_code_entry_see(l1, m + 40, &overflow),
	   "a long code: a month, then one outside its window");
	ok(kpr_code_entry_see(l2, m, &overflow) && kpr_code_entry_see(l2, m + 40, &overflow),
	   "another long code with the same first 100 characters has its own far month");
	kpr_codemap_release(&overflow);
	kpr_codemap_release(&map);
}

int main(void)
{
	test_insert_find();
	test_growth();
	test_seen_months();
	return done_testing();
}
