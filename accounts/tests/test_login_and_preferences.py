import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-2026"


def test_login_page_speaks_chinese_by_default_whatever_the_browser_asks(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_login_page_leads_visitors_to_the_outcomes_board(client):
    from tests.html import links, visible_text

    html = client.get(reverse("accounts:login")).content.decode()

    assert reverse("resolutions:board") in links(html)
    assert "查看结果公示栏" in visible_text(html)


def test_staff_logs_in_and_lands_on_the_home_page(client):
    UserFactory(username="tan", name="谭彦红", role=Role.STAFF)

    response = client.post(
        reverse("accounts:login"), {"username": "tan", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.context["user"].username == "tan"
    assert "谭彦红" in response.content.decode()


def test_wrong_password_says_so_next_to_the_form_and_keeps_the_username(client):
    UserFactory(username="tan")

    response = client.post(reverse("accounts:login"), {"username": "tan", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="tan"' in html
    assert "请输入一个正确的" in html


def test_five_failures_lock_the_account_for_that_address(client):
    UserFactory(username="tan")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "tan", "password": "wrong"})

    response = client.post(reverse("accounts:login"), {"username": "tan", "password": PASSWORD})

    assert response.status_code == 429
    assert "登录尝试失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_language_switch_changes_the_language_and_remembers_it_for_the_user(client):
    user = UserFactory(role=Role.STAFF)
    client.force_login(user)

    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    assert response["Content-Language"] == "en"
    assert "Log out" in response.content.decode()
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_ignores_an_outside_next_url(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_large_text_mode_persists_for_the_user(client):
    user = UserFactory(role=Role.RESIDENT)
    client.force_login(user)

    client.post(reverse("accounts:display_mode"), {"large_text": "1", "next": "/"})

    user.refresh_from_db()
    assert user.large_text is True
    html = client.get(reverse("accounts:preferences")).content.decode()
    assert 'class="large-text' in html


def test_large_text_mode_works_without_an_account(client):
    client.post(reverse("accounts:display_mode"), {"large_text": "1", "next": "/"})

    html = client.get(reverse("accounts:login")).content.decode()
    assert 'class="large-text' in html


def test_large_text_chosen_on_the_login_page_stays_on_after_signing_in(client):
    user = UserFactory(username="laowang", role=Role.RESIDENT)
    client.post(
        reverse("accounts:display_mode"), {"large_text": "1", "next": reverse("accounts:login")}
    )

    response = client.post(
        reverse("accounts:login"), {"username": "laowang", "password": PASSWORD}, follow=True
    )

    assert 'class="large-text' in response.content.decode()
    user.refresh_from_db()
    assert user.large_text is True


def test_the_login_page_choice_wins_over_the_saved_one_and_is_saved(client):
    user = UserFactory(username="laowang", role=Role.RESIDENT, large_text=True)
    client.post(
        reverse("accounts:display_mode"), {"large_text": "0", "next": reverse("accounts:login")}
    )

    response = client.post(
        reverse("accounts:login"), {"username": "laowang", "password": PASSWORD}, follow=True
    )

    assert 'class="large-text' not in response.content.decode()
    user.refresh_from_db()
    assert user.large_text is False


def test_the_saved_choice_holds_when_none_was_made_on_the_login_page(client):
    user = UserFactory(username="laowang", role=Role.RESIDENT, large_text=True)

    response = client.post(
        reverse("accounts:login"), {"username": "laowang", "password": PASSWORD}, follow=True
    )

    assert 'class="large-text' in response.content.decode()
    user.refresh_from_db()
    assert user.large_text is True
    # Signed out, the login page keeps the size the person reads.
    assert response.client.cookies["large_text"].value == "1"


def test_password_change_rejects_a_weak_password_next_to_the_field(client):
    user = UserFactory(role=Role.STAFF)
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "密码太短" in html
    assert "这个密码太常见了" in html or "密码全是数字" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))

    assert "_auth_user_id" not in client.session


def test_the_bar_groups_an_apps_pages_into_one_menu(client, world):
    from accounts.navigation import items_for

    bar = items_for(world.staff_a, "/communities/")
    menus = {item["label"]: item for item in bar if "children" in item}

    assert "社区" in menus or "Communities" in menus
    communities = menus.get("社区") or menus["Communities"]
    assert communities["active"] is True
    assert {child["url_name"] for child in communities["children"]} >= {
        "communities:overview",
        "communities:resident_list",
    }


def test_a_menu_with_one_entry_for_the_role_is_a_plain_link(world):
    from accounts.navigation import items_for

    bar = items_for(world.resident_user_a, "/")

    assert all("children" not in item or len(item["children"]) > 1 for item in bar)
    assert any(item.get("url_name") == "issues:mine" for item in bar)
