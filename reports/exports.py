"""The report as .xlsx (a sheet per section, numbers stored as numbers), CSV and PDF."""

import csv
import io

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

from lib.pdf import pdf_response, render_pdf
from lib.xlsx import Sheet, workbook_bytes

from .presentation import charts, rate_cards, sections

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response, filename):
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def xlsx_bytes(data: dict, title: str) -> bytes:
    return workbook_bytes(
        Sheet(
            section.title,
            section.headers,
            section.rows,
            title=title,
            widths=[max(12, min(60, len(str(header)) * 3)) for header in section.headers],
        )
        for section in sections(data)
    )


def xlsx_response(content: bytes, filename):
    """A workbook written by xlsx_bytes, as a download."""
    return _attachment(HttpResponse(content, content_type=XLSX), filename)


def csv_response(data, title, filename):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow([title])
    for section in sections(data):
        writer.writerow([])
        writer.writerow([section.title])
        writer.writerow(section.headers)
        for row in section.rows:
            writer.writerow(["" if value is None else value for value in row])
    return _attachment(
        HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), filename
    )


def pdf_bytes(data, title, *, request=None, context=None) -> bytes:
    context = {
        **(context or {}),
        "title": title,
        "data": data,
        "sections": sections(data),
        "charts": charts(data),
        "rates": rate_cards(data),
    }
    return render_pdf("reports/monthly_pdf.html", context, request=request)


def pdf_download(data, title, filename, *, request=None, context=None):
    return pdf_response(
        pdf_bytes(data, title, request=request, context=context), filename, inline=False
    )
