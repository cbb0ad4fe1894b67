/*
 * gen-bench.c: national-scale import data for the benchmark (tools/bench.sh), deterministic.
 *
 *     gen-bench [--projects N] [--months M] [--seed S] DIR
 *
 * Writes DIR/projects.csv (N projects, default 200000) and DIR/progress.csv (N x M rows, one per
 * project per month from 2023-01, default 12 months: 2.4 million rows): plain UTF-8 CSV, LF, one
 * header row of kpr's English canonical column names.  Regions are GB/T 2260 codes and scenarios
 * S01-S22, as in data/langfang-2023/config.yaml; codes are unique (P0000001..., every fourth in
 * the national 24-character shape).  The same arguments always give the same bytes.
 *
 * Exit status: 0 written; 2 usage; 5 a file cannot be written.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prng.h"

#define OUTBUF (1 << 20)
#define CN_COMMA "\uFF0C"	/* Chinese text's full-width comma: no CSV quoting needed */



static unsigned rnd(unsigned n)
{
	return (unsigned)((rng_next() >> 11) % n);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[rnd(NELEM(a))])

/* ---- a buffered writer: stdio's per-call overhead is too much for 2.4 M rows ------------ */

struct out {
	FILE *f;
	const char *path;
	size_t len;
	int failed;
	char buf[OUTBUF];
};

static void out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = errno ? errno : EIO;
	o->len = 0;
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUTBUF)
		out_flush(o);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void out_ch(struct out *o, char c)
{
	if (o->len == OUTBUF)
		out_flush(o);
	o->buf[o->len++] = c;
}

static void out_uint(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		out_ch(o, tmp[--n]);
}

/* cents of 万元 as "1234.56" (no trailing ".00") */
static void out_money(struct out *o, uint64_t cents)
{
	out_uint(o, cents / 100, 0);
	if (cents % 100) {
		out_ch(o, '.');
		out_uint(o, cents % 100, 2);
	}
}

/* ---- the data -------------------------------------------------------------------------- */

static const char *const region_codes[] = { "131000", "131002", "131003", "131022", "131023", "131024",
	"131025", "131026", "131028", "131081", "131082" };
static const char *const region_names[] = { "廊坊", "安次", "广阳", "固安", "永清", "香河", "大城", "文安",
	"大厂", "霸州", "三河" };
static const char *const region_full[] = { "廊坊市", "安次区", "广阳区", "固安县", "永清县", "香河县", "大城县",
	"文安县", "大厂回族自治县", "霸州市", "三河市" };
static const char *const subjects[] = { "智慧物流产业园项目", "智能制造产业园项目", "大数据中心项目",
	"道路改造提升工程", "人民医院迁建项目", "实验学校新建项目", "文化旅游度假区项目", "河道综合治理工程",
	"城中村改造项目", "220千伏输变电工程", "高标准农田建设项目", "新材料生产基地项目" };
static const char *const industries[] = { "现代商贸物流", "高端装备制造", "新一代信息技术", "交通基础设施",
	"医疗卫生", "教育", "文化旅游", "水利", "城市更新", "能源", "现代农业", "新材料" };
static const char *const stages[] = { "主体结构施工中", "基础施工", "设备安装调试", "装饰装修", "路基施工",
	"室外配套工程施工" };
static const char *const problems[] = { "土地手续未办结", "资金未到位", "环评批复未取得", "征地拆迁未完成" };

/* P0000001, or every fourth project a national code YYMM-RRRRRR-DD-TT-NNNNNC: unique by index */
static void out_code(struct out *o, uint64_t i)
{
	if (i % 4) {
		out_ch(o, 'P');
		out_uint(o, i + 1, 7);
		return;
	}
	uint64_t k = i / 4, block = k / 100000;
	out_uint(o, 21 + block / 12 % 79, 2);
	out_uint(o, 1 + block % 12, 2);
	out_ch(o, '-');
	out_str(o, region_codes[i % NELEM(region_codes)]);
	out_str(o, "-04-01-");
	out_uint(o, k % 100000, 5);
	out_ch(o, (char)('0' + k % 10));
}

static void write_projects(struct out *o, uint64_t n)
{
	out_str(o, "code,name,region,zone,scenarios,industry,level,nature,owner,responsible_unit,leader,scope,"
		   "start_year,end_year,planned_start,total_investment,annual_plan\n");
	for (uint64_t i = 0; i < n; i++) {
		unsigned r = (unsigned)(i % NELEM(region_codes)), s = rnd(NELEM(subjects)), sc = rnd(22) + 1;
		unsigned nature = rnd(10), start, end;
		out_code(o, i);
		out_ch(o, ',');
		out_str(o, region_names[r]);
		out_str(o, subjects[s]);
		out_ch(o, ',');
		out_str(o, region_codes[r]);
		out_ch(o, ',');
		if (r == 10 && rnd(3) == 0)
			out_str(o, "YJGXQ");
		else if ((r == 1 || r == 2) && rnd(5) == 0)
			out_str(o, "131071");
		else if ((r == 2 || r == 3) && rnd(5) == 0)
			out_str(o, "LKJJQ");
		out_str(o, ",S");
		out_uint(o, sc, 2);
		if (rnd(50) == 0) {	/* a few projects in two scenarios */
			out_str(o, "、S");
			out_uint(o, sc % 22 + 1, 2);
		}
		out_ch(o, ',');
		out_str(o, industries[s]);
		out_str(o, rnd(5) ? ",市重点," : ",省重点,");
		out_str(o, nature < 4 ? "新开工" : nature < 9 ? "续建" : "竣工投产");
		out_str(o, ",廊坊");
		out_str(o, region_names[1 + rnd(NELEM(region_names) - 1)]);
		out_str(o, "建设发展有限公司,");
		out_str(o, region_full[r]);
		out_str(o, r ? "人民政府,副市长 " : "发展和改革委员会,副市长 ");
		out_str(o, PICK(((const char *const[]){ "张建华", "王立新", "李志明", "赵文海", "刘振庆" })));
		out_ch(o, ',');
		if (rnd(20) == 0)	/* an ASCII comma and quotes: the field needs CSV quoting */
			out_str(o, "\"总建筑面积约12,000平方米" CN_COMMA "建设\"\"智慧工地\"\"管理平台。\",");
		else {
			out_str(o, "总占地面积约");
			out_uint(o, 20 + rnd(900), 0);
			out_str(o, "亩" CN_COMMA "总建筑面积约");
			out_uint(o, 1 + rnd(40), 0);
			out_str(o, "万平方米" CN_COMMA "主要建设生产及配套设施" CN_COMMA "同步建设室外道路、管网、绿化等配套工程。,");
		}
		start = nature < 4 ? 2023 : nature < 9 ? 2020 + rnd(3) : 2021 + rnd(2);
		end = nature < 9 ? 2023 + rnd(4) : 2023;
		out_uint(o, start, 0);
		out_ch(o, ',');
		out_uint(o, end < start ? start : end, 0);
		out_ch(o, ',');
		if (nature < 4) {
			out_str(o, "2023-");
			out_uint(o, 2 + rnd(8), 2);
		}
		out_ch(o, ',');
		uint64_t total = 100000 + rng_next() % 100000000;	/* 1,000 to 1,001,000 万元, in cents */
		out_money(o, total);
		out_ch(o, ',');
		out_money(o, total / 1000 * (100 + rnd(400)));
		out_ch(o, '\n');
	}
}

static void write_progress(struct out *o, uint64_t n, unsigned months)
{
	out_str(o, "code,month,amount,progress,problems\n");
	for (unsigned m = 0; m < months; m++) {
		for (uint64_t i = 0; i < n; i++) {
			out_code(o, i);
			out_ch(o, ',');
			out_uint(o, 2023 + m / 12, 0);
			out_ch(o, '-');
			out_uint(o, 1 + m % 12, 2);
			out_ch(o, ',');
			out_money(o, rng_next() % 2000000);
			out_ch(o, ',');
			out_str(o, stages[(m + i) % NELEM(stages)]);
			out_ch(o, ',');
			if (rnd(10) == 0)
				out_str(o, PICK(problems));
			out_ch(o, '\n');
		}
	}
}

static int write_file(const char *dir, const char *name, void (*fill)(struct out *, uint64_t, unsigned),
		      uint64_t n, unsigned months)
{
	static struct out o;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	o.path = path;
	o.len = 0;
	o.failed = 0;
	if (!(o.f = fopen(path, "wb"))) {
		fprintf(stderr, "gen-bench: cannot open '%s': %s\n", path, strerror(errno));
		return 0;
	}
	errno = 0;
	fill(&o, n, months);
	out_flush(&o);
	if (fclose(o.f) != 0 && !o.failed)
		o.failed = errno;
	if (o.failed) {
		fprintf(stderr, "gen-bench: cannot write '%s': %s\n", path, strerror(o.failed));
		return 0;
	}
	return 1;
}

static void fill_projects(struct out *o, uint64_t n, unsigned months)
{
	(void)months;
	write_projects(o, n);
}

static void fill_progress(struct out *o, uint64_t n, unsigned months)
{
	write_progress(o, n, months);
}

static int number(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || x > max)
		return 0;
	*v = x;
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "projects", required_argument, NULL, 'n' },
		{ "months", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t n = 200000, months = 12, seed = 1;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if ((c == 'n' && number(optarg, 9999999, &n)) || (c == 'm' && number(optarg, 120, &months) && months) ||
		    (c == 's' && number(optarg, UINT64_MAX, &seed)))
			continue;
		c = '?';
		break;
	}
	if (c == '?' || optind != argc - 1) {
		fprintf(stderr, "usage: gen-bench [--projects N] [--months M] [--seed S] DIR\n");
		return 2;
	}
	rng_state = seed * 0x2545f4914f6cdd1dULL + 0x4b50522d42454e43ULL;	/* "KPR-BENC" */
	if (!write_file(argv[optind], "projects.csv", fill_projects, n, (unsigned)months) ||
	    !write_file(argv[optind], "progress.csv", fill_progress, n, (unsigned)months))
		return 5;
	printf("projects: %" PRIu64 "\nprogress rows: %" PRIu64 "\n", n, n * months);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 5;
}
