/* colour.c: the four-colour engine: measures, rules, reasons (colour.h). */
#include "colour.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static const struct {
	const char *name, *zh;
	int rank;
} colours[KPR_COLOUR_COUNT] = {
	[KPR_COLOUR_UNRATED] = { "unrated", "未评", 2 },
	[KPR_COLOUR_RED] = { "red", "红", 0 },
	[KPR_COLOUR_YELLOW] = { "yellow", "黄", 1 },
	[KPR_COLOUR_GREEN] = { "green", "绿", 3 },
	[KPR_COLOUR_BLUE] = { "blue", "蓝", 4 },
};

const char *kpr_colour_name(enum kpr_colour c)
{
	return colours[c].name;
}

const char *kpr_colour_name_zh(enum kpr_colour c)
{
	return colours[c].zh;
}

int kpr_colour_rank(enum kpr_colour c)
{
	return colours[c].rank;
}

bool kpr_colour_parse(const char *s, enum kpr_colour *c)
{
	for (int i = KPR_COLOUR_RED; i < KPR_COLOUR_COUNT; i++) {
		if (strcasecmp(s, colours[i].name) == 0 || strcmp(s, colours[i].zh) == 0) {
			*c = (enum kpr_colour)i;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------------------------
 * Exact values: num / den with den > 0, thresholds as millionths.
 */
#define MICRO ((kpr_colour_int)1000000)

static kpr_colour_int floor_div(kpr_colour_int a, kpr_colour_int b)
{
	kpr_colour_int q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* -1, 0, 1 as num/den is below, at or above micro / 10^6; no product overflows: the whole
 * parts are compared first, then the fractions (each below den * 10^6). */
static int compare_micro(const struct kpr_colour_value *v, kpr_colour_int micro)
{
	kpr_colour_int ql = floor_div(v->num, v->den), qr = floor_div(micro, MICRO);
	if (ql != qr)
		return ql < qr ? -1 : 1;
	kpr_colour_int l = (v->num - ql * v->den) * MICRO, r = (micro - qr * MICRO) * v->den;
	return l < r ? -1 : l > r;
}

static struct kpr_colour_value value(kpr_colour_int num, kpr_colour_int den)
{
	return (struct kpr_colour_value){ true, num, den };
}

static struct kpr_colour_value flag(bool b)
{
	return value(b, 1);
}

void kpr_colour_measure(const struct kpr_colour_input *in, struct kpr_colour_measures *m)
{
	int month = in->month;
	kpr_colour_int moy = month % 12 + 1;
	bool started = in->start != KPR_COLOUR_NONE && in->start <= month;
	bool completed = in->completion != KPR_COLOUR_NONE && in->completion <= month;
	bool has_plan = in->plan_known && in->plan > 0;

	memset(m, 0, sizeof(*m));
	m->v[KPR_M_COMPLETED] = flag(completed);
	m->v[KPR_M_STARTED] = flag(started);
	m->v[KPR_M_UNDER_CONSTRUCTION] = flag(started && !completed);
	m->v[KPR_M_HAS_PLAN] = flag(has_plan);
	m->v[KPR_M_REPORTED] = flag(in->reported);
	m->v[KPR_M_TIME_PROGRESS] = value(moy * 100, 12);
	if (has_plan) {
		m->v[KPR_M_COMPLETION_RATE] = value((kpr_colour_int)in->ytd * 100, in->plan);
		m->v[KPR_M_POINTS_BEHIND] = value(moy * 100 * in->plan - (kpr_colour_int)1200 * in->ytd,
						  (kpr_colour_int)12 * in->plan);
	}
	if (!started && in->planned_start != KPR_COLOUR_NONE)
		m->v[KPR_M_START_OVERDUE] = value(month - in->planned_start, 1);
	if (started) {
		/* counted back to the month after the last investment, no further than the start */
		int from = in->start;
		if (in->last_investment != KPR_COLOUR_NONE && in->last_investment + 1 > from)
			from = in->last_investment + 1;
		m->v[KPR_M_MONTHS_WITHOUT_INVESTMENT] = value(month >= from ? month - from + 1 : 0, 1);
	}
}

bool kpr_colour_cond_holds(const struct kpr_colour_cond *c, const struct kpr_colour_measures *m)
{
	const struct kpr_colour_value *v = &m->v[c->measure];
	if (!v->known)
		return false;
	int cmp = compare_micro(v, c->micro);
	switch (c->op) {
	case '<': return cmp < 0;
	case 'l': return cmp <= 0;
	case '=': return cmp == 0;
	case '!': return cmp != 0;
	case 'g': return cmp >= 0;
	default: return cmp > 0;
	}
}

bool kpr_colour_override_applies(int from, int until, int month)
{
	return from != KPR_COLOUR_NONE && from <= month && (until == KPR_COLOUR_NONE || month <= until);
}

void kpr_colour_evaluate(const struct kpr_colour_rules *rules, const struct kpr_colour_input *in,
			 struct kpr_colour_result *out)
{
	kpr_colour_measure(in, &out->m);
	out->rule = NULL;
	out->rule_colour = KPR_COLOUR_UNRATED;
	for (size_t i = 0; i < rules->nrules && !out->rule; i++) {
		const struct kpr_colour_rule *r = &rules->rules[i];
		size_t c = 0;
		while (c < r->nconds && kpr_colour_cond_holds(&r->conds[c], &out->m))
			c++;
		if (c == r->nconds) {
			out->rule = r;
			out->rule_colour = r->colour;
		}
	}
	out->overridden = kpr_colour_override_applies(in->override_from, in->override_until, in->month);
	out->colour = out->overridden ? in->override_colour : out->rule_colour;
}

/* ------------------------------------------------------------------------------------------
 * Compiling a year's rules.
 */

/* A canonical decimal ("30", "-0.5", "12.345678") as millionths; false when it is none. */
static bool parse_micro(const char *s, kpr_colour_int *out)
{
	bool neg = *s == '-';
	kpr_colour_int v = 0;
	int frac = -1;

	s += neg;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || frac >= 6 || v > (kpr_colour_int)1 << 100)
			return false;
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (int i = frac < 0 ? 0 : frac; i < 6; i++)
		v *= 10;
	*out = neg ? -v : v;
	return true;
}

static int op_code(const char *op)
{
	static const char *const ops[] = { "<", "<=", "=", "!=", ">=", ">" };
	static const char codes[] = "<l=!g>";
	for (size_t i = 0; i < KPR_ARRAY_SIZE(ops); i++)
		if (strcmp(op, ops[i]) == 0)
			return codes[i];
	return 0;
}

int kpr_colour_rules_compile(struct kpr_colour_rules *rules, const struct kpr_config_year *y)
{
	rules->nrules = y->nrules;
	rules->rules = kpr_xcalloc(y->nrules ? y->nrules : 1, sizeof(*rules->rules));
	for (size_t i = 0; i < y->nrules; i++) {
		const struct kpr_config_rule *src = &y->rules[i];
		struct kpr_colour_rule *r = &rules->rules[i];
		r->src = src;
		r->conds = kpr_xcalloc(src->nconds ? src->nconds : 1, sizeof(*r->conds));
		r->nconds = src->nconds;
		if (!kpr_colour_parse(src->colour, &r->colour)) {
			kpr_colour_rules_release(rules);
			return kpr_fail(KPR_EINPUT, _("colour rule '%s' of %d: unknown colour '%s'"), src->id, y->year,
					src->colour);
		}
		for (size_t c = 0; c < src->nconds; c++) {
			const struct kpr_config_condition *sc = &src->conds[c];
			struct kpr_colour_cond *cc = &r->conds[c];
			cc->src = sc;
			cc->measure = (enum kpr_measure)(sc->measure - kpr_config_measures);
			cc->op = op_code(sc->op);
			if (cc->measure >= KPR_M_COUNT || !cc->op || !parse_micro(sc->value, &cc->micro)) {
				kpr_colour_rules_release(rules);
				return kpr_fail(KPR_EINPUT, _("colour rule '%s' of %d: a condition kpr cannot evaluate "
							      "(%s %s %s)"), src->id, y->year, sc->measure->name, sc->op,
						sc->value);
			}
		}
	}
	return KPR_OK;
}

void kpr_colour_rules_release(struct kpr_colour_rules *rules)
{
	for (size_t i = 0; i < rules->nrules; i++)
		free(rules->rules[i].conds);
	free(rules->rules);
	rules->rules = NULL;
	rules->nrules = 0;
}

/* ------------------------------------------------------------------------------------------
 * Writing values, reasons and the stored JSON.
 */

static void add_int128(struct kpr_strbuf *sb, kpr_colour_int v)
{
	char buf[48];
	size_t i = sizeof(buf);
	bool neg = v < 0;
	unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		buf[--i] = '-';
	kpr_strbuf_adds(sb, &buf[i]);
}

/* num/den scaled by 10^decimals, rounded half away from zero */
static kpr_colour_int scaled(const struct kpr_colour_value *v, int decimals)
{
	kpr_colour_int n = v->num;
	for (int i = 0; i < decimals; i++)
		n *= 10;
	bool neg = n < 0;
	if (neg)
		n = -n;
	kpr_colour_int q = n / v->den, r = n % v->den;
	if (2 * r >= v->den)
		q++;
	return neg ? -q : q;
}

static void add_decimal(struct kpr_strbuf *sb, kpr_colour_int q, int decimals)
{
	kpr_colour_int p = 1;
	for (int i = 0; i < decimals; i++)
		p *= 10;
	if (q < 0)
		kpr_strbuf_addch(sb, '-');
	kpr_colour_int a = q < 0 ? -q : q;
	add_int128(sb, a / p);
	if (decimals) {
		struct kpr_strbuf frac = KPR_STRBUF_INIT;
		add_int128(&frac, a % p + p);	/* leading 1 keeps the zeros */
		kpr_strbuf_addch(sb, '.');
		kpr_strbuf_adds(sb, frac.buf + 1);
		kpr_strbuf_release(&frac);
	}
}

void kpr_colour_value_format(const struct kpr_colour_value *v, int decimals, struct kpr_strbuf *sb)
{
	add_decimal(sb, scaled(v, decimals), decimals);
}

/* A measure's value in a reason: one decimal for percents, more when one would hide which side
 * of the threshold it is on ("30.0 > 30" for 30.04); whole months as they are. */
static void add_tested_value(const struct kpr_colour_cond *c, const struct kpr_colour_value *v,
			     struct kpr_strbuf *sb)
{
	if (c->src->measure->kind != KPR_MEASURE_NUMBER) {
		kpr_colour_value_format(v, 0, sb);
		return;
	}
	int want = compare_micro(v, c->micro), d = 1;
	for (; d < 6; d++) {
		struct kpr_colour_value shown = value(scaled(v, d), 1);
		for (int i = d; i < 6; i++)
			shown.num *= 10;	/* as millionths */
		shown.den = MICRO;
		if (compare_micro(&shown, c->micro) == want)
			break;
	}
	kpr_colour_value_format(v, d, sb);
}

static void add_condition(const struct kpr_colour_cond *c, const struct kpr_colour_measures *m,
			  struct kpr_strbuf *sb)
{
	const char *name = c->src->measure->name;
	if (c->src->measure->kind == KPR_MEASURE_BOOL) {
		bool is_true = (c->op == '=') == (c->micro != 0);
		kpr_strbuf_addf(sb, "%s%s", is_true ? "" : "not ", name);
		return;
	}
	kpr_strbuf_addf(sb, "%s ", name);
	add_tested_value(c, &m->v[c->measure], sb);
	kpr_strbuf_addf(sb, " %s %s", c->src->op, c->src->value);
}

void kpr_colour_reason(const struct kpr_colour_result *r, struct kpr_strbuf *sb)
{
	const struct kpr_colour_measures *m = &r->m;
	kpr_strbuf_addf(sb, "%s %s", kpr_colour_name_zh(r->rule_colour), kpr_colour_name(r->rule_colour));
	if (!r->rule) {
		kpr_strbuf_adds(sb, ": no rule matched (");
	} else {
		if (r->rule->src->description)
			kpr_strbuf_addf(sb, ": %s", r->rule->src->description);
		kpr_strbuf_addf(sb, " (rule %s: ", r->rule->src->id);
		for (size_t i = 0; i < r->rule->nconds; i++) {
			if (i)
				kpr_strbuf_adds(sb, ", ");
			add_condition(&r->rule->conds[i], m, sb);
		}
		if (!r->rule->nconds)
			kpr_strbuf_adds(sb, "no conditions");
		kpr_strbuf_adds(sb, "; ");
	}
	if (m->v[KPR_M_COMPLETION_RATE].known) {
		kpr_strbuf_adds(sb, "completion ");
		kpr_colour_value_format(&m->v[KPR_M_COMPLETION_RATE], 1, sb);
		kpr_strbuf_adds(sb, "%, ");
	} else {
		kpr_strbuf_adds(sb, "no plan, ");
	}
	kpr_strbuf_adds(sb, "time ");
	kpr_colour_value_format(&m->v[KPR_M_TIME_PROGRESS], 1, sb);
	kpr_strbuf_adds(sb, "%)");
}

/* A jsonb object: keys as jsonb orders them (shorter first, then bytewise). */
struct json_member {
	const char *key;
	struct kpr_strbuf value;
};

static int member_cmp(const void *a, const void *b)
{
	const char *x = ((const struct json_member *)a)->key, *y = ((const struct json_member *)b)->key;
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static void json_object(struct json_member *ms, size_t n, struct kpr_strbuf *sb)
{
	qsort(ms, n, sizeof(*ms), member_cmp);
	kpr_strbuf_addch(sb, '{');
	for (size_t i = 0; i < n; i++) {
		kpr_strbuf_addf(sb, "%s\"%s\": %s", i ? ", " : "", ms[i].key, ms[i].value.buf);
		kpr_strbuf_release(&ms[i].value);
	}
	kpr_strbuf_addch(sb, '}');
}

/* a measure's value as jsonb writes it: booleans, whole months, 4 decimals, or null */
static void json_value(enum kpr_measure i, const struct kpr_colour_value *v, struct kpr_strbuf *sb)
{
	enum kpr_measure_kind kind = kpr_config_measures[i].kind;
	if (!v->known)
		kpr_strbuf_adds(sb, "null");
	else if (kind == KPR_MEASURE_BOOL)
		kpr_strbuf_adds(sb, v->num ? "true" : "false");
	else
		kpr_colour_value_format(v, kind == KPR_MEASURE_COUNT ? 0 : 4, sb);
}

void kpr_colour_figures_json(const struct kpr_colour_input *in, const struct kpr_colour_result *r,
			     struct kpr_strbuf *sb)
{
	struct json_member ms[KPR_M_COUNT + 2];
	size_t n = 0;
	for (size_t i = 0; i < KPR_M_COUNT; i++, n++) {
		ms[n] = (struct json_member){ kpr_config_measures[i].name, KPR_STRBUF_INIT };
		json_value((enum kpr_measure)i, &r->m.v[i], &ms[n].value);
	}
	ms[n] = (struct json_member){ "ytd", KPR_STRBUF_INIT };
	kpr_colour_value_format(&(struct kpr_colour_value){ true, in->ytd, 10000 }, 4, &ms[n++].value);
	ms[n] = (struct json_member){ "plan", KPR_STRBUF_INIT };
	if (in->plan_known)
		kpr_colour_value_format(&(struct kpr_colour_value){ true, in->plan, 10000 }, 4, &ms[n++].value);
	else
		kpr_strbuf_adds(&ms[n++].value, "null");
	json_object(ms, n, sb);
}

void kpr_colour_conditions_json(const struct kpr_colour_result *r, struct kpr_strbuf *sb)
{
	if (!r->rule)
		return;
	kpr_strbuf_addch(sb, '[');
	for (size_t i = 0; i < r->rule->nconds; i++) {
		const struct kpr_colour_cond *c = &r->rule->conds[i];
		bool is_bool = c->src->measure->kind == KPR_MEASURE_BOOL;
		struct json_member ms[4] = {
			{ "measure", KPR_STRBUF_INIT }, { "op", KPR_STRBUF_INIT },
			{ "value", KPR_STRBUF_INIT }, { "actual", KPR_STRBUF_INIT },
		};
		kpr_strbuf_addf(&ms[0].value, "\"%s\"", c->src->measure->name);
		kpr_strbuf_addf(&ms[1].value, "\"%s\"", c->src->op);
		if (is_bool)
			kpr_strbuf_adds(&ms[2].value, c->micro ? "true" : "false");
		else
			kpr_strbuf_adds(&ms[2].value, c->src->value);
		json_value(c->measure, &r->m.v[c->measure], &ms[3].value);
		if (i)
			kpr_strbuf_adds(sb, ", ");
		json_object(ms, KPR_ARRAY_SIZE(ms), sb);
	}
	kpr_strbuf_addch(sb, ']');
}
