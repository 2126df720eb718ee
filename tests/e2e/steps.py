"""Steps the story journeys share: clicking as a person does and waiting for the page."""


def click(page, target):
    """Click a link or button that loads a new page, and wait for it."""
    with page.expect_navigation():
        target.first.click()


def nav(page, *labels):
    """Follow the main navigation: a menu, then its entry (or a plain link)."""
    bar = page.locator("#main-nav")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    scope = bar
    for label in labels[:-1]:
        scope.get_by_role("button", name=label, exact=True).first.click()
        scope = bar.locator(".dropdown-menu.show")
    click(page, scope.get_by_role("link", name=labels[-1], exact=True))


def open_details(page, summary_text):
    page.locator("summary", has_text=summary_text).first.click()


def pick_resident(form, name):
    """A resident field suggests people as one types; take the first suggestion."""
    field = form.locator("input[name=resident]")
    field.press_sequentially(name[0], delay=50)
    suggestion = form.locator(f"datalist option[value*='{name}']").first
    suggestion.wait_for(state="attached")
    field.fill(suggestion.get_attribute("value"))


def add_participant(page, role, *, resident=None, name="", organization=""):
    form = page.locator("form", has=page.get_by_role("heading", name="添加参会人"))
    form.locator("select[name=role]").select_option(role)
    if resident:
        pick_resident(form, resident)
    else:
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=organization_name]").fill(organization)
    click(page, form.locator("button"))


def record_opinion(page, speaker, text):
    opinion = page.locator("form.opinion-form").first
    select = opinion.locator("select[name=participant]")
    select.select_option(select.locator("option", has_text=speaker).first.get_attribute("value"))
    opinion.locator("textarea[name=text]").fill(text)
    opinion.get_by_role("button", name="记录").click()
    page.get_by_text(text[:8]).first.wait_for()


def sign_everyone_in(page):
    """Mark every participant present, row by row, each waiting for its answer."""
    for row in page.locator("form.attendance-form").all():
        row.locator("select[name=attendance]").select_option("present")
        with page.expect_response(lambda response: "/attendance/" in response.url):
            row.get_by_role("button").click()
