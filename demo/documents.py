"""What the demo keeps beside the stories: 西湖社区's meeting places in the "1+4"
arrangement (one council room, four pavilions), the scanned sign-in sheet and a photo of
its council on the clean-up of 西湖苑 and the signed agreement that came of it, and a new
wave of a dozen 12345 tickets about ground locks at 中强巷's 明园小区 (story 8) waiting to
be accepted and merged in one bulk action. Built through the services; idempotent."""

import io
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from communities import services as communities
from communities.models import Venue
from core.attachments import attachment_add, attachments_of
from core.models import Attachment
from issues import services as issues
from issues.models import Channel, HotlineType, Issue
from meetings.models import Meeting
from resolutions.models import Resolution

from . import geography
from .clock import ago
from .kit import category, head

FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSansSC-Regular.ttf"
XIHU_MEETING = "西湖苑环境整治党群协商议事会"
NEW_LOCKS = "明园小区南门又有人私装地锁"


def build(world):
    with transaction.atomic():
        _venues(world)
        _xihu_documents(world)
        _new_ground_lock_tickets(world)


# ------------------------------------------------------------------ 1+4 at 西湖社区


def _venues(world):
    community = world.communities["xihu"]
    staff = head(world, "xihu")
    if community.venues.exists():
        return
    compounds = {c.name: c for c in community.compounds.all()}

    def near(compound, east_m, north_m):
        # The places stand in their compounds as demo.geography laid them out.
        compound = compounds.get(compound)
        if compound is None or compound.latitude is None:
            return None, None
        lat, lng = geography.offset(
            float(compound.latitude), float(compound.longitude), east_m, north_m
        )
        return f"{lat:.6f}", f"{lng:.6f}"

    latitude, longitude = near("西湖苑", 0, -95)
    room = communities.venue_save(
        actor=staff,
        community=community,
        name="西湖社区党群议事室",
        kind=Venue.Kind.COUNCIL_ROOM,
        address="金凤区贺兰山中路西湖苑南门社区服务中心二楼",
        capacity=40,
        latitude=latitude,
        longitude=longitude,
        notes="社区党群议事会、党建联席会议在此召开。",
    )
    pavilions = [
        (
            "西湖苑一号红色网格议事亭",
            "西湖苑",
            "西湖苑3号楼南侧小广场",
            15,
            (-60, 40),
        ),
        (
            "西湖苑二号红色网格议事亭",
            "西湖苑",
            "西湖苑8号楼东侧绿地",
            12,
            (70, 60),
        ),
        (
            "阅海万家议事长廊",
            "阅海万家F3区",
            "阅海万家F3区中心花园长廊",
            20,
            (0, 20),
        ),
        (
            "阅海万家红色网格议事亭",
            "阅海万家F3区",
            "阅海万家F3区6号楼北侧",
            12,
            (60, -50),
        ),
    ]
    for name, compound, address, capacity, (east_m, north_m) in pavilions:
        latitude, longitude = near(compound, east_m, north_m)
        communities.venue_save(
            actor=staff,
            community=community,
            name=name,
            kind=Venue.Kind.CORRIDOR if "长廊" in name else Venue.Kind.PAVILION,
            parent=room,
            compound=compounds.get(compound),
            address=address,
            capacity=capacity,
            latitude=latitude,
            longitude=longitude,
        )
    communities.venue_save(
        actor=staff,
        community=community,
        name="西湖苑物业服务中心",
        kind=Venue.Kind.PROPERTY_OFFICE,
        compound=compounds.get("西湖苑"),
        address="西湖苑1号楼底商",
        capacity=10,
    )
    # The council on the clean-up of 西湖苑 was held in the council room.
    Meeting.objects.filter(community=community, title=XIHU_MEETING).update(place=room)


# ------------------------------------------------------------------ scans and photos


def _font(size):
    return ImageFont.truetype(str(FONT), size)


def _scan(title, lines, signatures, *, seed):
    """A scanned A4 page: a title, typed lines, a table of handwritten-looking names, the
    grey of a scanner and a slight tilt."""
    rng = random.Random(seed)
    page = Image.new("RGB", (1240, 1754), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    draw.text((620, 140), title, font=_font(56), fill=(20, 20, 20), anchor="mm")
    y = 240
    for line in lines:
        draw.text((120, y), line, font=_font(30), fill=(40, 40, 40))
        y += 56
    y += 20
    for n, name in enumerate(signatures, start=1):
        draw.rectangle((110, y, 1130, y + 72), outline=(60, 60, 60), width=2)
        draw.line((210, y, 210, y + 72), fill=(60, 60, 60), width=2)
        draw.line((640, y, 640, y + 72), fill=(60, 60, 60), width=2)
        draw.text((160, y + 36), str(n), font=_font(28), fill=(40, 40, 40), anchor="mm")
        draw.text((240, y + 18), name[0], font=_font(30), fill=(40, 40, 40))
        # The signature: the name again, in blue ink, a little askew.
        ink = Image.new("RGBA", (360, 70), (0, 0, 0, 0))
        ImageDraw.Draw(ink).text((10, 8), name[1], font=_font(40), fill=(25, 45, 140, 255))
        ink = ink.rotate(rng.uniform(-6, 6), expand=True, resample=Image.BICUBIC)
        page.paste(ink, (690 + rng.randint(0, 60), y + rng.randint(-8, 4)), ink)
        y += 72
    page = page.rotate(rng.uniform(-0.8, 0.8), fillcolor=(235, 235, 230), resample=Image.BICUBIC)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _photo(caption, *, seed):
    """A photo of the meeting: people around a table, seen from the door."""
    rng = random.Random(seed)
    photo = Image.new("RGB", (1600, 1200), (214, 205, 188))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((0, 0, 1600, 520), fill=(236, 232, 222))
    draw.rectangle((620, 90, 980, 300), fill=(176, 32, 30))
    draw.text((800, 195), "议事会", font=_font(70), fill=(250, 226, 160), anchor="mm")
    draw.rounded_rectangle((260, 640, 1340, 900), radius=40, fill=(120, 84, 52))
    for n in range(10):
        x = 300 + n * 110
        top = n % 2 == 0
        cy = 600 if top else 960
        color = rng.choice(
            [(40, 60, 110), (60, 60, 60), (150, 40, 40), (30, 90, 70), (90, 70, 110)]
        )
        draw.ellipse((x, cy - 60, x + 80, cy + 20), fill=(233, 196, 160))
        draw.rounded_rectangle((x - 20, cy + 20, x + 100, cy + 200), radius=30, fill=color)
    draw.text((40, 1130), caption, font=_font(34), fill=(255, 255, 255))
    photo = photo.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=82)
    return out.getvalue()


def _keep(*, actor, target, name, content, kind, title, when):
    attachment = attachment_add(
        actor=actor,
        target=target,
        upload=SimpleUploadedFile(name, content),
        kind=kind,
        title=title,
    )
    Attachment.objects.filter(pk=attachment.pk).update(added_at=when)
    return attachment


def _xihu_documents(world):
    community = world.communities["xihu"]
    staff = head(world, "xihu")
    meeting = Meeting.objects.filter(community=community, title=XIHU_MEETING).first()
    if meeting is None or attachments_of(meeting).exists():
        return
    names = list(meeting.participants.order_by("pk").values_list("name", flat=True))[:12]
    signatures = [(name, name) for name in names]
    after = meeting.ends_at + timedelta(minutes=20)
    _keep(
        actor=staff,
        target=meeting,
        name="签到表-扫描件.jpg",
        content=_scan(
            f"{XIHU_MEETING}签到表",
            [f"时间：{meeting.starts_at:%Y年%m月%d日}", f"地点：{meeting.venue}"],
            signatures,
            seed=meeting.pk,
        ),
        kind=Attachment.Kind.SIGN_IN_SHEET,
        title="签到表（已签字）",
        when=after,
    )
    _keep(
        actor=staff,
        target=meeting,
        name="会议现场.jpg",
        content=_photo(f"{XIHU_MEETING}现场", seed=meeting.pk + 1),
        kind=Attachment.Kind.PHOTO,
        title="会议现场",
        when=after + timedelta(minutes=5),
    )
    resolution = Resolution.objects.filter(agenda_item__meeting=meeting).first()
    if resolution is not None and not attachments_of(resolution).exists():
        _keep(
            actor=staff,
            target=resolution,
            name="协议书-签字扫描件.jpg",
            content=_scan(
                "西湖苑环境整治协议书",
                [resolution.text[i : i + 32] for i in range(0, min(len(resolution.text), 160), 32)]
                + ["各方代表签字确认："],
                signatures[:6],
                seed=resolution.pk,
            ),
            kind=Attachment.Kind.AGREEMENT,
            title="协议书（各方签字）",
            when=(resolution.adopted_at or after) + timedelta(hours=1),
        )


# ------------------------------------------------------------------ story 8, again


def _new_ground_lock_tickets(world):
    """Ground locks are back at 明园小区: a dozen 12345 tickets in three days, not yet
    accepted — one bulk action accepts the first and merges the others into it."""
    key = "zhongqiangxiang"
    community = world.communities[key]
    if Issue.objects.filter(community=community, title=NEW_LOCKS).exists():
        return
    staff = head(world, key)
    compound = world.compounds[(key, "明园小区")]
    complaints = [
        ("南门东侧新装了两个地锁，车位又被占了。", "王女士"),
        ("明园小区南门地锁又出现了，晚上没地方停车。", "李先生"),
        ("南门口地锁挡住消防通道。", "张女士"),
        ("去年拆了的地锁又装回来了。", "刘先生"),
        ("南门3号楼前私装地锁，老人推车过不去。", "陈女士"),
        ("地锁锁住公共车位还收钱。", "杨先生"),
        ("南门外车位装了地锁，请再次处理。", "黄女士"),
        ("明园小区又有人装地锁，物业不管。", "赵先生"),
        ("南门地锁夜里看不见，绊倒了人。", "周女士"),
        ("私装地锁问题反弹，请社区吹哨。", "吴先生"),
        ("南门两侧共五个地锁，占公共车位。", "徐女士"),
        ("地锁问题又来了，希望一并处理。", "孙先生"),
    ]
    for n, (text, name) in enumerate(complaints):
        when = ago(3 - n // 4, 9 + n % 4 * 2, 10 + n)
        issues.issue_report(
            actor=staff,
            community=community,
            category=category("ground_locks"),
            title=NEW_LOCKS,
            description=text,
            channel=Channel.HOTLINE,
            hotline_type=HotlineType.COMPLAINT,
            hotline_ticket=f"YC{when:%Y%m%d}{n + 101:05d}",
            hotline_answer_by=when + timedelta(days=3),
            compound=compound,
            place_text="南门",
            reporter_name=name,
            reporter_phone=f"1390951{n:04d}",
            reported_at=when,
        )
    # Their acceptance limits have run out: today's reminders say so, as the beat would
    # (each once, so running the demo again sends nothing new).
    from issues import reminders

    reminders.issue_deadlines()
