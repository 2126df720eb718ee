"""Every catalogue is complete: no untranslated and no fuzzy entries."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p
    for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/*.po")
    if ".venv" not in p.parts and "node_modules" not in p.parts
)


def test_there_is_a_catalogue_for_the_project_and_each_app():
    found = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "accounts", "communities", "issues", "meetings", "resolutions"} <= found


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(catalogue):
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_a_source_string_has_one_translation_across_catalogues():
    """Django merges every catalogue into one: the same English string translated two ways
    in two apps would show the wrong one somewhere. Use another English string (or a
    context) instead."""
    import polib

    seen: dict[tuple, dict[str, str]] = {}
    for catalogue in CATALOGUES:
        for entry in polib.pofile(str(catalogue)):
            if entry.obsolete:
                continue
            text = entry.msgstr or entry.msgstr_plural.get(0, "")
            seen.setdefault((entry.msgctxt, entry.msgid), {})[str(catalogue.relative_to(ROOT))] = (
                text
            )
    conflicts = {key[1]: found for key, found in seen.items() if len(set(found.values())) > 1}

    assert conflicts == {}


def test_our_translation_wins_over_every_other_catalogue():
    """Django merges its own, every installed app's and LOCALE_PATHS' catalogues into one:
    a third-party catalogue listed earlier must never replace our word (django_celery_beat
    once turned "Minutes" into 分钟 and "Name" into 任务名, the admin "Filter" into 过滤器)."""
    import polib
    from django.utils import translation

    wrong = {}
    with translation.override("zh-hans"):
        for catalogue in CATALOGUES:
            for entry in polib.pofile(str(catalogue)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr:
                    continue
                if entry.msgctxt:
                    shown = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    shown = translation.gettext(entry.msgid)
                if shown != entry.msgstr:
                    wrong[(entry.msgctxt, entry.msgid)] = (entry.msgstr, shown)

    assert wrong == {}
