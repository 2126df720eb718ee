"""A crawler that clicks every link a user is shown, with Django's test client.

Starting from the user's home page it follows every link to this site (`<a href>`, the
plain target of GET forms, `hx-get` requests) on every page it reaches and records each
one that answers 4xx or 5xx with the page it was on and its text. Pages of one URL pattern
(resolved URL name, slug arguments and the names of the others) are sampled so that a
crawl stays bounded: every pattern a page links to is visited, each up to a few instances
and a few query-string variants. Downloads are fetched but not parsed; static files are
looked up with the staticfiles finders (the test server does not serve them).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve

# Hosts that mean "this site" in links (the test client's and SITE_URL's).
LOCAL_HOSTS = {"", "testserver", "127.0.0.1", "localhost", "127.0.0.1:8000", "localhost:8000"}
SKIP_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    page: str
    htmx: bool = False
    # Picked by the spread over a pattern's instances (see Crawler._spread).
    chosen: bool = False

    def describe(self):
        return f"{self.url} (link {self.text!r} on {self.page})"


@dataclass
class Failure:
    status: int
    link: Link

    def __str__(self):
        return f"{self.status} {self.link.describe()}"


@dataclass
class CrawlResult:
    failures: list[Failure] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    patterns: set[tuple] = field(default_factory=set)


class _LinkParser(HTMLParser):
    """Collects links with their visible text (or aria-label/title when they have none)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, bool]] = []
        self.assets: list[str] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        label = attrs.get("aria-label") or attrs.get("title") or ""
        if tag == "a" and attrs.get("href") is not None:
            self._open.append({"href": attrs["href"], "text": [], "label": label})
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            if attrs.get("action"):
                self.links.append((attrs["action"], f"form {label or attrs.get('id', '')}", False))
        elif tag in ("img", "script", "source") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])
        if attrs.get("hx-get"):
            name = attrs.get("name") or attrs.get("id") or tag
            self.links.append((attrs["hx-get"], f"hx-get on {name}", True))
        if tag == "img" and self._open and attrs.get("alt"):
            self._open[-1]["text"].append(attrs["alt"])

    def handle_data(self, data):
        for link in self._open:
            link["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            link = self._open.pop()
            text = " ".join("".join(link["text"]).split()) or link["label"]
            self.links.append((link["href"], text, False))


def pattern_of(path: str):
    """(URL name, slug arguments, names of the other arguments) of a path, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    slugs = tuple(
        sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit() and k != "pk")
    )
    others = tuple(sorted(k for k, v in match.kwargs.items() if str(v).isdigit() or k == "pk"))
    return (name, slugs, others)


class Crawler:
    """Crawls as whoever `client` is logged in as.

    Up to `instances` pages of each pattern without a query string and `variants` with
    one are visited. The first instance of a pattern is visited as soon as a page links to
    it; the others are chosen when nothing else is left, spread over every instance the
    crawl has seen (the middle one, the last one …): lists show the newest first, and the
    older records (meetings of past months, closed cases) are as likely to hold a bad link.
    `skip(path)` says which targets are never requested (logout); `no_follow(path)` which
    are requested but not parsed for more links (the Django admin's own pages)."""

    def __init__(self, client, *, instances=3, variants=2, skip=None, no_follow=None):
        self.client = client
        self.instances = instances
        self.variants = variants
        self.skip = skip or (lambda path: False)
        self.no_follow = no_follow or (lambda path: False)
        self._seen_assets: set[str] = set()

    def crawl(self, *starts: str) -> CrawlResult:
        """Crawl from each of `starts` (the pages a user opens without a link: their home
        page, the public board a poster's QR code leads to)."""
        result = CrawlResult()
        queue: deque[Link] = deque(Link(start, "(start)", "(start)") for start in starts)
        requested: set[str] = set()
        parsed: set[str] = set()
        plain = Counter()
        queried = Counter()
        # Instances seen but not yet visited, per pattern, in the order they were seen.
        waiting: dict[tuple, dict[str, Link]] = {}
        # Patterns that answered with a download: one fetch of each is enough.
        downloads: set[tuple] = set()
        while True:
            if not queue:
                queue.extend(self._spread(waiting, plain, requested))
                if not queue:
                    return result
            link = queue.popleft()
            url = link.url
            if url in requested:
                continue
            split = urlsplit(url)
            pattern = pattern_of(split.path)
            if pattern is not None:
                if pattern in downloads:
                    continue
                counter = queried if split.query else plain
                limit = self.variants if split.query else self.instances
                if counter[pattern] >= limit:
                    continue
                if not split.query and counter[pattern] >= 1 and not link.chosen:
                    waiting.setdefault(pattern, {}).setdefault(url, link)
                    continue
                counter[pattern] += 1
                result.patterns.add(pattern)
            requested.add(url)
            response = self._get(url, htmx=link.htmx)
            status = response.status_code
            if status >= 400:
                result.failures.append(Failure(status, link))
                continue
            final = url
            if response.redirect_chain:
                final = response.redirect_chain[-1][0]
                if urlsplit(final).netloc not in LOCAL_HOSTS:
                    continue
                final = urljoin(url, final)
            result.visited.append(final)
            content_type = response.get("Content-Type", "")
            if response.streaming or not content_type.startswith("text/html"):
                if pattern is not None:
                    downloads.add(pattern)
                if response.streaming:
                    b"".join(response.streaming_content)
                continue
            if final in parsed or self.no_follow(urlsplit(final).path):
                continue
            parsed.add(final)
            for new in self._links(final, response.content.decode(), result):
                queue.append(new)

    def _spread(self, waiting, plain, requested):
        """More instances of the patterns with room left, spread over those seen."""
        chosen = []
        for pattern, links in waiting.items():
            room = self.instances - plain[pattern]
            candidates = [link for url, link in links.items() if url not in requested]
            if room <= 0 or not candidates:
                continue
            picks = sorted({round((n + 1) * (len(candidates) - 1) / room) for n in range(room)})
            for index in picks:
                link = candidates[index]
                chosen.append(replace(link, chosen=True))
                del links[link.url]
        return chosen

    def _get(self, url, *, htmx=False):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.get(url, follow=True, headers=headers)

    def _links(self, page: str, html: str, result: CrawlResult):
        parser = _LinkParser()
        parser.feed(html)
        for src in parser.assets:
            self._check_asset(page, src, result)
        for href, text, htmx in parser.links:
            href = href.strip()
            if not href or href.startswith("#") or href.lower().startswith(SKIP_SCHEMES):
                continue
            absolute, _fragment = urldefrag(urljoin(page, href))
            split = urlsplit(absolute)
            if split.netloc not in LOCAL_HOSTS or split.scheme not in ("", "http", "https"):
                continue
            target = split.path + (f"?{split.query}" if split.query else "")
            if split.path.startswith("/static/"):
                self._check_asset(page, target, result, text=text)
                continue
            if self.skip(split.path):
                continue
            yield Link(target, text, page, htmx=htmx)

    def _check_asset(self, page, src, result, text="asset"):
        path = urlsplit(urljoin(page, src)).path
        if not path.startswith("/static/") or path in self._seen_assets:
            return
        self._seen_assets.add(path)
        if finders.find(re.sub(r"^/static/", "", path)) is None:
            result.failures.append(Failure(404, Link(path, text, page)))
