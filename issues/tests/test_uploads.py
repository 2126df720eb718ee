import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lib.errors import DomainError
from lib.uploads import MAX_BYTES, clean_photo

from .conftest import image_bytes


def test_real_photo_is_accepted_and_renamed():
    clean = clean_photo(SimpleUploadedFile("x.jpg", image_bytes(), content_type="image/jpeg"))
    assert clean.name.endswith(".jpg") and clean.name != "x.jpg"
    assert Image.open(io.BytesIO(clean.read())).format == "JPEG"


def test_fake_extension_is_refused():
    upload = SimpleUploadedFile(
        "photo.jpg", b"#!/bin/sh\necho hi\n" * 10, content_type="image/jpeg"
    )
    with pytest.raises(DomainError) as error:
        clean_photo(upload)
    assert "photo.jpg" in error.value.message


def test_png_named_txt_is_judged_by_content():
    clean = clean_photo(
        SimpleUploadedFile("notes.txt", image_bytes("PNG"), content_type="text/plain")
    )
    assert clean.name.endswith(".png")


def test_oversized_file_is_refused():
    upload = SimpleUploadedFile("big.jpg", b"0" * (MAX_BYTES + 1), content_type="image/jpeg")
    with pytest.raises(DomainError):
        clean_photo(upload)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")
    with pytest.raises(DomainError) as error:
        clean_photo(SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png"))
    assert "pixels" in error.value.message or "像素" in error.value.message


def test_exif_and_gps_are_stripped():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (39.0, 54.0, 0.0)}  # GPSInfo
    raw = image_bytes(exif=exif)
    assert Image.open(io.BytesIO(raw)).getexif()
    clean = clean_photo(SimpleUploadedFile("gps.jpg", raw, content_type="image/jpeg"))
    data = clean.read()
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"PhoneMaker" not in data
