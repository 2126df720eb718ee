"""Uploads checked by their content, never by their name: the one place for it.

Photos are images (JPEG, PNG, WebP), size-limited, safe from decompression bombs and
re-encoded so EXIF (and GPS positions) never reach the disk. Documents (attachments of
meetings, resolutions and issues) are photos as above, PDF files, Office Open XML files
(.docx, .xlsx, .pptx: a zip holding [Content_Types].xml and its part folder) or legacy
Office files (.doc, .xls, .ppt: an OLE compound file); anything else (a program renamed
.pdf) is refused with a message for the field. HEIC photos are not read (Pillow has no
decoder for them without a plugin): the message asks for JPEG.
"""

import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from lib.errors import DomainError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 6
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def clean_photo(upload, *, field="photos"):
    """A safe copy of an uploaded image, or DomainError with a message for the user."""
    name = getattr(upload, "name", "") or "photo"
    if upload.size > MAX_BYTES:
        raise DomainError(
            _("“%(name)s” is larger than %(mb)d MB. Choose a smaller photo and upload it again.")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)},
            field=field,
        )
    not_image = DomainError(
        _("“%(name)s” is not a photo (JPEG, PNG or WebP). Choose a photo and upload it again.")
        % {"name": name},
        field=field,
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise not_image
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DomainError(
                    _("“%(name)s” has too many pixels. Choose a smaller photo and upload it again.")
                    % {"name": name},
                    field=field,
                )
            image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(
            _("“%(name)s” has too many pixels. Choose a smaller photo and upload it again.")
            % {"name": name},
            field=field,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_image from None
    fmt = image.format
    extension, content_type = FORMATS[fmt]
    # Re-encode from the pixels only: no EXIF, GPS or other metadata survives.
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert(
            "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        )
    if fmt == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    save_kwargs = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    clean.save(out, format=fmt, **save_kwargs)
    return SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{extension}", out.getvalue(), content_type=content_type
    )


def clean_photos(uploads, *, field="photos"):
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(
            _("Upload at most %(count)d photos.") % {"count": MAX_PHOTOS}, field=field
        )
    return [clean_photo(u, field=field) for u in uploads]


# ------------------------------------------------------------------ documents

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# An Office file unpacks to at most this much: a small zip can hold gigabytes of zeros.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OFFICE_PARTS = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


@dataclass
class CleanDocument:
    """An upload that passed: the file to store (a safe name of our own), its media type
    and whether it is an image (which gets a thumbnail)."""

    file: object
    media_type: str
    is_image: bool
    original_name: str


def _refuse(name, field):
    return DomainError(
        _(
            "“%(name)s” is not a PDF, a photo (JPEG, PNG or WebP) or an Office document "
            "(Word, Excel, PowerPoint). Choose such a file and upload it again."
        )
        % {"name": name},
        field=field,
    )


def _office_kind(upload):
    """The kind of an Office Open XML file (docx, xlsx, pptx), or None."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                return None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    for folder, kind in OFFICE_PARTS.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def clean_document(upload, *, field="file") -> CleanDocument:
    """Check an attachment by its content and size; raise DomainError (for `field`) when it
    is none of the accepted kinds."""
    name = getattr(upload, "name", "") or "file"
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG")) or (head[:4] == b"RIFF"):
        photo = clean_photo(upload, field=field)
        return CleanDocument(photo, photo.content_type, True, name)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(
            _("“%(name)s” is larger than %(mb)d MB. Choose a smaller file and upload it again.")
            % {"name": name, "mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            field=field,
        )
    if head.startswith(b"%PDF-"):
        extension, media_type = "pdf", "application/pdf"
    elif head.startswith(b"PK\x03\x04"):
        found = _office_kind(upload)
        if found is None:
            raise _refuse(name, field)
        extension, media_type = found
    elif head == OLE_MAGIC:
        # One container for the three legacy formats: the name says which it claims to be.
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in OLE_TYPES:
            raise _refuse(name, field)
        media_type = OLE_TYPES[extension]
    else:
        raise _refuse(name, field)
    upload.seek(0)
    stored = SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{extension}", upload.read(), content_type=media_type
    )
    return CleanDocument(stored, media_type, False, name)


def thumbnail_of(image_file, *, size=(480, 480)):
    """A JPEG thumbnail of an image already cleaned by clean_photo, made once when it is
    added."""
    image_file.seek(0)
    with Image.open(image_file) as image:
        image.thumbnail(size)
        if image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=82)
    image_file.seek(0)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.jpg", out.getvalue(), content_type="image/jpeg")
