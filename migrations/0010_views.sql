-- 0010_views: an index for reading one project's trail (kpr show CODE, kpr log CODE): its
-- audited rows, by the project_id they carry.  Without it every look at one project reads the
-- whole audit log, which grows with every change by hand.  lib/auditlog.c writes this same
-- expression (ROW_PROJECT_SQL) so that the planner can use the index.
CREATE INDEX audit_log_project ON audit_log (((coalesce(new_row, old_row)->>'project_id')::bigint));
