/* evaluation.c: a month's colours, set-based in and out (evaluation.h). */
#include "evaluation.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "money.h"
#include "month.h"
#include "project.h"
#include "spool.h"
#include "strbuf.h"

#define DEFAULT_DUE_DAY 5

int kpr_evaluation_default_month(PGconn *conn, int *month)
{
	PGresult *res;
	int rc = kpr_db_exec(conn, "SELECT (SELECT value FROM setting WHERE key = 'timezone'), "
				   "(SELECT value FROM setting WHERE key = 'report_due_day')", 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	int due = PQgetisnull(res, 0, 1) ? DEFAULT_DUE_DAY : atoi(PQgetvalue(res, 0, 1));
	int today, day;
	rc = kpr_date_today(PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0), &today, &day);
	PQclear(res);
	if (rc != KPR_OK)
		return kpr_fail(rc, _("KPR_TODAY must be a date like 2023-12-05, not '%s'"), getenv("KPR_TODAY"));
	/* last month's reports are due this month on the due day; before it, the month before's */
	*month = today - (day >= due ? 1 : 2);
	return KPR_OK;
}

/* A date column as a month of month.h (NULL stays NULL). */
#define MONTH_OF(d) "(date_part('year', " d ") * 12 + date_part('month', " d ") - 1)::int"

/*
 * The measures' inputs of every project on the year's list, with its stored evaluation of the
 * month (to compare) and its colour of the month before (to list changes).  The month comes in
 * kpr.colour_month (COPY takes no parameters).  The year-to-date is the sum of the current
 * progress of the year's months up to the month; the last investment is looked for in every
 * year.  Built around the sources it reads (struct kpr_evaluation_sources).
 */
#define MEASURES_LISTED_SQL \
	"COPY (WITH m AS (SELECT current_setting('kpr.colour_month')::date AS month), " \
	"listed AS (SELECT y.project_id, y.annual_plan FROM "
#define MEASURES_PROG_SQL " y, m " \
	"  WHERE y.year = date_part('year', m.month)::int%s), " \
	"prog AS (SELECT pc.project_id, " \
	"    sum(pc.amount) FILTER (WHERE pc.month >= date_trunc('year', m.month)) AS ytd, " \
	"    bool_or(pc.month = m.month) AS reported, " \
	"    max(pc.month) FILTER (WHERE pc.amount > 0) AS last_investment " \
	"  FROM "
#define MEASURES_SELECT_SQL " pc JOIN listed USING (project_id), m " \
	"  WHERE pc.month <= m.month GROUP BY pc.project_id) " \
	"SELECT p.project_id, p.code, p.name, l.annual_plan, coalesce(g.ytd, 0), coalesce(g.reported, false), " \
	"  " MONTH_OF("g.last_investment") ", " MONTH_OF("p.actual_start") ", " MONTH_OF("p.completed_on") ", " \
	"  " MONTH_OF("p.planned_start") ", " \
	"  o.override_id, o.colour, " MONTH_OF("o.from_month") ", " MONTH_OF("o.expires_month") ", " \
	"  CASE WHEN o.override_id IS NOT NULL THEN colour_override_text(o) END, " \
	"  e.evaluation_id, e.colour, e.rule_id, e.rule_colour, e.rule_description, e.conditions, e.figures, " \
	"  e.reason, e.override_id, pe.evaluation_id, pe.colour " \
	"FROM listed l JOIN project p USING (project_id) CROSS JOIN m " \
	"LEFT JOIN prog g USING (project_id) " \
	"LEFT JOIN LATERAL "
#define MEASURES_TAIL_SQL " o ON true " \
	"LEFT JOIN colour_evaluation e ON e.project_id = p.project_id AND e.month = m.month " \
	"  AND e.superseded_at IS NULL " \
	"LEFT JOIN colour_current pe ON pe.project_id = p.project_id " \
	"  AND pe.month = (m.month - interval '1 month')::date) TO STDOUT"

const struct kpr_evaluation_sources kpr_evaluation_current = {
	"project_year", "progress_current", "colour_override_at(p.project_id, m.month)", ""
};

static void measures_sql(const struct kpr_evaluation_sources *src, struct kpr_strbuf *sb)
{
	kpr_strbuf_adds(sb, MEASURES_LISTED_SQL);
	kpr_strbuf_adds(sb, src->listed);
	kpr_strbuf_addf(sb, MEASURES_PROG_SQL, src->only);
	kpr_strbuf_adds(sb, src->progress);
	kpr_strbuf_adds(sb, MEASURES_SELECT_SQL);
	kpr_strbuf_adds(sb, src->override);
	kpr_strbuf_adds(sb, MEASURES_TAIL_SQL);
}

enum {
	F_ID, F_CODE, F_NAME, F_PLAN, F_YTD, F_REPORTED, F_LAST_INVESTMENT, F_START, F_COMPLETION,
	F_PLANNED_START, F_OVERRIDE, F_OVERRIDE_COLOUR, F_OVERRIDE_FROM, F_OVERRIDE_UNTIL, F_OVERRIDE_TEXT,
	F_STORED, F_COLOUR, F_RULE_ID, F_RULE_COLOUR, F_DESCRIPTION, F_CONDITIONS, F_FIGURES, F_REASON,
	F_STORED_OVERRIDE, F_PREVIOUS, F_PREVIOUS_COLOUR, F_COUNT
};

/* Split a COPY text row in place into n fields (NULL for \N), undoing its escapes; false
 * when it does not have n fields. */
static bool split_row(char *row, size_t len, char **f, size_t n)
{
	static const char from[] = "btnrfv", to[] = "\b\t\n\r\f\v";
	char *p = row;
	size_t i = 0;

	if (len && row[len - 1] == '\n')
		row[--len] = '\0';
	for (;;) {
		if (i == n)
			return false;
		if (p[0] == '\\' && p[1] == 'N' && (p[2] == '\t' || p[2] == '\0')) {
			f[i++] = NULL;
			p += 2;
		} else {
			char *out = f[i++] = p;
			while (*p && *p != '\t') {
				if (*p == '\\' && p[1]) {
					const char *e = strchr(from, *++p);
					*out++ = e ? to[e - from] : *p;
					p++;
				} else {
					*out++ = *p++;
				}
			}
			char sep = *p;
			*out = '\0';	/* may be where sep was */
			if (!sep)
				return i == n;
			p++;
			continue;
		}
		if (!*p)
			return i == n;
		p++;
	}
}

struct run {
	struct kpr_colour_rules rules;
	struct kpr_evaluation_result *res;
	struct kpr_spool spool;
	bool dry_run;
	int rc;
	struct kpr_strbuf reason, figures, conditions;
};

static int month_field(const char *s)
{
	return s ? atoi(s) : KPR_COLOUR_NONE;
}

static enum kpr_colour colour_field(const char *s)
{
	enum kpr_colour c = KPR_COLOUR_UNRATED;
	if (s && !kpr_colour_parse(s, &c))
		c = KPR_COLOUR_UNRATED;
	return c;
}

static bool same(const char *stored, const char *computed)
{
	return stored ? computed && strcmp(stored, computed) == 0 : computed == NULL;
}

/* The inputs of one row; false (with run->rc set) when an amount does not parse. */
static bool read_input(int month, char **f, struct kpr_colour_input *in, int *rc)
{
	const char *why;
	*in = (struct kpr_colour_input){
		.month = month, .plan_known = f[F_PLAN] != NULL, .reported = f[F_REPORTED][0] == 't',
		.start = month_field(f[F_START]), .completion = month_field(f[F_COMPLETION]),
		.planned_start = month_field(f[F_PLANNED_START]), .last_investment = month_field(f[F_LAST_INVESTMENT]),
		.override_from = f[F_OVERRIDE] ? month_field(f[F_OVERRIDE_FROM]) : KPR_COLOUR_NONE,
		.override_until = month_field(f[F_OVERRIDE_UNTIL]), .override_colour = colour_field(f[F_OVERRIDE_COLOUR]),
	};
	if ((in->plan_known && kpr_money_parse(f[F_PLAN], KPR_UNIT_WAN, &in->plan, &why) != KPR_OK) ||
	    kpr_money_parse(f[F_YTD], KPR_UNIT_WAN, &in->ytd, &why) != KPR_OK) {
		*rc = kpr_fail(KPR_EDB, _("project %s: an amount kpr cannot read from the database"), f[F_CODE]);
		return false;
	}
	return true;
}

static void list_add(struct kpr_evaluation_list *l, char **f, bool has_previous, enum kpr_colour previous,
		     const struct kpr_colour_result *r, const char *reason)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 64;
		l->items = kpr_xrealloc(l->items, l->alloc * sizeof(*l->items));
	}
	l->items[l->n++] = (struct kpr_evaluation_item){
		kpr_xstrdup(f[F_CODE]), kpr_xstrdup(f[F_NAME]), has_previous, previous, r->colour,
		r->rule ? kpr_xstrdup(r->rule->src->id) : NULL, kpr_xstrdup(reason),
	};
}

/* Is the stored evaluation the one just computed? */
static bool unchanged(struct run *run, char **f, const struct kpr_colour_result *r)
{
	const char *rule_colour = r->rule ? kpr_colour_name(r->rule_colour) : NULL;
	const char *colour = r->colour == KPR_COLOUR_UNRATED ? NULL : kpr_colour_name(r->colour);
	return f[F_STORED] && same(f[F_COLOUR], colour) && same(f[F_RULE_COLOUR], rule_colour) &&
	       same(f[F_RULE_ID], r->rule ? r->rule->src->id : NULL) &&
	       same(f[F_DESCRIPTION], r->rule ? r->rule->src->description : NULL) &&
	       same(f[F_CONDITIONS], r->rule ? run->conditions.buf : NULL) && same(f[F_FIGURES], run->figures.buf) &&
	       same(f[F_REASON], run->reason.buf) && same(f[F_STORED_OVERRIDE], r->overridden ? f[F_OVERRIDE] : NULL);
}

/* project_id, colour, rule_id, rule_colour, rule_description, conditions, figures, reason, override_id */
static void spool_result(struct run *run, char **f, const struct kpr_colour_result *r)
{
	struct kpr_strbuf *sb = kpr_spool_row(&run->spool);
	kpr_spool_add_text(sb, f[F_ID]);
	kpr_spool_add_text(sb, r->colour == KPR_COLOUR_UNRATED ? NULL : kpr_colour_name(r->colour));
	kpr_spool_add_text(sb, r->rule ? r->rule->src->id : NULL);
	kpr_spool_add_text(sb, r->rule ? kpr_colour_name(r->rule_colour) : NULL);
	kpr_spool_add_text(sb, r->rule ? r->rule->src->description : NULL);
	kpr_spool_add_text(sb, r->rule ? run->conditions.buf : NULL);
	kpr_spool_add_text(sb, run->figures.buf);
	kpr_spool_add_text(sb, run->reason.buf);
	kpr_strbuf_copy_field(sb, r->overridden ? f[F_OVERRIDE] : NULL, '\n');
	if ((run->rc = kpr_spool_flush(&run->spool, false)) != KPR_OK)
		run->rc = KPR_EFILE;
}

static void each_row(void *arg, char *row, size_t len)
{
	struct run *run = arg;
	char *f[F_COUNT];
	struct kpr_colour_input in;
	struct kpr_colour_result r;

	if (run->rc != KPR_OK)
		return;
	if (!split_row(row, len, f, F_COUNT)) {
		run->rc = kpr_fail(KPR_EDB, "%s", _("unexpected row from the measures query"));
		return;
	}
	if (!read_input(run->res->month, f, &in, &run->rc))
		return;
	kpr_colour_evaluate(&run->rules, &in, &r);
	kpr_strbuf_reset(&run->reason);
	kpr_strbuf_reset(&run->figures);
	kpr_strbuf_reset(&run->conditions);
	kpr_colour_reason(&r, &run->reason);
	kpr_colour_figures_json(&in, &r, &run->figures);
	kpr_colour_conditions_json(&r, &run->conditions);

	struct kpr_evaluation_result *res = run->res;
	const char *shown = r.overridden ? f[F_OVERRIDE_TEXT] : run->reason.buf;
	res->projects++;
	res->counts[r.colour]++;
	if (f[F_PREVIOUS]) {
		enum kpr_colour previous = colour_field(f[F_PREVIOUS_COLOUR]);
		res->previous++;
		if (previous != r.colour)
			list_add(&res->changed, f, true, previous, &r, shown);
	}
	if (unchanged(run, f, &r))
		return;
	res->stored++;
	if (run->dry_run)
		list_add(&res->to_store, f, f[F_STORED] != NULL, colour_field(f[F_COLOUR]), &r, shown);
	else
		spool_result(run, f, &r);
}

static int worst_first(const void *a, const void *b)
{
	const struct kpr_evaluation_item *x = a, *y = b;
	int rx = kpr_colour_rank(x->colour), ry = kpr_colour_rank(y->colour);
	return rx != ry ? rx - ry : strcmp(x->code, y->code);
}

/* The changed rows back: the stored ones superseded, the new ones current. */
static int store(PGconn *conn, struct run *run, const char *month)
{
	const char *params[1] = { month };
	int rc = kpr_spool_flush(&run->spool, true);
	if (rc == KPR_OK)
		rc = kpr_spool_load_temp(conn, "CREATE TEMP TABLE colour_new (project_id bigint, colour text, rule_id text, "
					       "rule_colour text, rule_description text, conditions jsonb, figures jsonb, "
					       "reason text, override_id bigint) ON COMMIT DROP",
					 "COPY colour_new FROM STDIN", &run->spool);
	if (rc == KPR_OK)
		rc = kpr_db_exec(conn, "UPDATE colour_evaluation e SET superseded_at = now() FROM colour_new n "
				       "WHERE e.project_id = n.project_id AND e.month = $1 AND e.superseded_at IS NULL",
				 1, params, NULL);
	if (rc == KPR_OK)
		rc = kpr_db_exec(conn, "INSERT INTO colour_evaluation (project_id, month, colour, rule_id, rule_colour, "
				       "rule_description, conditions, figures, reason, override_id, evaluated_by) "
				       "SELECT project_id, $1, colour, rule_id, rule_colour, rule_description, conditions, "
				       "figures, reason, override_id, session_user FROM colour_new",
				 1, params, NULL);
	return rc;
}

/* A month's colours on the fly: each project's colour into colour_fly, nothing stored. */
struct fly {
	struct kpr_colour_rules rules;
	int month;
	struct kpr_spool spool;
	long n;
	int rc;
};

static void fly_row(void *arg, char *row, size_t len)
{
	struct fly *fly = arg;
	char *f[F_COUNT];
	struct kpr_colour_input in;
	struct kpr_colour_result r;

	if (fly->rc != KPR_OK)
		return;
	if (!split_row(row, len, f, F_COUNT)) {
		fly->rc = kpr_fail(KPR_EDB, "%s", _("unexpected row from the measures query"));
		return;
	}
	if (!read_input(fly->month, f, &in, &fly->rc))
		return;
	kpr_colour_evaluate(&fly->rules, &in, &r);
	struct kpr_strbuf *sb = kpr_spool_row(&fly->spool);
	kpr_spool_add_text(sb, f[F_ID]);
	kpr_strbuf_copy_field(sb, r.colour == KPR_COLOUR_UNRATED ? NULL : kpr_colour_name(r.colour), '\n');
	fly->n++;
	if (kpr_spool_flush(&fly->spool, false) != KPR_OK)
		fly->rc = KPR_EFILE;
}

int kpr_evaluation_fly(PGconn *conn, int month, const struct kpr_evaluation_sources *src, long *evaluated)
{
	struct fly fly = { .month = month, .spool = KPR_SPOOL_INIT, .rc = KPR_OK };
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	struct kpr_config *cfg = NULL;
	char date[11];
	const char *params[] = { kpr_month_date(month, date) };
	int rc;

	*evaluated = 0;
	if ((rc = kpr_config_fetch(conn, kpr_month_year(month), &cfg)) != KPR_OK)
		return rc;
	if (cfg->nyears == 0 || cfg->years[0].nrules == 0) {
		kpr_config_free(cfg);	/* no rules: nothing to evaluate with */
		return KPR_OK;
	}
	if ((rc = kpr_colour_rules_compile(&fly.rules, &cfg->years[0])) != KPR_OK)
		goto out;
	rc = kpr_db_exec(conn, "SELECT set_config('kpr.colour_month', $1, true)", 1, params, NULL);
	measures_sql(src, &sql);
	if (rc == KPR_OK)
		rc = kpr_db_copy_out(conn, sql.buf, fly_row, &fly);
	if (rc == KPR_OK)
		rc = fly.rc;
	if (rc == KPR_OK)
		rc = kpr_spool_flush(&fly.spool, true);
	if (rc == KPR_OK)
		rc = kpr_spool_load_temp(conn, "CREATE TEMP TABLE colour_fly (project_id bigint, colour text) ON COMMIT DROP",
					 "COPY colour_fly FROM STDIN", &fly.spool);
	if (rc == KPR_OK)
		*evaluated = fly.n;
out:
	kpr_strbuf_release(&sql);
	kpr_spool_release(&fly.spool);
	kpr_colour_rules_release(&fly.rules);
	kpr_config_free(cfg);
	return rc;
}

/* The year's rules, compiled; a year without any is an input error. */
static int load_rules(PGconn *conn, int year, struct kpr_config **cfg, struct kpr_colour_rules *rules)
{
	int rc = kpr_config_fetch(conn, year, cfg);
	if (rc != KPR_OK)
		return rc;
	if ((*cfg)->nyears == 0 || (*cfg)->years[0].nrules == 0) {
		kpr_log_error(_("%d has no colour rules"), year);
		kpr_log_hint(_("Load them with \"kpr import config FILE\" (colour_rules of year %d), or copy an earlier "
			       "year's with \"kpr year open %d\"."), year, year);
		return KPR_EINPUT;
	}
	return kpr_colour_rules_compile(rules, &(*cfg)->years[0]);
}

static int evaluate(PGconn *conn, struct run *run, const char *month)
{
	const char *params[1] = { month };
	struct kpr_config *cfg = NULL;
	int rc;

	if ((rc = kpr_require_city(conn, _("evaluate the colours"))) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "LOCK TABLE colour_evaluation IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK ||
	    (rc = load_rules(conn, kpr_month_year(run->res->month), &cfg, &run->rules)) != KPR_OK ||
	    (rc = kpr_db_exec(conn, "SELECT set_config('kpr.colour_month', $1, true)", 1, params, NULL)) != KPR_OK)
		goto out;
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	measures_sql(&kpr_evaluation_current, &sql);
	rc = kpr_db_copy_out(conn, sql.buf, each_row, run);
	kpr_strbuf_release(&sql);
	if (rc == KPR_OK)
		rc = run->rc;
	if (rc == KPR_OK && !run->dry_run && run->spool.rows > 0)
		rc = store(conn, run, month);
out:
	kpr_colour_rules_release(&run->rules);
	kpr_config_free(cfg);
	return rc;
}

int kpr_evaluation_run(PGconn *conn, int month, bool dry_run, struct kpr_evaluation_result *res)
{
	struct run run = { .res = res, .spool = KPR_SPOOL_INIT, .dry_run = dry_run, .rc = KPR_OK,
			   .reason = KPR_STRBUF_INIT, .figures = KPR_STRBUF_INIT, .conditions = KPR_STRBUF_INIT };
	char date[11];
	int rc;

	memset(res, 0, sizeof(*res));
	res->month = month;
	kpr_month_date(month, date);
	if ((rc = kpr_db_begin(conn)) != KPR_OK)
		return rc;
	rc = evaluate(conn, &run, date);
	if (rc == KPR_OK && !dry_run)
		rc = kpr_db_commit(conn);
	else
		kpr_db_rollback(conn);
	kpr_spool_release(&run.spool);
	kpr_strbuf_release(&run.reason);
	kpr_strbuf_release(&run.figures);
	kpr_strbuf_release(&run.conditions);
	if (rc != KPR_OK) {
		kpr_evaluation_result_release(res);
		return rc;
	}
	if (res->changed.n)
		qsort(res->changed.items, res->changed.n, sizeof(*res->changed.items), worst_first);
	if (res->to_store.n)
		qsort(res->to_store.items, res->to_store.n, sizeof(*res->to_store.items), worst_first);
	return KPR_OK;
}

static void list_release(struct kpr_evaluation_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].code);
		free(l->items[i].name);
		free(l->items[i].rule_id);
		free(l->items[i].reason);
	}
	free(l->items);
	*l = (struct kpr_evaluation_list){ 0 };
}

void kpr_evaluation_result_release(struct kpr_evaluation_result *res)
{
	list_release(&res->changed);
	list_release(&res->to_store);
}
