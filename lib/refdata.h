/*
 * refdata.h: the reference data an import resolves names against: regions, zones, the
 * scenarios of a year, and the local project-code pattern.
 *
 *     struct kpr_refdata rd;
 *     kpr_refdata_load(conn, 2023, &rd);
 *     const struct kpr_ref *r = kpr_ref_find(&rd.regions, "大厂", &hint);   // 131028
 *
 * Names match by code, full name or short name, after folding (fold.h).  Loading needs a
 * database; kpr_ref_add() builds the same in memory for tests and fuzzing.
 */
#ifndef KPR_REFDATA_H
#define KPR_REFDATA_H

#include <libpq-fe.h>
#include <regex.h>

#include "kpr.h"

struct kpr_ref {
	int id;			/* scenario_id; 0 for regions and zones */
	char *code;
	char *name;
	char *short_name;	/* may be NULL */
	char *keys[3];		/* folded code, name, short name */
};

struct kpr_reflist {
	struct kpr_ref *items;
	size_t n, alloc;
};

struct kpr_refdata {
	int year;
	struct kpr_reflist regions, zones, scenarios;
	regex_t local_code;
	bool has_local_code;
	bool local_code_is_default;	/* checked without regexec */
	char timezone[64];
};

/* Empty refdata with the default local-code pattern. */
void kpr_refdata_init(struct kpr_refdata *rd, int year);
/* Load into rd (after kpr_refdata_init) everything for a year (scenarios of that year only;
 * none when year is 0).  Prints and returns the status on error. */
int kpr_refdata_load(PGconn *conn, int year, struct kpr_refdata *rd) KPR_WARN_UNUSED;
void kpr_refdata_release(struct kpr_refdata *rd);

/* Free a list's names (a list built with kpr_ref_add()); it is empty afterwards. */
void kpr_reflist_release(struct kpr_reflist *list);
void kpr_ref_add(struct kpr_reflist *list, int id, const char *code, const char *name, const char *short_name);
/* Find by code, name or short name; when nothing matches, *hint (if not NULL) gets the
 * nearest name, or NULL when none is near. */
const struct kpr_ref *kpr_ref_find(const struct kpr_reflist *list, const char *text, const char **hint);

/* Is code a project code: the national 24-character shape, or the local pattern? */
bool kpr_refdata_code_ok(const struct kpr_refdata *rd, const char *code);

#endif
