"""Clicking through the main navigation as a person does: on a phone the bar is folded
behind the menu button, and the entries of a section sit in its dropdown."""

import re


def open_menu(page, section, entry=None):
    """Click the bar's `section` (a link, or a dropdown and then its `entry`), waiting for
    the page it leads to."""
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    nav = page.locator("#main-nav")
    if entry is None:
        with page.expect_navigation():
            nav.get_by_role("link", name=re.compile(rf"^\s*{section}\s*$")).first.click()
        return
    nav.get_by_role("button", name=re.compile(rf"^\s*{section}\s*$")).click()
    with page.expect_navigation():
        nav.locator(".dropdown-menu.show").get_by_role(
            "link", name=re.compile(rf"^\s*{entry}\s*$")
        ).click()


def open_user_menu(page, entry):
    """The menu under the user's name: preferences, password, API pages."""
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    page.locator("#main-nav .dropdown-menu-end").locator("..").locator(".dropdown-toggle").click()
    with page.expect_navigation():
        page.locator("#main-nav .dropdown-menu-end.show").get_by_role(
            "link", name=re.compile(entry)
        ).click()


def click_and_wait(page, target):
    """Click a link or a button that loads another page, and wait for it."""
    with page.expect_navigation():
        target.click()
