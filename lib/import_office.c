/*
 * import_office.c: a progress import run by a county office (or anyone row-level security
 * holds).  PostgreSQL refuses COPY into a table under row-level security, and setting keys
 * aside needs the table's owner: an office's rows are copied into a temporary table, then
 * inserted into progress by one INSERT ... SELECT that the policies check row by row (in
 * project order, so that offices sharing projects never deadlock); its batch
 * row is written by the registry's SECURITY DEFINER functions (office_open_batch,
 * office_finish_batch: kpr_import_start_batch() and _finish_batch() call them).  A file naming
 * any project outside the office's regions or zones is refused whole, each such row named.
 * See import_impl.h.
 */
#include "import_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* where an office's rows go while the file streams, and the rows it may not write */
#define OFFICE_ROWS "import_office_rows"
static const char foreign_stage_sql[] =
	"CREATE TEMP TABLE import_office_foreign (line bigint, code text) ON COMMIT DROP";

/* the projects of the rows refused, with where they are, in file order */
static const char foreign_sql[] =
	"SELECT f.line, p.code, coalesce(r.name, p.region_code) || ' (' || p.region_code || ')'"
	" || coalesce(', ' || z.name || ' (' || z.code || ')', '') "
	"FROM import_office_foreign f JOIN project p ON p.code = f.code "
	"LEFT JOIN region r ON r.code = p.region_code LEFT JOIN zone z ON z.code = p.zone_code "
	"ORDER BY f.line";

/* One code of kpr_import_office_begin()'s COPY. */
static void load_code(void *arg, char *line, size_t n)
{
	bool added;
	line[n - 1] = '\0';
	kpr_codemap_insert(arg, line, &added);
}

int kpr_import_office_begin(struct kpr_import *im, struct kpr_codemap *mine, const char *columns)
{
	char active[8];
	int rc = kpr_import_query_text(im, "SELECT row_security_active('progress')", 0, NULL, active, sizeof(active));
	im->office = rc == KPR_OK && strcmp(active, "t") == 0;
	if (rc != KPR_OK || !im->office)
		return rc;
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TEMP TABLE " OFFICE_ROWS " ON COMMIT DROP AS SELECT %s FROM progress WITH NO DATA",
		 columns);
	if ((rc = kpr_db_exec(im->conn, sql, 0, NULL, NULL)) != KPR_OK)
		return rc;
	return kpr_db_copy_out(im->conn, "COPY (SELECT code FROM project WHERE may_write_project(project_id)) TO STDOUT",
			       load_code, mine);
}

const char *kpr_import_office_copy_table(const struct kpr_import *im, const char *table)
{
	return im->office ? OFFICE_ROWS : table;
}

bool kpr_import_office_refuses(struct kpr_import *im, const struct kpr_codemap *mine, struct kpr_spool *foreign,
			       const char *code, long line)
{
	if (!im->office || kpr_codemap_find(mine, code))
		return false;
	struct kpr_strbuf *sb = kpr_spool_row(foreign);
	kpr_strbuf_add_int(sb, line);
	kpr_strbuf_addch(sb, '\t');
	kpr_strbuf_copy_field(sb, code, '\n');
	return true;
}

/* Each refused row named, FILE:LINE:项目代码: project X is in Y, not in this office's regions. */
static int report_foreign(struct kpr_import *im, struct kpr_spool *foreign)
{
	PGresult *res;
	char scope[512];
	int rc;
	if ((rc = kpr_spool_load_temp(im->conn, foreign_stage_sql, "COPY import_office_foreign FROM STDIN",
				      foreign)) != KPR_OK ||
	    (rc = kpr_db_exec(im->conn, foreign_sql, 0, NULL, &res)) != KPR_OK ||
	    (rc = kpr_import_query_text(im, "SELECT office_scope_text()", 0, NULL, scope, sizeof(scope))) != KPR_OK)
		return rc;
	const char *column = kpr_column_label(&im->header, KPR_COL_CODE);
	for (int i = 0; i < PQntuples(res); i++) {
		char msg[512];
		snprintf(msg, sizeof(msg), _("project %s is in %s, not in this office's regions"),
			 PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
		kpr_import_problem(im, atol(PQgetvalue(res, i, 0)), column, msg);
	}
	PQclear(res);
	kpr_log_error(P_("%s: %ld row for a project outside this office's regions (%s): nothing imported",
			 "%s: %ld rows for projects outside this office's regions (%s): nothing imported", foreign->rows),
		      im->name, foreign->rows, *scope ? scope : _("none: the session is in no office"));
	return KPR_EPERM;
}

int kpr_import_office_insert(struct kpr_import *im, struct kpr_spool *foreign, const char *table,
			     const char *columns)
{
	if (!im->office)
		return KPR_OK;
	if (foreign->rows)
		return report_foreign(im, foreign);
	/* by project: each row's insert locks its project (trigger progress_post), so two offices
	 * sharing projects take them in one order and wait for each other, never deadlock */
	char sql[1024];
	snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) SELECT %s FROM " OFFICE_ROWS " ORDER BY project_id, month",
		 table, columns, columns);
	return kpr_db_exec(im->conn, sql, 0, NULL, NULL);
}
