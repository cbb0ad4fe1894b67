/*
 * colour.h: the four-colour engine (四色管理法), a pure function: a project's figures as of a
 * month in; its measures, the colour, the rule that gave it, the conditions tested and the
 * reason out.  No database, no output (docs/colours.md).
 *
 *     struct kpr_colour_rules rules;  kpr_colour_rules_compile(&rules, year_cfg);
 *     kpr_colour_evaluate(&rules, &input, &result);   // result.colour, result.rule, ...
 *
 * Measures are exact ratios of integers (money in yuan), so a figure exactly on a threshold
 * is on it: 45 of a plan of 100 in September is points_behind 30, not 30.000001.
 */
#ifndef KPR_COLOUR_H
#define KPR_COLOUR_H

#include "config.h"
#include "kpr.h"
#include "strbuf.h"

__extension__ typedef __int128 kpr_colour_int;

/* The colours, and unrated (no rule matched). */
enum kpr_colour { KPR_COLOUR_UNRATED = 0, KPR_COLOUR_RED, KPR_COLOUR_YELLOW, KPR_COLOUR_GREEN, KPR_COLOUR_BLUE };
#define KPR_COLOUR_COUNT 5

/* "red" ... "blue", "unrated" */
const char *kpr_colour_name(enum kpr_colour c);
/* 红, 黄, 绿, 蓝, 未评 */
const char *kpr_colour_name_zh(enum kpr_colour c);
/* Worst first: red 0, yellow 1, unrated 2, green 3, blue 4 (the order reports list them). */
int kpr_colour_rank(enum kpr_colour c);
/* red, yellow, green, blue in any case, or 红 黄 绿 蓝 (not unrated): false for anything else. */
bool kpr_colour_parse(const char *s, enum kpr_colour *c) KPR_WARN_UNUSED;

/* The measures, in kpr_config_measures' order (config.h). */
enum kpr_measure {
	KPR_M_COMPLETED, KPR_M_STARTED, KPR_M_UNDER_CONSTRUCTION, KPR_M_HAS_PLAN, KPR_M_REPORTED,
	KPR_M_COMPLETION_RATE, KPR_M_TIME_PROGRESS, KPR_M_POINTS_BEHIND, KPR_M_START_OVERDUE,
	KPR_M_MONTHS_WITHOUT_INVESTMENT, KPR_M_COUNT
};

#define KPR_COLOUR_NONE (-1)	/* a month (month.h) that is not there */

/* What the engine needs of one project as of one month (money in yuan, months as month.h). */
struct kpr_colour_input {
	int month;			/* the evaluated month */
	bool plan_known;		/* the year's list gives an annual plan */
	int64_t plan;			/* the annual plan */
	int64_t ytd;			/* completed in the year up to the month */
	bool reported;			/* a current progress row exists for the month */
	int start, completion;		/* months of the actual start and completion, or NONE */
	int planned_start;		/* the planned start month, or NONE */
	int last_investment;		/* the latest month up to the month with an amount > 0, or NONE */
	/* the latest override not cleared from override_from on, or override_from NONE */
	int override_from, override_until;	/* until NONE: until cleared */
	enum kpr_colour override_colour;
};

/* One measure's value: num / den (den > 0), or not known (a rate without a plan). */
struct kpr_colour_value {
	bool known;
	kpr_colour_int num, den;
};

struct kpr_colour_measures {
	struct kpr_colour_value v[KPR_M_COUNT];
};

/* A condition, its threshold as millionths (config values have at most 6 decimals). */
struct kpr_colour_cond {
	const struct kpr_config_condition *src;
	enum kpr_measure measure;
	int op;				/* '<', 'l' (<=), '=', '!', 'g' (>=), '>' */
	kpr_colour_int micro;
};

struct kpr_colour_rule {
	const struct kpr_config_rule *src;	/* id, description: the year's configuration */
	enum kpr_colour colour;
	struct kpr_colour_cond *conds;
	size_t nconds;
};

struct kpr_colour_rules {
	struct kpr_colour_rule *rules;
	size_t nrules;
};

/*
 * Prepare a year's rules (as kpr_config_fetch() reads them) for evaluation; y must outlive
 * rules.  A rule or condition the engine does not know (which kpr import config never stores)
 * is KPR_EINPUT, with a message naming it.
 */
int kpr_colour_rules_compile(struct kpr_colour_rules *rules, const struct kpr_config_year *y) KPR_WARN_UNUSED;
void kpr_colour_rules_release(struct kpr_colour_rules *rules);

struct kpr_colour_result {
	enum kpr_colour colour;		/* the colour given: the override's when one applies */
	enum kpr_colour rule_colour;	/* what the rules gave: UNRATED when none matched */
	const struct kpr_colour_rule *rule;	/* the first rule whose conditions all hold, or NULL */
	bool overridden;		/* an override applies this month */
	struct kpr_colour_measures m;
};

/* The measures of in (docs/colours.md, "Measures"). */
void kpr_colour_measure(const struct kpr_colour_input *in, struct kpr_colour_measures *m);

/* Does a condition hold?  A measure not known makes it false. */
bool kpr_colour_cond_holds(const struct kpr_colour_cond *c, const struct kpr_colour_measures *m);

/* Does an override from..until (until NONE: open) apply in month? */
bool kpr_colour_override_applies(int from, int until, int month);

/* Evaluate: the measures, then the rules in order, first match wins; then the override. */
void kpr_colour_evaluate(const struct kpr_colour_rules *rules, const struct kpr_colour_input *in,
			 struct kpr_colour_result *out);

/*
 * What people read: "红 red: 投资完成率落后序时进度30个百分点以上 (rule red-behind-30: has_plan,
 * points_behind 34.2 > 30; completion 40.8%, time 75.0%)"; unrated: "未评 unrated: no rule
 * matched (...)".  The rules' result, not the override's (that one is told from its row).
 */
void kpr_colour_reason(const struct kpr_colour_result *r, struct kpr_strbuf *sb);

/* Every measure's value, with the plan and year-to-date, as PostgreSQL writes that jsonb
 * (keys by length then bytes, numbers to 4 decimals, null when not known). */
void kpr_colour_figures_json(const struct kpr_colour_input *in, const struct kpr_colour_result *r,
			     struct kpr_strbuf *sb);
/* The fired rule's conditions with each measure's value, as jsonb writes them; nothing is
 * appended when no rule matched. */
void kpr_colour_conditions_json(const struct kpr_colour_result *r, struct kpr_strbuf *sb);

/* A value rounded half away from zero to `decimals` places (0-6), "-" never before a zero. */
void kpr_colour_value_format(const struct kpr_colour_value *v, int decimals, struct kpr_strbuf *sb);

#endif
