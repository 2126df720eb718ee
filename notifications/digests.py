"""The daily digest: one email and one SMS a day per person and kind of duty, listing what
waited for it (notifications held by `notifications.routing`), grouped by community and
resolution, most urgent first.

A digest is itself a notification, keyed (digest, the user, "<kind>:<date>"): a rerun, a
late run or a second beat process finds the key taken and sends nothing; what became due
after the day's digest went waits for tomorrow's (or went at once, when urgent). Creating
the digest, marking what it carries and queueing its deliveries commit together, so a
worker killed midway leaves either the whole digest or none of it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from lib import versions

from . import routing
from .kinds import BEIJING, DIGEST_KIND, Category, in_quiet_hours, urgency
from .models import Notification
from .sms import SEGMENT, SIGNATURE

# Users per chunk: each chunk is a handful of queries whatever its size.
USERS_PER_CHUNK = 500


def pending_pairs(now=None) -> list[tuple[int, str]]:
    """(user, kind of duty) with something waiting and no digest of that kind today."""
    day = (now or timezone.now()).astimezone(BEIJING).date()
    waiting = set(
        Notification.objects.filter(held=True, recipient__isnull=False)
        .values_list("recipient", "category")
        .distinct()
    )
    if not waiting:
        return []
    gone = set(
        Notification.objects.filter(
            kind=DIGEST_KIND,
            step__in=[routing.digest_step(c, day) for c in {c for _u, c in waiting}],
        ).values_list("recipient", "category")
    )
    return sorted(waiting - gone)


def send_digests(*, now=None) -> int:
    """Send the day's digests; returns how many went. Nothing in quiet hours: the morning
    run sends them."""
    now = now or timezone.now()
    if in_quiet_hours(now):
        return 0
    pairs = pending_pairs(now)
    users = sorted({user for user, _category in pairs})
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for start in range(0, len(users), USERS_PER_CHUNK):
            chunk = set(users[start : start + USERS_PER_CHUNK])
            sent += _send_chunk([p for p in pairs if p[0] in chunk], now)
    return sent


LINE_FIELDS = (
    "pk",
    "recipient",
    "category",
    "kind",
    "step",
    "title",
    "url",
    "community",
    "community__name",
    "group_label",
    "created_at",
    "read_at",
)


def _send_chunk(pairs, now) -> int:
    from .services import _db_value, _enqueue_batches, _insert, _insert_deliveries

    wanted = set(pairs)
    rows = [
        row
        for row in Notification.objects.filter(
            held=True, recipient__in={user for user, _c in pairs}
        ).values(*LINE_FIELDS)
        if (row["recipient"], row["category"]) in wanted
    ]
    if not rows:
        return 0
    day = now.astimezone(BEIJING).date()
    user_type = ContentType.objects.get_for_model(get_user_model()).pk
    lines_of = {}
    for row in rows:
        lines_of.setdefault((row["recipient"], row["category"]), []).append(row)
    created_at = _db_value(Notification, "created_at", now)
    values = []
    for (user, category), lines in lines_of.items():
        digest = compose(category, lines)
        values.append(
            (
                DIGEST_KIND,
                user_type,
                user,
                user,
                routing.digest_step(category, day),
                digest["community"],
                digest["title"][:200],
                digest["body"],
                reverse("notifications:digest", args=[category, day.isoformat()]),
                digest["sms"],
                category,
                False,
                "",
                "",
                "",
                "",
                False,
                created_at,
            )
        )
    with transaction.atomic():
        created = _insert(
            Notification,
            (
                "kind",
                "content_type",
                "object_id",
                "recipient",
                "step",
                "community",
                "title",
                "body",
                "url",
                "sms_text",
                "category",
                "held",
                "group_label",
                "attachment_name",
                "attachment_mimetype",
                "attachment_content",
                "secret",
                "created_at",
            ),
            values,
            returning=("id", "recipient", "category"),
        )
        if not created:
            return 0
        digest_of = {(user, category): pk for pk, user, category in created}
        carried = [row["pk"] for row in rows if (row["recipient"], row["category"]) in digest_of]
        Notification.objects.filter(pk__in=carried, held=True).update(
            held=False,
            digest_id=Case(
                *[
                    When(Q(recipient_id=user, category=category), then=Value(pk))
                    for (user, category), pk in digest_of.items()
                ],
                output_field=IntegerField(),
            ),
        )
        # A digest goes through the channels its reader chose (it is the message they
        # chose to receive); at the hour it is sent, SMS may go.
        reach = routing.reach_of({user for user, _category in digest_of})
        deliveries = _insert_deliveries(
            [
                (pk, routing.Route(channels=reach[user].channels))
                for (user, _category), pk in digest_of.items()
                if user in reach
            ],
            now,
        )
        versions.changed(*{versions.user(user) for user, _category in digest_of})
        transaction.on_commit(lambda ids=deliveries: _enqueue_batches(ids))
    return len(created)


def grouped(lines):
    """Lines by community, then by group (a resolution), most urgent first at every level:
    [(community name, [(group, [line, …]), …]), …]."""

    def rank(line):
        return urgency(line["kind"], line["step"])

    for line in lines:
        line["rank"] = rank(line)
    lines = sorted(lines, key=lambda r: (r["rank"], r["created_at"], r["pk"]))
    by_community = {}
    for line in lines:
        by_community.setdefault(line["community__name"] or "", []).append(line)
    result = []
    for community, items in sorted(
        by_community.items(), key=lambda pair: (min(rank(r) for r in pair[1]), pair[0])
    ):
        groups = {}
        for line in items:
            groups.setdefault(line["group_label"], []).append(line)
        ordered = sorted(groups.items(), key=lambda pair: (min(rank(r) for r in pair[1]), pair[0]))
        result.append((community, ordered))
    return result


def counts(lines) -> dict:
    ranks = [urgency(r["kind"], r["step"]) for r in lines]
    return {"total": len(lines), "urgent": ranks.count(0), "late": ranks.count(1)}


def compose(category, lines) -> dict:
    """The digest's title, its text (the email, with links) and its SMS (one segment,
    naming the community), and the community it belongs to (where most lines are)."""
    what = str(Category(category).label)
    figures = counts(lines)
    title = ngettext(
        "Daily digest · %(what)s: %(count)d",
        "Daily digest · %(what)s: %(count)d",
        figures["total"],
    ) % {"what": what, "count": figures["total"]}
    parts = [
        ngettext(
            "%(count)d reminder waited for today's digest (%(urgent)d urgent, %(late)d overdue).",
            "%(count)d reminders waited for today's digest (%(urgent)d urgent, %(late)d overdue).",
            figures["total"],
        )
        % {"count": figures["total"], "urgent": figures["urgent"], "late": figures["late"]}
    ]
    for community, groups in grouped(lines):
        parts.append("")
        parts.append(f"【{community or _('Other')}】")
        for group, items in groups:
            indent = "  "
            if group:
                parts.append(f"  {group}")
                indent = "    "
            for line in items:
                link = f" {settings.SITE_URL}{line['url']}" if line["url"] else ""
                parts.append(f"{indent}· {line['title']}{link}")
    names = [r["community__name"] for r in lines if r["community__name"]]
    main = max(set(names), key=names.count) if names else ""
    main_id = next((r["community"] for r in lines if r["community__name"] == main), None)
    return {
        "title": title,
        "body": "\n".join(parts),
        "sms": sms_text(main, len(set(names)) > 1, what, figures),
        "community": main_id,
    }


def sms_text(community: str, several: bool, what: str, figures) -> str:
    """【议事】阳光社区等：我的整改事项今日 12 项，其中紧急或逾期 5 项，请登录议事查看。"""
    text = _(
        "%(what)s: %(count)d today, %(late)d urgent or overdue. Sign in to Yishi to see them."
    ) % {"what": what, "count": figures["total"], "late": figures["urgent"] + figures["late"]}
    if community and several:
        community = _("%(community)s and others") % {"community": community}
    room = SEGMENT - len(SIGNATURE) - len(text) - 1
    if community and room > 1:
        head = community if len(community) <= room else community[: room - 1] + "…"
        return f"{SIGNATURE}{head}：{text}"[:SEGMENT]
    return f"{SIGNATURE}{text}"[:SEGMENT]


def digest_lines(digest):
    """What a digest carried, for its page: one query."""
    return list(digest.carried.values(*LINE_FIELDS))
