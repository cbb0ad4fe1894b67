#!/usr/bin/env python3
# bench-workbook.py CSV XLSX: the bench's project list as a workbook, with python3-openpyxl's
# write-only mode (one row in memory), for tools/bench-workbook.sh.  Cells that read as plain
# numbers are written as numbers, as a spreadsheet holds them; the rest as text.
import csv
import re
import sys

from openpyxl import Workbook

number = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,4})?$")
wb = Workbook(write_only=True)
ws = wb.create_sheet("项目表")
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    for i, row in enumerate(csv.reader(f)):
        if i == 0:
            ws.append(row)
            continue
        ws.append([None if v == "" else float(v) if number.match(v) and not v.startswith("0") or v == "0" else v
                   for v in row])
wb.save(sys.argv[2])
