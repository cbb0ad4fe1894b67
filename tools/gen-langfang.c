/*
 * gen-langfang.c: the Langfang 2023 sample data (data/langfang-2023/), written deterministically.
 *
 *     gen-langfang data/langfang-2023        (what "make data" runs)
 *
 * Writes projects.csv (the 486-project key-project list as Excel writes "CSV UTF-8": BOM, CRLF,
 * a title row and a units row above the header), projects-gb18030.csv (the same list as Excel on
 * Chinese Windows writes it: GB18030, no BOM) and progress-2023.csv (a year of monthly progress),
 * then prints the totals.  Every value comes from one splitmix64 stream with a fixed seed, and all
 * arithmetic is integer (money in 1/10000 万元, i.e. yuan), so every run on every machine writes
 * the same bytes.  The names, owners and leaders are invented; only the scenario names S01-S06,
 * the regions and the totals' order of magnitude come from the 2023 government work report.
 *
 * Exit status: 0 written; 2 usage; 5 a file cannot be written.
 */
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "prng.h"

#define NPROJECTS 486
#define YEAR 2023
#define UNIT 10000		/* money units per 万元 */
#define PLAN_TARGET (6480000LL * UNIT)	/* the annual plan the list adds up to, about 648 亿元 */

/* ---- the random stream ---------------------------------------------------------------- */



/* uniform in [0, n) */
static int rnd(int n)
{
	return (int)((rng_next() >> 11) % (uint64_t)n);
}

/* uniform in [lo, hi] */
static int64_t range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)((rng_next() >> 11) % (uint64_t)(hi - lo + 1));
}

/* true with probability permille/1000 */
static int chance(int permille)
{
	return rnd(1000) < permille;
}

#define PICK(a) ((a)[rnd((int)KPR_ARRAY_SIZE(a))])

/* ---- the fixed tables ------------------------------------------------------------------ */

struct region {
	const char *code, *name, *shortname;
	int weight;		/* relative number of projects */
};

/* index 0 is the city itself (市本级); the rest are its counties and districts */
static const struct region regions[] = {
	{ "131000", "廊坊市", "廊坊", 0 },
	{ "131002", "安次区", "安次", 10 },
	{ "131003", "广阳区", "广阳", 10 },
	{ "131022", "固安县", "固安", 11 },
	{ "131023", "永清县", "永清", 8 },
	{ "131024", "香河县", "香河", 9 },
	{ "131025", "大城县", "大城", 7 },
	{ "131026", "文安县", "文安", 7 },
	{ "131028", "大厂回族自治县", "大厂", 7 },
	{ "131081", "霸州市", "霸州", 10 },
	{ "131082", "三河市", "三河", 13 },
};
enum { R_CITY, R_ANCI, R_GUANGYANG, R_GUAN, R_YONGQING, R_XIANGHE, R_DACHENG, R_WENAN, R_DACHANG,
       R_BAZHOU, R_SANHE, NREGIONS };

#define RM(r) (1u << (r))
#define NORTH (RM(R_XIANGHE) | RM(R_DACHANG) | RM(R_SANHE))
#define SOUTH (RM(R_GUAN) | RM(R_YONGQING) | RM(R_BAZHOU) | RM(R_WENAN) | RM(R_DACHENG))
#define COUNTIES (((1u << NREGIONS) - 1) & ~RM(R_CITY))

struct zone {
	const char *name;	/* as the list writes it (the configured name) */
	const char *prefix;	/* in project names */
	const char *committee;	/* the responsible unit */
	unsigned regions;	/* where its projects lie */
	int permille;		/* share of company projects there that lie in the zone */
};

static const struct zone zones[] = {
	{ "廊坊经济技术开发区", "廊坊开发区", "廊坊经济技术开发区管委会", RM(R_ANCI) | RM(R_GUANGYANG), 300 },
	{ "临空经济区", "廊坊临空经济区", "临空经济区(廊坊)管委会", RM(R_GUANGYANG) | RM(R_GUAN), 300 },
	{ "燕郊高新区", "燕郊高新区", "燕郊高新区管委会", RM(R_SANHE), 450 },
};

/*
 * A project subject: "<owner><kind>text".  Owner G: a government unit or its company; C: a
 * company.  Kind I industrial, B building, L linear (road, river, pipe, power line), A area
 * (fields, villages), S system (networks, platforms, chargers).
 * In the text '#' becomes a street, '~' a river, '$' a number.
 */
struct scenario {
	const char *code, *name;
	int count;		/* projects whose first scenario this is */
	unsigned regions;	/* where they may lie */
	const char *industry[4];
	const char *bureau;	/* a county's department in charge */
	const char *city_bureau;
	const char *buildings;	/* what a building project builds */
	int related;		/* a second scenario some projects also belong to (index), or -1 */
	const char *subjects[16];
};

static const struct scenario scenarios[] = {
	{ "S01", "现代商贸物流强市", 38, COUNTIES, { "现代商贸物流", "电子商务" }, "商务局", "市商务局",
	  "分拣中心、立体仓库、冷库、综合办公楼", 10,
	  { "CI智慧物流产业园项目", "CI冷链物流中心项目", "CI跨境电商产业园项目", "CI供应链总部基地项目",
	    "CI快递区域分拨中心项目", "CI电商仓储配送中心项目", "CI农产品冷链集配中心项目", "CI智能仓储物流基地项目",
	    "CB城乡商贸流通中心项目", "CI国际商贸物流港项目", "CI汽车零配件智慧供应链项目", "CI医药物流配送中心项目" } },
	{ "S02", "交通强市", 34, ~0u, { "交通基础设施" }, "交通运输局", "市交通运输局",
	  "站房、停车场、维修车间", 19,
	  { "GL#东延工程", "GL#改造提升工程", "GL#跨河桥梁工程", "GL城区路网提升改造工程", "GB综合客运枢纽项目",
	    "GB公交场站建设项目", "GL国省干线公路大中修工程", "GL高速公路互通立交改造工程", "GL农村公路提档升级工程",
	    "GL城际铁路联络线配套工程", "GB智慧停车场建设项目", "GL#打通工程" } },
	{ "S03", "制造强市", 62, COUNTIES, { "高端装备制造", "新材料", "汽车零部件", "特色定制家具" }, "工业和信息化局",
	  "市工业和信息化局", "生产车间、研发楼、仓库及配套用房", 3,
	  { "CI智能制造产业园项目", "CI高端装备制造基地项目", "CI新能源汽车零部件生产项目", "CI精密数控机床生产线项目",
	    "CI半导体封装测试项目", "CI无人机制造基地项目", "CI年产$万吨绝热节能材料项目", "CI特色定制家具智能工厂项目",
	    "CI汽车线束生产基地项目", "CI智能家居生产线技术改造项目", "CI新型绿色建材产业园项目",
	    "CI高端金属制品数字化改造项目", "CI工业机器人生产基地项目", "CI新型显示材料项目", "CI年产$万套精密零部件项目" } },
	{ "S04", "数字廊坊", 28, COUNTIES, { "新一代信息技术", "数字经济" }, "数据和政务服务局", "市数据和政务服务局",
	  "数据机房、动力中心、运维楼", 2,
	  { "CI大数据中心项目", "CI人工智能计算中心项目", "CS5G基站建设项目", "CI信创产业基地项目", "CS工业互联网平台项目",
	    "CI云计算中心项目", "CI数字经济产业园项目", "GS智慧城市数字底座项目", "CI算力中心项目",
	    "CI软件和信息服务产业园项目" } },
	{ "S05", "品位廊坊", 18, ~0u, { "城市建设" }, "城市管理综合行政执法局", "市城市管理综合行政执法局",
	  "园路、广场、景观小品及配套用房", 12,
	  { "GA城市口袋公园建设项目", "GL#“六化”样板街道工程", "GL#景观提升工程", "GL城市夜景亮化工程",
	    "CB特色商业街区改造项目", "GA城市主题公园项目", "GL城市绿道建设项目", "GA城市家具提升工程" } },
	{ "S06", "健康廊坊", 20, ~0u, { "医疗卫生", "生物医药健康" }, "卫生健康局", "市卫生健康委",
	  "门急诊楼、医技楼、住院楼", 14,
	  { "GB人民医院迁建项目", "GB中医医院改扩建工程", "GB妇幼保健院迁建项目", "GB中心血站迁建项目",
	    "GB医院门急诊综合楼项目", "GB疾病预防控制中心项目", "CB康养中心项目", "GB卫生急救中心迁建项目",
	    "CI生物医药产业园项目", "CI医疗器械产业园项目" } },
	{ "S07", "科技创新强市", 18, COUNTIES, { "科技服务" }, "科学技术局", "市科学技术局",
	  "研发楼、中试车间、孵化用房", 2,
	  { "CB研发中心项目", "CB科技企业孵化器项目", "CI中试基地项目", "GL科学城基础设施项目", "CB新型研发机构项目",
	    "CB科技创新园项目" } },
	{ "S08", "农业强市", 20, COUNTIES, { "现代农业" }, "农业农村局", "市农业农村局",
	  "日光温室、加工车间、冷藏库", 18,
	  { "GA高标准农田建设项目", "CA设施蔬菜产业园项目", "CA现代农业产业园项目", "GB粮食仓储设施项目",
	    "CA种业创新基地项目", "CI中央厨房及净菜加工项目", "CA设施西甜瓜产业园项目" } },
	{ "S09", "美丽廊坊", 22, ~0u, { "生态环保" }, "生态环境局", "市生态环境局",
	  "处理车间、综合楼及配套设施", 16,
	  { "GL~综合治理与生态修复工程", "GB污水处理厂提标改造工程", "CI生活垃圾焚烧发电项目", "GA国土绿化工程",
	    "GA湿地公园建设项目", "GA农村生活污水治理工程", "CI固废综合利用项目" } },
	{ "S10", "宜居廊坊", 26, ~0u, { "城市建设", "保障性住房" }, "住房和城乡建设局", "市住房和城乡建设局",
	  "住宅楼、配套公建及地下车库", 17,
	  { "GB棚户区改造项目", "GB保障性租赁住房项目", "GL雨水泵站及配套管网工程", "CL环城供热管网项目",
	    "CL燃气管网改造工程", "GB地下立体停车设施项目", "GL城市供水管网改造工程" } },
	{ "S11", "开放廊坊", 12, COUNTIES, { "开放平台", "现代商贸物流" }, "商务局", "市商务局",
	  "展馆、会议中心、查验场地及配套用房", 0,
	  { "GB综合保税区配套设施项目", "CB会展中心项目", "CB国际商贸中心项目", "GL自贸试验区基础设施项目",
	    "CB跨境电商综合服务平台项目" } },
	{ "S12", "教育强市", 24, ~0u, { "教育" }, "教育局", "市教育局",
	  "教学楼、实验楼、风雨操场", 14,
	  { "GB实验小学新建项目", "GB职业技术教育中心迁建项目", "GB第$中学新建工程", "GB幼儿园建设项目",
	    "GB职业技术学院新校区建设项目", "GB特殊教育学校改扩建项目", "GB九年一贯制学校建设项目" } },
	{ "S13", "文旅廊坊", 20, ~0u, { "文化旅游" }, "文化广电和旅游局", "市文化广电和旅游局",
	  "游客中心、展陈馆、文化街区", 4,
	  { "CA~文化旅游带项目", "CA旅游度假区项目", "GB文化中心项目", "CA精品民宿集群项目", "GB体育中心项目",
	    "CA文旅小镇项目", "GB非遗文化展示馆项目" } },
	{ "S14", "平安廊坊", 10, ~0u, { "公共安全" }, "应急管理局", "市应急管理局",
	  "库房、指挥中心、训练场", -1,
	  { "GB应急物资储备库项目", "GB消防救援站建设项目", "GB公安业务技术用房项目", "GS智慧安防小区建设项目",
	    "GB应急指挥中心项目", "GB防汛抢险物资仓库项目" } },
	{ "S15", "幸福廊坊", 14, ~0u, { "社会事业" }, "民政局", "市民政局",
	  "综合服务楼、康复楼、活动中心", 5,
	  { "GB养老服务中心项目", "GB社区综合服务中心项目", "GB残疾人康复中心项目", "GB全民健身中心项目",
	    "CB康养社区项目", "GB婴幼儿照护服务中心项目" } },
	{ "S16", "能源保障", 22, COUNTIES, { "能源" }, "发展和改革局", "市发展改革委",
	  "变电站、储能舱及配套设施", 8,
	  { "CL220千伏输变电工程", "CL110千伏输变电工程", "CA分布式光伏发电项目", "CI热电联产项目", "CI储能电站项目",
	    "CI氢能综合利用项目", "CI天然气储气调峰设施项目", "CS充电基础设施项目" } },
	{ "S17", "水利强市", 18, COUNTIES, { "水利" }, "水务局", "市水务局",
	  "泵站、闸涵及管理用房", 8,
	  { "GL~治理工程", "GL引水系连通工程", "GL南水北调配套工程", "GA地下水超采综合治理项目", "GB水库建设项目",
	    "GB排涝泵站工程", "GL农村供水保障工程" } },
	{ "S18", "城市更新", 22, ~0u, { "城市更新" }, "住房和城乡建设局", "市住房和城乡建设局",
	  "安置住宅、商业配套及市政设施", 9,
	  { "GB城中村改造项目", "GB老旧小区改造项目", "CB老旧厂区更新改造项目", "CB片区综合开发项目",
	    "GL背街小巷提升改造工程", "CB城市更新单元项目" } },
	{ "S19", "乡村振兴", 20, COUNTIES, { "乡村振兴", "现代农业" }, "农业农村局", "市农业农村局",
	  "村民服务中心、污水处理站及配套设施", 7,
	  { "GA和美乡村建设项目", "GA农村人居环境整治提升项目", "GL农村公路提档升级工程", "CA田园综合体项目",
	    "GA农村厕所提升工程", "CA特色小镇建设项目" } },
	{ "S20", "北三县协同发展", 16, NORTH, { "协同发展", "交通基础设施" }, "住房和城乡建设局", "市住房和城乡建设局",
	  "研发楼、商务楼及配套设施", 1,
	  { "GL#跨界连接线工程", "CB科学城项目", "CA北运河旅游开发项目", "GB医院分院项目", "CL产业园区基础设施项目",
	    "GB进京检查站优化提升工程", "CB高端商务区项目" } },
	{ "S21", "南部县雄安联动", 12, SOUTH, { "协同发展" }, "交通运输局", "市交通运输局",
	  "展示中心、仓储用房及配套设施", 2,
	  { "GL省道连接线改建工程", "CI雄安配套产业园项目", "GL大清河~段治理工程", "CB绝热节能材料展示中心项目",
	    "CB服务雄安新区建设展示中心项目", "GA生态屏障造林工程" } },
	{ "S22", "营商环境廊坊", 10, ~0u, { "营商环境" }, "行政审批局", "市行政审批局",
	  "政务服务大厅、档案库及配套用房", -1,
	  { "GB政务服务中心项目", "GS智慧政务平台项目", "GS社会信用信息平台项目", "CI标准厂房建设项目",
	    "GB人才公寓项目", "CB企业服务中心项目" } },
};
#define NSCENARIOS ((int)KPR_ARRAY_SIZE(scenarios))

static const char *const streets[] = { "光明道", "和平路", "新华路", "永兴路", "建设路", "祥云道", "银河路",
	"裕华道", "爱民道", "东安路", "广阳道", "金光道", "永丰道", "朝阳路", "迎宾大道", "文明路", "兴安路",
	"华祥路", "友谊路", "泰山路" };
static const char *const rivers[] = { "北运河", "潮白河", "永定河", "大清河", "龙河", "白沟河", "牤牛河",
	"子牙河", "赵王新河", "凤河", "鲍邱河", "中亭河" };
static const char *const towns[] = { "城关镇", "北旺乡", "南关镇", "东城街道", "西营镇", "新城街道", "马庄镇",
	"柳泉镇", "渠口镇", "刘宋镇", "龙河镇", "胜利街道", "南赵扶镇", "王各庄镇", "杨税务乡", "码头镇" };
static const char brand1[][4] = { "华", "恒", "瑞", "德", "鼎", "嘉", "泰", "隆", "盛", "宏", "远", "信",
	"通", "润", "丰", "锦", "辰", "博", "中", "京", "冀", "新", "天", "永" };
static const char brand2[][4] = { "泰", "昌", "源", "达", "晟", "宇", "航", "益", "诚", "兴", "和", "创",
	"拓", "科", "邦", "业", "海", "越", "峰", "联" };
static const char *const company_kinds[] = { "科技有限公司", "实业有限公司", "智能科技有限公司", "物流有限公司",
	"新材料有限公司", "投资发展有限公司", "产业园开发有限公司", "制造有限公司", "供应链管理有限公司" };
static const char surnames[][4] = { "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "孙", "马",
	"朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "曹" };
static const char given[][4] = { "建", "国", "志", "明", "文", "华", "立", "新", "海", "军", "春", "晓",
	"伟", "永", "玉", "宏", "振", "庆", "光", "德", "民", "平", "学", "卫", "东", "红", "燕", "静", "涛", "峰" };
static const char *const titles[] = { "市委常委、常务副市长", "副市长", "副市长", "副市长", "副市长", "副市长",
	"市委常委、秘书长", "市人大常委会副主任", "市人大常委会副主任", "市政协副主席", "市政协副主席",
	"市委常委、统战部部长" };
#define NLEADERS ((int)KPR_ARRAY_SIZE(titles))

/* ---- the model ------------------------------------------------------------------------- */

enum nature { N_NEW, N_CONTINUING, N_COMPLETING, N_PREPARATION };
static const char *const nature_names[] = { "新开工", "续建", "竣工投产", "前期" };

enum profile { P_ON_TRACK, P_AHEAD, P_LAGGING, P_FAR_BEHIND, P_STALLED };

struct project {
	int scenario, scenario2;	/* indexes; scenario2 -1 when there is only one */
	int region, zone;		/* zone -1: none */
	char code[48];
	char *name, *industry, *owner, *unit, *leader, *scope, *years;
	int level_provincial;
	enum nature nature;
	int start_year, end_year, planned_start;	/* planned_start: month 1-12, new starts only */
	int64_t total, plan;		/* plan < 0: no annual plan (前期) */
	int total_separators;		/* write the total with thousands separators */
	/* progress */
	enum profile profile;
	int actual_start;		/* month work starts (0: not in 2023) */
	int completion;			/* month the project completes (竣工投产), else 0 */
	char kind;			/* the subject's kind: I, B, L, A, S */
	int says_none;			/* writes "无" when there is no problem */
	int problem;			/* index into problems[] */
};

static struct project projects[NPROJECTS];
static char leaders[NLEADERS][80];

/* ---- money ----------------------------------------------------------------------------- */

/* v in 1/10000 万元, with up to 4 decimals and no trailing zeros; sep: thousands separators */
static void add_money(struct kpr_strbuf *sb, int64_t v, int sep)
{
	char digits[32], frac[8];
	if (v < 0) {
		kpr_strbuf_addch(sb, '-');
		v = -v;
	}
	int n = snprintf(digits, sizeof(digits), "%" PRId64, v / UNIT);
	for (int i = 0; i < n; i++) {
		if (sep && i > 0 && (n - i) % 3 == 0)
			kpr_strbuf_addch(sb, ',');
		kpr_strbuf_addch(sb, digits[i]);
	}
	if (v % UNIT) {
		snprintf(frac, sizeof(frac), "%04d", (int)(v % UNIT));
		for (int i = 3; frac[i] == '0'; i--)
			frac[i] = '\0';
		kpr_strbuf_addf(sb, ".%s", frac);
	}
}

static int64_t round_to(int64_t v, int64_t grain)
{
	return (v + grain / 2) / grain * grain;
}

/* the precision forms use: mostly whole 万元 or hundreds, sometimes decimals */
static int64_t realistic(int64_t v)
{
	int r = rnd(100);
	if (v >= 10000LL * UNIT && r < 55)
		return round_to(v, 1000LL * UNIT);
	if (v >= 1000LL * UNIT && r < 70)
		return round_to(v, 100LL * UNIT);
	if (r < 85)
		return round_to(v, UNIT);
	if (r < 97)
		return round_to(v, UNIT / 100);
	return v;
}

/* ---- CSV ------------------------------------------------------------------------------- */

static void csv_field(struct kpr_strbuf *sb, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		kpr_strbuf_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				kpr_strbuf_addch(sb, '"');
			kpr_strbuf_addch(sb, *s);
		}
		kpr_strbuf_addch(sb, '"');
	} else if (s) {
		kpr_strbuf_adds(sb, s);
	}
	kpr_strbuf_adds(sb, last ? "\r\n" : ",");
}

/*
 * Chinese text uses full-width punctuation (U+FF0C comma, U+FF08/FF09 brackets, U+FF1A colon,
 * U+FF1B semicolon), which needs no CSV quoting; the tables above write ASCII for readability
 * and this turns it into the real thing.
 */
static void add_chinese(struct kpr_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case ',': kpr_strbuf_adds(sb, "\uFF0C"); break;
		case '(': kpr_strbuf_adds(sb, "\uFF08"); break;
		case ')': kpr_strbuf_adds(sb, "\uFF09"); break;
		case ':': kpr_strbuf_adds(sb, "\uFF1A"); break;
		case ';': kpr_strbuf_adds(sb, "\uFF1B"); break;
		default: kpr_strbuf_addch(sb, *s); break;
		}
	}
}

/* a free-text field, in full-width punctuation */
static void csv_text(struct kpr_strbuf *sb, const char *s, int last)
{
	struct kpr_strbuf t = KPR_STRBUF_INIT;
	add_chinese(&t, s);
	csv_field(sb, t.buf ? t.buf : "", last);
	kpr_strbuf_release(&t);
}

static void csv_money(struct kpr_strbuf *sb, int64_t v, int sep, int last)
{
	struct kpr_strbuf m = KPR_STRBUF_INIT;
	add_money(&m, v, sep);
	csv_field(sb, m.buf, last);
	kpr_strbuf_release(&m);
}

/* ---- building the list ----------------------------------------------------------------- */

static int pick_region(unsigned allowed, int government)
{
	int total = 0, r;
	for (int i = 0; i < NREGIONS; i++)
		if (allowed & RM(i))
			total += i == R_CITY ? (government ? 14 : 0) : regions[i].weight;
	r = rnd(total);
	for (int i = 0; i < NREGIONS; i++) {
		if (!(allowed & RM(i)))
			continue;
		r -= i == R_CITY ? (government ? 14 : 0) : regions[i].weight;
		if (r < 0)
			return i;
	}
	return NREGIONS - 1;
}

static void add_brand(struct kpr_strbuf *sb)
{
	int a = rnd((int)KPR_ARRAY_SIZE(brand1)), b = rnd((int)KPR_ARRAY_SIZE(brand2));
	kpr_strbuf_adds(sb, brand1[a]);
	kpr_strbuf_adds(sb, brand2[b]);
}

/* expand '#', '~' and '$' in a subject */
static void add_subject(struct kpr_strbuf *sb, const char *text)
{
	static const int numbers[] = { 5, 10, 12, 20, 30, 50, 100 };
	for (const char *p = text; *p; p++) {
		if (*p == '#')
			kpr_strbuf_adds(sb, PICK(streets));
		else if (*p == '~')
			kpr_strbuf_adds(sb, PICK(rivers));
		else if (*p == '$')
			kpr_strbuf_addf(sb, "%d", strstr(text, "中学") ? (int)range(2, 25) : PICK(numbers));
		else
			kpr_strbuf_addch(sb, *p);
	}
}

static int name_taken(const char *name, int upto)
{
	for (int i = 0; i < upto; i++)
		if (strcmp(projects[i].name, name) == 0)
			return 1;
	return 0;
}

static void make_name(struct project *p, int idx, const char *subject)
{
	static const char *const phases[] = { "(二期)", "(三期)", "(一期)" };
	const struct region *r = &regions[p->region];
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	int company = subject[0] == 'C';

	for (int attempt = 0;; attempt++) {
		kpr_strbuf_reset(&sb);
		if (p->zone >= 0 && (company || chance(500)))
			kpr_strbuf_adds(&sb, zones[p->zone].prefix);
		else if (!company || p->region == R_CITY)
			kpr_strbuf_adds(&sb, r->name);
		else if (chance(400)) {
			kpr_strbuf_adds(&sb, r->shortname);
			add_brand(&sb);
		} else if (chance(500)) {
			add_brand(&sb);
		} else {
			kpr_strbuf_adds(&sb, r->name);
		}
		add_subject(&sb, subject + 2);
		if (attempt > 20)
			kpr_strbuf_adds(&sb, phases[attempt % 3]);
		if (!name_taken(sb.buf, idx))
			break;
	}
	p->name = kpr_strbuf_detach(&sb);
}

static void make_owner(struct project *p, const char *subject)
{
	const struct scenario *s = &scenarios[p->scenario];
	const struct region *r = &regions[p->region];
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	if (subject[0] == 'C') {
		kpr_strbuf_adds(&sb, chance(700) ? "廊坊" : chance(500) ? "河北" : r->shortname);
		add_brand(&sb);
		int k;
		do	/* 物流 and 供应链 companies build logistics and factories only */
			k = rnd((int)KPR_ARRAY_SIZE(company_kinds));
		while ((k == 3 || k == 8) && p->scenario != 0 && p->scenario != 2);
		kpr_strbuf_adds(&sb, company_kinds[k]);
	} else if (chance(200)) {
		kpr_strbuf_addf(&sb, "廊坊%s城市建设发展有限公司", p->region == R_CITY ? "市" : r->shortname);
	} else if (p->region == R_CITY) {
		kpr_strbuf_addf(&sb, "廊坊%s", s->city_bureau);
	} else {
		kpr_strbuf_addf(&sb, "%s%s", r->name, s->bureau);
	}
	p->owner = kpr_strbuf_detach(&sb);

	if (p->zone >= 0)
		kpr_strbuf_adds(&sb, zones[p->zone].committee);
	else if (p->region == R_CITY)
		kpr_strbuf_adds(&sb, s->city_bureau);
	else
		kpr_strbuf_addf(&sb, "%s人民政府", r->name);
	p->unit = kpr_strbuf_detach(&sb);
}

/* two different streets */
static void pick_streets(const char **a, const char **b)
{
	*a = PICK(streets);
	do
		*b = PICK(streets);
	while (*b == *a);
}

static void add_location(struct kpr_strbuf *sb, const struct project *p)
{
	const char *a, *b;
	pick_streets(&a, &b);
	if (p->zone >= 0)
		kpr_strbuf_addf(sb, "项目位于%s", zones[p->zone].prefix);
	else if (p->region == R_CITY)
		kpr_strbuf_adds(sb, "项目位于廊坊市主城区");
	else
		kpr_strbuf_addf(sb, "项目位于%s%s", regions[p->region].name, PICK(towns));
	if (p->region == R_CITY || chance(500))
		kpr_strbuf_addf(sb, "%s以%s、%s以%s", a, chance(500) ? "南" : "北", b, chance(500) ? "东" : "西");
}

static const char *equipment(int sid)
{
	static const char *const logistics[] = { "自动化分拣线", "智能立体库", "冷链设备", "AGV搬运机器人" };
	static const char *const factory[] = { "数控加工中心", "工业机器人", "自动化生产线", "激光切割机", "检测设备" };
	static const char *const computing[] = { "服务器机柜", "精密空调", "不间断电源" };
	static const char *const plant[] = { "焚烧炉", "分选设备", "发电机组", "储能电池", "换热机组" };
	static const char *const food[] = { "净菜加工生产线", "冷链设备", "包装设备" };
	switch (sid) {
	case 0: case 10: return PICK(logistics);
	case 3: return PICK(computing);
	case 7: return PICK(food);
	case 8: case 15: return PICK(plant);
	default: return PICK(factory);
	}
}

/* 建设规模及内容: long free text; some with line breaks, some with ASCII commas and quotes */
static void make_scope(struct project *p, const char *subject)
{
	static const char *const quoted[] = { "智慧工地", "链主", "拿地即开工", "专精特新", "零碳园区", "一站式" };
	const struct scenario *s = &scenarios[p->scenario];
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	char kind = subject[1];
	int sid = p->scenario;

	if (kind == 'L' && sid == 15) {
		kpr_strbuf_addf(&sb, "新建变电站1座,主变容量%d×%d兆伏安,新建架空及电缆线路%d.%d公里,配套建设间隔扩建及通信工程",
				(int)range(2, 3), strstr(subject, "220") ? 240 : 63, (int)range(3, 40), (int)range(0, 9));
	} else if (kind == 'L') {
		const char *a, *b;
		int64_t km10 = range(8, 260);
		pick_streets(&a, &b);
		kpr_strbuf_addf(&sb, "项目起点位于%s,终点至%s,全长约%d.%d公里,", a, b, (int)(km10 / 10), (int)(km10 % 10));
		if (strchr(subject, '~'))
			kpr_strbuf_adds(&sb, "主要建设内容包括河道清淤疏浚、堤防加固、护岸、穿堤建筑物及生态绿化等");
		else if (sid == 9 || sid == 16)
			kpr_strbuf_addf(&sb, "新建及改造管线%d公里,配套建设泵站、检查井等附属设施%d座", (int)range(5, 60),
					(int)range(2, 30));
		else if (strstr(subject, "农村"))
			kpr_strbuf_addf(&sb, "路面宽度%d米,建设内容包括路基拓宽、路面改造、安全防护及排水设施", (int)range(6, 9));
		else
			kpr_strbuf_addf(&sb, "道路红线宽度%d米,双向%d车道,建设内容包括道路、桥涵、排水、照明、绿化及交通工程",
					(int)(range(3, 10) * 5), (int)(range(1, 4) * 2));
	} else if (kind == 'S') {
		if (strstr(subject, "5G"))
			kpr_strbuf_addf(&sb, "新建5G基站%d个,配套建设传输管线%d公里及汇聚机房%d处", (int)(range(10, 90) * 10),
					(int)range(20, 300), (int)range(2, 12));
		else if (strstr(subject, "充电"))
			kpr_strbuf_addf(&sb, "新建公共充电站%d座、充电桩%d个,配套建设箱式变电站及运营管理平台", (int)range(5, 60),
					(int)(range(10, 200) * 10));
		else
			kpr_strbuf_addf(&sb, "主要建设平台基础设施、数据资源体系和应用系统%d个,购置服务器、网络及安全设备%d台(套),"
					"接入部门(单位)%d个", (int)range(5, 30), (int)range(50, 600), (int)range(10, 80));
	} else if (kind == 'A') {
		add_location(&sb, p);
		kpr_strbuf_addf(&sb, ",涉及%d个村,建设面积约%d亩,", (int)range(3, 40), (int)(range(5, 300) * 100));
		if (sid == 7 || sid == 18)
			kpr_strbuf_adds(&sb, "主要建设高标准农田、灌溉排水、田间道路、农产品加工及冷链仓储设施");
		else if (sid == 15)
			kpr_strbuf_addf(&sb, "利用厂房屋顶及闲置土地建设光伏发电装机%d兆瓦,配套建设升压站及送出线路",
					(int)(range(2, 40) * 5));
		else
			kpr_strbuf_adds(&sb, "主要建设生态绿化、景观节点、慢行步道、配套服务设施及基础设施");
	} else {
		add_location(&sb, p);
		kpr_strbuf_addf(&sb, ",总占地面积约%d亩,总建筑面积约%d.%d万平方米,主要建设%s", (int)range(20, 900),
				(int)range(1, 40), (int)range(0, 9),
				kind == 'I' && sid == 5 ? "GMP生产车间、研发楼、仓库及配套用房" : s->buildings);
		if (kind == 'I')
			;
		else if (sid == 5)
			kpr_strbuf_addf(&sb, ",设置床位%d张", (int)(range(10, 120) * 10));
		else if (sid == 11)
			kpr_strbuf_addf(&sb, ",办学规模%d个班,可提供学位%d个", (int)range(18, 72), (int)(range(8, 36) * 100));
		else if (sid == 14)
			kpr_strbuf_addf(&sb, ",设置养老床位%d张", (int)(range(10, 60) * 10));
		kpr_strbuf_adds(&sb, ",同步建设室外道路、管网、绿化等配套工程");
		if (kind == 'I') {
			int output = (int)range(2, 80);
			kpr_strbuf_addf(&sb, ",购置%s等设备%d台(套)。项目建成后,预计年产值%d亿元,年纳税%d万元,带动就业%d人",
					equipment(sid), (int)range(20, 800), output, (int)(output * range(3, 8) * 10),
					(int)(range(5, 200) * 10));
		}
	}
	kpr_strbuf_adds(&sb, "。");
	struct kpr_strbuf text = KPR_STRBUF_INIT;
	add_chinese(&text, sb.buf);
	kpr_strbuf_release(&sb);
	sb = text;
	if (chance(110)) {	/* ASCII punctuation, as when text is pasted from a Word file */
		int n = (int)range(2, 90), m = (int)(range(0, 9) * 100);
		kpr_strbuf_addf(&sb, "打造\"%s\"示范项目,", PICK(quoted));
		if (kind == 'I')
			kpr_strbuf_addf(&sb, "年处理能力达到%d,%03d吨。", n, m);
		else if (kind == 'L')
			kpr_strbuf_addf(&sb, "惠及沿线群众约%d,%03d户。", n, m);
		else if (kind == 'S')
			kpr_strbuf_addf(&sb, "年服务企业和群众%d,%03d人次。", n, m);
		else
			kpr_strbuf_addf(&sb, "服务人口约%d,%03d人。", n, m);
	}
	if (chance(150)) {	/* a line break inside the cell (Alt+Enter) */
		struct kpr_strbuf more = KPR_STRBUF_INIT;
		if (p->nature == N_PREPARATION)
			kpr_strbuf_addf(&more, "\n%d年工作目标:完成立项、规划、用地等前期手续。", YEAR);
		else
			kpr_strbuf_addf(&more, "\n%d年建设内容:完成%s。", YEAR,
					kind == 'L' ? "路基、管线及主体工程" : kind == 'S' ? "平台主体建设并试运行"
					: kind == 'A' ? "主要建设任务的60%以上" : "主体结构施工及部分设备安装");
		add_chinese(&sb, more.buf);
		kpr_strbuf_release(&more);
	}
	p->scope = kpr_strbuf_detach(&sb);
}

static void make_years(struct project *p)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	switch (p->nature) {
	case N_NEW:
		p->start_year = YEAR;
		p->end_year = YEAR + (int)range(0, 3);
		break;
	case N_CONTINUING:
		p->start_year = (int)range(2020, 2022);
		p->end_year = (int)range(YEAR, 2026);
		break;
	case N_COMPLETING:
		p->start_year = (int)range(2021, 2022);
		p->end_year = YEAR;
		break;
	case N_PREPARATION:
		p->start_year = (int)range(YEAR, YEAR + 1);
		p->end_year = p->start_year + (int)range(1, 3);
		break;
	}
	int r = rnd(10);
	if (r < 6)
		kpr_strbuf_addf(&sb, "%d-%d", p->start_year, p->end_year);
	else if (r < 8)
		kpr_strbuf_addf(&sb, "%d—%d", p->start_year, p->end_year);
	else
		kpr_strbuf_addf(&sb, "%d年-%d年", p->start_year, p->end_year);
	p->years = kpr_strbuf_detach(&sb);
}

/* ISO 7064 MOD 11-2 over the digits: our stand-in, the platform's own check is not published */
static char check_char(const char *code)
{
	int sum = 0;
	for (const char *c = code; *c; c++)
		if (*c >= '0' && *c <= '9')
			sum = (sum * 2 + (*c - '0')) % 11;
	int v = (12 - (sum * 2) % 11) % 11;
	return v == 10 ? 'X' : (char)('0' + v);
}

static int code_taken(const char *code, int upto)
{
	for (int i = 0; i < upto; i++)
		if (strcmp(projects[i].code, code) == 0)
			return 1;
	return 0;
}

static void make_code(struct project *p, int idx, int *local_seq)
{
	static const char *const departments[] = { "04", "04", "12", "13", "48", "89", "05", "26" };
	static const char *const types[] = { "01", "01", "01", "02", "03", "03" };
	int national = p->nature == N_PREPARATION ? chance(250) : chance(780);

	if (!national) {
		snprintf(p->code, sizeof(p->code), "LF%d-%03d", YEAR, ++*local_seq);
		return;
	}
	do {
		int yy, mm;
		if (p->nature == N_NEW) {
			yy = chance(400) ? 22 : 23;
			mm = yy == 22 ? (int)range(6, 12) : (int)range(1, 3);
		} else {
			yy = p->start_year % 100 - (int)range(0, 1);
			mm = (int)range(1, 12);
		}
		char head[32];
		snprintf(head, sizeof(head), "%02d%02d-%s-%s-%s-%05d", yy, mm, regions[p->region].code,
			 PICK(departments), PICK(types), (int)range(0, 99999));
		snprintf(p->code, sizeof(p->code), "%s%c", head, check_char(head));
	} while (code_taken(p->code, idx));
}

static void make_leaders(void)
{
	for (int i = 0; i < NLEADERS; i++) {
		char name[16];
		do {
			int a = rnd((int)KPR_ARRAY_SIZE(given)), b = rnd((int)KPR_ARRAY_SIZE(given));
			if (a == b)
				continue;
			snprintf(name, sizeof(name), "%s%s%s", surnames[rnd((int)KPR_ARRAY_SIZE(surnames))], given[a],
				 given[b]);
			int dup = 0;
			for (int j = 0; j < i; j++)
				dup |= strstr(leaders[j], name) != NULL;
			if (!dup)
				break;
		} while (1);
		snprintf(leaders[i], sizeof(leaders[i]), "%s %s", titles[i], name);
	}
}

/* village toilets and pocket parks cost less than logistics parks */
static int kind_is_small(const char *subject)
{
	return subject[0] == 'G' && subject[1] == 'A';
}

static void make_project(struct project *p, int idx, int sc)
{
	const struct scenario *s = &scenarios[sc];
	int nsubjects = 0;
	while (nsubjects < 16 && s->subjects[nsubjects])
		nsubjects++;
	const char *subject = s->subjects[rnd(nsubjects)];
	int government = subject[0] == 'G';

	memset(p, 0, sizeof(*p));
	p->scenario = sc;
	p->scenario2 = -1;
	p->zone = -1;
	p->region = pick_region(s->regions, government && sc != 18);
	for (int z = 0; z < (int)KPR_ARRAY_SIZE(zones); z++)
		if ((zones[z].regions & RM(p->region)) && chance(government ? zones[z].permille / 3 : zones[z].permille))
			p->zone = z;

	int n = rnd(100);
	p->nature = n < 38 ? N_NEW : n < 80 ? N_CONTINUING : n < 90 ? N_COMPLETING : N_PREPARATION;
	make_years(p);
	if (p->nature == N_NEW) {
		/* the three start campaigns (集中开工) are in March, June and September */
		static const int months[] = { 2, 3, 3, 3, 3, 4, 4, 5, 6, 6, 6, 7, 8, 9, 9 };
		p->planned_start = PICK(months);
	}

	int nind = 0;
	while (nind < 4 && s->industry[nind])
		nind++;
	p->industry = kpr_xstrdup(s->industry[rnd(nind)]);

	p->kind = subject[1];
	make_name(p, idx, subject);
	make_owner(p, subject);
	make_scope(p, subject);

	/* total investment: many small, a few very large (10,000 万元 = 1 亿元) */
	int tier = rnd(100);
	int64_t total = tier < 40 ? range(3000, 30000) : tier < 78 ? range(30000, 80000)
		      : tier < 96 ? range(80000, 300000) : range(300000, 1200000);
	if (kind_is_small(subject))
		total = total / 3 + 1000;
	p->total = realistic(total * UNIT + range(0, UNIT - 1));
	p->total_separators = chance(150);
	p->level_provincial = p->total >= 100000LL * UNIT ? chance(650) : chance(80);
	p->leader = kpr_xstrdup(leaders[p->region == R_CITY ? sc % NLEADERS : (p->region * 7 + (sc % 2)) % NLEADERS]);
}

/* the annual plan: a share of the total by nature, scaled so the list adds up to PLAN_TARGET */
static void make_plans(void)
{
	int64_t raw[NPROJECTS];
	__int128 sum = 0;

	for (int i = 0; i < NPROJECTS; i++) {
		struct project *p = &projects[i];
		int permille = p->nature == N_NEW ? (int)range(150, 450)
			     : p->nature == N_CONTINUING ? (int)range(150, 500)
			     : p->nature == N_COMPLETING ? (int)range(300, 800) : 0;
		raw[i] = p->total / 1000 * permille;
		sum += raw[i];
	}
	for (int i = 0; i < NPROJECTS; i++) {
		struct project *p = &projects[i];
		if (p->nature == N_PREPARATION) {
			p->plan = -1;	/* 前期: no annual plan */
			continue;
		}
		p->plan = realistic((int64_t)((__int128)raw[i] * PLAN_TARGET / sum));
		if (p->plan > p->total)
			p->plan = p->total;
		if (p->plan < 50 * UNIT)
			p->plan = 50 * UNIT;
	}
}

static void make_second_scenarios(void)
{
	for (int i = 0; i < NPROJECTS; i++) {
		struct project *p = &projects[i];
		int rel = scenarios[p->scenario].related;
		if (rel >= 0 && (scenarios[rel].regions & RM(p->region)) && chance(35))
			p->scenario2 = rel;
	}
}

/* the list as offices send it: by scenario, then by region */
static void sort_projects(void)
{
	for (int i = 1; i < NPROJECTS; i++) {
		struct project t = projects[i];
		int j = i;
		while (j > 0 && (projects[j - 1].scenario > t.scenario ||
				 (projects[j - 1].scenario == t.scenario && projects[j - 1].region > t.region))) {
			projects[j] = projects[j - 1];
			j--;
		}
		projects[j] = t;
	}
}

static const char *const header[] = { "序号", "项目代码", "项目名称", "县(市、区)", "功能区", "所属场景", "产业类别",
	"项目级别", "建设性质", "建设单位", "责任单位", "包联领导", "建设规模及内容", "建设起止年限", "计划开工时间",
	"总投资(万元)", "2023年计划投资(万元)", "备注" };
#define NCOLUMNS ((int)KPR_ARRAY_SIZE(header))

static void write_projects(struct kpr_strbuf *sb)
{
	static const char *const remarks[] = { "省市重点", "2022年结转", "专项债券支持", "集中开工项目",
		"市领导包联", "京津冀协同项目", "招商引资项目" };
	char tmp[64];

	kpr_strbuf_adds(sb, "\xEF\xBB\xBF");
	/* Excel pads every row to the sheet's used width */
	kpr_strbuf_addf(sb, "%d年廊坊市重点项目计划表", YEAR);
	for (int i = 1; i < NCOLUMNS; i++)
		kpr_strbuf_addch(sb, ',');
	kpr_strbuf_adds(sb, "\r\n");
	for (int i = 1; i < NCOLUMNS; i++)
		kpr_strbuf_addch(sb, ',');
	kpr_strbuf_adds(sb, "单位:万元\r\n");
	for (int i = 0; i < NCOLUMNS; i++)
		csv_field(sb, header[i], i == NCOLUMNS - 1);

	for (int i = 0; i < NPROJECTS; i++) {
		const struct project *p = &projects[i];
		struct kpr_strbuf sc = KPR_STRBUF_INIT;
		snprintf(tmp, sizeof(tmp), "%d", i + 1);
		csv_field(sb, tmp, 0);
		csv_field(sb, p->code, 0);
		csv_text(sb, p->name, 0);
		csv_field(sb, regions[p->region].name, 0);
		csv_field(sb, p->zone >= 0 ? zones[p->zone].name : "", 0);
		kpr_strbuf_adds(&sc, scenarios[p->scenario].name);
		if (p->scenario2 >= 0)
			kpr_strbuf_addf(&sc, "、%s", scenarios[p->scenario2].name);
		csv_field(sb, sc.buf, 0);
		kpr_strbuf_release(&sc);
		csv_field(sb, p->industry, 0);
		csv_field(sb, p->level_provincial ? "省重点" : "市重点", 0);
		csv_field(sb, nature_names[p->nature], 0);
		csv_text(sb, p->owner, 0);
		csv_text(sb, p->unit, 0);
		csv_field(sb, p->leader, 0);
		csv_field(sb, p->scope, 0);
		csv_field(sb, p->years, 0);
		if (p->nature == N_NEW)
			snprintf(tmp, sizeof(tmp), "%d-%02d", YEAR, p->planned_start);
		else
			tmp[0] = '\0';
		csv_field(sb, tmp, 0);
		csv_money(sb, p->total, p->total_separators && p->total >= 1000 * UNIT, 0);
		if (p->plan >= 0)
			csv_money(sb, p->plan, 0, 0);
		else
			csv_field(sb, "", 0);
		csv_field(sb, chance(120) ? PICK(remarks) : "", 1);
	}
}

/* ---- progress -------------------------------------------------------------------------- */

static const int season[13] = { 0, 4, 5, 8, 9, 9, 9, 9, 9, 9, 10, 10, 9 };
static const char *const problems[] = { "土地手续未办结", "资金未到位", "环评批复未取得", "征地拆迁未完成",
	"施工许可办理中", "融资进度滞后", "受汛期影响施工进度放缓", "设备采购周期长", "规划调整,方案重新审批",
	"电力增容未完成" };
static const char *const reasons[] = { "统计口径调整", "核减重复统计投资", "审计核减", "设备款退回",
	"合同变更调减" };

struct row {
	int64_t amount;
	int reported;
	int start_day;		/* the row gives 实际开工时间 */
	const char *reason;	/* 调整原因 of a negative month */
};

static struct row rows[NPROJECTS][13];

static int stalled_month(const struct project *p, int m)
{
	return p->profile == P_STALLED && m >= 6 && m <= 9;
}

/*
 * Who reports what.  前期 projects report nothing.  The others follow a profile, so the colour
 * rules have something to find: about 73% on track (the year ends at 108-145% of plan, like
 * 2022's 136.6%), 5% far ahead, 13% lagging (65-88%: 10-30 points behind in autumn), 9% far
 * behind (20-48%), a few stalled (续建, nothing June to September, "资金未到位").  New starts
 * invest from their actual start (实际开工时间 given in that month), which is their planned month,
 * or 2-5 months later for about one in nine, or not in 2023 at all for a few.  Then seven
 * negative months (调减, with 调整原因) and fourteen unreported months, four of them September.
 */
static void plan_progress(void)
{
	for (int i = 0; i < NPROJECTS; i++) {
		struct project *p = &projects[i];
		int r = rnd(100), ratio;
		p->says_none = chance(400);
		p->problem = rnd((int)KPR_ARRAY_SIZE(problems));
		if (p->nature == N_PREPARATION)
			continue;
		p->profile = r < 5 ? P_AHEAD : r < 78 ? P_ON_TRACK : r < 91 ? P_LAGGING : P_FAR_BEHIND;
		if (p->nature == N_CONTINUING && chance(45))
			p->profile = P_STALLED;
		p->actual_start = 1;
		if (p->nature == N_NEW) {
			p->actual_start = p->planned_start;
			if (chance(110))	/* starts late */
				p->actual_start = p->planned_start + (int)range(2, 5);
			if (p->actual_start > 12 || chance(12))	/* not started in 2023 */
				p->actual_start = 0;
		}
		if (p->nature == N_COMPLETING)
			p->completion = (int)range(10, 12);

		switch (p->profile) {
		case P_AHEAD: ratio = (int)range(1450, 1850); break;
		case P_ON_TRACK: ratio = p->nature == N_NEW ? (int)range(1150, 1450) : (int)range(1080, 1400); break;
		case P_LAGGING: ratio = (int)range(650, 880); break;
		case P_FAR_BEHIND: ratio = (int)range(200, 480); break;
		default: ratio = (int)range(500, 800); break;
		}

		int64_t year_total = p->plan / 1000 * ratio, weights[13] = { 0 }, wsum = 0;
		int last = p->completion ? p->completion : 12;
		for (int m = p->actual_start ? p->actual_start : 13; m <= last; m++) {
			if (stalled_month(p, m))
				continue;
			weights[m] = season[m] * range(700, 1300);
			wsum += weights[m];
		}
		/* a new start books its land and first payments in the month it starts */
		if (p->nature == N_NEW && p->actual_start && wsum) {
			int share = (p->actual_start - 4) * 18 + (int)range(-8, 8);
			int64_t chunk = wsum / 100 * (share > 10 ? share : 10);
			weights[p->actual_start] += chunk;
			wsum += chunk;
		}
		for (int m = 1; m <= 12; m++) {
			struct row *w = &rows[i][m];
			w->reported = 1;
			if (!weights[m])
				continue;
			int64_t a = year_total / wsum * weights[m];
			int g = rnd(100);
			w->amount = g < 80 ? round_to(a, UNIT / 100) : g < 95 ? round_to(a, UNIT) : a;
		}
		if (p->nature == N_NEW && p->actual_start)
			rows[i][p->actual_start].start_day = (int)range(1, 28);
	}

	/* corrections: a few negative months (调减), never below zero for the year so far */
	for (int placed = 0, tries = 0; placed < 7 && tries < 10000; tries++) {
		int i = rnd(NPROJECTS), m = (int)range(5, 11);
		struct project *p = &projects[i];
		int64_t cum = 0;
		if (p->nature == N_PREPARATION || p->profile != P_ON_TRACK || rows[i][m].start_day || rows[i][m].reason)
			continue;
		for (int k = 1; k < m; k++)
			cum += rows[i][k].amount;
		if (cum < 100 * UNIT)
			continue;
		rows[i][m].amount = -round_to(cum / 1000 * range(30, 120), UNIT / 100);
		rows[i][m].reason = PICK(reasons);
		placed++;
	}

	/* months not reported: a few, four of them in September */
	for (int placed = 0, tries = 0; placed < 14 && tries < 10000; tries++) {
		int i = rnd(NPROJECTS), m = placed < 4 ? 9 : (int)range(2, 12);
		struct row *w = &rows[i][m];
		if (projects[i].nature == N_PREPARATION || !w->reported || w->start_day || w->reason)
			continue;
		w->reported = 0;
		placed++;
	}
}

static const char *physical(const struct project *p, int m)
{
	static const char *const linear[] = { "施工准备", "路基施工", "管线敷设", "桥涵施工", "路面摊铺",
		"附属设施施工", "收尾工程" };
	static const char *const building[] = { "土方开挖", "基础施工", "主体结构施工中", "主体结构施工中",
		"主体封顶", "二次结构及机电安装", "设备安装调试", "装饰装修", "室外配套工程施工" };
	static const char *const system[] = { "需求调研及方案设计", "设备采购", "系统开发", "设备安装调试", "系统联调",
		"试运行" };
	static const char *const area[] = { "土地平整", "田间工程施工", "配套设施施工", "绿化种植", "收尾工程" };
	if (!p->actual_start || m < p->actual_start) {
		int before = (p->actual_start ? p->actual_start : 99) - m;
		return before == 1 ? "场地平整" : before == 2 ? "施工招标中" : before == 3 ? "正在办理施工许可"
									 : "前期手续办理中";
	}
	if (stalled_month(p, m))
		return "停工";
	if (p->profile == P_STALLED && m == 10)
		return "恢复施工";
	if (p->completion && m > p->completion)
		return "已竣工投产";
	if (p->completion && m == p->completion)
		return "竣工验收";
	const char *const *stages = building;
	int n = (int)KPR_ARRAY_SIZE(building);
	if (p->kind == 'L')
		stages = linear, n = (int)KPR_ARRAY_SIZE(linear);
	else if (p->kind == 'S')
		stages = system, n = (int)KPR_ARRAY_SIZE(system);
	else if (p->kind == 'A')
		stages = area, n = (int)KPR_ARRAY_SIZE(area);
	/* a continuing project is further along in January than a new start in its first month */
	int base = p->nature == N_NEW ? 0 : n / 4, span = 13 - p->actual_start;
	int k = base + (m - p->actual_start) * (n - base) / span;
	return stages[k < n ? k : n - 1];
}

static const char *problem_text(const struct project *p, int m)
{
	if (stalled_month(p, m))
		return "资金未到位,施工暂停";
	if (p->nature == N_NEW && (!p->actual_start || m < p->actual_start) && m >= p->planned_start)
		return p->problem % 2 ? "土地手续未办结" : problems[p->problem];
	if ((p->profile == P_LAGGING || p->profile == P_FAR_BEHIND) && m >= 3)
		return problems[p->problem];
	return p->says_none ? "无" : "";
}

static int64_t write_progress(struct kpr_strbuf *sb, int *nrows)
{
	static const char *const columns[] = { "项目代码", "项目名称", "月份", "本月完成投资(万元)", "形象进度",
		"存在问题", "实际开工时间", "调整原因" };
	int64_t sum = 0;
	char tmp[64];

	kpr_strbuf_adds(sb, "\xEF\xBB\xBF");
	for (int c = 0; c < (int)KPR_ARRAY_SIZE(columns); c++)
		csv_field(sb, columns[c], c == (int)KPR_ARRAY_SIZE(columns) - 1);
	*nrows = 0;
	for (int m = 1; m <= 12; m++) {
		for (int i = 0; i < NPROJECTS; i++) {
			const struct project *p = &projects[i];
			const struct row *w = &rows[i][m];
			if (p->nature == N_PREPARATION || !w->reported)
				continue;
			csv_field(sb, p->code, 0);
			csv_text(sb, p->name, 0);
			int f = rnd(100);
			if (f < 6)
				snprintf(tmp, sizeof(tmp), "%d年%d月", YEAR, m);
			else if (f < 10)
				snprintf(tmp, sizeof(tmp), "%d/%d", YEAR, m);
			else
				snprintf(tmp, sizeof(tmp), "%d-%02d", YEAR, m);
			csv_field(sb, tmp, 0);
			csv_money(sb, w->amount, 0, 0);
			csv_field(sb, physical(p, m), 0);
			csv_text(sb, problem_text(p, m), 0);
			if (w->start_day)
				snprintf(tmp, sizeof(tmp), "%d-%02d-%02d", YEAR, m, w->start_day);
			else
				tmp[0] = '\0';
			csv_field(sb, tmp, 0);
			csv_field(sb, w->reason ? w->reason : "", 1);
			sum += w->amount;
			++*nrows;
		}
	}
	return sum;
}

/* ---- output ---------------------------------------------------------------------------- */

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
	struct kpr_strbuf path = KPR_STRBUF_INIT;
	kpr_strbuf_addf(&path, "%s/%s", dir, name);
	FILE *f = fopen(path.buf, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "gen-langfang: cannot write '%s': %s\n", path.buf, strerror(errno));
	kpr_strbuf_release(&path);
	return ok;
}

/* UTF-8 (after the BOM) to GB18030, as Excel on Chinese Windows saves "CSV (逗号分隔)" */
static int to_gb18030(const struct kpr_strbuf *in, struct kpr_strbuf *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	if (cd == (iconv_t)-1)
		return 0;
	char *src = in->buf + 3;
	size_t left = in->len - 3;
	kpr_strbuf_grow(out, in->len + 16);
	char *dst = out->buf;
	size_t room = out->alloc - 1;
	size_t rc = iconv(cd, &src, &left, &dst, &room);
	iconv_close(cd);
	if (rc == (size_t)-1 || left)
		return 0;
	out->len = (size_t)(dst - out->buf);
	out->buf[out->len] = '\0';
	return 1;
}

static void print_money(const char *label, int64_t v)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	add_money(&sb, v, 1);
	int64_t tenths = (v + 500LL * UNIT) / (1000LL * UNIT);
	printf("%s: %s 万元 (%" PRId64 ".%d 亿元)\n", label, sb.buf, tenths / 10, (int)(tenths % 10));
	kpr_strbuf_release(&sb);
}

int main(int argc, char **argv)
{
	struct kpr_strbuf list = KPR_STRBUF_INIT, gb = KPR_STRBUF_INIT, progress = KPR_STRBUF_INIT;
	int idx = 0, local_seq = 0, two = 0, nrows;
	int64_t total = 0, plan = 0;

	rng_state = 0x4c46323032334b50ULL;	/* "LF2023KP" */
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen-langfang DIR\n");
		return 2;
	}
	make_leaders();
	for (int s = 0; s < NSCENARIOS; s++)
		for (int k = 0; k < scenarios[s].count; k++, idx++)
			make_project(&projects[idx], idx, s);
	if (idx != NPROJECTS) {
		fprintf(stderr, "gen-langfang: the scenarios add up to %d projects, not %d\n", idx, NPROJECTS);
		return 1;
	}
	make_second_scenarios();
	sort_projects();
	for (int i = 0; i < NPROJECTS; i++)
		make_code(&projects[i], i, &local_seq);
	make_plans();
	plan_progress();

	write_projects(&list);
	if (!to_gb18030(&list, &gb)) {
		fprintf(stderr, "gen-langfang: cannot convert the list to GB18030: %s\n", strerror(errno));
		return 5;
	}
	int64_t done = write_progress(&progress, &nrows);
	if (!write_file(argv[1], "projects.csv", list.buf, list.len) ||
	    !write_file(argv[1], "projects-gb18030.csv", gb.buf, gb.len) ||
	    !write_file(argv[1], "progress-2023.csv", progress.buf, progress.len))
		return 5;

	for (int i = 0; i < NPROJECTS; i++) {
		total += projects[i].total;
		if (projects[i].plan > 0)
			plan += projects[i].plan;
		two += projects[i].scenario2 >= 0;
	}
	printf("projects: %d\n", NPROJECTS);
	printf("scenarios: %d\n", NSCENARIOS);
	printf("projects in two scenarios: %d\n", two);
	printf("local codes: %d\n", local_seq);
	print_money("total investment", total);
	print_money("annual plan 2023", plan);
	printf("progress rows: %d\n", nrows);
	print_money("completed 2023", done);
	printf("completion rate 2023: %d.%d%%\n", (int)(done * 1000 / plan / 10), (int)(done * 1000 / plan % 10));

	for (int i = 0; i < NPROJECTS; i++) {
		struct project *p = &projects[i];
		free(p->name), free(p->industry), free(p->owner), free(p->unit), free(p->leader), free(p->scope),
			free(p->years);
	}
	kpr_strbuf_release(&list);
	kpr_strbuf_release(&gb);
	kpr_strbuf_release(&progress);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 5;
}
