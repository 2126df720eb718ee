"""Finding words in Chinese text, which has no spaces between its words.

A term matches a column when the column contains it (`icontains`). On PostgreSQL Django
writes that as `UPPER(col::text) LIKE UPPER('%term%')`, which the trigram indexes on
`UPPER(col)` serve (pg_trgm, created by the apps' migrations, `trigram_index_sql`): every
three characters in a row are a key, so no word segmentation is needed. A term of one or
two characters has no trigram: the index cannot help, and a LIKE planned against it scans
the whole index. Such terms are matched as `LOWER(col) LIKE '%term%'` instead, which no
index answers: lists of many rows look for them among their newest rows only (`newest_only`), so the
work stays bounded (benchmarks/search.py measures both). On SQLite every term is a plain
`icontains`.

`fragment()` cuts the part of a text around the first match, marked for the reader.
"""

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Below this many characters a term has no trigram for the index to look up.
TRIGRAM = 3
MAX_TERMS = 5


def terms_of(query: str) -> list[str]:
    """The terms of what was typed: split at spaces (full-width ones too), each once, in
    the order typed, at most MAX_TERMS."""
    found = []
    for term in (query or "").replace("\u3000", " ").split():
        if term.lower() not in (t.lower() for t in found):
            found.append(term[:100])
    return found[:MAX_TERMS]


def is_short(term: str) -> bool:
    return len(term) < TRIGRAM


def term_q(fields, term: str) -> Q:
    """Rows whose `fields` (names or lookups such as "compound__name") contain `term`."""
    q = Q()
    for name in fields:
        if is_short(term):
            q |= Q(Contains(Lower(name), term.lower()))
        else:
            q |= Q(**{f"{name}__icontains": term})
    return q


def all_terms_q(fields, terms) -> Q:
    """Rows where every term is found in one of `fields` (not necessarily the same one)."""
    q = Q()
    for term in terms:
        q &= term_q(fields, term)
    return q


# How many of the newest rows of a list a search of only short terms reads.
SHORT_SCAN = 3000


def newest_only(queryset, terms, *order):
    """`queryset` cut to its SHORT_SCAN newest rows (by `order`) when every term is short:
    without a trigram to look up, a match is a scan, and a term of one or two characters
    is best looked for among recent work (a third character finds older records too)."""
    if terms and all(is_short(t) for t in terms):
        newest = queryset.order_by(*order).values("pk")[:SHORT_SCAN]
        return queryset.filter(pk__in=newest)
    return queryset


def _pattern(terms):
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)


def contains_any(text: str, terms) -> bool:
    return bool(text) and bool(terms) and _pattern(terms).search(text) is not None


def fragment(text: str, terms, *, width: int = 24):
    """The part of `text` around its first match of one of `terms`, the matches marked
    with <mark>, "…" where it was cut; escaped. Empty when nothing matches."""
    if not text or not terms:
        return ""
    pattern = _pattern(terms)
    first = pattern.search(text)
    if first is None:
        return ""
    start = max(0, first.start() - width)
    end = min(len(text), first.end() + width * 2)
    piece = text[start:end]
    marked, last = [], 0
    for match in pattern.finditer(piece):
        marked.append(escape(piece[last : match.start()]))
        marked.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    marked.append(escape(piece[last:]))
    return mark_safe(
        ("…" if start > 0 else "") + "".join(marked) + ("…" if end < len(text) else "")
    )
