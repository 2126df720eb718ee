"""The headings of a PDF that WeasyPrint rendered, read from its outline (bookmarks).

WeasyPrint draws text as glyphs, so a test cannot search the page for words without a PDF
library; the outline, though, names every heading as a UTF-16 string in a Flate stream,
which the standard library reads."""

import re
import zlib


def pdf_headings(content: bytes) -> list[str]:
    headings = []
    for start in re.finditer(rb"stream\r?\n", content):
        try:
            data = zlib.decompressobj().decompress(content[start.end() :])
        except zlib.error:
            continue
        for title in re.findall(rb"/Title <feff([0-9a-fA-F]*)>", data):
            headings.append(bytes.fromhex(title.decode()).decode("utf-16-be"))
    return headings
