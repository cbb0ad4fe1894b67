/* colour: the four-colour engine on the edges (lib/colour.c), table-driven, no database. */
#include "colour.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"

#define M(y, m) ((y) * 12 + (m) - 1)
#define NONE KPR_COLOUR_NONE
#define WAN(x) ((int64_t)((x) * 10000.0 + 0.5))	/* an amount in 万元 as yuan (test figures only) */

/* The default rules (data/langfang-2023/config.yaml) and a three-colour scheme ending in an
 * empty `when`, as kpr import config reads them. */
static const char default_rules[] =
	"kpr_config: 1\nyears:\n  - year: 2023\n    colour_rules:\n"
	"      - { id: blue-completed, colour: blue, when: { completed: true } }\n"
	"      - { id: red-behind-30, colour: red, description: 投资完成率落后序时进度30个百分点以上,\n"
	"          when: { has_plan: true, points_behind: \"> 30\" } }\n"
	"      - { id: red-start-overdue, colour: red, when: { started: false, start_overdue_months: \">= 3\" } }\n"
	"      - { id: red-stalled, colour: red, when: { under_construction: true, months_without_investment: \">= 3\" } }\n"
	"      - { id: yellow-behind, colour: yellow, when: { has_plan: true, points_behind: [\"> 0\", \"<= 30\"] } }\n"
	"      - { id: yellow-start-overdue, colour: yellow, when: { started: false, start_overdue_months: [\">= 1\", \"<= 2\"] } }\n"
	"      - { id: yellow-no-report, colour: yellow, when: { reported: false } }\n"
	"      - { id: blue-ahead, colour: blue, when: { has_plan: true, completion_rate: \">= 100\" } }\n"
	"      - { id: green, colour: green, when: { has_plan: true, points_behind: \"<= 0\" } }\n";

static const char three_colour_rules[] =
	"kpr_config: 1\nyears:\n  - year: 2023\n    colour_rules:\n"
	"      - { id: red-behind-20, colour: red, when: { has_plan: true, points_behind: \"> 20\" } }\n"
	"      - { id: yellow-behind-10, colour: yellow, when: { has_plan: true, points_behind: [\"> 10\", \"<= 20\"] } }\n"
	"      - { id: green, colour: green, when: {} }\n";

static struct kpr_config *load(const char *text, struct kpr_colour_rules *rules)
{
	struct kpr_config *cfg = NULL;
	if (kpr_config_parse(&cfg, "rules.yaml", text, strlen(text)) != KPR_OK ||
	    kpr_colour_rules_compile(rules, &cfg->years[0]) != KPR_OK) {
		printf("Bail out! the test's rules do not load\n");
		exit(1);
	}
	return cfg;
}

/* A project as of a month: started in January 2023 and investing every month up to it,
 * reported, with a plan of 100 万元; each case changes what it is about. */
static struct kpr_colour_input base(int month)
{
	return (struct kpr_colour_input){
		.month = month, .plan_known = true, .plan = WAN(100), .ytd = 0, .reported = true,
		.start = M(2023, 1), .completion = NONE, .planned_start = NONE, .last_investment = month,
		.override_from = NONE, .override_until = NONE,
	};
}

static struct kpr_colour_input no_plan(int month)
{
	struct kpr_colour_input in = base(month);
	in.plan_known = false;
	in.plan = 0;
	return in;
}

static struct kpr_colour_input ytd(int month, int64_t yuan)
{
	struct kpr_colour_input in = base(month);
	in.ytd = yuan;
	return in;
}

static struct kpr_colour_input not_started(int month, int planned)
{
	struct kpr_colour_input in = no_plan(month);
	in.start = NONE;
	in.last_investment = NONE;
	in.planned_start = planned;
	return in;
}

static struct kpr_colour_input idle(int month, int start, int last)
{
	struct kpr_colour_input in = no_plan(month);
	in.start = start;
	in.last_investment = last;
	return in;
}

static struct kpr_colour_input with(struct kpr_colour_input in, int field, int v)
{
	switch (field) {
	case 0: in.plan = v; break;
	case 1: in.reported = v; break;
	case 2: in.completion = v; break;
	}
	return in;
}

static struct kpr_colour_input overridden(int month, int from, int until)
{
	struct kpr_colour_input in = ytd(month, WAN(100));
	in.override_from = from;
	in.override_until = until;
	in.override_colour = KPR_COLOUR_RED;
	return in;
}

struct colour_case {
	const char *what;
	struct kpr_colour_input in;
	enum kpr_colour want;
	const char *rule;		/* NULL: unrated */
};

static void run_cases(const struct kpr_colour_rules *rules, const struct colour_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct kpr_colour_result r;
		kpr_colour_evaluate(rules, &cases[i].in, &r);
		const char *rule = r.rule ? r.rule->src->id : NULL;
		ok(r.colour == cases[i].want && (rule && cases[i].rule ? strcmp(rule, cases[i].rule) == 0 : rule == cases[i].rule),
		   "%s: %s by %s (got %s by %s)", cases[i].what, kpr_colour_name(cases[i].want),
		   cases[i].rule ? cases[i].rule : "no rule", kpr_colour_name(r.colour), rule ? rule : "no rule");
	}
}

static void test_default(const struct kpr_colour_rules *rules)
{
	const struct colour_case cases[] = {
	{ "exactly 30 points behind is yellow, not red", ytd(M(2023, 9), WAN(45)), KPR_COLOUR_YELLOW, "yellow-behind" },
	{ "one yuan more than 30 points behind is red", ytd(M(2023, 9), WAN(45) - 1), KPR_COLOUR_RED, "red-behind-30" },
	{ "exactly on time progress is green", ytd(M(2023, 9), WAN(75)), KPR_COLOUR_GREEN, "green" },
	{ "one yuan behind time progress is yellow", ytd(M(2023, 9), WAN(75) - 1), KPR_COLOUR_YELLOW, "yellow-behind" },
	{ "exactly 100% of the plan is blue", ytd(M(2023, 9), WAN(100)), KPR_COLOUR_BLUE, "blue-ahead" },
	{ "a third of the plan in April is exactly on time (33.3...%)", ytd(M(2023, 4), WAN(100) / 3 + 1),
	  KPR_COLOUR_GREEN, "green" },
	{ "no plan: no rate, no rule but the others", no_plan(M(2023, 9)), KPR_COLOUR_UNRATED, NULL },
	{ "a zero plan is no plan", with(ytd(M(2023, 9), WAN(10)), 0, 0), KPR_COLOUR_UNRATED, NULL },
	{ "no reports at all, no plan: yellow for no report", with(not_started(M(2023, 9), NONE), 1, 0),
	  KPR_COLOUR_YELLOW, "yellow-no-report" },
	{ "no reports at all with a plan: 75 points behind", with(ytd(M(2023, 9), 0), 1, 0), KPR_COLOUR_RED,
	  "red-behind-30" },
	{ "a month reported with amount 0 is reported", idle(M(2023, 9), M(2023, 1), M(2023, 8)),
	  KPR_COLOUR_UNRATED, NULL },
	{ "completed mid-year is blue after", with(ytd(M(2023, 9), 0), 2, M(2023, 6)), KPR_COLOUR_BLUE,
	  "blue-completed" },
	{ "completed mid-year is not yet completed before", with(ytd(M(2023, 5), WAN(50)), 2, M(2023, 6)),
	  KPR_COLOUR_GREEN, "green" },
	{ "a start not yet due", not_started(M(2023, 9), M(2023, 11)), KPR_COLOUR_UNRATED, NULL },
	{ "a start due this month is not overdue", not_started(M(2023, 9), M(2023, 9)), KPR_COLOUR_UNRATED, NULL },
	{ "a start overdue by 1 month", not_started(M(2023, 9), M(2023, 8)), KPR_COLOUR_YELLOW, "yellow-start-overdue" },
	{ "a start overdue by 2 months", not_started(M(2023, 9), M(2023, 7)), KPR_COLOUR_YELLOW, "yellow-start-overdue" },
	{ "a start overdue by 3 months", not_started(M(2023, 9), M(2023, 6)), KPR_COLOUR_RED, "red-start-overdue" },
	{ "a start overdue across a year end", not_started(M(2023, 2), M(2022, 11)), KPR_COLOUR_RED, "red-start-overdue" },
	{ "two months without investment", idle(M(2023, 9), M(2023, 1), M(2023, 7)), KPR_COLOUR_UNRATED, NULL },
	{ "three months without investment", idle(M(2023, 9), M(2023, 1), M(2023, 6)), KPR_COLOUR_RED, "red-stalled" },
	{ "then one with", idle(M(2023, 10), M(2023, 1), M(2023, 10)), KPR_COLOUR_UNRATED, NULL },
	{ "never invested: counted from the start", idle(M(2023, 9), M(2023, 7), NONE), KPR_COLOUR_RED, "red-stalled" },
	{ "never invested, started two months ago", idle(M(2023, 9), M(2023, 8), NONE), KPR_COLOUR_UNRATED, NULL },
	{ "investment stopping across a year end: 2 months", idle(M(2023, 1), M(2022, 5), M(2022, 11)),
	  KPR_COLOUR_UNRATED, NULL },
	{ "investment stopping across a year end: 3 months", idle(M(2023, 2), M(2022, 5), M(2022, 11)),
	  KPR_COLOUR_RED, "red-stalled" },
	{ "an override from the month applies", overridden(M(2023, 9), M(2023, 9), M(2023, 10)), KPR_COLOUR_RED,
	  "blue-ahead" },
	{ "an override applies in its --until month", overridden(M(2023, 10), M(2023, 9), M(2023, 10)),
	  KPR_COLOUR_RED, "blue-ahead" },
	{ "an override ends the month after --until", overridden(M(2023, 11), M(2023, 9), M(2023, 10)),
	  KPR_COLOUR_BLUE, "blue-ahead" },
	{ "an override does not apply before its first month", overridden(M(2023, 8), M(2023, 9), NONE),
	  KPR_COLOUR_BLUE, "blue-ahead" },
	{ "an override without --until lasts", overridden(M(2024, 3), M(2023, 9), NONE), KPR_COLOUR_RED, "blue-ahead" },
	};
	run_cases(rules, cases, KPR_ARRAY_SIZE(cases));
}

/* The same figures under the three-colour scheme: 20 and 10 points, green otherwise. */
static void test_three(const struct kpr_colour_rules *rules)
{
	const struct colour_case cases[] = {
	{ "three colours: 30 points behind is red", ytd(M(2023, 9), WAN(45)), KPR_COLOUR_RED, "red-behind-20" },
	{ "three colours: exactly 20 points behind is yellow", ytd(M(2023, 9), WAN(55)), KPR_COLOUR_YELLOW,
	  "yellow-behind-10" },
	{ "three colours: exactly 10 points behind is green", ytd(M(2023, 9), WAN(65)), KPR_COLOUR_GREEN, "green" },
	{ "three colours: 100% is green, no blue", ytd(M(2023, 9), WAN(100)), KPR_COLOUR_GREEN, "green" },
	{ "three colours: an empty when matches a project without a plan", no_plan(M(2023, 9)), KPR_COLOUR_GREEN,
	  "green" },
	{ "three colours: completed is green", with(ytd(M(2023, 9), 0), 2, M(2023, 6)), KPR_COLOUR_RED,
	  "red-behind-20" },
	};
	run_cases(rules, cases, KPR_ARRAY_SIZE(cases));
}

/* One measure's value to 4 decimals, or "null". */
static void measure_is(const struct kpr_colour_input *in, enum kpr_measure m, const char *want, const char *what)
{
	struct kpr_colour_measures ms;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_colour_measure(in, &ms);
	if (ms.v[m].known)
		kpr_colour_value_format(&ms.v[m], 4, &sb);
	else
		kpr_strbuf_adds(&sb, "null");
	is_str(sb.buf, want, "%s", what);
	kpr_strbuf_release(&sb);
}

static void test_measures(void)
{
	struct kpr_colour_input in = ytd(M(2023, 9), WAN(40.8));
	measure_is(&in, KPR_M_COMPLETION_RATE, "40.8000", "completion_rate: the year-to-date over the plan");
	measure_is(&in, KPR_M_TIME_PROGRESS, "75.0000", "time_progress in September is 75");
	measure_is(&in, KPR_M_POINTS_BEHIND, "34.2000", "points_behind is time progress less the rate");
	in = ytd(M(2023, 1), 0);
	measure_is(&in, KPR_M_TIME_PROGRESS, "8.3333", "time_progress in January is 100/12");
	in = no_plan(M(2023, 9));
	measure_is(&in, KPR_M_COMPLETION_RATE, "null", "no plan: no completion rate");
	measure_is(&in, KPR_M_POINTS_BEHIND, "null", "no plan: no points behind");
	measure_is(&in, KPR_M_HAS_PLAN, "0.0000", "no plan: has_plan false");
	in = with(ytd(M(2023, 9), 0), 0, 0);
	measure_is(&in, KPR_M_COMPLETION_RATE, "null", "a zero plan: no completion rate");
	in = not_started(M(2023, 9), M(2023, 11));
	measure_is(&in, KPR_M_START_OVERDUE, "-2.0000", "a start two months ahead is -2 months overdue");
	measure_is(&in, KPR_M_MONTHS_WITHOUT_INVESTMENT, "null", "not started: no months without investment");
	measure_is(&in, KPR_M_UNDER_CONSTRUCTION, "0.0000", "not started: not under construction");
	in = base(M(2023, 9));
	in.start = M(2023, 10);
	measure_is(&in, KPR_M_STARTED, "0.0000", "a start after the month is not a start yet");
	in = idle(M(2023, 9), M(2023, 1), M(2023, 8));
	measure_is(&in, KPR_M_MONTHS_WITHOUT_INVESTMENT, "1.0000", "a reported month with amount 0 counts as one");
	measure_is(&in, KPR_M_REPORTED, "1.0000", "and is reported");
	in = with(idle(M(2023, 9), M(2023, 1), M(2023, 6)), 2, M(2023, 8));
	measure_is(&in, KPR_M_UNDER_CONSTRUCTION, "0.0000", "completed is not under construction");
}

static void reason_is(const struct kpr_colour_rules *rules, struct kpr_colour_input in, const char *want,
		      const char *what)
{
	struct kpr_colour_result r;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_colour_evaluate(rules, &in, &r);
	kpr_colour_reason(&r, &sb);
	is_str(sb.buf, want, "%s", what);
	kpr_strbuf_release(&sb);
}

static void test_reasons(const struct kpr_colour_rules *rules)
{
	reason_is(rules, ytd(M(2023, 9), WAN(40.8)),
		  "红 red: 投资完成率落后序时进度30个百分点以上 (rule red-behind-30: has_plan, points_behind 34.2 > 30; "
		  "completion 40.8%, time 75.0%)", "a reason: the description, the conditions with their values");
	reason_is(rules, ytd(M(2023, 9), WAN(44.96)),
		  "红 red: 投资完成率落后序时进度30个百分点以上 (rule red-behind-30: has_plan, points_behind 30.04 > 30; "
		  "completion 45.0%, time 75.0%)", "a value next to its threshold gets the decimals that tell them apart");
	reason_is(rules, not_started(M(2023, 9), M(2023, 6)),
		  "红 red (rule red-start-overdue: not started, start_overdue_months 3 >= 3; no plan, time 75.0%)",
		  "a rule without a description; months as whole numbers; no plan said");
	reason_is(rules, no_plan(M(2023, 9)), "未评 unrated: no rule matched (no plan, time 75.0%)", "unrated");
}

static void test_json(const struct kpr_colour_rules *rules)
{
	struct kpr_colour_input in = ytd(M(2023, 9), WAN(40.8));
	struct kpr_colour_result r;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	kpr_colour_evaluate(rules, &in, &r);
	kpr_colour_figures_json(&in, &r, &sb);
	is_str(sb.buf, "{\"ytd\": 40.8000, \"plan\": 100.0000, \"started\": true, \"has_plan\": true, "
		       "\"reported\": true, \"completed\": false, \"points_behind\": 34.2000, \"time_progress\": 75.0000, "
		       "\"completion_rate\": 40.8000, \"under_construction\": true, \"start_overdue_months\": null, "
		       "\"months_without_investment\": 0}",
	       "figures: every measure, keys in jsonb's order");
	kpr_strbuf_reset(&sb);
	kpr_colour_conditions_json(&r, &sb);
	is_str(sb.buf, "[{\"op\": \"=\", \"value\": true, \"actual\": true, \"measure\": \"has_plan\"}, "
		       "{\"op\": \">\", \"value\": 30, \"actual\": 34.2000, \"measure\": \"points_behind\"}]",
	       "conditions: the fired rule's, with the values tested");
	kpr_strbuf_release(&sb);
}

static void test_names(void)
{
	enum kpr_colour c = KPR_COLOUR_UNRATED;
	ok(kpr_colour_parse("RED", &c) && c == KPR_COLOUR_RED, "colour names in any case");
	ok(kpr_colour_parse("黄", &c) && c == KPR_COLOUR_YELLOW, "colour names in Chinese");
	ok(!kpr_colour_parse("unrated", &c) && !kpr_colour_parse("purple", &c), "unrated is no colour to set");
	ok(kpr_colour_rank(KPR_COLOUR_RED) < kpr_colour_rank(KPR_COLOUR_YELLOW) &&
	   kpr_colour_rank(KPR_COLOUR_YELLOW) < kpr_colour_rank(KPR_COLOUR_UNRATED) &&
	   kpr_colour_rank(KPR_COLOUR_UNRATED) < kpr_colour_rank(KPR_COLOUR_GREEN) &&
	   kpr_colour_rank(KPR_COLOUR_GREEN) < kpr_colour_rank(KPR_COLOUR_BLUE), "worst first: red, yellow, unrated, green, blue");
}

int main(void)
{
	struct kpr_colour_rules rules, three;
	struct kpr_config *cfg = load(default_rules, &rules), *cfg3 = load(three_colour_rules, &three);

	test_default(&rules);
	test_three(&three);
	test_measures();
	test_reasons(&rules);
	test_json(&rules);
	test_names();
	kpr_colour_rules_release(&rules);
	kpr_colour_rules_release(&three);
	kpr_config_free(cfg);
	kpr_config_free(cfg3);
	return done_testing();
}
