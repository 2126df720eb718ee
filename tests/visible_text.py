"""What a reader of a page sees: its text and the attributes a browser shows or reads out.

Used by the terminology test to find English left on a Chinese page and known
mistranslations from other catalogues."""

import re
from html.parser import HTMLParser

# Never shown: their content is code or data.
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript", "svg", "code", "pre"}
# Shown on hover, read out by screen readers, or shown in an empty field.
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.stack = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)
            if tag in HIDDEN_ELEMENTS:
                self.hidden_depth += 1
        if self.hidden_depth:
            return
        for name in SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name])
        # Buttons made of inputs show their value.
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.texts.append(attributes.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            opened = self.stack.pop()
            if opened in HIDDEN_ELEMENTS:
                self.hidden_depth -= 1
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    """The pieces of text of a page a reader meets, in document order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return [" ".join(text.split()) for text in reader.texts if text.strip()]


URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)[!-~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w/])/(?:[a-z0-9_.-]+/)+[a-z0-9_./?=&%-]*",
    re.ASCII,
)
# A run of Latin letters; runs with digits or underscores are ids and codes of the data
# (a 12345 ticket number YC2026100100871, a grid code), not words.
LATIN_RUN = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_'’-]*(?![A-Za-z0-9_])")


def english_words(text: str, allowed: set[str]) -> list[str]:
    """Latin words of two letters or more in a text, except the allowed ones (compared
    case-insensitively), ids, URLs and emails."""
    text = URL_OR_EMAIL.sub(" ", text)
    return [
        word
        for word in LATIN_RUN.findall(text)
        if len(word) > 1
        and not re.search(r"[\d_]", word)
        and word.strip("'’-").lower() not in allowed
    ]
