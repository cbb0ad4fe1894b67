-- 0002_plan_on_list: the year's annual plan lives on its list entry (project_year), where
-- reports and colour rules read it; annual_plan_history keeps the figures rebaselines replaced.
-- A year's list is then one row per project and year instead of two, with one index.

-- moving data is not a change anyone made: no audit rows (see audit_row in 0001)
SELECT set_config('kpr.batch_id', '0', true);

ALTER TABLE project_year
	ADD COLUMN annual_plan numeric(18,4) CHECK (annual_plan >= 0),	-- 年度计划投资, NULL when not given
	ADD COLUMN plan_reason text;		-- why the figure changed, when a rebaseline set it
COMMENT ON COLUMN project_year.batch_id IS 'the import batch that last wrote the entry: listed it or set its plan';

-- a current plan always had its list entry; this keeps one that had none
INSERT INTO project_year (project_id, year, batch_id)
SELECT ap.project_id, ap.year, ap.batch_id FROM annual_plan ap
WHERE ap.superseded_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM project_year py WHERE py.project_id = ap.project_id AND py.year = ap.year);
UPDATE project_year py SET annual_plan = ap.amount, plan_reason = ap.reason, batch_id = coalesce(ap.batch_id, py.batch_id)
FROM annual_plan ap
WHERE ap.project_id = py.project_id AND ap.year = py.year AND ap.superseded_at IS NULL;
DELETE FROM annual_plan WHERE superseded_at IS NULL;

-- What is left is history.  Who entered a figure and when is its batch's (import_batch.db_user,
-- started_at), or audit_log's for a change by hand.
DROP INDEX annual_plan_current;
ALTER TABLE annual_plan RENAME TO annual_plan_history;
ALTER TABLE annual_plan_history RENAME CONSTRAINT annual_plan_pkey TO annual_plan_history_pkey;
ALTER TABLE annual_plan_history RENAME CONSTRAINT annual_plan_project_id_fkey TO annual_plan_history_project_id_fkey;
ALTER TABLE annual_plan_history RENAME CONSTRAINT annual_plan_amount_check TO annual_plan_history_amount_check;
ALTER SEQUENCE annual_plan_plan_id_seq RENAME TO annual_plan_history_plan_id_seq;
ALTER TABLE annual_plan_history
	DROP COLUMN entered_by,
	DROP COLUMN entered_at,
	ALTER COLUMN superseded_at SET NOT NULL,
	ALTER COLUMN superseded_at SET DEFAULT now(),
	ADD COLUMN superseded_by bigint;	-- the import batch that replaced the figure
COMMENT ON TABLE annual_plan_history IS 'annual plans replaced by a rebaseline; the current one is project_year.annual_plan';
COMMENT ON COLUMN annual_plan_history.batch_id IS 'the import batch that had set the figure';
CREATE INDEX annual_plan_history_project ON annual_plan_history (project_id, year);

-- a year is most of the table: the primary key (project, year) serves lookups, not this
DROP INDEX project_year_year;

SELECT set_config('kpr.batch_id', '', true);
