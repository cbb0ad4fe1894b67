-- 0011_colours: the four-colour engine (kpr colours, kpr colour set|clear; docs/colours.md).
--
-- colour_evaluation keeps every evaluation ever stored: the current one of a project and month
-- has superseded_at NULL (at most one: the partial unique index), a changed result supersedes
-- it and stays as history.  Each row keeps a copy of the rule that fired (its colour,
-- description and conditions) because "kpr import config" replaces a year's rules whole: what
-- a stored colour meant survives a reload.  colour is the colour given (an override's when one
-- applied), rule_colour what the rules gave (NULL: unrated).
ALTER TABLE colour_evaluation
	ADD COLUMN rule_colour      text CHECK (rule_colour IN ('red', 'yellow', 'green', 'blue')),
	ADD COLUMN rule_description text,
	ADD COLUMN conditions       jsonb,
	ADD COLUMN reason           text,
	ADD COLUMN override_id      bigint REFERENCES colour_override ON DELETE SET NULL,
	ADD COLUMN superseded_at    timestamptz;

-- rows stored before: their colour was the rules' (no override was ever applied), and only the
-- latest of a project and month is current
UPDATE colour_evaluation SET rule_colour = colour;
UPDATE colour_evaluation e SET superseded_at = now()
	WHERE EXISTS (SELECT FROM colour_evaluation l WHERE l.project_id = e.project_id AND l.month = e.month
		AND l.evaluation_id > e.evaluation_id);
CREATE UNIQUE INDEX colour_evaluation_current ON colour_evaluation (project_id, month)
	WHERE superseded_at IS NULL;
ALTER TABLE colour_evaluation ADD CHECK (date_part('day', month) = 1);

-- A clear is recorded on the override it ends: who and why (the audit log has the rest).
ALTER TABLE colour_override
	ADD COLUMN revoked_by    text,
	ADD COLUMN revoke_reason text,
	ADD CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revoke_reason IS NULL)),
	ADD CHECK (date_part('day', from_month) = 1 AND date_part('day', expires_month) = 1),
	ADD CHECK (expires_month >= from_month);
UPDATE colour_override SET revoked_by = author, revoke_reason = '(before 0011)'
	WHERE revoked_at IS NOT NULL AND revoked_by IS NULL;
CREATE INDEX colour_override_project ON colour_override (project_id);

-- The override above the rules for a project in a month: not cleared, from its first month
-- through its last (expires_month) inclusive; the latest set wins.  Without SET search_path
-- (names qualified instead) so that the planner inlines it into a join: kpr colours joins it
-- for every project of a month.
CREATE FUNCTION colour_override_at(project bigint, at_month date) RETURNS SETOF colour_override
	LANGUAGE sql STABLE
	AS $$ SELECT * FROM kpr.colour_override
		WHERE project_id = project AND revoked_at IS NULL AND from_month <= at_month
		AND (expires_month IS NULL OR expires_month >= at_month)
		ORDER BY created_at DESC, override_id DESC LIMIT 1 $$;

-- What people read of an override: "黄 yellow: 人工认定 by author from 2023-10 until 2023-12:
-- reason" (kpr colours and colour_current say it the same way).
CREATE FUNCTION colour_override_text(o colour_override) RETURNS text
	LANGUAGE sql STABLE
	AS $$ SELECT (CASE o.colour WHEN 'red' THEN '红' WHEN 'yellow' THEN '黄' WHEN 'green' THEN '绿' ELSE '蓝' END)
		|| ' ' || o.colour || ': 人工认定 by ' || o.author || ' from ' || to_char(o.from_month, 'YYYY-MM')
		|| coalesce(' until ' || to_char(o.expires_month, 'YYYY-MM'), '') || ': ' || o.reason $$;

-- The current colour of each project and month that was evaluated: the stored evaluation,
-- with an override that applies now shown above it (set or cleared after the evaluation
-- too).  reason is what people read: "红 red: description (rule id: measure value op
-- threshold; completion 40.8%, time 75.0%)", or an override's colour_override_text().
-- kpr show and kpr list read the colour here; the latest month of a project is
-- DISTINCT ON (project_id) ... ORDER BY project_id, month DESC.
CREATE VIEW colour_current AS
	SELECT e.project_id, e.month,
		coalesce(o.colour, e.rule_colour) AS colour,
		e.rule_id, e.rule_colour,
		CASE WHEN o.override_id IS NULL THEN e.reason ELSE colour_override_text(o) END AS reason,
		o.override_id, o.author AS override_author, o.reason AS override_reason,
		o.from_month AS override_from, o.expires_month AS override_until,
		e.rule_description, e.conditions, e.figures,
		e.evaluation_id, e.evaluated_by, e.evaluated_at
	FROM colour_evaluation e
	LEFT JOIN LATERAL colour_override_at(e.project_id, e.month) o ON true
	WHERE e.superseded_at IS NULL;

REVOKE EXECUTE ON FUNCTION colour_override_at(bigint, date), colour_override_text(colour_override) FROM PUBLIC;
DO $$
BEGIN
	EXECUTE format('ALTER VIEW colour_current OWNER TO %I', current_database() || '_city');
	EXECUTE format('GRANT SELECT ON colour_current TO %I', current_database() || '_reader');
	EXECUTE format('GRANT EXECUTE ON FUNCTION colour_override_at(bigint, date), '
		'colour_override_text(colour_override) TO %I',
		current_database() || '_reader');
END $$;
