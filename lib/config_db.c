/*
 * config_db.c: the configuration's database side: read it back (kpr_config_fetch), check a
 * parsed file against what only the database knows, and write what differs in one
 * transaction (kpr_config_store); see config.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_impl.h"
#include "db.h"
#include "log.h"

/* In the order a range reads: "points_behind > 0 and points_behind <= 30". */
static const char *const operators[] = { ">", ">=", "=", "!=", "<=", "<" };

static size_t op_rank(const char *op)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(operators); i++)
		if (strcmp(operators[i], op) == 0)
			return i;
	return KPR_ARRAY_SIZE(operators);
}

static bool str_eq(const char *a, const char *b)
{
	return (a && b) ? strcmp(a, b) == 0 : a == b;
}

/* ------------------------------------------------------------------------------------------
 * Reading back from the database.
 */

static char *get_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : kpr_xstrdup(PQgetvalue(res, row, col));
}

static int get_int_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : atoi(PQgetvalue(res, row, col));
}

/*
 * Run a query (params: one, or NULL) and turn each of its rows into an element, of size
 * bytes, of a new array (one element more, zeroed, so that an empty result still allocates).
 * Returns the array and its length in *n, or NULL with the error in *rc (*n untouched).
 */
static void *fetch_rows(PGconn *conn, const char *sql, const char *const *params, size_t size,
			void (*fill)(void *row, const PGresult *res, int i), size_t *n, int *rc)
{
	PGresult *res;

	if ((*rc = kpr_db_exec(conn, sql, params ? 1 : 0, params, &res)) != KPR_OK)
		return NULL;
	size_t count = (size_t)PQntuples(res);
	char *rows = kpr_xcalloc(count + 1, size);
	for (size_t i = 0; i < count; i++)
		fill(rows + i * size, res, (int)i);
	PQclear(res);
	*n = count;
	return rows;
}

static void region_row(void *row, const PGresult *res, int i)
{
	struct kpr_config_region *r = row;
	r->code = get_value(res, i, 0);
	r->name = get_value(res, i, 1);
	r->short_name = get_value(res, i, 2);
	r->level = get_value(res, i, 3);
	r->parent = get_value(res, i, 4);
	r->ord = get_int_value(res, i, 5);
}

static void zone_row(void *row, const PGresult *res, int i)
{
	struct kpr_config_zone *z = row;
	z->code = get_value(res, i, 0);
	z->name = get_value(res, i, 1);
	z->short_name = get_value(res, i, 2);
	z->region = get_value(res, i, 3);
	z->ord = get_int_value(res, i, 4);
}

static void pool_row(void *row, const PGresult *res, int i)
{
	struct kpr_config_pool *pl = row;
	pl->code = get_value(res, i, 0);
	pl->name = get_value(res, i, 1);
	pl->name_en = get_value(res, i, 2);
	pl->ord = get_int_value(res, i, 3);
	pl->mark = get_value(res, i, 4);
}

static void scenario_row(void *row, const PGresult *res, int i)
{
	struct kpr_config_scenario *s = row;
	s->code = get_value(res, i, 0);
	s->name = get_value(res, i, 1);
	s->sample = strcmp(PQgetvalue(res, i, 2), "t") == 0;
	s->ord = get_int_value(res, i, 3);
}

/* A rule with room for its conditions (column 4 counts them); fetch_year fills them in. */
static void rule_row(void *row, const PGresult *res, int i)
{
	struct kpr_config_rule *r = row;
	r->id = get_value(res, i, 0);
	r->colour = get_value(res, i, 1);
	r->description = get_value(res, i, 2);
	r->ord = get_int_value(res, i, 3);
	r->conds = kpr_xcalloc((size_t)get_int_value(res, i, 4) + 1, sizeof(*r->conds));
}

static int fetch_base(PGconn *conn, struct kpr_config *c)
{
	PGresult *res;
	int rc;

	if ((rc = kpr_db_exec(conn, "SELECT key, value FROM setting WHERE key IN ('timezone', 'local_code_pattern', "
				    "'report_due_day', 'report_bands')",
			      0, NULL, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *key = PQgetvalue(res, i, 0);
		char **dst = strcmp(key, "timezone") == 0 ? &c->timezone
			   : strcmp(key, "report_due_day") == 0 ? &c->report_due_day
			   : strcmp(key, "report_bands") == 0 ? &c->report_bands : &c->local_code_pattern;
		*dst = get_value(res, i, 1);
	}
	PQclear(res);

	if (!(c->regions = fetch_rows(conn, "SELECT code, name, short_name, level, parent_code, ord FROM region "
					    "ORDER BY ord NULLS LAST, code", NULL, sizeof(*c->regions), region_row,
				      &c->nregions, &rc)))
		return rc;
	c->has_regions = true;
	if (!(c->zones = fetch_rows(conn, "SELECT code, name, short_name, region_code, ord FROM zone "
					  "ORDER BY ord NULLS LAST, code", NULL, sizeof(*c->zones), zone_row,
				    &c->nzones, &rc)))
		return rc;
	c->has_zones = true;
	if (!(c->pools = fetch_rows(conn, "SELECT code, name, name_en, ord, mark FROM pool ORDER BY ord", NULL,
				    sizeof(*c->pools), pool_row, &c->npools, &rc)))
		return rc;
	c->has_pools = true;
	return KPR_OK;
}

static int cond_cmp(const void *a, const void *b)
{
	const struct kpr_config_condition *x = a, *y = b;
	if (x->measure != y->measure)
		return x->measure < y->measure ? -1 : 1;
	size_t rx = op_rank(x->op), ry = op_rank(y->op);
	return rx < ry ? -1 : rx > ry;
}

/* Each condition of the year to its rule, in kpr_config_measures order. */
static int fetch_conditions(PGconn *conn, const char *const *params, struct kpr_config_year *y)
{
	PGresult *res;
	int rc;

	if ((rc = kpr_db_exec(conn, "SELECT rule_id, measure, op, trim_scale(value)::text FROM colour_rule_condition "
				    "WHERE year = $1", 1, params, &res)) != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct kpr_config_measure *m = kpr_config_measure_find(PQgetvalue(res, i, 1));
		size_t rank = op_rank(PQgetvalue(res, i, 2));
		if (!m || rank >= KPR_ARRAY_SIZE(operators))
			continue;	/* the schema's CHECKs allow no other */
		for (size_t j = 0; j < y->nrules; j++) {
			struct kpr_config_rule *r = &y->rules[j];
			if (strcmp(r->id, PQgetvalue(res, i, 0)) == 0) {
				struct kpr_config_condition *c = &r->conds[r->nconds++];
				c->measure = m;
				c->op = operators[rank];
				c->value = get_value(res, i, 3);
				break;
			}
		}
	}
	PQclear(res);
	for (size_t j = 0; j < y->nrules; j++)
		qsort(y->rules[j].conds, y->rules[j].nconds, sizeof(*y->rules[j].conds), cond_cmp);
	return KPR_OK;
}

static int fetch_year(PGconn *conn, int year, struct kpr_config_year *y)
{
	char year_s[16];
	const char *params[1] = { year_s };
	int rc;

	snprintf(year_s, sizeof(year_s), "%d", year);
	y->year = year;
	if (!(y->scenarios = fetch_rows(conn, "SELECT code, name, sample, ord FROM scenario WHERE year = $1 "
					      "ORDER BY ord NULLS LAST, code", params, sizeof(*y->scenarios),
					scenario_row, &y->nscenarios, &rc)))
		return rc;
	y->has_scenarios = true;
	if (!(y->rules = fetch_rows(conn, "SELECT rule_id, colour, description, ord, "
					  "(SELECT count(*) FROM colour_rule_condition c WHERE c.year = r.year AND c.rule_id = r.rule_id) "
					  "FROM colour_rule r WHERE year = $1 ORDER BY ord", params, sizeof(*y->rules), rule_row,
				    &y->nrules, &rc)))
		return rc;
	y->has_rules = true;
	return fetch_conditions(conn, params, y);
}

int kpr_config_fetch(PGconn *conn, int year, struct kpr_config **out)
{
	struct kpr_config *c = kpr_xcalloc(1, sizeof(*c));
	bool own_tx = PQtransactionStatus(conn) == PQTRANS_IDLE;
	PGresult *res;
	int rc;

	*out = NULL;
	c->version = KPR_CONFIG_VERSION;
	/* one snapshot for all the queries */
	if (own_tx && (rc = kpr_db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL)) != KPR_OK)
		goto fail;
	if ((rc = fetch_base(conn, c)) != KPR_OK)
		goto fail;
	if (year == 0) {
		if ((rc = kpr_db_exec(conn, "SELECT coalesce((SELECT max(year) FROM scenario), "
					    "(SELECT max(year) FROM colour_rule))", 0, NULL, &res)) != KPR_OK)
			goto fail;
		year = get_int_value(res, 0, 0);
		PQclear(res);
	}
	if (year != 0) {
		c->years = kpr_xcalloc(1, sizeof(*c->years));
		c->nyears = 1;
		if ((rc = fetch_year(conn, year, &c->years[0])) != KPR_OK)
			goto fail;
	}
	if (own_tx && (rc = kpr_db_commit(conn)) != KPR_OK)
		goto fail;
	*out = c;
	return KPR_OK;
fail:
	if (own_tx)
		kpr_db_rollback(conn);
	kpr_config_free(c);
	return rc;
}

/* ------------------------------------------------------------------------------------------
 * Storing: check against the database, then write only what differs, in one transaction.
 */

struct store {
	PGconn *conn;
	const struct kpr_config *cfg;
	struct kpr_config *db;		/* the database before, under lock */
	struct kpr_config_year *dbyears;	/* one per cfg->years */
	struct kpr_problems problems;
	bool dry_run;			/* roll back instead of committing */
};

static const struct kpr_config_region *db_region(const struct kpr_config *db, const char *code)
{
	return kpr_config_find_region(db, code);
}

static const struct kpr_config_zone *find_zone(const struct kpr_config *c, const char *code)
{
	for (size_t i = 0; i < c->nzones; i++)
		if (c->zones[i].code && strcmp(c->zones[i].code, code) == 0)
			return &c->zones[i];
	return NULL;
}

static const struct kpr_config_pool *find_pool(const struct kpr_config *c, const char *code)
{
	for (size_t i = 0; i < c->npools; i++)
		if (c->pools[i].code && strcmp(c->pools[i].code, code) == 0)
			return &c->pools[i];
	return NULL;
}

static const struct kpr_config_scenario *find_scenario(const struct kpr_config_year *y, const char *code)
{
	for (size_t i = 0; i < y->nscenarios; i++)
		if (y->scenarios[i].code && strcmp(y->scenarios[i].code, code) == 0)
			return &y->scenarios[i];
	return NULL;
}

/* The time zone names the server knows are the ones that count. */
static int check_timezone(struct store *st)
{
	const struct kpr_config *cfg = st->cfg;
	const char *params[1] = { cfg->timezone };
	PGresult *res;
	int rc;

	if (!cfg->timezone)
		return KPR_OK;
	if ((rc = kpr_db_exec(st->conn, "SELECT EXISTS (SELECT FROM pg_catalog.pg_timezone_names WHERE name = $1)",
			      1, params, &res)) != KPR_OK)
		return rc;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		kpr_problems_add(&st->problems, cfg->timezone_at, _("unknown time zone '%s'"), cfg->timezone);
	PQclear(res);
	return KPR_OK;
}

/* The names of a row, for names_taken(). */
struct names {
	const char *code, *name, *short_name;
	struct kpr_mark name_at, short_name_at;
};
#define NAMES(row) (&(struct names){ (row)->code, (row)->name, (row)->short_name, (row)->name_at, (row)->short_name_at })

/*
 * A name or short name of the file's row that row d of the database, which the file does not
 * list, already holds: the schema keeps them unique.  The messages take the name and d's code.
 */
static void names_taken(struct kpr_problems *ps, const struct names *row, const struct names *d, const char *name_msg,
			const char *short_name_msg)
{
	if (str_eq(d->name, row->name))
		kpr_problems_add(ps, row->name_at, name_msg, row->name, d->code);
	if (row->short_name && str_eq(d->short_name, row->short_name))
		kpr_problems_add(ps, row->short_name_at, short_name_msg, row->short_name, d->code);
}

/* Parents outside the file, and names held by regions the file does not list. */
static void check_regions(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct kpr_problems *ps = &st->problems;

	for (size_t i = 0; i < cfg->nregions; i++) {
		const struct kpr_config_region *r = &cfg->regions[i], *d;
		if (r->parent && !kpr_config_find_region(cfg, r->parent)) {
			d = db_region(db, r->parent);
			if (!d)
				kpr_problems_add(ps, r->parent_at, _("unknown parent region '%s': not in this file nor in "
								     "the database"), r->parent);
			else if (strcmp(d->level, "city") != 0)
				kpr_problems_add(ps, r->parent_at, _("parent region '%s' is a county: a county's parent is "
								     "a city"), r->parent);
		}
		for (size_t j = 0; j < db->nregions; j++) {
			d = &db->regions[j];
			if (!kpr_config_find_region(cfg, d->code))
				names_taken(ps, NAMES(r), NAMES(d), _("region name '%s' is taken by region '%s' in the "
								      "database, which this file does not list"),
					    _("region short name '%s' is taken by region '%s' in the database, which "
					      "this file does not list"));
		}
	}
}

/* Regions outside the file, and names held by zones the file does not list. */
static void check_zones(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;

	for (size_t i = 0; i < cfg->nzones; i++) {
		const struct kpr_config_zone *z = &cfg->zones[i];
		if (z->region && !kpr_config_find_region(cfg, z->region) && !db_region(db, z->region))
			kpr_problems_add(&st->problems, z->region_at, _("unknown region '%s': not in this file nor in "
									"the database"), z->region);
		for (size_t j = 0; j < db->nzones; j++) {
			const struct kpr_config_zone *d = &db->zones[j];
			if (!find_zone(cfg, d->code))
				names_taken(&st->problems, NAMES(z), NAMES(d), _("zone name '%s' is taken by zone '%s' in "
										 "the database, which this file does not list"),
					    _("zone short name '%s' is taken by zone '%s' in the database, which this "
					      "file does not list"));
		}
	}
}

/* Names and places in the order held by pools, and names by scenarios, the file does not list. */
static void check_pools_and_scenarios(struct store *st)
{
	const struct kpr_config *cfg = st->cfg, *db = st->db;
	struct kpr_problems *ps = &st->problems;

	for (size_t i = 0; i < cfg->npools; i++) {
		const struct kpr_config_pool *pl = &cfg->pools[i];
		for (size_t j = 0; j < db->npools; j++) {
			const struct kpr_config_pool *d = &db->pools[j];
			if (find_pool(cfg, d->code))
				continue;
			if (str_eq(d->name, pl->name))
				kpr_problems_add(ps, pl->name_at, _("pool name '%s' is taken by pool '%s' in the database, "
								    "which this file does not list"), pl->name, d->code);
			if (d->ord == pl->ord)
				kpr_problems_add(ps, pl->at, _("place %d in the pool order is taken by pool '%s' in the "
							       "database, which this file does not list"), pl->ord, d->code);
		}
	}
	for (size_t y = 0; y < cfg->nyears; y++) {
		const struct kpr_config_year *cy = &cfg->years[y], *dy = &st->dbyears[y];
		for (size_t i = 0; i < cy->nscenarios; i++) {
			const struct kpr_config_scenario *s = &cy->scenarios[i];
			for (size_t j = 0; j < dy->nscenarios; j++) {
				const struct kpr_config_scenario *d = &dy->scenarios[j];
				if (!find_scenario(cy, d->code) && str_eq(d->name, s->name))
					kpr_problems_add(ps, s->name_at, _("scenario name '%s' is taken by scenario '%s' of %d "
									   "in the database, which this file does not list"),
							 s->name, d->code, cy->year);
			}
		}
	}
}

/* What only the database can tell; problems collected in st->problems. */
static int cross_check(struct store *st)
{
	int rc = check_timezone(st);

	if (rc != KPR_OK)
		return rc;
	check_regions(st);
	check_zones(st);
	check_pools_and_scenarios(st);
	return KPR_OK;
}

/* Run a write; *changed = whether it touched a row. */
static int write_row(struct store *st, const char *sql, int n, const char *const *params, bool *changed)
{
	PGresult *res;
	int rc = kpr_db_exec(st->conn, sql, n, params, &res);
	if (rc != KPR_OK)
		return rc;
	*changed = atoi(PQcmdTuples(res)) > 0;
	PQclear(res);
	return KPR_OK;
}

static void count(struct kpr_config_count *c, bool exists, bool changed)
{
	if (!exists)
		c->inserted++;
	else if (changed)
		c->updated++;
	else
		c->unchanged++;
}

static int write_setting(struct store *st, const char *key, const char *value, bool exists,
			 struct kpr_config_count *c)
{
	const char *params[2] = { key, value };
	bool changed;
	int rc = exists ? write_row(st, "UPDATE setting SET value = $2 WHERE key = $1 AND value IS DISTINCT FROM $2",
				    2, params, &changed)
			: write_row(st, "INSERT INTO setting (key, value) VALUES ($1, $2)", 2, params, &changed);
	if (rc == KPR_OK)
		count(c, exists, changed);
	return rc;
}

static int write_regions(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE region SET name = $2, short_name = $3, level = $4, parent_code = $5, ord = $6::int "
		"WHERE code = $1 AND (name, short_name, level, parent_code, ord) IS DISTINCT FROM ($2, $3, $4, $5, $6::int)";
	static const char insert[] =
		"INSERT INTO region (code, name, short_name, level, parent_code, ord) VALUES ($1, $2, $3, $4, $5, $6::int)";
	int rc;

	/* cities first: a county's parent must exist before it */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < st->cfg->nregions; i++) {
			const struct kpr_config_region *r = &st->cfg->regions[i];
			if ((strcmp(r->level, "city") == 0) != (pass == 0))
				continue;
			char ord[16];
			snprintf(ord, sizeof(ord), "%d", r->ord);
			const char *params[6] = { r->code, r->name, r->short_name, r->level, r->parent, ord };
			bool exists = db_region(st->db, r->code) != NULL, changed;
			if ((rc = write_row(st, exists ? update : insert, 6, params, &changed)) != KPR_OK)
				return rc;
			count(&res->regions, exists, changed);
		}
	}
	return KPR_OK;
}

static int write_zones(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE zone SET name = $2, short_name = $3, region_code = $4, ord = $5::int "
		"WHERE code = $1 AND (name, short_name, region_code, ord) IS DISTINCT FROM ($2, $3, $4, $5::int)";
	static const char insert[] =
		"INSERT INTO zone (code, name, short_name, region_code, ord) VALUES ($1, $2, $3, $4, $5::int)";
	int rc;

	for (size_t i = 0; i < st->cfg->nzones; i++) {
		const struct kpr_config_zone *z = &st->cfg->zones[i];
		char ord[16];
		snprintf(ord, sizeof(ord), "%d", z->ord);
		const char *params[5] = { z->code, z->name, z->short_name, z->region, ord };
		bool exists = find_zone(st->db, z->code) != NULL, changed;
		if ((rc = write_row(st, exists ? update : insert, 5, params, &changed)) != KPR_OK)
			return rc;
		count(&res->zones, exists, changed);
	}
	return KPR_OK;
}

static int write_pools(struct store *st, struct kpr_config_result *res)
{
	static const char update[] =
		"UPDATE pool SET name = $2, name_en = $3, ord = $4::int, mark = $5 "
		"WHERE code = $1 AND (name, name_en, ord, mark) IS DISTINCT FROM ($2, $3, $4::int, $5)";
	static const char insert[] = "INSERT INTO pool (code, name, name_en, ord, mark) VALUES ($1, $2, $3, $4::int, $5)";
	char ord[16];
	bool changed;
	int rc;

	/* pool.ord is unique at every row: a reordered pool first steps aside to -ord */
	for (size_t i = 0; i < st->cfg->npools; i++) {
		const struct kpr_config_pool *pl = &st->cfg->pools[i], *d = find_pool(st->db, pl->code);
		if (!d || d->ord == pl->ord)
			continue;
		snprintf(ord, sizeof(ord), "%d", -pl->ord);
		const char *params[2] = { pl->code, ord };
		if ((rc = write_row(st, "UPDATE pool SET ord = $2::int WHERE code = $1", 2, params, &changed)) != KPR_OK)
			return rc;
	}
	for (size_t i = 0; i < st->cfg->npools; i++) {
		const struct kpr_config_pool *pl = &st->cfg->pools[i];
		snprintf(ord, sizeof(ord), "%d", pl->ord);
		const char *params[5] = { pl->code, pl->name, pl->name_en, ord, pl->mark };
		bool exists = find_pool(st->db, pl->code) != NULL;
		if ((rc = write_row(st, exists ? update : insert, 5, params, &changed)) != KPR_OK)
			return rc;
		count(&res->pools, exists, changed);
	}
	return KPR_OK;
}

static int write_scenarios(struct store *st, const struct kpr_config_year *y, const struct kpr_config_year *dy,
			   struct kpr_config_year_result *yr)
{
	static const char update[] =
		"UPDATE scenario SET name = $3, sample = $4::boolean, ord = $5::int "
		"WHERE year = $1::int AND code = $2 AND (name, sample, ord) IS DISTINCT FROM ($3, $4::boolean, $5::int)";
	static const char insert[] =
		"INSERT INTO scenario (year, code, name, sample, ord) VALUES ($1::int, $2, $3, $4::boolean, $5::int)";
	char year[16], ord[16];
	int rc;

	snprintf(year, sizeof(year), "%d", y->year);
	for (size_t i = 0; i < y->nscenarios; i++) {
		const struct kpr_config_scenario *s = &y->scenarios[i];
		snprintf(ord, sizeof(ord), "%d", s->ord);
		const char *params[5] = { year, s->code, s->name, s->sample ? "true" : "false", ord };
		bool exists = find_scenario(dy, s->code) != NULL, changed;
		if ((rc = write_row(st, exists ? update : insert, 5, params, &changed)) != KPR_OK)
			return rc;
		count(&yr->scenarios, exists, changed);
	}
	return KPR_OK;
}

static bool conditions_equal(const struct kpr_config_rule *a, const struct kpr_config_rule *b)
{
	if (a->nconds != b->nconds)
		return false;
	for (size_t i = 0; i < a->nconds; i++) {
		bool found = false;
		for (size_t j = 0; j < b->nconds && !found; j++)
			found = a->conds[i].measure == b->conds[j].measure && strcmp(a->conds[i].op, b->conds[j].op) == 0 &&
				strcmp(a->conds[i].value, b->conds[j].value) == 0;
		if (!found)
			return false;
	}
	return true;
}

static bool rules_equal(const struct kpr_config_year *a, const struct kpr_config_year *b)
{
	if (a->nrules != b->nrules)
		return false;
	for (size_t i = 0; i < a->nrules; i++) {
		const struct kpr_config_rule *x = &a->rules[i], *y = &b->rules[i];
		if (strcmp(x->id, y->id) != 0 || strcmp(x->colour, y->colour) != 0 || x->ord != y->ord ||
		    !str_eq(x->description, y->description) || !conditions_equal(x, y))
			return false;
	}
	return true;
}

static int write_rules(struct store *st, const struct kpr_config_year *y, const struct kpr_config_year *dy,
		       struct kpr_config_year_result *yr)
{
	char year[16], ord[16];
	bool changed;
	int rc;

	yr->rules = (int)y->nrules;
	if (rules_equal(y, dy)) {
		yr->rules_outcome = KPR_RULES_UNCHANGED;
		return KPR_OK;
	}
	yr->rules_outcome = dy->nrules ? KPR_RULES_REPLACED : KPR_RULES_NEW;
	snprintf(year, sizeof(year), "%d", y->year);
	const char *p1[1] = { year };
	if (dy->nrules && (rc = write_row(st, "DELETE FROM colour_rule WHERE year = $1::int", 1, p1, &changed)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < y->nrules; i++) {
		const struct kpr_config_rule *r = &y->rules[i];
		snprintf(ord, sizeof(ord), "%d", r->ord);
		const char *params[5] = { year, r->id, ord, r->colour, r->description };
		if ((rc = write_row(st, "INSERT INTO colour_rule (year, rule_id, ord, colour, description) "
					"VALUES ($1::int, $2, $3::int, $4, $5)", 5, params, &changed)) != KPR_OK)
			return rc;
		for (size_t j = 0; j < r->nconds; j++) {
			const struct kpr_config_condition *c = &r->conds[j];
			const char *cp[5] = { year, r->id, c->measure->name, c->op, c->value };
			if ((rc = write_row(st, "INSERT INTO colour_rule_condition (year, rule_id, measure, op, value) "
						"VALUES ($1::int, $2, $3, $4, $5::numeric)", 5, cp, &changed)) != KPR_OK)
				return rc;
		}
	}
	return KPR_OK;
}

/* "kept 2 regions that 'config.yaml' does not list: 131099, 131098" ("would keep" in a dry run) */
static int warn_kept(const struct store *st, const char *what, char *const *codes, size_t stride, size_t n,
		     bool (*listed)(const void *arg, const char *code), const void *arg)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	int kept = 0;

	for (size_t i = 0; i < n; i++) {
		const char *code = *(char *const *)((const char *)codes + i * stride);
		if (listed(arg, code))
			continue;
		if (kept < 10)
			kpr_strbuf_addf(&sb, "%s%s", kept ? ", " : "", code);
		else if (kept == 10)
			kpr_strbuf_adds(&sb, ", ...");
		kept++;
	}
	if (kept && st->dry_run)
		kpr_log_warning(_("would keep %d %s that '%s' does not list: %s"), kept, what, st->cfg->file, sb.buf);
	else if (kept)
		kpr_log_warning(_("kept %d %s that '%s' does not list: %s"), kept, what, st->cfg->file, sb.buf);
	kpr_strbuf_release(&sb);
	return kept;
}

static bool region_listed(const void *cfg, const char *code)
{
	return kpr_config_find_region(cfg, code) != NULL;
}

static bool zone_listed(const void *cfg, const char *code)
{
	return find_zone(cfg, code) != NULL;
}

static bool pool_listed(const void *cfg, const char *code)
{
	return find_pool(cfg, code) != NULL;
}

static bool scenario_listed(const void *year, const char *code)
{
	return find_scenario(year, code) != NULL;
}

static int store_all(struct store *st, struct kpr_config_result *res)
{
	const struct kpr_config *cfg = st->cfg;
	int rc;

	if ((rc = kpr_db_exec(st->conn, "LOCK TABLE setting, region, zone, pool, scenario, colour_rule, "
					"colour_rule_condition IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = fetch_base(st->conn, st->db)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < cfg->nyears; i++)
		if ((rc = fetch_year(st->conn, cfg->years[i].year, &st->dbyears[i])) != KPR_OK)
			return rc;
	if ((rc = cross_check(st)) != KPR_OK)
		return rc;
	if (kpr_config_reject(&st->problems, cfg->file) > 0)
		return KPR_EINPUT;

	if (cfg->timezone &&
	    (rc = write_setting(st, "timezone", cfg->timezone, st->db->timezone != NULL, &res->settings)) != KPR_OK)
		return rc;
	if (cfg->local_code_pattern &&
	    (rc = write_setting(st, "local_code_pattern", cfg->local_code_pattern, st->db->local_code_pattern != NULL,
				&res->settings)) != KPR_OK)
		return rc;
	if (cfg->report_due_day &&
	    (rc = write_setting(st, "report_due_day", cfg->report_due_day, st->db->report_due_day != NULL,
				&res->settings)) != KPR_OK)
		return rc;
	if (cfg->report_bands &&
	    (rc = write_setting(st, "report_bands", cfg->report_bands, st->db->report_bands != NULL,
				&res->settings)) != KPR_OK)
		return rc;
	if ((rc = write_regions(st, res)) != KPR_OK || (rc = write_zones(st, res)) != KPR_OK ||
	    (rc = write_pools(st, res)) != KPR_OK)
		return rc;
	for (size_t i = 0; i < cfg->nyears; i++) {
		const struct kpr_config_year *y = &cfg->years[i], *dy = &st->dbyears[i];
		struct kpr_config_year_result *yr = &res->years[i];
		yr->year = y->year;
		yr->rules_outcome = KPR_RULES_ABSENT;
		if (y->has_scenarios && (rc = write_scenarios(st, y, dy, yr)) != KPR_OK)
			return rc;
		if (y->has_rules && (rc = write_rules(st, y, dy, yr)) != KPR_OK)
			return rc;
	}
	return KPR_OK;
}

int kpr_config_store(PGconn *conn, const struct kpr_config *cfg, bool dry_run, struct kpr_config_result *res)
{
	struct store st = { .conn = conn, .cfg = cfg, .dry_run = dry_run };
	int rc;

	memset(res, 0, sizeof(*res));
	res->nyears = cfg->nyears;
	res->years = kpr_xcalloc(cfg->nyears + 1, sizeof(*res->years));
	st.db = kpr_xcalloc(1, sizeof(*st.db));
	st.dbyears = kpr_xcalloc(cfg->nyears + 1, sizeof(*st.dbyears));

	if ((rc = kpr_db_begin(conn)) == KPR_OK) {
		rc = store_all(&st, res);
		if (rc == KPR_OK && dry_run)
			kpr_db_rollback(conn);
		else if (rc == KPR_OK)
			rc = kpr_db_commit(conn);
		else
			kpr_db_rollback(conn);
	}
	if (rc == KPR_OK) {
		const struct kpr_config *db = st.db;
		if (cfg->has_regions)
			res->kept_regions = warn_kept(&st, _("region(s)"), &db->regions[0].code,
						      sizeof(db->regions[0]), db->nregions, region_listed, cfg);
		if (cfg->has_zones)
			res->kept_zones = warn_kept(&st, _("zone(s)"), &db->zones[0].code, sizeof(db->zones[0]),
						    db->nzones, zone_listed, cfg);
		if (cfg->has_pools)
			res->kept_pools = warn_kept(&st, _("pool(s)"), &db->pools[0].code, sizeof(db->pools[0]),
						    db->npools, pool_listed, cfg);
		for (size_t i = 0; i < cfg->nyears; i++) {
			const struct kpr_config_year *dy = &st.dbyears[i];
			char what[64];
			if (!cfg->years[i].has_scenarios)
				continue;
			snprintf(what, sizeof(what), _("scenario(s) of %d"), cfg->years[i].year);
			res->kept_scenarios += warn_kept(&st, what, &dy->scenarios[0].code, sizeof(dy->scenarios[0]),
							 dy->nscenarios, scenario_listed, &cfg->years[i]);
		}
	} else {
		kpr_problems_release(&st.problems);
		kpr_config_result_release(res);
	}
	kpr_config_free(st.db);
	for (size_t i = 0; i < cfg->nyears; i++)
		kpr_config_year_release(&st.dbyears[i]);
	free(st.dbyears);
	return rc;
}

bool kpr_config_result_changed(const struct kpr_config_result *res)
{
	const struct kpr_config_count *counts[] = { &res->settings, &res->regions, &res->zones, &res->pools };
	for (size_t i = 0; i < KPR_ARRAY_SIZE(counts); i++)
		if (counts[i]->inserted || counts[i]->updated)
			return true;
	for (size_t i = 0; i < res->nyears; i++) {
		const struct kpr_config_year_result *y = &res->years[i];
		if (y->scenarios.inserted || y->scenarios.updated || y->rules_outcome == KPR_RULES_NEW ||
		    y->rules_outcome == KPR_RULES_REPLACED)
			return true;
	}
	return false;
}

void kpr_config_result_release(struct kpr_config_result *res)
{
	free(res->years);
	res->years = NULL;
	res->nyears = 0;
}
