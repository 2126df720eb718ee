"""Photos are served by the signed address of the page that shows them (lib.media), in
production as in development: the page has asked access/ first; the address opens that one
file for a few hours; nothing under /media/ is a public folder."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from issues import services as issues_services
from lib import media
from resolutions import services as resolutions_services
from resolutions.tests import factories

pytestmark = pytest.mark.django_db

PHOTO_SRC = re.compile(r'<img[^>]+src="(/media/[^"]+/)"')


def _png():
    data = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(data, format="PNG")
    return SimpleUploadedFile("现场照片.png", data.getvalue(), content_type="image/png")


@pytest.fixture
def issue_with_photo(world):
    issue = factories.issue(world)
    (photo,) = issues_services.issue_add_photos(issue=issue, actor=world.staff_a, photos=[_png()])
    return issue, photo


def test_the_issue_page_shows_its_photo_by_a_signed_address_that_serves_it(
    client, world, issue_with_photo
):
    issue, photo = issue_with_photo
    client.force_login(world.staff_a)
    page = client.get(reverse("issues:detail", args=[issue.pk])).content.decode()
    (src,) = set(PHOTO_SRC.findall(page))
    assert photo.image.name not in src

    client.logout()
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()


def test_staff_of_another_community_get_no_address_of_the_photo(client, world, issue_with_photo):
    issue, _photo = issue_with_photo
    client.force_login(world.staff_b)
    response = client.get(reverse("issues:detail", args=[issue.pk]))
    assert response.status_code == 404
    assert not PHOTO_SRC.search(response.content.decode())


def test_a_changed_or_expired_address_is_refused(client, world, issue_with_photo, time_machine):
    _issue, photo = issue_with_photo
    time_machine.move_to(timezone.now())
    address = media.signed_url(photo.image)
    token = address.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(address).status_code == 200

    changed = reverse("media", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])
    assert client.get(changed).status_code == 404
    time_machine.shift(timedelta(hours=12, seconds=1))
    assert client.get(address).status_code == 404


def test_only_pictures_are_served_and_the_media_folder_is_not(client, world, issue_with_photo):
    _issue, photo = issue_with_photo
    # A signed name of something that is not a picture (were a key ever to leak).
    assert client.get(media.signed_url("../config/settings/base.py")).status_code == 404
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_the_public_outcome_shows_progress_photos_a_visitor_can_open(client, world):
    resolution = factories.resolution(world, status="published")
    item = resolution.items.get()
    resolutions_services.progress_report(
        actor=world.staff_a, item=item, text="灯杆已立好", percent=60, photos=[_png()]
    )
    page = client.get(reverse("resolutions:public_detail", args=[resolution.pk]))
    assert page.status_code == 200
    (src,) = set(PHOTO_SRC.findall(page.content.decode()))
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
