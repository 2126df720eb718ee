"""Reading a rendered page the way a person does, for assertions that must not depend on
luck: the page also carries random tokens (the CSRF token, in a hidden input and a meta
tag), hashed static file names and numbered ids, and a short string searched over the
whole page can turn up inside them. Search the text people read, or the links, instead."""

from html.parser import HTMLParser

_SKIPPED = {"script", "style", "template"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self.sources = [], [], []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIPPED:
            self._skipping += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and "src" in attrs:
            self.sources.append(attrs["src"] or "")
        if tag == "link" and attrs.get("href"):
            self.sources.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.text.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_text(html: str) -> str:
    """The page's text, without markup, attributes or scripts; runs of white space as one."""
    return " ".join(" ".join(_read(html).text).split())


def links(html: str) -> list[str]:
    """The targets of the page's links (<a href>)."""
    return _read(html).links


def sources(html: str) -> list[str]:
    """What the page loads: scripts, images, frames and linked stylesheets or icons."""
    return _read(html).sources
