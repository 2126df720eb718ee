"""Attachments: checked by their content, seen exactly by those who see their record,
archived with a reason, never deleted; each add and archive on the record's timeline."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.attachments import attachment_add, attachment_archive
from core.audit import timeline_of
from core.models import Attachment
from lib.errors import DomainError
from meetings.services import meeting_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile("签到表.png", out.getvalue(), content_type="image/png")


def docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile("议程.docx", out.getvalue())


@pytest.fixture
def meeting(world):
    start = timezone.now() - timezone.timedelta(days=3)
    return meeting_create(
        actor=world.staff_a,
        community=world.community_a,
        form="courtyard_council",
        title="甲一小区停车议事会",
        venue="社区议事厅",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
    )


def test_a_pdf_a_photo_and_an_office_file_are_kept(world, meeting):
    scan = attachment_add(
        actor=world.staff_a,
        target=meeting,
        upload=SimpleUploadedFile("签到表.pdf", PDF),
        kind=Attachment.Kind.SIGN_IN_SHEET,
        title="签到表（签字）",
    )
    photo = attachment_add(actor=world.staff_a, target=meeting, upload=png(), kind="photo")
    handout = attachment_add(actor=world.staff_a, target=meeting, upload=docx(), kind="handout")
    assert scan.media_type == "application/pdf" and not scan.thumbnail
    assert photo.is_image and photo.thumbnail and photo.original_name == "签到表.png"
    with Image.open(photo.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) <= 480
    assert handout.media_type.endswith("wordprocessingml.document")
    assert timeline_of(meeting).filter(action="attach").count() == 3


@pytest.mark.parametrize(
    "name, content",
    [
        ("议程.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is a program"),
        ("表格.xlsx", b"PK\x03\x04 not really a zip"),
        ("照片.jpg", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(world, meeting, name, content):
    with pytest.raises(DomainError) as refused:
        attachment_add(
            actor=world.staff_a,
            target=meeting,
            upload=SimpleUploadedFile(name, content),
            kind="document",
        )
    assert refused.value.field == "file" and name in refused.value.message
    assert not Attachment.objects.exists()


def test_a_zip_that_is_not_an_office_document_is_refused(world, meeting):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DomainError):
        attachment_add(
            actor=world.staff_a,
            target=meeting,
            upload=SimpleUploadedFile("资料.docx", out.getvalue()),
            kind="document",
        )


def test_the_form_says_why_next_to_the_field_and_keeps_the_title(client, world, meeting):
    client.force_login(world.staff_a)
    response = client.post(
        reverse("attachments:add", args=["meeting", meeting.pk]),
        {
            "kind": "sign_in_sheet",
            "title": "签到表（签字）",
            "file": SimpleUploadedFile("签到表.pdf", b"MZ\x90\x00program"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="签到表（签字）"' in page
    assert "is-invalid" in page and "签到表.pdf" in page


def test_an_attachment_is_seen_exactly_by_those_who_see_its_record(client, world, meeting):
    kept = attachment_add(
        actor=world.staff_a,
        target=meeting,
        upload=SimpleUploadedFile("签到表.pdf", PDF),
        kind="sign_in_sheet",
    )
    url = reverse("attachments:file", args=[kept.pk])
    client.force_login(world.staff_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in (world.staff_b, world.resident_user_b, world.resident_user_a):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    # Nothing of it is under the media root, which a web server may serve as it is.
    assert not kept.file.path.startswith(str(settings.MEDIA_ROOT))


def test_archiving_needs_a_reason_keeps_the_file_and_says_so_on_the_timeline(
    client, world, meeting
):
    kept = attachment_add(actor=world.staff_a, target=meeting, upload=png(), kind="photo")
    kept.target = meeting
    with pytest.raises(DomainError):
        attachment_archive(actor=world.staff_a, attachment=kept, reason=" ")
    client.force_login(world.staff_b)
    assert (
        client.post(reverse("attachments:archive", args=[kept.pk]), {"reason": "重复"}).status_code
        == 404
    )
    client.force_login(world.staff_a)
    client.post(reverse("attachments:archive", args=[kept.pk]), {"reason": "拍重复了"})
    kept.refresh_from_db()
    assert kept.archived_at is not None and kept.archive_reason == "拍重复了"
    assert kept.file.storage.exists(kept.file.name)
    row = timeline_of(meeting).get(action="detach")
    assert "拍重复了" in row.note
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "拍重复了" in page


def test_only_those_who_run_the_record_add_to_it(client, world, meeting):
    client.force_login(world.worker_a1)
    assert client.get(reverse("attachments:add", args=["meeting", meeting.pk])).status_code == 403
    client.force_login(world.staff_b)
    assert client.get(reverse("attachments:add", args=["meeting", meeting.pk])).status_code == 404
