#!/usr/bin/env python3
# The workbook fixtures' sources and what LibreOffice does not write; run by make-fixtures.sh.
#   make-fixtures.py TMPDIR: writes the CSV twins and the openpyxl-only workbooks here, and the
#   workbooks LibreOffice is to re-save (projects.xlsx, progress.xlsx, bad.xlsx) into TMPDIR.
import datetime
import sys
import zipfile

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

tmp = sys.argv[1]
D = datetime.datetime

HEAD = ["序号", "项目代码", "项目名称", "县(市、区)", "功能区", "所属场景", "产业类别", "项目级别", "建设性质",
        "建设单位", "责任单位", "包联领导", "建设规模及内容", "建设起止年限", "计划开工时间", "总投资(万元)",
        "2023年计划投资(万元)", "备注"]

# Each project: the cells of the workbook (what a clerk's sheet holds) and, where the CSV twin
# holds other text for the same value, that text: (workbook value, CSV text).
def P(code, name, region, zone, scen, ind, level, nature, owner, unit, leader, scope, years, start, total, plan,
      remarks=None):
    return [code, name, region, zone, scen, ind, level, nature, owner, unit, leader, scope, years, start, total,
            plan, remarks]

M = lambda y, m: (D(y, m, 1), "%04d-%02d" % (y, m))		# a date cell formatted yyyy-mm
F = lambda formula, text: (formula, text)			# a formula and the value it gives
PROJECTS = [
    P("2303-131022-04-01-573274", "固安智能制造产业园项目", "固安县", None, "制造强市", "先进制造", "省重点", "新开工",
      "固安产业园开发有限公司", "固安县人民政府", "副市长 王某", "新建厂房12万平方米，购置生产线8条，\n配套建设仓储及办公楼",
      "2023-2025", M(2023, 4), 120000, 35000.3),
    P("LF2023-002", "廊坊临空经济区智慧物流园项目", "广阳区", "临空经济区", "现代商贸物流强市、数字廊坊", "现代物流", "市重点",
      "续建", "廊坊临空物流有限公司", "临空经济区管委会", "副市长 李某", '建设"智慧物流"分拣中心及冷链仓库', "2022—2024",
      None, 80000.5, F("=20000+0.25", "20000.25")),
    P("LF2023-003", "大厂影视小镇二期", "大厂", None, "品位廊坊", "文化旅游", "市重点", "续建", "大厂影视文化有限公司",
      "大厂回族自治县人民政府", "副市长 赵某", "建设影棚及配套设施", "2021年-2024年", None, "45,000", "１２０００"),
    P("LF2023-004", "三河市第一医院新院区", "131082", "燕郊高新区", "健康廊坊", "医疗卫生", "省重点", "竣工投产",
      "三河市卫生健康局", "三河市人民政府", "副市长 钱某", "新建门诊楼、住院楼", "2021-2023", None, 60000, 15000),
    P("LF2023-005", "廊坊市城区道路提升工程", "廊坊市", None, "交通强市", "基础设施", "市重点", "前期",
      "廊坊市住房和城乡建设局", "市住建局", "副市长 孙某", "改造道路20公里", "2023-2026", "2023年9月", 30000, 5000,
      "备注文字"),
    P("LF2023-006", "永清县光伏储能示范项目", "永清县", None, "制造强市", "新能源", "市重点", "新开工", "永清绿能有限公司",
      "永清县人民政府", "副市长 王某", "建设光伏电站50兆瓦", "2023-2024", M(2023, 6), 1234.5678, 0.1),
    P("LF2023-007", "香河家居产业升级项目", "香河县", None, "制造强市", "家居制造", "市重点", "续建", "香河家居集团",
      "香河县人民政府", "副市长 李某", "改造生产线", "2022-2024", None, F("=SUM(1000,2000.5)", "3000.5"), 1000.0001),
    P("LF2023-008", "霸州市冷链物流中心", "霸州市", None, "现代商贸物流强市", "现代物流", "市重点", "新开工",
      "霸州冷链有限公司", "霸州市人民政府", "副市长 赵某", "建设冷库", "2023-2025", M(2023, 3), 99999999.9999, 0.3),
    P("LF2023-009", "文安县人造板产业园", "文安县", None, "制造强市", "建材", "市重点", "续建", "文安板业有限公司",
      "文安县人民政府", "副市长 钱某", "建设板材生产线", "2022-2025", None, 7500, F("=0.1+0.2", "0.3")),
    P("LF2023-010", "大城县绝热材料基地", "大城县", None, "制造强市", "建材", "市重点", "新开工", "大城绝热材料有限公司",
      "大城县人民政府", "副市长 孙某", "建设绝热材料生产线", "2023-2024", M(2023, 5), 12345678.12, 2500,
      (True, "TRUE")),
    P("LF2023-011", "安次区数字经济产业园", "安次区", "廊坊经济技术开发区", "数字廊坊", "数字经济", "省重点", "续建",
      "安次数字科技有限公司", "安次区人民政府", "副市长 王某", "建设数据中心", "2022-2024", None, 0.0001, 0.0001),
    P("LF2023-012", "广阳区老旧小区改造", "广阳区", None, "宜居廊坊", "城市更新", "市重点", "新开工",
      "广阳区住建局", "广阳区人民政府", "副市长 李某", "改造小区30个", "2023-2023", M(2023, 2), 5000, 5000),
]

def values_only(rows):
    """The rows with each formula replaced by its value and each boolean by its text: for openpyxl
    files, which hold no formula values."""
    def plain(v):
        if isinstance(v, tuple) and isinstance(v[0], str) and v[0].startswith("="):
            return float(v[1])
        if isinstance(v, tuple) and isinstance(v[0], bool):
            return v[1]
        return v
    return [[plain(v) for v in r] for r in rows]

def cell_value(v):
    return v[0] if isinstance(v, tuple) else v

def csv_text(v):
    if isinstance(v, tuple):
        return v[1]
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)

def put_row(ws, r, values):
    for c, v in enumerate(values, 1):
        v2 = cell_value(v)
        if v2 is None:
            continue
        cell = ws.cell(row=r, column=c, value=v2)
        if isinstance(v2, D):
            cell.number_format = "yyyy-mm"

def project_sheet(ws, projects=PROJECTS, title="2023年廊坊市重点项目计划表"):
    ws.cell(row=1, column=1, value=title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws.cell(row=2, column=1, value="单位:万元")
    put_row(ws, 3, HEAD)
    for i, p in enumerate(projects, 1):
        put_row(ws, 3 + i, [i] + p)

def write_csv(path, head, rows, title=True):
    import csv
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        if title:
            w.writerow(["2023年廊坊市重点项目计划表"])
            w.writerow(["单位:万元"])
        w.writerow(head)
        for r in rows:
            w.writerow([csv_text(v) for v in r])

# --- projects: the CSV twin, and the workbook LibreOffice re-saves (projects.xlsx, .xls) ---------
write_csv("projects.csv", HEAD, [[i] + p for i, p in enumerate(PROJECTS, 1)])
wb = Workbook()
ws = wb.active
ws.title = "项目表"
project_sheet(ws)
ws.cell(row=20, column=22).fill = PatternFill("solid", fgColor="FFFF00")	# a styled empty cell far out
wb.save(tmp + "/projects.xlsx")

# --- progress: the CSV twin, a 1900 workbook for LibreOffice, a 1904 one from openpyxl -------------
PHEAD = ["项目代码", "项目名称", "月份", "本月完成投资(万元)", "形象进度", "存在问题", "实际开工时间", "调整原因"]
PROGRESS = [
    ["2303-131022-04-01-573274", "固安智能制造产业园项目", (D(2023, 4, 1), "2023-04"), 3000, "场地平整", None,
     (D(2023, 4, 18), "2023-04-18"), None],
    ["2303-131022-04-01-573274", "固安智能制造产业园项目", "2023年5月", 4000.5, "主体结构施工", None, None, None],
    ["LF2023-002", "廊坊临空经济区智慧物流园项目", "2023.04", 2000, "设备安装", None, None, None],
    ["LF2023-002", "廊坊临空经济区智慧物流园项目", (D(2023, 5, 1), "2023-05"), F("=1000+500.25", "1500.25"),
     "设备安装", "资金未到位", None, None],
    ["LF2023-003", "大厂影视小镇二期", (D(2023, 5, 31), "2023-05"), 800.1, "影棚封顶", None, None, None],
    ["LF2023-006", "永清县光伏储能示范项目", (D(2023, 6, 1), "2023-06"), 0.3, "开工", None, (D(2023, 6, 20), "2023-06-20"),
     None],
]

def progress_sheet(ws, rows=PROGRESS):
    put_row(ws, 1, PHEAD)
    for i, p in enumerate(rows, 2):
        put_row(ws, i, p)
        for c in (3, 7):
            cell = ws.cell(row=i, column=c)
            if isinstance(cell.value, D):
                cell.number_format = "yyyy-mm" if c == 3 else "yyyy/m/d"

write_csv("progress.csv", PHEAD, PROGRESS, title=False)
wb = Workbook()
progress_sheet(wb.active)
wb.active.title = "进度"
wb.save(tmp + "/progress.xlsx")

wb = Workbook()
wb.epoch = CALENDAR_MAC_1904
progress_sheet(wb.active, values_only(PROGRESS))
wb.active.title = "进度"
wb.save("progress-1904.xlsx")

# --- layout: a two-row header merged over 计划投资, a hidden column and a hidden row --------------
wb = Workbook()
ws = wb.active
ws.title = "Sheet1"
ws.cell(row=1, column=1, value="2023年廊坊市重点项目计划表")
ws.merge_cells("A1:Q1")
ws.cell(row=2, column=1, value="单位:万元")
upper = HEAD[:15] + ["计划投资(万元)", None, "备注"]
lower = [None] * 15 + ["总投资", "2023年计划", None]
put_row(ws, 3, upper)
put_row(ws, 4, lower)
for c in range(1, 16):
    ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
ws.merge_cells("P3:Q3")
ws.merge_cells("R3:R4")
for i, p in enumerate(values_only(PROJECTS), 1):
    put_row(ws, 4 + i, [i] + p)
ws.column_dimensions["L"].hidden = True
ws.row_dimensions[7].hidden = True
wb.save("layout.xlsx")

# --- a sheet by name or number: a hidden notes sheet first, the list, the progress -----------------
wb = Workbook()
ws = wb.active
ws.title = "说明"
ws["A1"] = "填报说明：本表由市重点项目办汇总。"
ws.sheet_state = "hidden"
project_sheet(wb.create_sheet("项目表"), values_only(PROJECTS))
progress_sheet(wb.create_sheet("进度"), values_only(PROGRESS))
wb.save("sheets.xlsx")

# --- a formula never calculated (openpyxl writes no cached values) --------------------------------
wb = Workbook()
ws = wb.active
ws.title = "项目表"
rows = values_only(PROJECTS)
rows[8][14] = "=7000+500"	# row 12: 总投资 of LF2023-009, column P
project_sheet(ws, rows)
wb.save("formula-nocache.xlsx")

# --- inline strings: openpyxl writes every text in its cell (t="inlineStr"), LibreOffice never ---
wb = Workbook()
ws = wb.active
ws.title = "项目表"
project_sheet(ws, values_only(PROJECTS))
wb.save("inline.xlsx")

# --- an error value, a negative amount: LibreOffice calculates and saves them (bad.xlsx) -----------
wb = Workbook()
ws = wb.active
ws.title = "项目表"
rows = [list(p) for p in PROJECTS[:4]]
rows[1][15] = "=1/0"		# row 5: 2023年计划投资 of LF2023-002, column Q
project_sheet(ws, rows)
wb.save(tmp + "/error.xlsx")
wb = Workbook()
ws = wb.active
ws.title = "项目表"
rows = [list(p) for p in PROJECTS[:4]]
rows[2][14] = -45000		# row 6: 总投资 of LF2023-003, column P
project_sheet(ws, rows)
wb.save(tmp + "/negative.xlsx")

# --- not workbooks: a CSV renamed, a zip of something else ----------------------------------------
with open("projects.csv", "rb") as f, open("renamed.xlsx", "wb") as out:
    out.write(f.read())
with zipfile.ZipFile("not-a-workbook.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", "<document/>")

# --- headings and subtotals (tests/t0048-import-layout.t): tests/data/layout/sections.csv as a
# clerk keeps it in a workbook: a merged title, the 合计 and the first 小计 as SUM formulas (their
# values saved by LibreOffice, sections.xlsx and .xls), the second 小计 and the 总计 typed in wrong.
wb = Workbook()
ws = wb.active
ws.title = "项目表"
ws.cell(row=1, column=1, value="2023年廊坊市重点项目计划表")
ws.merge_cells("A1:J1")
ws.cell(row=2, column=1, value="单位:万元")
SECTIONS = [
    ["序号", "项目代码", "项目名称", "县（市、区）", "建设性质", "责任单位", "包联领导", "建设起止年限", "总投资(万元)",
     "2023年计划投资（万元）"],
    [None, None, "合计(4个)", None, None, None, None, None, "=SUM(I7:I8,I11:I12)", "=SUM(J7:J8,J11:J12)"],
    ["一、固安县(2个)"],
    ["（一）制造强市场景"],
    [1, "LAY-001", "固安一号项目", "固安县", "新开工", "固安县人民政府", "副市长 王某", "2023-2025", 300, 100],
    [2, "LAY-002", "固安二号项目", "固安县", "续建", "固安县人民政府", "副市长 王某", "2022-2024", 200, 70],
    [None, None, "小计", None, None, None, None, None, "=SUM(I7:I8)", "=SUM(J7:J8)"],
    ["二、永清县(2个)"],
    [3, "LAY-003", "永清一号项目", "永清县", "新开工", "永清县人民政府", "副市长 李某", "2023-2024", 400, 150],
    [4, "LAY-004", "永清二号项目", "永清县", "新开工", "永清县人民政府", "副市长 李某", "2023-2024", 100, 50],
    ["小计", None, None, None, None, None, None, None, 450, "=SUM(J11:J12)"],
    ["总计", None, None, None, None, None, None, None, 999, 370],
]
for r, row in enumerate(SECTIONS, 3):
    put_row(ws, r, row)
ws.merge_cells("A5:J5")
ws.merge_cells("A6:J6")
ws.merge_cells("A10:J10")
wb.save(tmp + "/sections.xlsx")
