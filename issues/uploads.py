"""Photo uploads: images checked by their content (not their name), size-limited, safe
from decompression bombs, re-encoded so EXIF (and GPS positions) never reach the disk."""

import io
import uuid
import warnings

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
