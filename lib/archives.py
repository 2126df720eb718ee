"""Size checks for zip-based uploads (.xlsx), before anything is unpacked."""

import io
import zipfile

# A workbook of the largest import we accept (20,000 rows) unpacks to a few tens of MB;
# anything far larger is a decompression bomb, refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def unpacked_size(data: bytes) -> int | None:
    """The total size of the archive's members once unpacked, as declared in its central
    directory, or None when the data is not a zip archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return None


def is_bomb(data: bytes) -> bool:
    size = unpacked_size(data)
    return size is not None and size > MAX_UNPACKED_BYTES
