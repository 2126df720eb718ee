"""The fault drills reuse the records of the access matrix."""

from tests.security.conftest import objects  # noqa: F401
