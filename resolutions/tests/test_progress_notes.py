"""Residents read the progress notes and photos behind each action item's progress bar: on
the public outcome page and on the page that asks them to rate how it was handled."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from issues.models import Kind
from issues.models import Status as IssueStatus
from resolutions import services
from resolutions.models import ActionItem, ProgressPhoto, ProgressUpdate
from resolutions.selectors import with_progress_notes
from tests.html import visible_text

from . import factories

PHOTO_SRC = re.compile(r'<img[^>]+src="(/media/[^"]+/)"')


def _shows(client, page, photo):
    """The page shows the photo by an address its reader can open (lib.media)."""
    (src,) = set(PHOTO_SRC.findall(page))
    response = client.get(src)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()


pytestmark = pytest.mark.django_db


def _resolution_with(world, *, items, updates_each):
    resolution = factories.resolution(
        world,
        items=[factories.item_fields(world, measure=f"措施{n}") for n in range(items)],
        status="published",
    )
    rows = [
        ProgressUpdate(item=item, text=f"第{n}次进展", percent=n, author=world.org_contact)
        for item in resolution.items.all()
        for n in range(updates_each)
    ]
    ProgressUpdate.objects.bulk_create(rows)
    ProgressPhoto.objects.bulk_create(
        ProgressPhoto(update=update, image=f"progress/{update.pk}.jpg")
        for update in ProgressUpdate.objects.filter(item__resolution=resolution)
    )
    return resolution


@pytest.mark.parametrize(
    ("items", "updates_each"),
    [(1, 10), (5, 2), (5, 20)],  # 1 or 5 items; 10 or 100 notes
)
def test_progress_notes_of_all_items_take_two_queries(
    world, django_assert_num_queries, items, updates_each
):
    resolution = _resolution_with(world, items=items, updates_each=updates_each)
    shown = list(resolution.items.all())

    # 1. the notes of every item, 2. the photos of every note.
    with django_assert_num_queries(2):
        notes = with_progress_notes(shown)
        texts = [[note.text for note in item.progress_notes] for item in notes]
        photos = [
            p.image.name for item in notes for n in item.progress_notes for p in n.photos.all()
        ]

    assert texts == [[f"第{n}次进展" for n in range(updates_each)]] * items
    assert len(photos) == items * updates_each


def test_progress_notes_of_no_items_take_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert with_progress_notes(ActionItem.objects.none()) == []


def _report_with_photo(world, item, text):
    services.progress_report(
        actor=world.org_contact,
        item=item,
        text=text,
        percent=60,
        photos=[ContentFile(b"\xff\xd8\xff", name="lamp.jpg")],
    )


def test_anyone_reads_each_items_progress_notes_and_photos_on_the_public_outcome(
    client, world, published
):
    item = published.items.get()
    _report_with_photo(world, item, "已更换三盏路灯，剩两盏")

    page = client.get(reverse("resolutions:public_detail", args=[published.pk])).content.decode()

    assert "已更换三盏路灯，剩两盏" in visible_text(page)
    _shows(client, page, ProgressPhoto.objects.get(update__item=item))
    # Who wrote it is not published.
    assert str(world.org_contact) not in visible_text(page)


def test_a_settled_dispute_publishes_no_progress_notes(client, world):
    dispute = factories.issue(world, kind=Kind.DISPUTE, title="张三与李四漏水纠纷")
    settled = factories.resolution(
        world,
        the_issue=dispute,
        items=[factories.item_fields(world, measure="维修管道")],
        status="published",
    )
    _report_with_photo(world, settled.items.get(), "张三家已修好管道")

    page = client.get(reverse("resolutions:public_detail", args=[settled.pk])).content.decode()

    assert "张三家已修好管道" not in page
    assert "/progress/" not in page


def test_the_resident_rates_how_it_was_handled_seeing_what_was_done(client, world, published):
    item = published.items.get()
    _report_with_photo(world, item, "五盏路灯全部更换")
    services.progress_report(
        actor=world.org_contact, item=item, text="请核查", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=item, passed=True, text="现场查看全部亮了")
    published.issue.refresh_from_db()
    assert published.issue.status == IssueStatus.AWAITING_EVALUATION
    client.force_login(world.resident_user_a)

    issue_page = client.get(reverse("issues:detail", args=[published.issue_id])).content.decode()
    assert "Rate how it was handled" in visible_text(issue_page)
    page = client.get(reverse("resolutions:evaluate", args=[published.issue_id])).content.decode()

    text = visible_text(page)
    assert "Rate how it was handled" in text
    assert "更换路灯" in text  # the item
    assert "五盏路灯全部更换" in text and "现场查看全部亮了" in text  # its notes
    _shows(client, page, ProgressPhoto.objects.get(update__item=item))


def test_the_rating_page_reads_the_notes_in_constant_queries(client, world, published):
    item = published.items.get()
    for n in range(6):
        _report_with_photo(world, item, f"进展{n}")
    services.progress_report(
        actor=world.org_contact, item=item, text="完成", percent=100, request_check=True
    )
    services.item_check(actor=world.staff_a, item=item, passed=True, text="")
    client.force_login(world.resident_user_a)
    url = reverse("resolutions:evaluate", args=[published.issue_id])
    client.get(url)  # warm the caches of the scope and the session

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # Twenty more notes with photos (the item is done: written directly).
    more = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(item=item, text=f"更多进展{n}", percent=100, author=world.org_contact)
        for n in range(20)
    )
    ProgressPhoto.objects.bulk_create(
        ProgressPhoto(update=update, image=f"progress/{update.pk}.jpg") for update in more
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert "更多进展19" in response.content.decode()
    assert len(many) == len(few)
