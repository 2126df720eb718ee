"""The headings of a PDF that WeasyPrint rendered, read from its outline (bookmarks).

WeasyPrint draws text as glyphs, so a test cannot search the page for words without a PDF
library; the outline, though, names every heading as a string in a Flate stream,
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
        # A title in UTF-16 is written in hex; one in ASCII as a literal string.
        for hexa, literal in re.findall(
            rb"/Title (?:<feff([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\))", data
        ):
            if hexa:
                headings.append(bytes.fromhex(hexa.decode()).decode("utf-16-be"))
            else:
                headings.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return headings
