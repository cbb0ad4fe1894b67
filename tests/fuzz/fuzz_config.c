/*
 * fuzz_config: libFuzzer target for what kpr parses besides the import files: the configuration
 * loader (YAML through libyaml, every key's checks, the colour rules' conditions), the colour
 * engine over the rules a configuration gives, and the money, month, date, year-range and
 * --as-of moment parsers.  No database.
 *
 *     make fuzz FUZZ_SECONDS=60
 *
 * The first byte picks the parser; the rest is its text.  A crash, a sanitizer report, a leak
 * or a broken round trip (__builtin_trap) is a bug; a message about bad input is expected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "config.h"
#include "money.h"
#include "month.h"
#include "report.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every year's rules compiled and run over a few projects; what people read formatted. */
static void evaluate_rules(const struct kpr_config *cfg)
{
	static const struct kpr_colour_input inputs[] = {
		{ 2023 * 12 + 8, true, 10000000, 6000000, true, 2023 * 12 + 2, KPR_COLOUR_NONE,
		  2023 * 12 + 1, 2023 * 12 + 7, KPR_COLOUR_NONE, KPR_COLOUR_NONE, 0 },
		{ 2023 * 12 + 11, false, 0, 0, false, KPR_COLOUR_NONE, KPR_COLOUR_NONE,
		  2023 * 12 + 3, KPR_COLOUR_NONE, KPR_COLOUR_NONE, KPR_COLOUR_NONE, 0 },
		{ 2023 * 12, true, 1, -5, true, 2022 * 12, 2023 * 12, KPR_COLOUR_NONE, 2023 * 12,
		  2022 * 12 + 11, KPR_COLOUR_NONE, 0 },
	};
	for (size_t y = 0; y < cfg->nyears; y++) {
		struct kpr_colour_rules rules;
		if (kpr_colour_rules_compile(&rules, &cfg->years[y]) != KPR_OK)
			continue;
		for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
			struct kpr_colour_result res;
			struct kpr_strbuf sb = KPR_STRBUF_INIT;
			kpr_colour_evaluate(&rules, &inputs[i], &res);
			/* the colour given is the rule's, or unrated when none matched */
			if (!res.overridden && res.colour != res.rule_colour)
				__builtin_trap();
			kpr_colour_reason(&res, &sb);
			kpr_colour_figures_json(&inputs[i], &res, &sb);
			kpr_colour_conditions_json(&res, &sb);
			kpr_strbuf_release(&sb);
		}
		kpr_colour_rules_release(&rules);
	}
}

static void fuzz_config(const char *text, size_t len)
{
	struct kpr_config *cfg;
	if (kpr_config_parse(&cfg, "fuzz.yaml", text, len) != KPR_OK) {
		if (cfg)
			__builtin_trap();	/* refused: nothing handed out */
		return;
	}
	evaluate_rules(cfg);
	kpr_config_free(cfg);
}

/* An amount parsed is written as 万元 and read back to the same yuan. */
static void fuzz_money(const char *text, enum kpr_unit unit)
{
	int64_t yuan, again;
	const char *why = NULL;
	char buf[32], yi[32];
	if (kpr_money_parse(text, unit, &yuan, &why) != KPR_OK) {
		if (!why || !*why)
			__builtin_trap();	/* a refusal says why */
		return;
	}
	kpr_money_format_wan(yuan, buf);
	if (kpr_money_parse(buf, KPR_UNIT_WAN, &again, &why) != KPR_OK || again != yuan)
		__builtin_trap();
	kpr_money_format_yi(yuan, (int)(yuan & 7) + 1, yi);
}

/* A month, a date, a year range and an --as-of moment: what parses is written back and read
 * to the same. */
static void fuzz_month(const char *text)
{
	int m, again, start, end;
	char buf[16], date[16], date2[16];
	if (kpr_month_parse(text, &m) == KPR_OK &&
	    (kpr_month_parse(kpr_month_format(m, buf), &again) != KPR_OK || again != m ||
	     kpr_month_of_year(m) < 1 || kpr_month_of_year(m) > 12))
		__builtin_trap();
	if (kpr_date_parse(text, date) == KPR_OK &&
	    (strlen(date) != 10 || kpr_date_parse(date, date2) != KPR_OK || strcmp(date, date2) != 0))
		__builtin_trap();
	if (kpr_year_range_parse(text, &start, &end) == KPR_OK)
		(void)(start + end);
	char moment[KPR_REPORT_AS_OF_SIZE], again_moment[KPR_REPORT_AS_OF_SIZE];
	if (kpr_report_as_of_parse(text, moment) == KPR_OK) {
		size_t n = strlen(moment);
		if ((n != 10 && n != 16 && n != 19) || (n > 10 && moment[10] != ' '))
			__builtin_trap();
		if (n > 10)
			moment[10] = 'T';
		if (kpr_report_as_of_parse(moment, again_moment) != KPR_OK || strlen(again_moment) != n)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0];
	char *text = malloc(size);	/* the rest, as the C string every parser takes */
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (pick % 3) {
	case 0:
		fuzz_config(text, size - 1);
		break;
	case 1:
		fuzz_money(text, (enum kpr_unit)(pick / 3 % 4));
		break;
	default:
		fuzz_month(text);
		break;
	}
	free(text);
	return 0;
}
