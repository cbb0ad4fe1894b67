/*
 * import_projects.c: a year's project list into the registry.  New projects are copied
 * straight into their tables; known ones are staged, compared with the registry and merged
 * set-based.  See import.h; the shared machinery is import.c's (import_impl.h).
 */
#include "import_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "fields.h"
#include "log.h"

/* the batch and the year the transaction is for (import_impl.h) */
#define YEAR_SQL KPR_IMPORT_YEAR_SQL
#define BATCH_SQL KPR_IMPORT_BATCH_SQL
#define CURRENT_SCENARIOS(pid) \
	"coalesce((SELECT array_agg(ps.scenario_id ORDER BY ps.scenario_id) FROM project_scenario ps " \
	"JOIN scenario sc USING (scenario_id) WHERE ps.project_id = " pid " AND sc.year = " YEAR_SQL "), '{}')"

/*
 * The statements that list the project's columns are templates: {{...}} stands for each of them
 * (kpr_fields_sql(), fields.h).
 */

/* A new project: copied straight into its table, its list entry (with the plan) and scenarios after. */
#define NEW_PROJECT_COPY "COPY project (project_id, code, {{%s}}, pool_code, batch_id) FROM STDIN"
#define NEW_YEAR_COPY "COPY project_year (project_id, year, annual_plan, batch_id) FROM STDIN"
#define NEW_SCENARIO_COPY "COPY project_scenario (project_id, scenario_id) FROM STDIN"
#define PROJECT_SEQUENCE "pg_get_serial_sequence('kpr.project', 'project_id')"

/* A project the registry has: staged, then compared with it and merged set-based. */
static const char project_stage_sql[] =
	"CREATE TEMP TABLE import_project ("
	" project_id bigint, line int, code text, {{%s %t}}, annual_plan numeric(18,4), scenario_ids int[])"
	" ON COMMIT DROP";

static const char project_classify_sql[] =
	"CREATE TEMP TABLE import_project_class ON COMMIT DROP AS "
	/* the year's scenarios of the file's known projects, joined rather than looked up per row */
	"WITH current_scenarios AS (SELECT ps.project_id,"
	"  array_agg(ps.scenario_id ORDER BY ps.scenario_id) AS scenario_ids"
	" FROM import_project s JOIN project_scenario ps USING (project_id)"
	" JOIN scenario sc USING (scenario_id) WHERE sc.year = " YEAR_SQL " GROUP BY ps.project_id) "
	"SELECT s.*,"
	" ({{p.%s}}) IS DISTINCT FROM ({{s.%s}}) AS fields_changed,"
	" py.annual_plan AS old_plan, py.plan_reason AS old_reason, py.batch_id AS old_batch,"
	" s.annual_plan IS NOT NULL AND py.annual_plan IS DISTINCT FROM s.annual_plan AS plan_changed,"
	" coalesce(s.scenario_ids, '{}') IS DISTINCT FROM coalesce(cs.scenario_ids, '{}') AS scenarios_changed,"
	" py.project_id IS NULL AS newly_listed "
	"FROM import_project s "
	"JOIN project p USING (project_id) "
	"LEFT JOIN project_year py ON py.project_id = p.project_id AND py.year = " YEAR_SQL " "
	"LEFT JOIN current_scenarios cs ON cs.project_id = p.project_id";

static const char project_counts_sql[] =
	"SELECT count(*) FILTER (WHERE fields_changed OR plan_changed OR scenarios_changed OR newly_listed),"
	" count(*) FILTER (WHERE NOT (fields_changed OR plan_changed OR scenarios_changed OR newly_listed)),"
	" count(*) FILTER (WHERE fields_changed) "
	"FROM import_project_class";

/*
 * An older list imported again: a changed field whose value is one a later change replaced,
 * by a batch not reverted (its audit rows, old row and new) or by a single change (the audit
 * trigger's), not a revert's (a reverted batch's values may come back).  The last such change is named.  Its last column is the field's column, for
 * the message (kpr_import_refuse_replays()).
 */
static const char field_replays_sql[] =
	"SELECT DISTINCT ON (c.line, o.key) c.line, c.code, o.key, n.value, o.value, a.batch_id,"
	" CASE WHEN a.batch_id IS NULL THEN a.db_user END, to_char(a.at, 'YYYY-MM-DD'), o.key "
	"FROM import_project_class c JOIN project p USING (project_id)"
	" CROSS JOIN LATERAL jsonb_each_text(to_jsonb(p)) o JOIN LATERAL jsonb_each_text(to_jsonb(c)) n ON n.key = o.key"
	" JOIN audit_log a ON a.table_name = 'project' AND a.op = 'UPDATE'"
	"  AND (a.old_row->>'project_id')::bigint = c.project_id"
	"  AND a.old_row->>o.key IS NOT DISTINCT FROM n.value AND a.new_row->>o.key IS DISTINCT FROM n.value"
	" LEFT JOIN import_batch b ON b.batch_id = a.batch_id "
	"WHERE c.fields_changed AND o.key NOT IN ('project_id', 'code') AND o.value IS DISTINCT FROM n.value"
	" AND b.reverted_at IS NULL AND NOT (a.batch_id IS NULL AND EXISTS (SELECT 1 FROM import_batch rb"
	"  WHERE rb.reverted_at = a.at)) "	/* a revert's own rows (stamped at its batch's reverted_at) */
	"ORDER BY c.line, o.key, a.audit_id DESC";

/*
 * An older list imported again: a changed plan that equals one a rebaseline replaced
 * (annual_plan_history), over the figure a later batch set.
 */
static const char plan_replays_sql[] =
	"SELECT c.line, c.code, " YEAR_SQL " || ' ' || 'annual plan', c.annual_plan, c.old_plan, c.old_batch, '', '' "
	"FROM import_project_class c "
	"WHERE c.plan_changed AND NOT c.newly_listed AND c.old_plan IS NOT NULL AND EXISTS (SELECT 1"
	" FROM annual_plan_history h WHERE h.project_id = c.project_id AND h.year = " YEAR_SQL
	" AND h.amount = c.annual_plan) ORDER BY c.line";

/* a dry run's lists (kpr_import_list_changes()): changed fields, old value to new */
static const char changed_fields_sql[] =
	"SELECT c.line, c.code || ': ' || o.key || ': ' || coalesce(o.value, '') || ' → ' || coalesce(n.value, '') "
	"FROM import_project_class c JOIN project p USING (project_id)"
	" CROSS JOIN LATERAL jsonb_each_text(to_jsonb(p)) o JOIN LATERAL jsonb_each_text(to_jsonb(c)) n ON n.key = o.key "
	"WHERE c.fields_changed AND o.key NOT IN ('project_id', 'code') AND o.value IS DISTINCT FROM n.value "
	"ORDER BY c.line, o.key";

/* plans changed (a plan set for the first time shows - as its old one) */
static const char rebaseline_list_sql[] =
	"SELECT line, code || ': ' || coalesce(trim_scale(old_plan)::text, '-') || ' → ' || trim_scale(annual_plan) "
	"FROM import_project_class WHERE plan_changed AND NOT newly_listed ORDER BY line";

/* known projects put on the year's list */
static const char listed_list_sql[] =
	"SELECT line, code FROM import_project_class WHERE newly_listed ORDER BY line";

/* codes of rows rejected in skip mode: in the file, so not missing from it */
static const char project_rejected_sql[] = "CREATE TEMP TABLE import_project_rejected (code text) ON COMMIT DROP";

/* on the year's list before this import (which lists its new projects), and not in the file */
static const char project_missing_sql[] =
	"SELECT p.code FROM project_year py JOIN project p USING (project_id) "
	"WHERE py.year = " YEAR_SQL " AND py.batch_id IS DISTINCT FROM " BATCH_SQL " "
	"AND NOT EXISTS (SELECT 1 FROM import_project s WHERE s.project_id = py.project_id) "
	"AND NOT EXISTS (SELECT 1 FROM import_project_rejected r WHERE r.code = p.code) ORDER BY p.code";

/* The merge of known projects, in order; run with kpr.batch_id and kpr.year set (kpr_import_start_batch()). */
static const char *const project_merge[] = {
	/* the batch's own audit of changed projects: old row, new row */
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project', 'UPDATE', to_jsonb(p), to_jsonb(p) || jsonb_build_object("
	" {{'%s', c.%s}}, 'batch_id', " BATCH_SQL "), " BATCH_SQL " "
	"FROM import_project_class c JOIN project p USING (project_id) WHERE c.fields_changed",

	"UPDATE project p SET ({{%s}}, batch_id, updated_at) = ({{c.%s}}, " BATCH_SQL ", now()) "
	"FROM import_project_class c WHERE p.project_id = c.project_id AND c.fields_changed",

	/* known projects put on the year's list: audited, so that kpr log and a revert see them */
	"WITH added AS (INSERT INTO project_year (project_id, year, annual_plan, batch_id) "
	" SELECT project_id, " YEAR_SQL ", annual_plan, " BATCH_SQL " FROM import_project_class WHERE newly_listed"
	" RETURNING *) "
	"INSERT INTO audit_log (table_name, op, new_row, batch_id) "
	"SELECT 'project_year', 'INSERT', to_jsonb(added), " BATCH_SQL " FROM added",

	/* a plan set where the entry had none: no history row to keep (a figure was not replaced),
	 * so the entry as it was goes to the audit, for a revert to put back */
	"INSERT INTO audit_log (table_name, op, old_row, new_row, batch_id) "
	"SELECT 'project_year', 'UPDATE', to_jsonb(py), to_jsonb(py) || jsonb_build_object('annual_plan',"
	" c.annual_plan, 'plan_reason', NULL, 'batch_id', " BATCH_SQL "), " BATCH_SQL " "
	"FROM import_project_class c JOIN project_year py ON py.project_id = c.project_id AND py.year = " YEAR_SQL " "
	"WHERE c.plan_changed AND NOT c.newly_listed AND c.old_plan IS NULL",

	"WITH gone AS (DELETE FROM project_scenario ps USING import_project_class c, scenario sc "
	" WHERE c.scenarios_changed AND ps.project_id = c.project_id AND sc.scenario_id = ps.scenario_id"
	" AND sc.year = " YEAR_SQL " AND NOT ps.scenario_id = ANY (coalesce(c.scenario_ids, '{}')) RETURNING ps.*) "
	"INSERT INTO audit_log (table_name, op, old_row, batch_id) "
	"SELECT 'project_scenario', 'DELETE', to_jsonb(gone), " BATCH_SQL " FROM gone",

	/* not ON CONFLICT: the primary key may be set aside for a large list */
	"WITH added AS (INSERT INTO project_scenario (project_id, scenario_id) "
	" SELECT c.project_id, x.scenario_id FROM import_project_class c, unnest(c.scenario_ids) x (scenario_id)"
	" WHERE c.scenarios_changed AND NOT EXISTS (SELECT 1 FROM project_scenario ps"
	"  WHERE ps.project_id = c.project_id AND ps.scenario_id = x.scenario_id) RETURNING *) "
	"INSERT INTO audit_log (table_name, op, new_row, batch_id) "
	"SELECT 'project_scenario', 'INSERT', to_jsonb(added), " BATCH_SQL " FROM added",

	/*
	 * A changed annual plan is a rebaseline: the list entry takes the new figure and names the
	 * batch; the old one goes to annual_plan_history.  That history is its audit; an
	 * audit_log copy of each would add nothing but time.
	 */
	"WITH rebased AS (UPDATE project_year py SET annual_plan = c.annual_plan,"
	"  plan_reason = CASE WHEN c.old_plan IS NOT NULL THEN 'rebaseline by import' END, batch_id = " BATCH_SQL
	" FROM import_project_class c WHERE c.plan_changed AND NOT c.newly_listed"
	"  AND py.project_id = c.project_id AND py.year = " YEAR_SQL
	" RETURNING c.project_id, c.old_plan, c.old_reason, c.old_batch) "
	"INSERT INTO annual_plan_history (project_id, year, amount, reason, batch_id, superseded_by) "
	"SELECT project_id, " YEAR_SQL ", old_plan, old_reason, old_batch, " BATCH_SQL
	" FROM rebased WHERE old_plan IS NOT NULL",
};

/* What a project list's import keeps while the file streams. */
struct project_load {
	struct kpr_codemap codes;	/* the registry's projects (id > 0), then the file's codes */
	struct kpr_spool known;		/* rows of projects the registry has, for import_project */
	struct kpr_spool news;		/* rows of new projects, for project */
	struct kpr_spool years, scenarios;	/* the new projects' list entries (with plans) and scenarios */
	struct kpr_spool rejected;		/* codes of rejected rows */
	struct kpr_strbuf new_codes;	/* a dry run's new projects to list: line, code (list_changes) */
	struct kpr_spool *stream;		/* known or news: the one sent while the file streams */
	int64_t next_id;		/* the key of the next new project */
	long inserted;
	char batch[32], year[16];
	char construction[32], preparation[32];	/* the pools new projects start in; "" when none */
	char *new_project_copy;		/* NEW_PROJECT_COPY with the columns filled in */
};

/* Run a statement made from a template with the project's columns. */
static int exec_fields_sql(struct kpr_import *im, const char *template)
{
	char *sql = kpr_fields_sql(template);
	int rc = kpr_db_exec(im->conn, sql, 0, NULL, NULL);
	free(sql);
	return rc;
}

/* The key the next new project gets; after the stream, the sequence is set past the last one. */
static int reserve_ids(struct kpr_import *im, struct project_load *pl)
{
	char id[32] = "1";
	int rc = KPR_OK;
	if (!im->opts->dry_run)	/* a dry run sends no new project, and leaves the sequence alone */
		rc = kpr_import_query_text(im, "SELECT nextval(" PROJECT_SEQUENCE ")", 0, NULL, id, sizeof(id));
	pl->next_id = atoll(id);
	return rc;
}

/* New projects start in the pool marked preparation, or construction when continuing
 * (pool.mark, from the configuration); none marked: no pool. */
static int new_project_pools(struct kpr_import *im, struct project_load *pl)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, "SELECT mark, code FROM pool WHERE mark IN ('construction', 'preparation')",
			     0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *mark = PQgetvalue(res, i, 0);
		snprintf(strcmp(mark, "construction") == 0 ? pl->construction : pl->preparation,
			 sizeof(pl->construction), "%s", PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return KPR_OK;
}

static const char *new_project_pool(const struct project_load *pl, const struct kpr_project_row *r)
{
	bool continuing = r->nature && (strcmp(r->nature, "续建") == 0 || strcmp(r->nature, "竣工投产") == 0);
	const char *pool = continuing ? pl->construction : pl->preparation;
	return pool[0] ? pool : NULL;
}

/* The new projects' first pools, as moves of the batch: one statement over the keys reserved. */
static const char first_moves_sql[] =
	"INSERT INTO pool_move (project_id, to_pool, moved_on, batch_id) "
	"SELECT project_id, pool_code, (SELECT (now() AT TIME ZONE coalesce((SELECT value FROM setting"
	" WHERE key = 'timezone'), 'UTC'))::date), batch_id FROM project "
	"WHERE project_id BETWEEN $1 AND $2 AND pool_code IS NOT NULL";

/* A valid row: a new project's row and parts, or a known project's row to stage. */
static int send_project(struct kpr_import *im, struct project_load *pl, const struct kpr_project_row *r,
			struct kpr_code_entry *e)
{
	int rc;
	struct kpr_strbuf *sb;
	if (e->id) {
		sb = kpr_spool_row(&pl->known);
		kpr_strbuf_add_int(sb, e->id);
		kpr_strbuf_addch(sb, '\t');
		kpr_strbuf_add_int(sb, r->line);
		kpr_strbuf_addch(sb, '\t');
		kpr_fields_copy_row(sb, r);
		kpr_spool_add_money(sb, r->annual_plan, r->has_plan, '\t');
		kpr_strbuf_addch(sb, '{');
		for (int i = 0; i < r->nscenarios; i++) {
			if (i)
				kpr_strbuf_addch(sb, ',');
			kpr_strbuf_add_int(sb, r->scenarios[i]);
		}
		kpr_strbuf_add(sb, "}\n", 2);
		return kpr_spool_flush(&pl->known, false);
	}
	pl->inserted++;
	if (im->opts->list_changes && pl->inserted <= 20)
		kpr_strbuf_addf(&pl->new_codes, "  %s:%ld: %s\n", im->name, r->line, r->code);
	if (im->opts->dry_run)
		return KPR_OK;
	int64_t id = e->id = pl->next_id++;
	sb = kpr_spool_row(&pl->news);
	kpr_strbuf_add_int(sb, id);
	kpr_strbuf_addch(sb, '\t');
	kpr_fields_copy_row(sb, r);
	kpr_spool_add_text(sb, new_project_pool(pl, r));
	kpr_strbuf_copy_field(sb, pl->batch, '\n');

	sb = kpr_spool_row(&pl->years);
	kpr_strbuf_add_int(sb, id);
	kpr_strbuf_addch(sb, '\t');
	kpr_spool_add_text(sb, pl->year);
	kpr_spool_add_money(sb, r->annual_plan, r->has_plan, '\t');
	kpr_strbuf_copy_field(sb, pl->batch, '\n');
	for (int i = 0; i < r->nscenarios; i++) {
		sb = kpr_spool_row(&pl->scenarios);
		kpr_strbuf_add_int(sb, id);
		kpr_strbuf_addch(sb, '\t');
		kpr_strbuf_add_int(sb, r->scenarios[i]);
		kpr_strbuf_addch(sb, '\n');
	}
	if ((rc = kpr_spool_flush(&pl->news, false)) != KPR_OK || (rc = kpr_spool_flush(&pl->years, false)) != KPR_OK)
		return rc;
	return kpr_spool_flush(&pl->scenarios, false);
}

/* The list's year: --year, the year in the annual-plan header, or the title row's. */
static int project_year(struct kpr_import *im, long line)
{
	int header_year = im->header.plan_year;
	if (im->opts->year && header_year && im->opts->year != header_year) {
		kpr_diag(im->name, line, kpr_column_label(&im->header, KPR_COL_ANNUAL_PLAN),
			 _("the annual plan column is for %d, but --year is %d"), header_year, im->opts->year);
		return KPR_EINPUT;
	}
	im->result->year = im->opts->year ? im->opts->year : header_year ? header_year : im->title_year;
	if (!im->result->year) {
		kpr_log_error(_("%s: cannot tell which year's list this is"), im->name);
		kpr_log_hint(_("Give --year, or name the year in the plan column (2023年计划投资)."));
		return KPR_EUSAGE;
	}
	return KPR_OK;
}

/* Columns the file does not have keep their values in the database. */
static int keep_absent_columns(struct kpr_import *im)
{
	struct kpr_strbuf sql = KPR_STRBUF_INIT;
	const struct kpr_header *h = &im->header;
	for (int c = 0; c < KPR_COL_COUNT; c++) {
		const struct kpr_field *f = &kpr_fields[c];
		if (!f->column || (f->flags & (KPR_FIELD_KEY | KPR_FIELD_REQUIRED)) || h->index[c] >= 0 ||
		    ((f->flags & KPR_FIELD_RANGE) && h->index[KPR_COL_YEARS] >= 0))
			continue;
		kpr_strbuf_addf(&sql, "%s%s = p.%s", sql.len ? ", " : "", f->column, f->column);
	}
	if (h->index[KPR_COL_SCENARIOS] < 0)
		kpr_strbuf_addf(&sql, "%sscenario_ids = " CURRENT_SCENARIOS("p.project_id"), sql.len ? ", " : "");
	int rc = KPR_OK;
	if (sql.len) {
		struct kpr_strbuf full = KPR_STRBUF_INIT;
		kpr_strbuf_addf(&full, "UPDATE import_project s SET %s FROM project p WHERE p.project_id = s.project_id",
				sql.buf);
		rc = kpr_db_exec(im->conn, full.buf, 0, NULL, NULL);
		kpr_strbuf_release(&full);
	}
	kpr_strbuf_release(&sql);
	return rc;
}

static int report_missing(struct kpr_import *im)
{
	PGresult *res;
	int rc = kpr_db_exec(im->conn, project_missing_sql, 0, NULL, &res);
	if (rc != KPR_OK)
		return rc;
	im->result->missing = PQntuples(res);
	if (im->result->missing) {
		struct kpr_strbuf list = KPR_STRBUF_INIT;
		for (int i = 0; i < PQntuples(res) && i < 20; i++)
			kpr_strbuf_addf(&list, "%s%s", i ? ", " : "", PQgetvalue(res, i, 0));
		if (PQntuples(res) > 20)
			kpr_strbuf_addf(&list, _(" and %d more"), PQntuples(res) - 20);
		kpr_log_warning(P_("%ld project of the %d list is not in this file and is kept: %s",
				   "%ld projects of the %d list are not in this file and are kept: %s", im->result->missing),
				im->result->missing, im->result->year, list.buf);
		kpr_strbuf_release(&list);
	}
	PQclear(res);
	return KPR_OK;
}

/* A dry run's list of what would change: new projects, changed fields, rebaselines, listings. */
static int list_changes(struct kpr_import *im, struct project_load *pl)
{
	int rc = KPR_OK;
	if (pl->inserted) {
		kpr_log_info(_("%s: %s: %ld"), im->name, _("new projects"), pl->inserted);
		/* each line as kpr_import_list_changes() prints them */
		for (char *s = pl->new_codes.buf, *nl; s && (nl = strchr(s, '\n')); s = nl + 1)
			kpr_log_info("%.*s", (int)(nl - s), s);
		if (pl->inserted > 20)
			kpr_log_info(_("  and %ld more"), pl->inserted - 20);
	}
	if (pl->known.rows &&
	    ((rc = kpr_import_list_changes(im, _("changed fields"), changed_fields_sql)) != KPR_OK ||
	     (rc = kpr_import_list_changes(im, _("annual plans changed (rebaselines)"), rebaseline_list_sql)) != KPR_OK ||
	     (rc = kpr_import_list_changes(im, _("put on the list"), listed_list_sql)) != KPR_OK))
		return rc;
	return rc;
}

/*
 * After the stream: the new projects' parts into their tables, the known projects compared
 * with the registry and merged; then commit (or not).
 */
static int finish_projects(struct kpr_import *im, struct project_load *pl)
{
	int rc;
	PGresult *res;
	char first[32], last[32];
	snprintf(first, sizeof(first), "%lld", (long long)(pl->next_id - pl->inserted));
	snprintf(last, sizeof(last), "%lld", (long long)pl->next_id - 1);
	const char *p[] = { last }, *ids[] = { first, last };
	if ((pl->inserted && !im->opts->dry_run &&
	     ((rc = kpr_db_exec(im->conn, "SELECT setval(" PROJECT_SEQUENCE ", $1)", 1, p, NULL)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, pl->new_project_copy, &pl->news)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, NEW_YEAR_COPY, &pl->years)) != KPR_OK ||
	      (rc = kpr_spool_copy(im->conn, NEW_SCENARIO_COPY, &pl->scenarios)) != KPR_OK ||
	      (rc = kpr_db_exec(im->conn, first_moves_sql, 2, ids, NULL)) != KPR_OK)) ||
	    (rc = kpr_spool_load_temp(im->conn, project_rejected_sql, "COPY import_project_rejected FROM STDIN", &pl->rejected)) != KPR_OK ||
	    (rc = kpr_spool_copy(im->conn, "COPY import_project FROM STDIN", &pl->known)) != KPR_OK)
		return rc;
	im->result->inserted = pl->inserted;
	if (pl->known.rows) {
		/* a temporary table has no statistics until analysed: without them the merge plans badly */
		if ((rc = kpr_db_exec(im->conn, "ANALYZE import_project (project_id)", 0, NULL, NULL)) != KPR_OK ||
		    (rc = keep_absent_columns(im)) != KPR_OK ||
		    (rc = exec_fields_sql(im, project_classify_sql)) != KPR_OK ||
		    (rc = kpr_db_exec(im->conn, project_counts_sql, 0, NULL, &res)) != KPR_OK)
			return rc;
		im->result->updated = atol(PQgetvalue(res, 0, 0));
		im->result->unchanged = atol(PQgetvalue(res, 0, 1));
		bool fields_changed = atol(PQgetvalue(res, 0, 2)) > 0;
		PQclear(res);
		/* both kinds named before refusing */
		int fields_rc = fields_changed ? kpr_import_refuse_replays(im, field_replays_sql, NULL) : KPR_OK;
		if (fields_rc != KPR_OK && fields_rc != KPR_EINPUT)
			return fields_rc;
		if ((rc = kpr_import_refuse_replays(im, plan_replays_sql,
						    kpr_column_label(&im->header, KPR_COL_ANNUAL_PLAN))) != KPR_OK)
			return rc;
		if (fields_rc != KPR_OK)
			return fields_rc;
	}
	if ((rc = report_missing(im)) != KPR_OK || (im->opts->list_changes && (rc = list_changes(im, pl)) != KPR_OK))
		return rc;
	for (size_t i = 0; im->result->updated && i < KPR_ARRAY_SIZE(project_merge); i++)
		if ((rc = exec_fields_sql(im, project_merge[i])) != KPR_OK)
			return rc;
	bool changed = im->result->inserted + im->result->updated > 0;
	if (changed && (rc = kpr_import_finish_batch(im)) != KPR_OK)
		return rc;
	return kpr_import_conclude(im, changed);
}

/* A project row with its scope takes 300 to 500 bytes; the estimate errs towards more rows. */
#define PROJECT_ROW_BYTES 256

/*
 * Before the first row: the registry's codes, the batch, the foreign keys set aside for a large
 * list, keys reserved, and a COPY open for what most rows will be by an estimate from the
 * file's size: new projects for a first list, known ones for a re-import.  The others wait in
 * a spool.
 */
static int begin_projects(struct kpr_import *im, struct project_load *pl)
{
	int rc;
	/* one writer of projects at a time: the codes read next stay true, the keys reserved free */
	if (!im->opts->dry_run &&
	    (rc = kpr_db_exec(im->conn, "LOCK TABLE project IN SHARE ROW EXCLUSIVE MODE", 0, NULL, NULL)) != KPR_OK)
		return rc;
	if ((rc = kpr_import_load_codes(im, &pl->codes, false)) != KPR_OK)
		return rc;
	long rows = (long)(kpr_reader_size(im->reader) / PROJECT_ROW_BYTES);
	long news = rows > (long)pl->codes.count ? rows - (long)pl->codes.count : 0;
	if ((rc = new_project_pools(im, pl)) != KPR_OK || (rc = kpr_import_start_batch(im, "projects")) != KPR_OK ||
	    (rc = kpr_import_set_aside(im, "project", "{project,project_year,project_scenario,pool_move}", true,
					news)) != KPR_OK ||
	    (rc = reserve_ids(im, pl)) != KPR_OK ||
	    (rc = exec_fields_sql(im, project_stage_sql)) != KPR_OK)
		return rc;
	snprintf(pl->batch, sizeof(pl->batch), "%ld", im->result->batch_id);
	snprintf(pl->year, sizeof(pl->year), "%d", im->result->year);
	pl->stream = im->opts->dry_run || news * 2 < rows ? &pl->known : &pl->news;
	kpr_log_debug("%s", pl->stream == &pl->news ? _("new projects are copied as the file is read, known ones compared after")
						    : _("known projects are staged as the file is read, new ones copied after"));
	return kpr_import_stream(im, pl->stream == &pl->news ? pl->new_project_copy : "COPY import_project FROM STDIN",
				 pl->stream);
}

/* One record of the list: checked, then sent or kept aside, or rejected (its code noted: a
 * rejected project is in the file, so not missing from it). */
static int project_row(struct kpr_import *im, const struct kpr_record *rec, void *arg)
{
	struct project_load *pl = arg;
	struct kpr_project_row row;
	struct kpr_code_entry *e = NULL;
	int rc, problems = kpr_project_validate(&im->validator, rec, &row);
	if (row.code) {
		bool added;
		e = kpr_codemap_insert(&pl->codes, row.code, &added);
		if (!e->first_line) {
			e->first_line = rec->line;
		} else {
			kpr_validator_report(&im->validator, rec->line, kpr_column_label(&im->header, KPR_COL_CODE),
					     _("code '%s' is already on line %ld"), row.code, e->first_line);
			problems++;
		}
	}
	if (!problems) {
		kpr_layout_add(&im->layout, KPR_LAYOUT_TOTAL, row.has_total ? row.total_investment : 0);
		kpr_layout_add(&im->layout, KPR_LAYOUT_PLAN, row.has_plan ? row.annual_plan : 0);
		return im->stop_sending ? KPR_OK : send_project(im, pl, &row, e);
	}
	if (row.code)
		kpr_strbuf_copy_field(kpr_spool_row(&pl->rejected), row.code, '\n');
	if ((rc = kpr_import_reject_row(im, rec)) != KPR_OK)
		return rc;
	return kpr_spool_flush(&pl->rejected, false);
}

int kpr_import_projects(PGconn *conn, const char *path, const struct kpr_import_options *opts,
			struct kpr_import_result *result)
{
	struct kpr_import im;
	const struct kpr_record *rec;
	struct project_load pl = { 0 };
	int rc;

	kpr_codemap_init(&pl.codes);
	pl.new_project_copy = kpr_fields_sql(NEW_PROJECT_COPY);
	/* no rows (a header alone): nothing to do, and no project of the list to call missing */
	if ((rc = kpr_import_open(&im, conn, path, KPR_IMPORT_PROJECTS, opts, result, &rec)) != KPR_OK || !rec ||
	    (rc = project_year(&im, rec ? rec->line : 1)) != KPR_OK ||
	    (rc = kpr_import_begin(&im, result->year)) != KPR_OK ||
	    (rc = begin_projects(&im, &pl)) != KPR_OK)
		goto done;
	if (im.refdata.scenarios.n == 0)
		kpr_log_warning(_("no scenarios are configured for %d (kpr import config)"), result->year);
	if ((rc = kpr_import_each_row(&im, rec, project_row, &pl)) == KPR_OK &&
	    (rc = kpr_import_end_stream(&im)) == KPR_OK && (rc = finish_projects(&im, &pl)) == KPR_OK &&
	    result->rejected)
		rc = KPR_EINPUT;
done:
	kpr_spool_release(&pl.known);
	kpr_spool_release(&pl.news);
	kpr_spool_release(&pl.years);
	kpr_spool_release(&pl.scenarios);
	kpr_spool_release(&pl.rejected);
	kpr_strbuf_release(&pl.new_codes);
	free(pl.new_project_copy);
	kpr_codemap_release(&pl.codes);
	return kpr_import_close(&im, rc);
}
