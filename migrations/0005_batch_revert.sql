-- 0005_batch_revert: a batch can be reverted (kpr batch revert N --reason TEXT).  The batch stays,
-- marked with who reverted it, when and why; what it wrote is undone, except its progress rows,
-- which stay as history and no longer count: the current figure of a month is the latest row
-- of a batch not reverted (or of a single change), so an earlier version is current again.
ALTER TABLE import_batch
	ADD COLUMN reverted_at   timestamptz,
	ADD COLUMN reverted_by   text,
	ADD COLUMN revert_reason text,
	ADD CONSTRAINT import_batch_reverted_check CHECK ((reverted_at IS NULL) = (reverted_by IS NULL)
		AND (reverted_at IS NULL) = (revert_reason IS NULL));

CREATE OR REPLACE VIEW progress_current AS
	SELECT DISTINCT ON (p.project_id, p.month)
		p.progress_id, p.project_id, p.month, p.amount, p.ytd, p.physical_progress, p.problems,
		p.actual_start, p.adjustment_reason,
		coalesce(p.reported_by, b.db_user) AS reported_by,
		coalesce(p.reported_at, b.started_at) AS reported_at,
		p.batch_id, p.source_line
	FROM progress p
	LEFT JOIN import_batch b ON b.batch_id = p.batch_id
	WHERE b.reverted_at IS NULL
	ORDER BY p.project_id, p.month, p.progress_id DESC;
