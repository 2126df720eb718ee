"""Writing .xlsx files: residents and organizations exports, import templates, reports.

XlsxWriter writes a sheet three times faster than openpyxl (which stays for reading
imports). Cell text is always written as text: a resident named "=HYPERLINK(…)" stays a
name, never a formula or a link, in the office that opens the file.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import xlsxwriter

SHEET_NAME_LIMIT = 31


@dataclass
class Sheet:
    name: str
    headers: list
    rows: Iterable
    title: str = ""  # a bold line above the headers
    widths: list = field(default_factory=list)  # per column; from the headers if empty


def _width(header) -> int:
    # CJK characters are about two columns wide.
    return max(10, min(60, len(str(header)) * 2 + 4))


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "font_size": 13})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:SHEET_NAME_LIMIT])
        row = 0
        if sheet.title:
            worksheet.write_string(row, 0, sheet.title, heading)
            row += 1
        if sheet.headers:
            worksheet.write_row(row, 0, sheet.headers, bold)
            worksheet.freeze_panes(row + 1, 0)
            row += 1
        for index, header in enumerate(sheet.headers):
            width = sheet.widths[index] if index < len(sheet.widths) else _width(header)
            worksheet.set_column(index, index, width)
        for values in sheet.rows:
            worksheet.write_row(row, 0, ["" if value is None else value for value in values])
            row += 1
    workbook.close()
    return buffer.getvalue()
