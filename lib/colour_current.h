/*
 * colour_current.h: a project's current colour (四色管理法) as of a month, as the colour engine
 * stored it (kpr.colour_current, migration 0011: the month's current evaluation, with a manual
 * colour in force shown above it), or a manual colour alone for a month not evaluated yet, or
 * none: the project is unrated.
 *
 *     "SELECT p.code, cc.colour, cc.why FROM project p " KPR_COLOUR_CURRENT_JOIN("p.project_id", "$2::date")
 *
 * The one place kpr list and kpr show take the colour from.  The join is named cc, with:
 *   cc.colour  red, yellow, green or blue; NULL: unrated
 *   cc.why     for people: the rule's description and the measures it tested ("红 red: ...
 *              (rule red-behind-30: points_behind 34.2 > 30; ...)"), or the manual colour
 *              with its author and reason; NULL when nothing was evaluated or set
 * project and month are SQL expressions: the project_id, and the month as a date (its 1st; a
 * NULL month leaves every project unrated).
 */
#ifndef KPR_COLOUR_CURRENT_H
#define KPR_COLOUR_CURRENT_H

#define KPR_COLOUR_CURRENT_JOIN(project, month) \
	" LEFT JOIN colour_current cc_c ON cc_c.project_id = " project " AND cc_c.month = " month \
	" LEFT JOIN LATERAL colour_override_at(" project ", " month ") cc_o ON cc_c.evaluation_id IS NULL" \
	" CROSS JOIN LATERAL (SELECT coalesce(cc_c.colour, cc_o.colour) AS colour," \
	"  coalesce(cc_c.reason, colour_override_text(cc_o)) AS why) cc "

#endif
