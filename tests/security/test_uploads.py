"""Every upload form of the product checks files by their content (issue 9): a wrong type,
an oversized file, a decompression bomb and a fake extension are refused with a clear
message next to the field, and nothing is stored."""

import io
import struct
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import HotlineTicket
from communities.models import Resident
from issues.models import Issue, IssuePhoto
from resolutions.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb():
    """A valid PNG header declaring 30,000 × 30,000 pixels (900 MP) in a few hundred bytes."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + _png_chunk(b"IEND", b"")
    )


def xlsx_bomb():
    """A workbook-shaped zip whose sheet unpacks to 200 MB of zeros (about 200 KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * (1024 * 1024)
            for _ in range(200):
                sheet.write(block)
    return out.getvalue()


PNG_BYTES = png_bomb()[:8] + b"not really a png"

PHOTO_CASES = {
    "wrong type": (SimpleUploadedFile("notes.txt", b"just text", "text/plain"), "is not a photo"),
    "oversized": (
        SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"0" * (9 * 1024 * 1024), "image/jpeg"),
        "is larger than 8 MB",
    ),
    "decompression bomb": (SimpleUploadedFile("bomb.png", png_bomb(), "image/png"), "too many"),
    "fake extension": (
        SimpleUploadedFile("photo.jpg", b"%PDF-1.4 a document", "image/jpeg"),
        "is not a photo",
    ),
}

SHEET_CASES = {
    "wrong type": (SimpleUploadedFile("notes.txt", b"just text", "text/plain"), None),
    "oversized": (SimpleUploadedFile("big.xlsx", b"0" * (11 * 1024 * 1024)), "larger than 10 MB"),
    "decompression bomb": (SimpleUploadedFile("bomb.xlsx", xlsx_bomb()), "unpacks to more than"),
    "fake extension": (SimpleUploadedFile("sheet.xlsx", PNG_BYTES, "image/png"), None),
}


def _fresh(upload):
    upload.seek(0)
    return SimpleUploadedFile(upload.name, upload.read(), upload.content_type)


@pytest.fixture
def staff(client, objects):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(objects["world"].staff_a)
    return client


def _refused(response, message):
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert "is-invalid" in page or "invalid-feedback" in page or "alert-danger" in page
    if message:
        assert message in page, message


@pytest.mark.parametrize("case", sorted(PHOTO_CASES))
def test_issue_photos_refused(staff, objects, case):
    upload, message = PHOTO_CASES[case]
    issues_before = Issue.objects.count()
    photos_before = IssuePhoto.objects.count()
    response = staff.post(
        reverse("issues:create"),
        {
            "channel": "walk_in",
            "category": objects["issue"].category_id,
            "urgency": "normal",
            "title": "带照片的议题",
            "description": "照片不对",
            "compound": objects["world"].compound_a1.pk,
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "photos": [_fresh(upload)],
        },
    )
    _refused(response, message)
    assert "带照片的议题" in response.content.decode()  # what was typed is kept
    assert Issue.objects.count() == issues_before
    assert IssuePhoto.objects.count() == photos_before


@pytest.mark.parametrize("case", sorted(PHOTO_CASES))
def test_progress_photos_refused(staff, objects, case):
    upload, message = PHOTO_CASES[case]
    item = objects["action_item"]
    response = staff.post(
        reverse("resolutions:item_detail", args=[item.pk]),
        {
            "form": "progress",
            "version": item.version,
            "text": "已完成一半",
            "percent": "50",
            "photos": [_fresh(upload)],
        },
    )
    _refused(response, message)
    assert not ProgressUpdate.objects.filter(item=item).exists()


@pytest.mark.parametrize("case", sorted(SHEET_CASES))
def test_resident_spreadsheets_refused(staff, objects, case):
    upload, message = SHEET_CASES[case]
    before = Resident.objects.count()
    response = staff.post(
        reverse("communities:import", kwargs={"kind": "residents"}),
        {"community": objects["world"].community_a.pk, "file": _fresh(upload)},
    )
    _refused(response, message)
    assert Resident.objects.count() == before


@pytest.mark.parametrize("case", sorted(SHEET_CASES))
def test_hotline_workbooks_refused(staff, objects, case):
    upload, message = SHEET_CASES[case]
    before = HotlineTicket.objects.count()
    response = staff.post(
        reverse("api:hotline"),
        {"category": objects["issue"].category_id, "file": _fresh(upload)},
    )
    _refused(response, message or "not an .xlsx workbook")
    assert HotlineTicket.objects.count() == before
