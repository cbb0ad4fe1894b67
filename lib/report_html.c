/*
 * report_html.c: the report as one self-contained HTML5 page (kpr report --format html): the
 * title, the headline, the groups table with every column of the CSV contract, an inline SVG
 * bar chart of the completion rate per group against the time-progress line, the colour
 * distribution of the total (an SVG stacked bar), the lagging list, the missing reports and
 * the notes.  Inline CSS only: no script, no external asset, no web font; it reads in any
 * browser and prints on A4 (landscape, header rows repeated, no row cut across pages).
 *
 * Headings, titles, the headline and the notes are report_out.c's (the table and Markdown
 * forms' words); only the chart's own labels are here.  Every text, from the database or not,
 * goes out through put_text() (HTML and SVG alike); every figure printed is the query's cell
 * text, money formatted exactly as the table form does (money.h).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "textwidth.h"

/* The chart's and sections' own words */
struct html_words {
	const char *zh, *en;
};
enum {
	HW_GROUPS, HW_CHART, HW_COLOURS, HW_AHEAD, HW_BEHIND, HW_TIME, HW_IN_ALL, HW_NO_RATE, HW_COUNT
};
static const struct html_words html_words[HW_COUNT] = {
	[HW_GROUPS] = { "投资完成情况", "Investment completion" },
	[HW_CHART] = { "投资完成率与序时进度(%)", "Completion rate against time progress (%)" },
	[HW_COLOURS] = { "项目颜色分布", "Projects by colour" },
	[HW_AHEAD] = { "超过或持平序时进度", "ahead of or level with time progress" },
	[HW_BEHIND] = { "落后序时进度", "behind time progress" },
	[HW_TIME] = { "序时进度", "time progress" },
	[HW_IN_ALL] = { "项目总数", "projects in all" },
	[HW_NO_RATE] = { "无年度计划", "no plan" },
};
#define HW(f, w) ((f)->english ? html_words[w].en : html_words[w].zh)

/* The colour columns of the groups, in the order drawn, with their CSS class and fill */
static const struct {
	enum kpr_report_group_col col;
	const char *code, *fill;
} colours[] = {
	{ KPR_RG_BLUE, "blue", "#2f6fc4" }, { KPR_RG_GREEN, "green", "#2e9a4a" },
	{ KPR_RG_YELLOW, "yellow", "#f0c419" }, { KPR_RG_RED, "red", "#d83a3a" },
	{ KPR_RG_UNRATED, "unrated", "#a7adb5" },
};

static const char style[] =
	"@page{size:A4 landscape;margin:12mm 10mm}\n"
	"html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\","
	"\"WenQuanYi Micro Hei\",SimSun,sans-serif;font-size:10pt;line-height:1.45;color:#1b1f24;"
	"max-width:277mm;margin:0 auto;padding:6mm 4mm}\n"
	"header{text-align:center;border-bottom:3px solid #b0191e;padding-bottom:2mm;margin-bottom:4mm}\n"
	"h1{font-size:18pt;margin:0 0 1mm;letter-spacing:.04em}\n"
	".sub{margin:0;color:#4a5360}\n"
	".headline{font-size:11pt;background:#f4f6f9;border-left:4px solid #b0191e;padding:2mm 4mm;margin:0 0 4mm}\n"
	"h2{font-size:12.5pt;margin:6mm 0 2mm;padding-left:2mm;border-left:4px solid #1f4e8c;break-after:avoid}\n"
	"table{border-collapse:collapse;width:100%;font-size:9pt}\n"
	"thead{display:table-header-group}\n"
	"tr{break-inside:avoid;page-break-inside:avoid}\n"
	"th,td{border:1px solid #a9b3bf;padding:1.2mm 1.5mm;vertical-align:middle}\n"
	"th{background:#1f4e8c;color:#fff;font-weight:bold;text-align:center}\n"
	"tbody tr:nth-child(even){background:#f3f6fa}\n"
	"td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"td.neg{color:#b0191e}\n"
	"tr.total td{font-weight:bold;background:#fbefd5;border-top:2px solid #1f4e8c}\n"
	"th.c-blue{box-shadow:inset 0 -4px #2f6fc4}th.c-green{box-shadow:inset 0 -4px #2e9a4a}\n"
	"th.c-yellow{box-shadow:inset 0 -4px #f0c419}th.c-red{box-shadow:inset 0 -4px #d83a3a}\n"
	"th.c-unrated{box-shadow:inset 0 -4px #a7adb5}\n"
	"td.c-blue{background:#dce8f8;color:#1d4f94}td.c-green{background:#dcf0e1;color:#1f6e34}\n"
	"td.c-yellow{background:#fdf2c4;color:#7a5b00}td.c-red{background:#f9dada;color:#a01c1c}\n"
	"td.c-unrated{background:#eceef1;color:#4a5360}\n"
	"td.zero{color:#9aa3ad}\n"
	"table.list th,td.nw{white-space:nowrap}\n"
	"figure{margin:0;break-inside:avoid}\n"
	"figure svg{display:block;width:100%;height:auto;max-width:260mm}\n"
	".none{color:#6b7480}\n"
	".notes{margin-top:5mm;font-size:9.5pt}.notes ol{margin:1mm 0;padding-left:6mm}\n"
	"@media print{body{padding:0;max-width:none}}\n";

/*
 * The one escaping function: s as HTML text, good in element content, in a quoted attribute
 * and in SVG text alike: & < > " ' as character references, a control character other than a
 * tab or line break as a space.  NULL writes nothing.
 */
static void put_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				fputc(' ', out);
			else
				fputc(*s, out);
		}
	}
}

/* <tag class="cls">text</tag> (cls NULL: none) */
static void put_element(FILE *out, const char *tag, const char *cls, const char *text)
{
	fprintf(out, "<%s", tag);
	if (cls)
		fprintf(out, " class=\"%s\"", cls);
	fputc('>', out);
	put_text(out, text);
	fprintf(out, "</%s>", tag);
}

static bool is_money(enum kpr_report_group_col c)
{
	return c == KPR_RG_TOTAL || c == KPR_RG_PLAN || c == KPR_RG_COMPLETED;
}

/* Money (whole yuan) as the table form writes it for people: 亿元 to one decimal, or 万元. */
static const char *money_text(const char *yuan, enum kpr_unit unit, char *buf)
{
	if (!yuan)
		return NULL;
	return unit == KPR_UNIT_WAN ? kpr_money_format_wan(atoll(yuan), buf) : kpr_money_format_yi(atoll(yuan), 1, buf);
}

static const char *colour_code(enum kpr_report_group_col c)
{
	for (size_t i = 0; i < KPR_ARRAY_SIZE(colours); i++)
		if (colours[i].col == c)
			return colours[i].code;
	return NULL;
}

static const char *total_cell(const struct kpr_report *r, enum kpr_report_group_col c)
{
	return kpr_batch_cell(&r->groups, r->groups.nrows - 1, c);
}

/* A group's name: the 合计 row's in the report's language */
static const char *group_name(const struct kpr_report *r, size_t row, bool english)
{
	if (row + 1 == r->groups.nrows)
		return kpr_report_word(KPR_RW_TOTAL, english);
	return kpr_batch_cell(&r->groups, row, KPR_RG_GROUP);
}

/* One cell of the groups table */
static void put_group_cell(FILE *out, const struct kpr_report *r, size_t row, int c, const struct kpr_report_form *f)
{
	const char *s = kpr_batch_cell(&r->groups, row, c), *colour = colour_code(c);
	char buf[40], cls[32];

	if (c == KPR_RG_GROUP) {
		put_element(out, "td", NULL, group_name(r, row, f->english));
		return;
	}
	if (c == KPR_RG_CODE) {
		put_element(out, "td", NULL, s);
		return;
	}
	if (is_money(c))
		s = money_text(s, f->unit, buf);
	/* a colour count above zero in its colour, a zero grey; a negative figure red */
	bool some = s && strcmp(s, "0") != 0;
	if (colour)
		snprintf(cls, sizeof(cls), "n %s%s", some ? "c-" : "zero", some ? colour : "");
	else
		snprintf(cls, sizeof(cls), "n%s", s && s[0] == '-' ? " neg" : "");
	put_element(out, "td", cls, s);
}

static void write_groups_table(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	fputs("<h2>", out);
	put_text(out, HW(f, HW_GROUPS));
	fputs("</h2>\n<table id=\"groups\">\n<thead><tr>", out);
	for (int c = 0; c < KPR_RG_CSV_COLS; c++) {
		const char *colour = colour_code(c);
		char cls[24];
		snprintf(cls, sizeof(cls), "c-%s", colour ? colour : "");
		put_element(out, "th", colour ? cls : NULL, kpr_report_heading(r, KPR_REPORT_GROUPS, c, f->english));
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t row = 0; row < r->groups.nrows; row++) {
		fputs(row + 1 == r->groups.nrows ? "<tr class=\"total\">" : "<tr>", out);
		for (int c = 0; c < KPR_RG_CSV_COLS; c++)
			put_group_cell(out, r, row, c, f);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* A rate's cell text ("-3.8") as a number: for drawing pixels only, never printed. */
static double rate_value(const char *s)
{
	return s ? strtod(s, NULL) : 0.0;
}

/* The chart's geometry (SVG user units: pixels at 100%) */
enum { BAR_W = 640, ROW_H = 26, BAR_H = 16, TOP = 34, AXIS_H = 26, PAD = 10 };

/* The axis: its step (20, 50, 100, 200, 500, ...: at most 8 steps) and its end, the largest
 * rate (or 100) rounded up to a step. */
static int chart_scale(const struct kpr_report *r, int *step)
{
	static const int mult[] = { 2, 5, 10 };
	double max = 100.0;
	for (size_t row = 0; row < r->groups.nrows; row++) {
		double v = rate_value(kpr_batch_cell(&r->groups, row, KPR_RG_RATE));
		if (v > max)
			max = v;
	}
	if (max > 1e8)
		max = 1e8;	/* a rate past that is drawn as far as the axis goes */
	for (int p = 10, i = 0; ; i = (i + 1) % 3, p = i ? p : p * 10)
		if (max / (*step = mult[i] * p) <= 8)
			break;
	int top = (int)max + ((int)max < max);
	return (top + *step - 1) / *step * *step;
}

/* The label column's width: the longest group name, a CJK character counting two */
static int label_width(const struct kpr_report *r, bool english)
{
	size_t w = 8;
	for (size_t row = 0; row < r->groups.nrows; row++) {
		const char *s = group_name(r, row, english);
		size_t n = s ? kpr_text_width(s) : 0;
		if (n > w)
			w = n;
	}
	return (int)(w > 40 ? 40 : w) * 7 + 2 * PAD;
}

/* The axis: grid lines and ticks every step */
static void chart_axis(FILE *out, int x0, int scale, int step, int y_end)
{
	for (int v = 0; v <= scale; v += step) {
		double x = x0 + (double)v * BAR_W / scale;
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>\n",
			x, TOP - 6, x, y_end, v == 0 ? "#5a6470" : "#e1e5ea");
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#5a6470\">%d</text>\n",
			x, y_end + 16, v);
	}
}

/* One group's bar: ahead (or level) blue, behind orange; or (value) the rate at its end,
 * drawn after the time-progress line, over it */
static void chart_bar(FILE *out, const struct kpr_report *r, size_t row, int x0, int scale, int y, bool value,
		      const struct kpr_report_form *f)
{
	const char *rate = kpr_batch_cell(&r->groups, row, KPR_RG_RATE);
	const char *points = kpr_batch_cell(&r->groups, row, KPR_RG_POINTS);
	bool total = row + 1 == r->groups.nrows;
	double v = rate_value(rate), w = v > 0 ? (v < scale ? v : scale) * (double)BAR_W / scale : 0;

	if (value && rate) {
		/* on white, readable where the time-progress line crosses it (a digit: 7.5 units) */
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fff\"/>\n",
			x0 + w + 2, y, strlen(rate) * 7.5 + 6, BAR_H);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\"%s>", x0 + w + 5, y + BAR_H - 3, total ? " font-weight=\"bold\"" : "");
		put_text(out, rate);
		fputs("</text>\n", out);
	}
	if (value)
		return;
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>", x0 - PAD, y + BAR_H - 3,
		total ? " font-weight=\"bold\"" : "");
	put_text(out, group_name(r, row, f->english));
	fputs("</text>\n", out);
	if (!rate) {
		fprintf(out, "<text x=\"%d\" y=\"%d\" fill=\"#8a939e\">", x0 + 6, y + BAR_H - 3);
		put_text(out, HW(f, HW_NO_RATE));
		fputs("</text>\n", out);
		return;
	}
	bool behind = points && points[0] == '-';
	fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s/>\n", x0, y, w, BAR_H,
		behind ? "#e8862a" : "#2f6fc4", total ? " stroke=\"#1b1f24\" stroke-width=\"1.5\"" : "");
}

/* The legend under the axis: the two bar colours */
static void chart_legend(FILE *out, int x0, int y, const struct kpr_report_form *f)
{
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"#2f6fc4\"/>"
		"<text x=\"%d\" y=\"%d\">", x0, y, x0 + 18, y + 9);
	put_text(out, HW(f, HW_AHEAD));
	fprintf(out, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"#e8862a\"/>"
		"<text x=\"%d\" y=\"%d\">", x0 + 260, y, x0 + 278, y + 9);
	put_text(out, HW(f, HW_BEHIND));
	fputs("</text>\n", out);
}

/*
 * The completion rate of every group (and the total) as horizontal bars against the
 * time-progress line.  The lengths are computed from the rate's text through a double: pixels
 * only; the figures written are the cells' text.
 */
static void write_chart(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	int step, scale = chart_scale(r, &step), x0 = label_width(r, f->english);
	int n = (int)r->groups.nrows, y_end = TOP + n * ROW_H;
	int width = x0 + BAR_W + 60, height = y_end + AXIS_H + 24;
	const char *time = total_cell(r, KPR_RG_TIME);
	double tx = x0 + rate_value(time) * BAR_W / scale;

	fputs("<h2>", out);
	put_text(out, HW(f, HW_CHART));
	fprintf(out, "</h2>\n<figure id=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"width=\"%d\" height=\"%d\" font-size=\"12\" font-family=\"inherit\" role=\"img\">\n",
		width, height, width, height);
	chart_axis(out, x0, scale, step, y_end);
	for (int row = 0; row < n; row++)
		chart_bar(out, r, row, x0, scale, TOP + row * ROW_H + (ROW_H - BAR_H) / 2, false, f);
	fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#b0191e\" stroke-width=\"2\" "
		"stroke-dasharray=\"6 4\"/>\n", tx, TOP - 10, tx, y_end);
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#b0191e\" font-weight=\"bold\">", tx, TOP - 14);
	put_text(out, HW(f, HW_TIME));
	fputc(' ', out);
	put_text(out, time);
	fputs("%</text>\n", out);
	for (int row = 0; row < n; row++)
		chart_bar(out, r, row, x0, scale, TOP + row * ROW_H + (ROW_H - BAR_H) / 2, true, f);
	chart_legend(out, x0, y_end + AXIS_H + 4, f);
	fputs("</svg>\n</figure>\n", out);
}

/*
 * The colours of the total as one stacked bar (segment widths in whole pixels from the exact
 * counts), the count written in a segment wide enough, and a legend with every count.
 */
static void write_colours(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	enum { W = 800, H = 30, LEG = 160 };
	long all = 0, done = 0;
	int x = 0;

	for (size_t i = 0; i < KPR_ARRAY_SIZE(colours); i++)
		all += atol(total_cell(r, colours[i].col));
	fputs("<h2>", out);
	put_text(out, HW(f, HW_COLOURS));
	fputs("</h2>\n<figure id=\"colours\">\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		"font-size=\"12\" font-family=\"inherit\" role=\"img\">\n", W, H + 34, W, H + 34);
	for (size_t i = 0; all > 0 && i < KPR_ARRAY_SIZE(colours); i++) {
		const char *s = total_cell(r, colours[i].col);
		done += atol(s);
		int end = (int)(done * W / all), w = end - x;
		if (w > 0)
			fprintf(out, "<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", x, w, H,
				colours[i].fill);
		if (w >= 24) {
			fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">",
				x + w / 2, H / 2 + 4, i == 2 || i == 4 ? "#1b1f24" : "#ffffff");
			put_text(out, s);
			fputs("</text>\n", out);
		}
		x = end;
	}
	for (size_t i = 0; i < KPR_ARRAY_SIZE(colours); i++) {
		int lx = (int)i * LEG;
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
			lx, H + 12, colours[i].fill, lx + 17, H + 23);
		put_text(out, kpr_report_heading(r, KPR_REPORT_GROUPS, colours[i].col, f->english));
		fputc(' ', out);
		put_text(out, total_cell(r, colours[i].col));
		fputs("</text>\n", out);
	}
	fputs("</svg>\n</figure>\n<p class=\"sub\">", out);
	put_text(out, HW(f, HW_IN_ALL));
	fputc(' ', out);
	put_text(out, total_cell(r, KPR_RG_PROJECTS));
	fputs("</p>\n", out);
}

/* The lagging list or the missing reports: every column, the colour in words and in colour */
static void write_list(FILE *out, const struct kpr_report *r, enum kpr_report_section sec,
		       const struct kpr_report_form *f)
{
	const struct kpr_batch_table *t = sec == KPR_REPORT_LAGGING ? &r->lagging : &r->missing;
	int ncols = sec == KPR_REPORT_LAGGING ? KPR_RL_COLS : KPR_RM_COLS;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	kpr_report_section_title(r, sec, f->english, &sb);
	fputs("<h2>", out);
	put_text(out, sb.buf);
	fprintf(out, "</h2>\n");
	kpr_strbuf_release(&sb);
	if (t->nrows == 0) {
		put_element(out, "p", "none", kpr_report_word(KPR_RW_NONE, f->english));
		fputc('\n', out);
		return;
	}
	fprintf(out, "<table id=\"%s\" class=\"list\">\n<thead><tr>", sec == KPR_REPORT_LAGGING ? "lagging" : "missing");
	for (int c = 0; c < ncols; c++)
		put_element(out, "th", NULL, kpr_report_heading(r, sec, c, f->english));
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t row = 0; row < t->nrows; row++) {
		fputs("<tr>", out);
		for (int c = 0; c < ncols; c++) {
			const char *s = kpr_batch_cell(t, row, c);
			char cls[24];
			bool lag = sec == KPR_REPORT_LAGGING;
			/* codes, regions and colours on one line; rates right-aligned */
			bool nw = lag ? c == KPR_RL_CODE || c == KPR_RL_REGION
				: c == KPR_RM_REGION || c == KPR_RM_REGION_CODE || c == KPR_RM_CODE;
			if (lag && c == KPR_RL_COLOUR && kpr_report_colour_word(s, f->english)) {
				snprintf(cls, sizeof(cls), "nw c-%s", s);
				put_element(out, "td", cls, kpr_report_colour_word(s, f->english));
			} else {
				put_element(out, "td", lag && (c == KPR_RL_RATE || c == KPR_RL_BEHIND) ? "n" : nw ? "nw" : NULL, s);
			}
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

static void write_notes(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;
	int n = 0;

	for (int k = 0; k < KPR_REPORT_NOTES; k++) {
		kpr_strbuf_reset(&sb);
		if (!kpr_report_note(r, f->english, k, &sb))
			continue;
		if (n++ == 0) {
			fputs("<div class=\"notes\" id=\"notes\">", out);
			put_element(out, "b", NULL, kpr_report_word(KPR_RW_NOTES, f->english));
			fputs("\n<ol>\n", out);
		}
		put_element(out, "li", NULL, sb.buf);
		fputc('\n', out);
	}
	if (n)
		fputs("</ol>\n</div>\n", out);
	kpr_strbuf_release(&sb);
}

/* <head>: the title, the character set, the style */
static void write_head(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
		f->english ? "en" : "zh-CN");
	kpr_report_title(r, f, false, &sb);
	put_text(out, sb.buf);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", style);
	put_element(out, "h1", NULL, sb.buf);
	kpr_strbuf_reset(&sb);
	kpr_report_title(r, f, true, &sb);
	fputc('\n', out);
	put_element(out, "p", "sub", sb.buf);
	fputs("\n</header>\n", out);
	kpr_strbuf_release(&sb);
}

int kpr_report_write_html(FILE *out, const struct kpr_report *r, const struct kpr_report_form *f)
{
	bool all = f->section == KPR_REPORT_ALL;
	struct kpr_strbuf sb = KPR_STRBUF_INIT;

	write_head(out, r, f);
	if (all) {
		kpr_report_headline(r, f->english, &sb);
		fputs("<p class=\"headline\" id=\"headline\">", out);
		put_text(out, sb.buf);
		fputs("</p>\n", out);
		kpr_strbuf_release(&sb);
	}
	if (all || f->section == KPR_REPORT_GROUPS) {
		write_groups_table(out, r, f);
		write_chart(out, r, f);
		write_colours(out, r, f);
	}
	if (all || f->section == KPR_REPORT_LAGGING)
		write_list(out, r, KPR_REPORT_LAGGING, f);
	if (all || f->section == KPR_REPORT_MISSING)
		write_list(out, r, KPR_REPORT_MISSING, f);
	if (all)
		write_notes(out, r, f);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? KPR_EFILE : KPR_OK;
}
