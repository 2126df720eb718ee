import io

import pytest
from PIL import Image

from issues.models import Category, Channel
from issues.services import issue_report


@pytest.fixture
def category(db):
    return Category.objects.get(code="drainage")


@pytest.fixture
def make_issue(world, category):
    def make(**overrides):
        fields = {
            "actor": world.staff_a,
            "community": world.community_a,
            "category": category,
            "title": "3号楼下水道堵塞",
            "description": "雨后积水，居民出行不便",
            "channel": Channel.WALK_IN,
            "compound": world.compound_a1,
        }
        fields.update(overrides)
        return issue_report(**fields)

    return make


def image_bytes(fmt="JPEG", size=(40, 30), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
