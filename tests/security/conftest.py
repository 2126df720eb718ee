import pytest

from notifications.services import notify


@pytest.fixture
def objects(world):
    """The records the matrix's URLs point at, all in community A / grid A1."""
    notification = notify(
        recipient=world.staff_a,
        kind="matrix",
        title="测试通知",
        body="",
        target=world.community_a,
        url="/",
    )
    return {"world": world, "notification_for_staff_here": notification}
