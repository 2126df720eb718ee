"""The Content-Security-Policy allows scripts only from our own static files. These checks
read every template, so a page that would need 'unsafe-inline' fails here before a browser
ever blocks it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    p for p in ROOT.glob("**/templates/**/*.html") if not {".venv", "node_modules"} & set(p.parts)
)
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
HX_ON = re.compile(r"\shx-on[:-]", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_event_handler_or_javascript_url(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static .js file"
    assert not EVENT_HANDLER.search(text), "on…= handler: bind it from a static .js file"
    assert not JS_URL.search(text), "javascript: URL"
    assert not HX_ON.search(text), "hx-on needs eval: bind it from a static .js file"


def test_the_policy_forbids_inline_scripts(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]


def test_pages_carry_the_policy_header(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
