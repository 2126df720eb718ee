"""The terminology checker itself (the demo's pages are read in tests/test_demo_site.py)."""

from tests.terminology import ALLOWED_WORDS, problems_on


def test_the_checker_finds_english_and_the_known_mistranslations():
    """The checks themselves: English in text and in shown attributes is found, hidden code
    and data are not."""
    html = """<html><head><title>议事</title><style>.x{color:red}</style></head><body>
      <h1>分钟 · 议事会</h1><p>发言 3 分钟</p><button title="Close">关闭</button>
      <script>var deadline = "by";</script><input placeholder="Search"><a href="/en/">议题</a>
      <p>长城中路街道（whole street）</p><p>12345热线 · YC2026100100871 · Yishi · PDF</p>
      <p>联系 sunli@example.org，见 https://example.org/a</p><code>service_code</code></body></html>"""

    problems = problems_on(html, ALLOWED_WORDS)

    assert any("分钟 for the minutes" in p and "分钟 · 议事会" in p for p in problems)
    assert not any("发言 3 分钟" in p for p in problems)
    assert any("['Close']" in p for p in problems)
    assert any("['Search']" in p for p in problems)
    assert any("whole street" in p for p in problems)
    assert not any("deadline" in p or "service_code" in p or "YC" in p for p in problems)
    assert not any("example" in p or "Yishi" in p or "PDF" in p for p in problems)
