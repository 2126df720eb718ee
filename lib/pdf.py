"""PDF documents (minutes, agreements, reports) rendered from templates by WeasyPrint.

The Chinese font is the Noto Sans SC shipped in static/fonts, so the PDF reads the same on
a server without CJK system fonts.
"""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"

FONT_CSS = f"""
@font-face {{ font-family: "Noto Sans SC"; font-weight: 400;
  src: url("{(FONTS / "NotoSansSC-Regular.ttf").as_uri()}"); }}
@font-face {{ font-family: "Noto Sans SC"; font-weight: 700;
  src: url("{(FONTS / "NotoSansSC-Bold.ttf").as_uri()}"); }}
@page {{ size: A4; margin: 18mm 16mm 20mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt; color: #666; }} }}
html {{ font-family: "Noto Sans SC", sans-serif; font-size: 11pt; line-height: 1.7; color: #111; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 8mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; }}
table {{ width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; }}
th, td {{ border: 0.5pt solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
td.num, th.num {{ text-align: right; }}
"""


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request=None,
    extra_css: str = "",
    stylesheets: Sequence[str] = (),
) -> bytes:
    """Render a template to PDF bytes. The template is plain HTML; FONT_CSS, the static
    stylesheets named (read from disk: the server never fetches from itself) and extra_css
    are applied on top of it, in that order."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    fonts = FontConfiguration()
    sheets = [CSS(string=FONT_CSS, font_config=fonts)]
    sheets += [CSS(filename=finders.find(name), font_config=fonts) for name in stylesheets]
    if extra_css:
        sheets.append(CSS(string=extra_css, font_config=fonts))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, font_config=fonts)


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
