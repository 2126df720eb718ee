"""The categories of the domain and default time limits; both stay editable in the admin."""

from django.db import migrations

CATEGORIES = [
    ("drainage", "排水", "public"),
    ("tree_trimming", "树木修剪", "public"),
    ("fire_lane", "消防通道", "public"),
    ("parking", "停车", "public"),
    ("ground_locks", "地锁", "public"),
    ("noise", "噪音", "dispute"),
    ("stairwell_clutter", "楼道堆物", "public"),
    ("charging", "充电/飞线充电", "public"),
    ("elevator", "加装电梯", "public"),
    ("renovation", "老旧小区改造", "public"),
    ("property_service", "物业服务", "public"),
    ("neighbour_dispute", "邻里纠纷", "dispute"),
    ("family_dispute", "家庭纠纷", "dispute"),
    ("special_need", "特殊群体需求", "special_need"),
    ("other", "其他", "public"),
]

# urgency: (accept within, handle within) in working hours.
DEFAULT_LIMITS = {
    "normal": (8, 40),
    "urgent": (4, 16),
    "very_urgent": (1, 4),
}


def seed(apps, schema_editor):
    Category = apps.get_model("issues", "Category")
    TimeLimit = apps.get_model("issues", "TimeLimit")
    for order, (code, name, kind) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "default_kind": kind, "order": order * 10}
        )
    for urgency, (accept, handle) in DEFAULT_LIMITS.items():
        TimeLimit.objects.get_or_create(
            category=None,
            urgency=urgency,
            defaults={"accept_within": accept, "handle_within": handle, "unit": "working_hours"},
        )


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
