"""The shell of the product in a real browser: log in, the landing page, large-text mode."""

import re

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_logs_in_and_turns_on_large_text_that_persists(journey):
    user = UserFactory(username="laowang", name="王大爷", role=Role.RESIDENT)
    resident = journey("resident", phone=True)

    resident.go("/accounts/login/")
    resident.step("login page")
    resident.login("laowang")
    resident.step("landing page")

    resident.page.get_by_role("button", name="大字体").first.click()
    resident.page.wait_for_load_state()
    resident.step("large text on")

    body_size = resident.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 18
    user.refresh_from_db()
    assert user.large_text is True


def test_wrong_password_says_so_next_to_the_form(journey):
    UserFactory(username="zhangsan", role=Role.STAFF)
    staff = journey("staff")

    staff.login("zhangsan", "wrong-password-1")

    assert staff.page.get_by_text(re.compile("请输入一个正确的")).is_visible()
    assert staff.page.get_by_label(re.compile("用户名")).input_value() == "zhangsan"
    staff.step("login error")
