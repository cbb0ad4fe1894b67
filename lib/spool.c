/* spool.c: COPY rows sent as they come or kept aside for later; see spool.h. */
#include "spool.h"

#include <errno.h>
#include <string.h>

#include "db.h"
#include "log.h"

int kpr_spool_write(struct kpr_spool *sp)
{
	if (sp->stream) {
		int rc = sp->buf.len ? kpr_db_copy_put(sp->stream, sp->buf.buf, sp->buf.len) : KPR_OK;
		kpr_strbuf_reset(&sp->buf);
		return rc;
	}
	if (!sp->f && !(sp->f = tmpfile()))
		return kpr_fail(KPR_EFILE, _("cannot create a temporary file: %s"), strerror(errno));
	if (sp->buf.len && fwrite(sp->buf.buf, 1, sp->buf.len, sp->f) != sp->buf.len)
		return kpr_fail(KPR_EFILE, _("cannot write a temporary file: %s"), strerror(errno));
	kpr_strbuf_reset(&sp->buf);
	return KPR_OK;
}

void kpr_spool_release(struct kpr_spool *sp)
{
	if (sp->f)
		fclose(sp->f);
	sp->f = NULL;
	kpr_strbuf_release(&sp->buf);
}

int kpr_spool_copy(PGconn *conn, const char *copy_sql, struct kpr_spool *sp)
{
	int rc;
	char buf[65536];
	size_t n;
	if (!sp->rows || sp->stream)
		return KPR_OK;
	if ((rc = kpr_spool_write(sp)) != KPR_OK)
		return rc;
	if (fflush(sp->f) != 0)
		return kpr_fail(KPR_EFILE, _("cannot write a temporary file: %s"), strerror(errno));
	if ((rc = kpr_db_copy_begin(conn, copy_sql)) != KPR_OK)
		return rc;
	rewind(sp->f);
	while ((n = fread(buf, 1, sizeof(buf), sp->f)) > 0)
		if ((rc = kpr_db_copy_put(conn, buf, n)) != KPR_OK)
			return rc;
	return kpr_db_copy_end(conn, ferror(sp->f) ? "cannot read the temporary file" : NULL, NULL);
}

int kpr_spool_load_temp(PGconn *conn, const char *create_sql, const char *copy_sql, struct kpr_spool *sp)
{
	int rc = kpr_db_exec(conn, create_sql, 0, NULL, NULL);
	return rc == KPR_OK ? kpr_spool_copy(conn, copy_sql, sp) : rc;
}
