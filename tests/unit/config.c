/* config: parsing and checking the configuration file, without a database. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "tap.h"

static const char *head = "kpr_config: 1\n";

/* Parse text; return what was printed on stderr, every line (the caller frees it). */
static char *parse(const char *text, struct kpr_config **cfg, int *rc)
{
	tap_capture_stderr();
	*rc = kpr_config_parse(cfg, "t.yaml", text, strlen(text));
	return kpr_xstrdup(tap_captured_stderr());
}

/* The text is rejected with a message containing want (FILE:LINE:COLUMN: message). */
static void rejects(const char *text, const char *want, const char *what)
{
	struct kpr_config *cfg = NULL;
	int rc;
	char *err = parse(text, &cfg, &rc);
	ok(rc == KPR_EINPUT && cfg == NULL && strstr(err, want) != NULL, "%s", what);
	if (!strstr(err, want))
		printf("#   expected: %s\n#   got: %s\n", want, err);
	free(err);
	kpr_config_free(cfg);
}

static char *with_head(const char *body)
{
	char *s = malloc(strlen(head) + strlen(body) + 1);
	strcpy(s, head);
	strcat(s, body);
	return s;
}

static void rejects_body(const char *body, const char *want, const char *what)
{
	char *s = with_head(body);
	rejects(s, want, what);
	free(s);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static const struct kpr_config_rule *rule(const struct kpr_config_year *y, const char *id)
{
	for (size_t i = 0; i < y->nrules; i++)
		if (strcmp(y->rules[i].id, id) == 0)
			return &y->rules[i];
	return NULL;
}

static void test_sample(void)
{
	const char *src = getenv("KPR_SRC");
	char path[4096];
	struct kpr_config *cfg = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/tests/data/config.yaml", src ? src : ".");
	char *text = read_file(path);
	ok(text != NULL, "tests/data/config.yaml is readable");
	if (!text)
		return;
	char *err = parse(text, &cfg, &rc);
	is_int(rc, KPR_OK, "the Langfang configuration parses");
	is_str(err, "", "and prints nothing");
	free(err);
	free(text);
	if (!cfg)
		return;
	is_int(cfg->nregions, 11, "11 regions");
	is_int(cfg->nzones, 3, "3 zones");
	is_int(cfg->npools, 8, "8 pools");
	is_int(cfg->nyears, 1, "one year");
	is_str(cfg->timezone, "Asia/Shanghai", "the time zone setting");
	is_str(cfg->regions[0].code, "131000", "the city comes first");
	ok(cfg->regions[0].parent == NULL, "the city has no parent");
	is_str(cfg->regions[10].parent, "131000", "三河 lies in the city");
	is_str(cfg->regions[8].name, "大厂回族自治县", "names are read as UTF-8");
	is_int(cfg->regions[8].ord, 9, "regions keep the file's order");
	ok(cfg->zones[1].region == NULL, "region: null is no region");
	is_str(cfg->zones[2].region, "131082", "燕郊 lies in 三河");
	is_str(cfg->pools[6].code, "completed", "the seventh pool is completed");
	is_str(cfg->pools[6].mark, "completed", "and is marked completed");
	is_str(cfg->pools[7].mark, "withdrawn", "the last pool is marked withdrawn (退库)");
	is_int(cfg->pools[6].ord, 7, "at place 7");
	const struct kpr_config_year *y = &cfg->years[0];
	is_int(y->year, 2023, "the year is 2023");
	is_int(y->nscenarios, 22, "22 scenarios");
	ok(!y->scenarios[5].sample && y->scenarios[6].sample && y->scenarios[21].sample,
	   "S01-S06 are official, S07-S22 samples");
	is_int(y->nrules, 9, "nine colour rules");
	is_str(y->rules[0].id, "blue-completed", "the first rule is blue-completed");
	is_str(y->rules[8].colour, "green", "the last rule is green");
	const struct kpr_config_rule *r = rule(y, "yellow-behind");
	ok(r && r->nconds == 3, "yellow-behind has three conditions (a list on one measure)");
	r = rule(y, "red-behind-30");
	ok(r && r->nconds == 2 && strcmp(r->conds[1].measure->name, "points_behind") == 0 &&
	   strcmp(r->conds[1].op, ">") == 0 && strcmp(r->conds[1].value, "30") == 0,
	   "red-behind-30 is points_behind > 30");
	ok(r && strcmp(r->conds[0].value, "1") == 0, "has_plan: true is stored as 1");
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	r = rule(y, "yellow-no-report");
	if (r)
		kpr_config_condition_format(&r->conds[0], &sb);
	is_str(sb.buf, "reported = false", "a boolean condition formats as the docs write it");
	kpr_strbuf_release(&sb);
	kpr_config_free(cfg);
}

static void test_values(void)
{
	struct kpr_config *cfg = NULL;
	int rc;
	char *s = with_head("years:\n"
			    "  - year: 2024\n"
			    "    colour_rules:\n"
			    "      - id: r1\n"
			    "        colour: 红\n"
			    "        when: { points_behind: \">030.50\", completion_rate: [\"< 80\", \">= -0.0\"],\n"
			    "                months_without_investment: 2, reported: \"!= true\" }\n"
			    "      - { id: r2, colour: Yellow, description: null, when: {} }\n");
	char *err = parse(s, &cfg, &rc);
	is_int(rc, KPR_OK, "conditions with and without spaces, lists and a bare number parse");
	free(err);
	free(s);
	if (!cfg)
		return;
	const struct kpr_config_rule *r = &cfg->years[0].rules[0];
	is_str(r->colour, "red", "红 is red");
	is_int(r->nconds, 5, "five conditions");
	is_str(r->conds[0].op, ">", "'>030.50' has the operator >");
	is_str(r->conds[0].value, "30.5", "and the canonical value 30.5");
	is_str(r->conds[2].op, ">=", "'>= -0.0' has the operator >=");
	is_str(r->conds[2].value, "0", "and -0.0 is 0");
	is_str(r->conds[3].op, "=", "a bare 2 means = 2");
	is_str(r->conds[4].op, "!=", "'!= true' has the operator !=");
	is_str(r->conds[4].value, "1", "and the value 1");
	is_str(cfg->years[0].rules[1].colour, "yellow", "colours are case-insensitive");
	ok(cfg->years[0].rules[1].description == NULL, "description: null is none");
	is_int(cfg->years[0].rules[1].nconds, 0, "when: {} has no condition");
	ok(!cfg->years[0].has_scenarios, "a year without scenarios leaves them alone");
	ok(!cfg->has_regions, "a file without regions leaves them alone");
	kpr_config_free(cfg);

	err = parse("\xef\xbb\xbfkpr_config: 1\r\npools:\r\n  - code: a\r\n    name: 谋划库\r\n", &cfg, &rc);
	ok(rc == KPR_OK && cfg && strcmp(cfg->pools[0].name, "谋划库") == 0,
	   "a file saved by Windows Notepad (BOM, CRLF line ends) reads the same");
	free(err);
	kpr_config_free(cfg);

	s = with_head("regions:\n  - { code: 131000, name: 廊坊市, level: city }\n");
	err = parse(s, &cfg, &rc);
	ok(rc == KPR_OK && cfg && strcmp(cfg->regions[0].code, "131000") == 0,
	   "a code may be written without quotes");
	free(err);
	free(s);
	kpr_config_free(cfg);
}

static void test_problems(void)
{
	rejects("", "t.yaml:1:1: the file is empty", "an empty file is rejected");
	rejects("regions: []\n", "t.yaml:1:1: missing key 'kpr_config' in the configuration",
		"the format version is required");
	rejects("kpr_config: 2\n", "t.yaml:1:13: format version 2 is not one", "an unknown version is rejected");
	rejects("kpr_config: \"1\"\n", "t.yaml:1:13: 'kpr_config' must be a whole number, not a quoted text",
		"a quoted number is not a number");
	rejects("- a\n- b\n", "t.yaml:1:1: the configuration must be a mapping (key: value), not a list",
		"the top must be a mapping");
	rejects("kpr_config: 1\nkpr_config: 1\n", "t.yaml:2:1: duplicate key 'kpr_config' (first at line 1)",
		"a duplicate key is rejected");
	rejects_body("region: []\n", "t.yaml:2:1: unknown key 'region' in the configuration (known: kpr_config,",
		     "an unknown key is rejected and the known ones named");
	rejects_body("regions: 5\n", "t.yaml:2:10: 'regions' must be a list, not a text", "a wrong type is rejected");
	rejects_body("regions:\n  - { code: \"13100\", name: x, level: city }\n",
		     "t.yaml:3:13: region code '13100' must be 6 digits (GB/T 2260)", "a 5-digit region code is rejected");
	rejects_body("regions:\n  - { code: \"131000\", name: x, level: province }\n",
		     "t.yaml:3:39: level 'province' must be city or county", "an unknown level is rejected");
	rejects_body("regions:\n  - { code: \"131000\", level: city }\n",
		     "t.yaml:3:5: missing key 'name' in a region", "a missing required key is rejected at its mapping");
	rejects_body("regions:\n  - { code: \"131000\", name: null, level: city }\n",
		     "t.yaml:3:29: 'name' must not be empty", "a null name is rejected");
	rejects_body("regions:\n  - { code: \"131002\", name: x, level: county, parent: \"null\" }\n",
		     "t.yaml:3:55: parent region code 'null' must be 6 digits",
		     "a quoted \"null\" is a text, not null");
	rejects_body("regions:\n"
		     "  - { code: \"131000\", name: a, level: city }\n"
		     "  - { code: \"131000\", name: b, level: city }\n",
		     "t.yaml:4:13: duplicate region code '131000' (first at line 3)", "a duplicate region code is rejected");
	rejects_body("regions:\n"
		     "  - { code: \"131000\", name: a, short_name: s, level: city }\n"
		     "  - { code: \"131001\", name: b, short_name: s, level: county }\n",
		     "t.yaml:4:44: duplicate region short name 's' (first at line 3)", "a duplicate short name is rejected");
	rejects_body("regions:\n"
		     "  - { code: \"131000\", name: a, level: city, parent: \"130000\" }\n",
		     "t.yaml:3:53: region '131000' is a city: a city has no parent", "a city with a parent is rejected");
	rejects_body("regions:\n"
		     "  - { code: \"131002\", name: a, level: county }\n"
		     "  - { code: \"131003\", name: b, level: county, parent: \"131002\" }\n",
		     "t.yaml:4:55: parent region '131002' is a county", "a county under a county is rejected");
	rejects_body("zones:\n  - { code: \"开发区\", name: x }\n",
		     "t.yaml:3:13: zone code '开发区' must be 1 to 20 letters", "a zone code in Chinese is rejected");
	rejects_body("zones:\n  - { code: A, name: x, region: \"1310\" }\n",
		     "t.yaml:3:33: region code '1310' must be 6 digits", "a zone's bad region code is rejected");
	rejects_body("pools:\n  - { code: Conceived, name: x }\n",
		     "t.yaml:3:13: pool code 'Conceived' must be 1 to 30 lower-case letters", "a pool code with capitals is rejected");
	rejects_body("pools:\n  - { code: a, name: x }\n  - { code: b, name: x }\n",
		     "t.yaml:4:22: duplicate pool name 'x' (first at line 3)", "a duplicate pool name is rejected");
	rejects_body("years:\n  - year: 1999\n", "t.yaml:3:11: 'year' 1999 is out of range (2000 to 2100)",
		     "a year out of range is rejected");
	rejects_body("years:\n  - year: 2023\n  - year: 2023\n", "t.yaml:4:11: duplicate year 2023 (first at line 3)",
		     "a duplicate year is rejected");
	rejects_body("years:\n  - year: 2023\n    scenarios:\n      - { code: S01, name: a, sample: \"true\" }\n",
		     "t.yaml:5:39: 'sample' must be true or false (unquoted), not 'true'",
		     "a quoted \"true\" is not a boolean");
	rejects_body("years:\n  - year: 2023\n    scenarios:\n      - { code: S01, name: a }\n      - { code: S01, name: b }\n",
		     "t.yaml:6:17: duplicate scenario code 'S01' (first at line 5)", "a duplicate scenario code is rejected");

	static const char rules_head[] = "years:\n  - year: 2023\n    colour_rules:\n";
	struct {
		const char *rule, *want, *what;
	} rules[] = {
		{ "      - { id: a, colour: purple, when: {} }\n", "t.yaml:5:26: unknown colour 'purple'",
		  "an unknown colour is rejected" },
		{ "      - { id: a, colour: red, when: { lateness: \"> 3\" } }\n",
		  "t.yaml:5:39: unknown measure 'lateness' (known: completed,", "an unknown measure is rejected" },
		{ "      - { id: a, colour: red, when: { points_behind: \"=> 3\" } }\n",
		  "t.yaml:5:54: 'points_behind' needs an operator and a number (like \"> 30\"), not '=> 3'",
		  "an unknown operator is rejected" },
		{ "      - { id: a, colour: red, when: { points_behind: \"> abc\" } }\n",
		  "t.yaml:5:54: 'points_behind' needs an operator and a number", "a non-number is rejected" },
		{ "      - { id: a, colour: red, when: { reported: \"> true\" } }\n",
		  "t.yaml:5:49: 'reported' is true or false: compare it with = or !=, not >",
		  "a boolean measure takes only = and !=" },
		{ "      - { id: a, colour: red, when: { reported: 1 } }\n",
		  "t.yaml:5:49: 'reported' is true or false, not '1'", "a boolean measure takes only true or false" },
		{ "      - { id: a, colour: red, when: { start_overdue_months: \">= 2.5\" } }\n",
		  "t.yaml:5:61: 'start_overdue_months' counts months: a whole number, not '2.5'",
		  "a count of months takes whole numbers" },
		{ "      - { id: a, colour: red, when: { points_behind: [\"> 3\", \">3\"] } }\n",
		  "t.yaml:5:62: two conditions 'points_behind >' in one rule", "the same measure and operator twice is rejected" },
		{ "      - { id: a, colour: red, when: { points_behind: \"> 3\", points_behind: \"< 9\" } }\n",
		  "t.yaml:5:61: duplicate key 'points_behind'", "a measure given twice as a key is rejected" },
		{ "      - { id: a, colour: red, when: { points_behind: != 3 } }\n",
		  "t.yaml:5:54: unexpected tag '!=': a value starting with '!' must be quoted",
		  "an unquoted != is caught as the YAML tag it is" },
		{ "      - { id: a, colour: red, when: { points_behind: [] } }\n",
		  "t.yaml:5:54: no condition on 'points_behind'", "an empty list of conditions is rejected" },
		{ "      - { id: Red, colour: red, when: {} }\n",
		  "t.yaml:5:15: rule id 'Red' must be 1 to 40 lower-case letters", "a rule id with capitals is rejected" },
		{ "      - { id: a, colour: red, when: {} }\n      - { id: a, colour: red, when: {} }\n",
		  "t.yaml:6:15: duplicate rule id 'a' (first at line 5)", "a duplicate rule id is rejected" },
		{ "      - { id: a, colour: red }\n", "t.yaml:5:9: missing key 'when' in a colour rule",
		  "a rule without when is rejected" },
		{ "      - { id: a, colour: red, when: [completed] }\n",
		  "t.yaml:5:37: 'when' must be a mapping of measures to conditions, not a list", "when must be a mapping" },
	};
	for (size_t i = 0; i < KPR_ARRAY_SIZE(rules); i++) {
		char *s = malloc(sizeof(rules_head) + strlen(rules[i].rule));
		strcpy(s, rules_head);
		strcat(s, rules[i].rule);
		rejects_body(s, rules[i].want, rules[i].what);
		free(s);
	}
	rejects_body("years:\n  - year: 2023\n    colour_rules: []\n",
		     "t.yaml:4:19: 'colour_rules' is empty", "an empty rule list is rejected");
	rejects_body("local_code_pattern: '([a-z'\n",
		     "t.yaml:2:21: 'local_code_pattern' is not a valid regular expression (POSIX ERE)",
		     "a pattern that does not compile is rejected");
	rejects_body("timezone: Asia Shanghai\n", "t.yaml:2:11: 'Asia Shanghai' is not a time zone name",
		     "a time zone with a space is rejected");
	rejects_body("regions:\n  - { code: \"131000\", name: a\n", "t.yaml:4:1: YAML syntax: ",
		     "a YAML syntax error says where");
	rejects_body("pools:\n  - { code: a, name: \"x\xff\" }\n", "t.yaml:3:24: not valid UTF-8",
		     "invalid UTF-8 is rejected with its line and column");
	rejects_body("pools: []\n---\nkpr_config: 1\n", "t.yaml:4:1: a second YAML document",
		     "a second document is rejected");
	rejects_body("pools:\n  - &p { code: a, name: x }\n  - *p\n",
		     "t.yaml:3:5: a repeated node (a YAML alias) is not allowed here", "an alias of a mapping is rejected");
	rejects_body("pools:\n  - { code: a, name: \"x\\ty\" }\n",
		     "t.yaml:3:22: 'name' contains a control character", "a tab in a name is rejected");

	/* every problem is reported, in file order */
	struct kpr_config *cfg = NULL;
	int rc;
	char *s = with_head("regions:\n"
			    "  - { code: \"1\", name: a, level: x }\n"
			    "unknown: 1\n"
			    "zones:\n"
			    "  - { code: A, name: z, region: \"999999\", extra: 1 }\n"
			    "years:\n"
			    "  - year: 3000\n");
	char *err = parse(s, &cfg, &rc);
	ok(strstr(err, "t.yaml:3:13: region code '1'") && strstr(err, "t.yaml:3:34: level 'x'") &&
	   strstr(err, "t.yaml:4:1: unknown key 'unknown'") && strstr(err, "t.yaml:6:43: unknown key 'extra'") &&
	   strstr(err, "t.yaml:8:11: 'year' 3000"), "every problem is reported, not only the first");
	ok(strstr(err, "t.yaml:3:13") < strstr(err, "t.yaml:3:34") && strstr(err, "t.yaml:3:34") < strstr(err, "t.yaml:4:1") &&
	   strstr(err, "t.yaml:4:1") < strstr(err, "t.yaml:8:11"), "problems are printed in file order");
	ok(strstr(err, "kpr: error: configuration 't.yaml' rejected: 5 problems; nothing was written") != NULL,
	   "a summary line counts them");
	ok(strstr(err, "999999") == NULL, "a region the file does not list is left for the database to check");
	free(err);
	free(s);
	kpr_config_free(cfg);
}

int main(void)
{
	test_sample();
	test_values();
	test_problems();
	is_int(kpr_config_nmeasures, 10, "ten measures, as the schema's CHECK lists");
	ok(kpr_config_measure_find("points_behind") && !kpr_config_measure_find("lateness"), "measures are found by name");
	return done_testing();
}
