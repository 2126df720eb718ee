"""Reading the demo's key pages in Chinese: no English left on a Chinese page, and none of
the known mistranslations other catalogues once put there (tests/test_demo_site.py).

Each demo login, and an anonymous visitor, reads its home page,
every page of its menus, and the pages of the stories it may open: issues, meetings
planned, in progress and ended, minutes, resolutions, action items, the public board,
the monthly report, the audit trail and the preferences. What a reader sees is checked: the text, and the title, aria-label,
placeholder and alt attributes; never scripts, styles or code."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.visible_text import english_words, visible_texts

# Latin words a Chinese page may show: the brand, names of formats and standards people
# know by their English names, and the language switcher's "English".
ALLOWED_WORDS = {
    "yishi",
    "api",
    "pdf",
    "excel",
    "ics",
    "qr",
    "sms",
    "english",
    "csv",
    "jpeg",
    "png",
    "webp",
    "mb",
    # Standards the API pages name.
    "rest",
    "openapi",
    "georeport",
    "icalendar",
}

# Words other catalogues put on our pages, and what they should have read. A regular
# expression is matched against each piece of visible text.
KNOWN_MISTRANSLATIONS = {
    # "Minutes" from django_celery_beat: 会议纪要. A duration ("3 分钟") is fine.
    r"(?<![\d\s])分钟|(?<=[^\d] )分钟|^分钟": "分钟 for the minutes of a meeting (会议纪要)",
    r"任务名": "任务名 for a name (姓名/名称), from django_celery_beat",
    r"过滤器": "过滤器 for Filter (筛选), from Django's admin",
    r"操作人\s*\d": "操作人 before a date: a deadline reads 完成时限 or …前完成",
    r"\bwhole street\b|整条街道": "a street's scope (全街道)",
}


def meetings_in_every_state():
    """A meeting in progress and one ended with its minutes in draft, so every state of a
    meeting page is read (the demo's meetings are planned or closed)."""
    from meetings import services
    from meetings.models import Meeting

    planned = list(Meeting.objects.filter(status="planned").order_by("starts_at"))
    running, ended = planned[0], planned[1]
    for meeting in (running, ended):
        meeting.starts_at = timezone.now() - timedelta(hours=1)
        meeting.save(update_fields=["starts_at"])
        services.meeting_transition(
            actor=meeting.convener,
            meeting=meeting,
            action="start",
            note="按时开会",
            override_presence=True,
        )
    services.meeting_transition(actor=ended.convener, meeting=ended, action="end")


def key_urls(user) -> list[str]:
    """The pages a role's work goes through: its home, every entry of the main menu and
    the user menu, and the pages of the demo's stories."""
    from accounts.models import User
    from accounts.navigation import flat_items_for
    from communities.models import Grid, Organization
    from demo.stories import TITLES
    from issues.models import Issue
    from meetings.models import Meeting
    from resolutions.models import ActionItem, Resolution

    urls = ["/"]
    if user is not None:
        urls += [item["url"] for item in flat_items_for(user, "/")]
        urls += [
            reverse("accounts:preferences"),
            reverse("accounts:password_change"),
            reverse("notifications:list"),
            reverse("notifications:channels"),
            reverse("api:token"),
            reverse("api:docs"),
            reverse("audit"),
            reverse("reports:monthly"),
            reverse("issues:create"),
            reverse("meetings:create"),
            reverse("meetings:calendar"),
            reverse("issues:visit_list"),
            reverse("issues:patrol_list"),
        ]
    stories = {n: Issue.objects.get(title=title) for n, title in TITLES.items()}
    urls += [reverse("issues:detail", args=[issue.pk]) for issue in stories.values()]
    meetings = [
        Meeting.objects.filter(status=status).order_by("starts_at").first()
        for status in ("planned", "in_progress", "ended", "adjourned", "closed")
    ]
    meetings += list(Meeting.objects.filter(agenda_items__issue__in=stories.values()))
    for meeting in filter(None, meetings):
        urls += [
            reverse("meetings:detail", args=[meeting.pk]),
            reverse("meetings:minutes", args=[meeting.pk]),
        ]
    for resolution in Resolution.objects.filter(issue__in=stories.values()):
        urls.append(reverse("resolutions:detail", args=[resolution.pk]))
        urls.append(reverse("resolutions:public_detail", args=[resolution.pk]))
        item = ActionItem.objects.filter(resolution=resolution).order_by("order").first()
        if item is not None:
            urls.append(reverse("resolutions:item_detail", args=[item.pk]))
    urls.append(reverse("resolutions:board"))
    community = stories[2].community
    urls += [
        reverse("communities:community_detail", args=[community.pk]),
        reverse("communities:grid_detail", args=[Grid.objects.filter(community=community)[0].pk]),
        reverse(
            "communities:resident_detail",
            args=[User.objects.get(username="liujianhua").resident_id],
        ),
        reverse(
            "communities:organization_detail",
            args=[Organization.objects.filter(communities=community).order_by("pk")[0].pk],
        ),
    ]
    if user is None:
        urls.append(reverse("accounts:login"))
    return list(dict.fromkeys(urls))


def problems_on(html: str, allowed: set[str]) -> list[str]:
    problems = []
    for text in visible_texts(html):
        for pattern, what in KNOWN_MISTRANSLATIONS.items():
            if re.search(pattern, text):
                problems.append(f"{what}: “{text[:120]}”")
        words = english_words(text, allowed)
        if words:
            problems.append(f"English {words}: “{text[:120]}”")
    return problems


def data_words() -> set[str]:
    """Logins are data, not words of the interface: admin's navbar shows "admin"."""
    from accounts.models import User

    return {name.lower() for name in User.objects.values_list("username", flat=True)}


def read_pages(client, user) -> dict[str, list[str]]:
    """{url: problems} of every key page the user may open, in zh-hans."""
    allowed = ALLOWED_WORDS | data_words()
    found = {}
    for url in key_urls(user):
        response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code in (403, 404):
            continue  # a page this role may not open
        assert response.status_code == 200, (url, response.status_code)
        if "html" not in response.get("Content-Type", ""):
            continue
        problems = problems_on(response.content.decode(), allowed)
        if problems:
            found[url] = sorted(set(problems))
    return found
