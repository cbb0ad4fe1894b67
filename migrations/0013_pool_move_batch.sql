-- 0013: a pool move made inside an import is the import batch's.
--
-- project_moved() (0009) records the moves that postings make (a start, a completion).  An
-- import that reports a completion date (竣工时间) now moves the project the same way, through
-- this function; the move must then carry the batch, so that reverting the batch takes it back.
-- The batch is the session's kpr.batch_id when that batch is this user's and this
-- transaction's (batch_is_mine, 0008); otherwise (a posting by hand) none, as before.
CREATE OR REPLACE FUNCTION project_moved(p project, mark text, moved_on date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = kpr, pg_catalog AS $$
DECLARE
	target pool%ROWTYPE;
	batch  text := current_setting('kpr.batch_id', true);
BEGIN
	SELECT * INTO target FROM pool WHERE pool.mark = project_moved.mark;
	IF NOT FOUND OR p.pool_code = target.code
	   OR coalesce((SELECT ord FROM pool WHERE code = p.pool_code), 0) > target.ord THEN
		RETURN;
	END IF;
	UPDATE project SET pool_code = target.code, updated_at = now() WHERE project_id = p.project_id;
	INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on, moved_by, batch_id)
	VALUES (p.project_id, p.pool_code, target.code, project_moved.moved_on, session_user,
		CASE WHEN batch_is_mine(batch) THEN batch::bigint END);
END $$;
