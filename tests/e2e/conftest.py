"""Browser journeys: Playwright driving Debian's chromium against Django's live server.

Screenshots of every step go to tests/e2e/screenshots/ (kept by CI); axe-core from
tests/e2e/node_modules checks each page for serious or critical accessibility violations.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Correct-Horse-2026"

SURVEY = bool(os.environ.get("E2E_AXE_SURVEY"))

# The only addresses a person types: the login page and the public outcomes board.
TYPED = ("/accounts/login/", "/resolutions/board/")

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.exit(f"Debian's chromium is missing at {CHROMIUM}: apt install chromium", 3)
    if not AXE.exists():
        pytest.exit("axe-core is missing: run `npm ci` in tests/e2e", 3)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # zh-CN: date and time fields show 年/月/日 as a Chinese user's browser does.
            args=["--no-sandbox", "--disable-gpu", "--lang=zh-CN"],
        )
        yield browser
        browser.close()


class Journey:
    """One user's browser session: log in, go to pages, screenshot and audit each step."""

    def __init__(self, browser, live_server, name, viewport, **context):
        # Reduced motion: Bootstrap then drops its colour transitions, so axe never measures
        # a button halfway between two colours. `context` holds what a journey sets on top:
        # geolocation and its permission, service workers blocked.
        self.context = browser.new_context(
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            reduced_motion="reduce",
            **context,
        )
        # Generous: CI machines are shared and slow under load.
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.name = name
        self.step_number = 0
        self.audited = []
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def go(self, path, *, sent=False, boundary=False):
        """Type a URL into the address bar. People type only the login page and the public
        board; everything else is reached by clicking. A link the product sends (an email,
        an SMS, a QR code's target) is opened with sent=True; a test of access boundaries
        types forbidden URLs on purpose with boundary=True."""
        if path.startswith(self.base):
            path = path[len(self.base) :]
        if not (sent or boundary or path.startswith(TYPED)):
            raise AssertionError(
                f"{path}: a journey reaches this page by clicking, not by typing its URL"
            )
        # The answer to the typed address: a boundary test reads its status.
        self.response = self.page.goto(self.base + path)
        return self.page

    def login(self, username, password=PASSWORD):
        self.go("/accounts/login/")
        self.page.get_by_label(re.compile("用户名|Username")).fill(username)
        self.page.get_by_label(re.compile("密码|Password")).fill(password)
        self.page.get_by_role("button", name=re.compile("登录|Log in")).click()
        self.page.wait_for_load_state()

    def step(self, label, *, audit=True):
        """Screenshot the page as it is now, and check it with axe-core."""
        self.step_number += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^\w-]+", "-", label).strip("-")
        path = SCREENSHOTS / f"{self.name}-{self.step_number:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True, timeout=90_000)
        if audit:
            self.check_accessibility(label)
        return path

    def check_accessibility(self, label):
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160))}));
            }"""
        )
        self.audited.append((label, self.page.url))
        if SURVEY:
            # E2E_AXE_SURVEY=1: list every violation of a journey instead of stopping at the first.
            if result:
                print(f"\nAXE {label} ({self.page.url}): {result}")
            return
        assert result == [], f"axe on {label} ({self.page.url}): {result}"

    def close(self):
        self.context.close()
        assert self.errors == [], f"browser errors: {self.errors}"


@pytest.fixture
def journey(browser, live_server, request):
    """journey("resident") opens a laptop-sized session; journey("worker", phone=True) a
    360×740 phone. journey("worker", phone=True, geolocation={...}, permissions=[
    "geolocation"]) puts the phone somewhere and lets the page ask where."""
    opened = []

    def open_journey(name, *, phone=False, **context):
        j = Journey(
            browser,
            live_server,
            f"{request.node.name}-{name}",
            PHONE if phone else LAPTOP,
            **context,
        )
        opened.append(j)
        return j

    yield open_journey
    for j in opened:
        j.close()
