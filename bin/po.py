#!/usr/bin/env python
"""Work with the zh-hans catalogues.

  bin/po.py todo [PO ...]          print the untranslated and fuzzy entries as JSON
  bin/po.py fill PO JSON           fill translations from a JSON object {msgid: msgstr}
                                   (for a plural entry the key is "singular||plural")
  bin/po.py stats                  one line per catalogue

Without PO arguments, `todo` covers every catalogue of the project.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
HEADER = {"Language": "zh_Hans", "Plural-Forms": "nplurals=1; plural=0;"}


def catalogues():
    return sorted(
        p
        for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
        if ".venv" not in p.parts and "node_modules" not in p.parts
    )


def key(entry):
    return f"{entry.msgid}||{entry.msgid_plural}" if entry.msgid_plural else entry.msgid


def todo(paths):
    result = {}
    for path in paths or catalogues():
        po = polib.pofile(str(path))
        pending = {
            key(e): "" for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
        }
        if pending:
            result[str(Path(path).resolve().relative_to(ROOT))] = pending
    print(json.dumps(result, ensure_ascii=False, indent=1))


def fill(path, source):
    po = polib.pofile(str(path))
    po.metadata.update(HEADER)
    translations = json.loads(Path(source).read_text())
    filled = 0
    for entry in po:
        value = translations.get(key(entry))
        if not value:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        filled += 1
    if "fuzzy" in po.metadata_is_fuzzy or po.metadata_is_fuzzy:
        po.metadata_is_fuzzy = []
    po.save()
    print(
        f"{path}: {filled} filled; {len(po.untranslated_entries())} untranslated, "
        f"{len(po.fuzzy_entries())} fuzzy left"
    )


def stats():
    for path in catalogues():
        po = polib.pofile(str(path))
        print(
            f"{path.relative_to(ROOT)}: {len(po.translated_entries())} translated, "
            f"{len(po.untranslated_entries())} untranslated, {len(po.fuzzy_entries())} fuzzy"
        )


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["stats"]
    if command == "todo":
        todo(args)
    elif command == "fill":
        fill(*args)
    else:
        stats()
