import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Kind
from issues.models import Status as IssueStatus
from resolutions import services
from resolutions.models import ActionItem, Confirmation, Objection, Resolution
from tests.html import links, visible_text
from tests.pdf_outline import pdf_headings

from . import factories

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# ---------------------------------------------------------------- access per role


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_a", 200),
        ("head_a", 200),
        ("staff_b", 404),
        ("worker_a1", 200),
        ("street_admin", 200),
        ("resident_user_a", 200),  # reported the issue
        ("resident_user_b", 404),
        ("org_contact", 200),  # responsible for an item
    ],
)
def test_detail_access(client, world, published, who, expected):
    response = _get(client, world.users[who], reverse("resolutions:detail", args=[published.pk]))
    assert response.status_code == expected


def test_detail_requires_login(client, published):
    response = client.get(reverse("resolutions:detail", args=[published.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_drafts_are_seen_only_by_staff(client, world):
    draft = factories.resolution(world)
    for who, expected in [("staff_a", 200), ("worker_a1", 404), ("org_contact", 404)]:
        response = _get(client, world.users[who], reverse("resolutions:detail", args=[draft.pk]))
        assert response.status_code == expected, who


@pytest.mark.parametrize(
    ("who", "expected"),
    [("staff_a", 200), ("staff_b", 404), ("worker_a1", 403), ("org_contact", 403)],
)
def test_manager_pages(client, world, published, who, expected):
    for name in ("edit", "confirm", "print", "poster", "legal_review"):
        response = _get(
            client, world.users[who], reverse(f"resolutions:{name}", args=[published.pk])
        )
        assert response.status_code == expected, name


def test_item_detail_access(client, world, published):
    item = published.items.get()
    url = reverse("resolutions:item_detail", args=[item.pk])
    for who, expected in [
        ("staff_a", 200),
        ("org_contact", 200),
        ("worker_a1", 200),
        ("staff_b", 404),
        ("resident_user_b", 404),
    ]:
        assert _get(client, world.users[who], url).status_code == expected, who


# ---------------------------------------------------------------- pages


def test_create_from_agenda_item_with_items(client, world):
    issue = factories.issue(world)
    agenda_item = factories.agenda_item(world, issue)
    client.force_login(world.staff_a)
    url = reverse("resolutions:create", args=[agenda_item.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    data = {
        "title": "更换路灯",
        "text": "同意更换",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-measure": "更换5盏路灯",
        "items-0-responsible_organization": world.organization.pk,
        "items-0-starts_on": today.isoformat(),
        "items-0-deadline": (today - timedelta(days=1)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The deadline cannot be before the start." in response.content.decode()
    assert "更换5盏路灯" in response.content.decode()  # what was typed is kept
    assert not Resolution.objects.exists()
    data["items-0-deadline"] = (today + timedelta(days=7)).isoformat()
    response = client.post(url, data)
    resolution = Resolution.objects.get()
    assert response.status_code == 302
    assert resolution.agenda_item == agenda_item
    assert resolution.items.get().measure == "更换5盏路灯"


def test_edit_stale_version_shows_error(client, world):
    resolution = factories.resolution(world)
    client.force_login(world.staff_a)
    url = reverse("resolutions:edit", args=[resolution.pk])
    item = resolution.items.get()
    data = {
        "version": resolution.version,
        "title": "我的标题",
        "text": "我的文本",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-item_id": item.pk,
        "items-0-measure": item.measure,
        "items-0-responsible_organization": world.organization.pk,
        "items-0-starts_on": item.starts_on.isoformat(),
        "items-0-deadline": item.deadline.isoformat(),
    }
    services.resolution_update(actor=world.head_a, resolution=resolution, text="别人的文本")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this resolution" in response.content.decode()
    assert "我的文本" in response.content.decode()
    resolution.refresh_from_db()
    assert resolution.text == "别人的文本"


def test_cost_split_editor_shows_errors_and_parts(client, world):
    resolution = factories.resolution(world)
    item = resolution.items.get()
    client.force_login(world.staff_a)
    url = reverse("resolutions:cost_split", args=[item.pk])
    data = {
        "version": item.version,
        "total": "900",
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "0",
        "shares-0-household": world.household_a1.pk,
        "shares-0-share_percent": "50",
        "shares-1-organization": world.organization.pk,
        "shares-1-share_percent": "40",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The shares add up to 90 %" in response.content.decode()
    data["shares-1-share_percent"] = "50"
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    # The organization's half of 900, in the table of parts (not anywhere in the page).
    assert re.search(r'<td class="text-end">50(\.00)?</td><td class="text-end">450\.00</td>', page)


def test_transition_and_publish_via_pages(client, world):
    resolution = factories.resolution(world)
    client.force_login(world.staff_a)
    for action in ("adopt", "publish"):
        resolution.refresh_from_db()
        response = client.post(
            reverse("resolutions:transition", args=[resolution.pk, action]),
            {"version": resolution.version},
        )
        assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.PUBLISHED
    resolution.issue.refresh_from_db()
    assert resolution.issue.status == IssueStatus.EXECUTING


def test_print_and_pdf(client, world, published):
    services.confirmation_record(
        actor=world.staff_a, resolution=published, party_name="甲物业", signed_by="王经理"
    )
    client.force_login(world.staff_a)
    url = reverse("resolutions:print", args=[published.pk])
    response = client.get(url)
    body = response.content.decode()
    # The party's signature line, its signer and date, then blank lines for the others.
    assert "甲物业 (signature)" in body and "王经理" in body
    assert body.count("(signature)") == 3
    response = client.get(url + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # The agreement's numbered sections, as its PDF's outline lists them.
    assert {"1. Basis", "2. Agreed text", "3. Action items", "4. Signatures of the parties"} <= set(
        pdf_headings(response.content)
    )


def test_poster_has_qr_svg(client, world, published, settings):
    settings.SITE_URL = "https://yishi.example.cn"
    client.force_login(world.staff_a)
    page = client.get(reverse("resolutions:poster", args=[published.pk])).content.decode()
    assert "<svg" in page
    assert (
        "https://yishi.example.cn" + reverse("resolutions:public_detail", args=[published.pk])
        in page
    )


def test_confirm_page_records(client, world, published):
    client.force_login(world.staff_a)
    url = reverse("resolutions:confirm", args=[published.pk])
    response = client.post(url, {"party_name": "甲物业", "signed_by": ""})
    assert response.status_code == 200
    assert not Confirmation.objects.exists()
    assert client.post(url, {"party_name": "甲物业", "signed_by": "王经理"}).status_code == 302
    assert Confirmation.objects.get().signed_by == "王经理"


def test_progress_and_check_pages(client, world, published):
    item = published.items.get()
    url = reverse("resolutions:item_detail", args=[item.pk])
    client.force_login(world.org_contact)
    response = client.post(
        url,
        {
            "form": "progress",
            "version": item.version,
            "text": "完工",
            "percent": "100",
            "request_check": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.AWAITING_CHECK
    client.force_login(world.staff_a)
    response = client.post(
        url, {"form": "check", "version": item.version, "passed": "0", "text": ""}
    )
    assert response.status_code == 200
    assert "Say what still needs to be done." in response.content.decode()
    response = client.post(
        url, {"form": "check", "version": item.version, "passed": "0", "text": "有一盏不亮"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rework_count == 1
    page = client.get(url).content.decode()
    assert "有一盏不亮" in page


def test_progress_stale_version(client, world, published):
    item = published.items.get()
    old_version = item.version
    services.progress_report(actor=world.staff_a, item=item, text="开始", percent=10)
    client.force_login(world.org_contact)
    response = client.post(
        reverse("resolutions:item_detail", args=[item.pk]),
        {"form": "progress", "version": old_version, "text": "我的进度", "percent": "30"},
    )
    assert response.status_code == 200
    assert "Someone else updated this item" in response.content.decode()
    assert "我的进度" in response.content.decode()


def test_objection_form_and_answer(client, world, published):
    url = reverse("resolutions:object", args=[published.pk])
    client.force_login(world.resident_user_b)
    assert client.get(url).status_code == 404
    client.force_login(world.resident_user_a)
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "费用太高"}).status_code == 302
    objection = Objection.objects.get()
    answer_url = reverse("resolutions:objection_answer", args=[objection.pk])
    assert client.get(answer_url).status_code == 403
    client.force_login(world.staff_a)
    assert client.post(answer_url, {"answer": "已重新核算"}).status_code == 302
    client.logout()
    page = client.get(reverse("resolutions:public_detail", args=[published.pk])).content.decode()
    assert "已重新核算" in page


def test_evaluation_page_reopens(client, world, published):
    item = published.items.get()
    services.progress_report(
        actor=world.org_contact, item=item, text="完成", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=item, passed=True, text="")
    url = reverse("resolutions:evaluate", args=[published.issue_id])
    client.force_login(world.staff_a)
    assert client.get(url).status_code == 403
    client.force_login(world.resident_user_a)
    public = client.get(reverse("resolutions:public_detail", args=[published.pk]))
    assert url in public.content.decode()
    response = client.post(url, {"rating": "unsatisfied", "comment": ""})
    assert "Tell us what is still wrong." in response.content.decode()
    assert client.post(url, {"rating": "unsatisfied", "comment": "不亮"}).status_code == 302
    published.issue.refresh_from_db()
    assert published.issue.status == IssueStatus.ACCEPTED


def test_revisit_page(client, world, published):
    issue = published.issue
    issue.status = IssueStatus.CLOSED
    issue.save()
    url = reverse("resolutions:revisit", args=[issue.pk])
    client.force_login(world.resident_user_a)
    assert client.get(url).status_code == 403
    client.force_login(world.worker_a1)
    assert client.post(url, {"method": "phone", "findings": "一切正常"}).status_code == 302
    assert issue.revisits.count() == 1


# ---------------------------------------------------------------- public board


def test_board_is_public_and_hides_drafts_and_dispute_details(client, world, published):
    draft = factories.resolution(world, title="草稿决议")
    dispute = factories.issue(world, kind=Kind.DISPUTE, title="张三与李四漏水纠纷")
    settled = factories.resolution(
        world,
        the_issue=dispute,
        title="张三李四和解",
        text="张三赔偿李四500元",
        items=[
            factories.item_fields(
                world,
                responsible_organization=None,
                responsible_resident=world.resident_a,
                measure="张三赔偿",
            )
        ],
        status="published",
    )
    page = client.get(reverse("resolutions:board")).content.decode()
    assert published.title in page
    assert "草稿决议" not in page
    assert "张三" not in page
    assert "Settled dispute" in page
    detail = client.get(reverse("resolutions:public_detail", args=[settled.pk])).content.decode()
    text = visible_text(detail)
    assert "张三" not in text and "李四" not in text and "500" not in text
    assert world.resident_a.name not in detail
    assert client.get(reverse("resolutions:public_detail", args=[draft.pk])).status_code == 404


def test_board_filters(client, world, published):
    other = factories.resolution(
        world,
        the_issue=factories.issue(world, community=world.community_b, title="乙社区停车"),
        actor=world.staff_b,
        items=[
            factories.item_fields(
                world, responsible_organization=None, responsible_resident=world.resident_b
            )
        ],
        status="published",
    )
    url = reverse("resolutions:board")
    page = client.get(url, {"compound": world.compound_b1.pk}).content.decode()
    assert other.title in page and published.title not in page
    page = client.get(url, {"category": published.issue.category_id}).content.decode()
    assert published.title in page and other.title not in page


def _published_many(world, n):
    category = factories.category()
    today = timezone.localdate()
    for i in range(n):
        issue = factories.issue(world, category=category, title=f"议题{i}")
        res = Resolution.objects.create(
            issue=issue,
            community=world.community_a,
            title=f"决议{i}",
            text="内容",
            status=Resolution.Status.PUBLISHED,
            publication_starts=today,
            publication_ends=today + timedelta(days=7),
            created_by=world.staff_a,
        )
        ActionItem.objects.create(
            resolution=res,
            community=world.community_a,
            responsible_organization=world.organization,
            measure=f"措施{i}",
            starts_on=today,
            deadline=today + timedelta(days=3),
            percent=50,
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_board_query_count_is_constant(client, world, settings):
    _published_many(world, 10)
    few = _count(client, reverse("resolutions:board"))
    _published_many(world, 90)
    many = _count(client, reverse("resolutions:board"))
    assert few == many


def test_board_counts_once_per_change_of_the_published_resolutions(client, world):
    _published_many(world, 25)
    url = reverse("resolutions:board")
    assert client.get(url).context["page_obj"].paginator.count == 25
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # The page comes from the cache: only the version of the board is asked, and which
    # opinion-taking on public matters has closed (one aggregate).
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]
    assert "决议24" in response.content.decode()
    _published_many(world, 1)
    assert client.get(url).context["page_obj"].paginator.count == 26


def test_board_shows_progress_reported_after_its_cards_were_cached(client, world):
    _published_many(world, 1)  # one item at 50 %
    url = reverse("resolutions:board")
    assert 'aria-valuenow="50"' in client.get(url).content.decode()
    assert 'aria-valuenow="50"' in client.get(url).content.decode()
    item = ActionItem.objects.get(measure="措施0")
    item.percent, item.status = 100, ActionItem.Status.DONE
    item.save()
    page = client.get(url).content.decode()
    assert 'aria-valuenow="100"' in page
    assert "1 of 1 items confirmed" in page


def test_board_does_not_cache_cards_for_foreign_parameters(client, world):
    _published_many(world, 25)  # two pages: the cards end in links that carry the query
    url = reverse("resolutions:board")
    assert "utm=" in client.get(url + "?page=1&utm=%3Cx%3E").content.decode()
    plain = client.get(url + "?page=1").content.decode()
    assert "utm" not in visible_text(plain) and not [h for h in links(plain) if "utm" in h]


def test_board_and_lists_count_items_and_progress_without_the_cancelled(client, world):
    _published_many(world, 1)  # one item at 50 %
    resolution = Resolution.objects.get(title="决议0")
    template = resolution.items.get()
    for status, percent in ((ActionItem.Status.DONE, 100), (ActionItem.Status.CANCELLED, 0)):
        ActionItem.objects.create(
            resolution=resolution,
            community=template.community,
            responsible_organization=template.responsible_organization,
            measure=f"{status}的措施",
            starts_on=template.starts_on,
            deadline=template.deadline,
            status=status,
            percent=percent,
        )
    board = client.get(reverse("resolutions:board"))
    card = board.context["page_obj"].object_list[0]
    assert (card.item_count, card.done_count, card.progress) == (2, 1, 75)
    assert 'aria-valuenow="75"' in board.content.decode()
    detail = client.get(reverse("resolutions:public_detail", args=[resolution.pk])).content
    assert 'aria-valuenow="75"' in detail.decode()
    client.force_login(world.staff_a)
    listed = client.get(reverse("resolutions:list")).context["page_obj"].object_list[0]
    assert (listed.item_count, listed.done_count) == (2, 1)


def test_my_items_query_count_is_constant(client, world):
    client.force_login(world.org_contact)
    _published_many(world, 10)
    few = _count(client, reverse("resolutions:my_items"))
    _published_many(world, 90)
    many = _count(client, reverse("resolutions:my_items"))
    assert few == many


def test_list_query_count_is_constant(client, world):
    client.force_login(world.staff_a)
    _published_many(world, 10)
    few = _count(client, reverse("resolutions:list"))
    _published_many(world, 90)
    many = _count(client, reverse("resolutions:list"))
    assert few == many


def test_my_items_shows_only_mine(client, world, published):
    factories.resolution(
        world,
        items=[
            factories.item_fields(
                world,
                responsible_organization=None,
                responsible_resident=world.resident_a,
                measure="居民自己清理",
            )
        ],
        status="published",
    )
    client.force_login(world.org_contact)
    page = client.get(reverse("resolutions:my_items")).content.decode()
    assert "更换路灯" in page and "居民自己清理" not in page
    client.force_login(world.resident_user_a)
    page = client.get(reverse("resolutions:my_items")).content.decode()
    assert "居民自己清理" in page and "更换路灯" not in page


def test_cost_split_total_shown_in_detail(client, world):
    resolution = factories.resolution(world)
    services.cost_split_set(
        actor=world.staff_a,
        item=resolution.items.get(),
        total=Decimal("800"),
        shares=[{"organization": world.organization, "share_percent": Decimal("100")}],
    )
    client.force_login(world.staff_a)
    page = client.get(reverse("resolutions:detail", args=[resolution.pk])).content.decode()
    assert "Total cost: 800.00 yuan" in visible_text(page)


def test_board_speaks_chinese_by_default(client, published):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    page = client.get(reverse("resolutions:board")).content.decode()
    assert "结果公示栏" in page
