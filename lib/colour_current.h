/*
 * colour_current.h: a project's current colour (四色管理法) as of a month, read from what is
 * stored: a manual override in force that month (colour_override), else the evaluation of that
 * month (colour_evaluation), else none: the project is unrated.
 *
 *     "SELECT p.code, cc.colour, cc.why FROM project p " KPR_COLOUR_CURRENT_JOIN("p.project_id", "$2::date")
 *
 * The one place kpr list and kpr show take the colour from.  The colour engine (issue 11) is to
 * replace this definition with its own (it owns the rules and their evaluation); what the
 * callers rely on is the join's name, cc, and its two columns:
 *   cc.colour  red, yellow, green or blue; NULL: unrated (no override, no evaluation)
 *   cc.why     for people: "override: REASON (AUTHOR)" or "rule RULE_ID"; NULL when unrated
 * project and month are SQL expressions: the project_id, and the month as a date (its 1st; a
 * NULL month leaves every project unrated).
 */
#ifndef KPR_COLOUR_CURRENT_H
#define KPR_COLOUR_CURRENT_H

#define KPR_COLOUR_CURRENT_JOIN(project, month) \
	" LEFT JOIN (SELECT DISTINCT ON (o.project_id) o.project_id, o.colour, o.reason, o.author" \
	"  FROM colour_override o WHERE o.revoked_at IS NULL AND o.from_month <= " month \
	"  AND (o.expires_month IS NULL OR o.expires_month >= " month ")" \
	"  ORDER BY o.project_id, o.created_at DESC, o.override_id DESC) cc_o ON cc_o.project_id = " project \
	" LEFT JOIN (SELECT DISTINCT ON (e.project_id) e.project_id, e.colour, e.rule_id" \
	"  FROM colour_evaluation e WHERE e.month = " month \
	"  ORDER BY e.project_id, e.evaluated_at DESC, e.evaluation_id DESC) cc_e ON cc_e.project_id = " project \
	" CROSS JOIN LATERAL (SELECT coalesce(cc_o.colour, cc_e.colour) AS colour," \
	"  CASE WHEN cc_o.colour IS NOT NULL THEN 'override: ' || cc_o.reason || ' (' || cc_o.author || ')'" \
	"   WHEN cc_e.colour IS NOT NULL THEN 'rule ' || cc_e.rule_id END AS why) cc "

#endif
