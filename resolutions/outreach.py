"""Reaching the reporter and the parties of an issue who have no account: a personal link
(/s/…) by SMS to follow the outcome once it is published, to evaluate the work once it is
confirmed done, and to answer the revisit after closure. Those with an account are told
through it, as before.

Every message is keyed per (kind, record, person, round) like every notification, so a
retried task or a rerun sweep sends nothing twice; each SMS names the community and fits
one segment (resolutions/texts.py)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from communities.models import Resident
from notifications import recipients
from notifications.models import Notification
from notifications.services import notify, sms_reachable
from reach.services import link_issue, link_path, link_url

from .texts import evaluation_sms, outcome_sms, revisit_sms

# The purposes of the resolutions app's short links (reach.purposes, registered in apps.py).
OUTCOME_PURPOSE = "issue_outcome"
EVALUATION_PURPOSE = "issue_evaluation"
REVISIT_PURPOSE = "issue_revisit"

KIND_OUTCOME = "outcome_published"
KIND_EVALUATION = "evaluation_request"
KIND_REVISIT_ASKED = "revisit_asked"

# How long each link opens its page.
OUTCOME_LINK_DAYS = 180
EVALUATION_LINK_DAYS = 30
REVISIT_LINK_DAYS = 30


def people_of_issues(issues) -> dict:
    """{issue pk: [resident, ...]}: the reporting resident and the residents who are
    parties to each issue (rows with "pk" and "reporter_resident_id"), in two queries."""
    from issues.models import IssueParty

    wanted = {}
    for row in issues:
        wanted[row["pk"]] = [row["reporter_resident_id"]] if row["reporter_resident_id"] else []
    for issue_id, resident_id in IssueParty.objects.filter(
        issue__in=list(wanted), resident__isnull=False
    ).values_list("issue", "resident"):
        if resident_id not in wanted[issue_id]:
            wanted[issue_id].append(resident_id)
    ids = {pk for pks in wanted.values() for pk in pks}
    residents = Resident.objects.filter(pk__in=ids, archived_at__isnull=True).select_related(
        "community"
    )
    by_pk = {r.pk: r for r in residents}
    return {issue: [by_pk[pk] for pk in pks if pk in by_pk] for issue, pks in wanted.items()}


def _already_sent(kind, model, object_ids) -> set:
    """(object id, resident id, step) of the person notifications of `kind` already sent:
    one query, so a sweep run every quarter of an hour issues no link twice."""
    rows = Notification.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=list(object_ids),
        resident__isnull=False,
    ).values_list("object_id", "resident_id", "step")
    return set(rows)


# ---------------------------------------------------------------- outcomes


def send_outcome_later(resolution) -> None:
    """Queue the outcome's messages once the publication is committed."""
    from .tasks import send_outcome

    transaction.on_commit(lambda: send_outcome.delay(resolution.pk))


def outcome_send(*, resolution) -> int:
    """A published resolution, to the reporter and the residents party to its issue: those
    with an account are told in the app (and by email or SMS as they chose); those without
    get an SMS with a personal link to follow the outcome and its progress. Returns how
    many messages went out (none the second time)."""
    from issues.models import Issue

    issue = Issue.objects.select_related("community").get(pk=resolution.issue_id)
    people = people_of_issues(
        [{"pk": issue.pk, "reporter_resident_id": issue.reporter_resident_id}]
    )
    people = people.get(issue.pk, [])
    accounts = recipients.resident_users(r.pk for r in people)
    users = {u.pk: u for u in _users().filter(pk__in=set(accounts.values()))}
    sent = 0
    with override(settings.LANGUAGE_CODE):
        title = _("Your issue has an outcome: %(title)s") % {"title": issue.title[:100]}
        body = _("The community published what was agreed on “%(title)s”: %(resolution)s.") % {
            "title": issue.title,
            "resolution": resolution.title,
        }
        for resident in people:
            user = users.get(accounts.get(resident.pk))
            if user is not None:
                message = notify(
                    recipient=user,
                    kind=KIND_OUTCOME,
                    title=title,
                    body=body,
                    target=resolution,
                    url=reverse("issues:detail", args=[issue.pk]),
                    community=issue.community,
                )
            elif sms_reachable(resident):
                link = outcome_link(issue, resident)
                message = notify(
                    recipient=resident,
                    kind=KIND_OUTCOME,
                    title=title,
                    body=body,
                    target=resolution,
                    url=link_path(link),
                    sms_text=outcome_sms(issue.community, link_url(link)),
                    community=issue.community,
                )
            else:
                message = None
            sent += message is not None
    return sent


def outcome_link(issue, resident, *, actor=None):
    return link_issue(
        purpose=OUTCOME_PURPOSE,
        target=issue,
        person=resident,
        community=issue.community,
        expires_at=timezone.now() + timedelta(days=OUTCOME_LINK_DAYS),
        actor=actor,
    )


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True)


# ---------------------------------------------------------------- evaluation requests


def evaluation_link(issue, resident, *, round_: int):
    return link_issue(
        purpose=EVALUATION_PURPOSE,
        target=issue,
        person=resident,
        community=issue.community,
        expires_at=timezone.now() + timedelta(days=EVALUATION_LINK_DAYS),
        step=f"round-{round_}",
    )


def evaluation_requests_to_people(issues, *, accounts) -> int:
    """The evaluation request, by SMS with a personal link, to the reporter and the party
    residents of each issue (rows: pk, title, reporter_resident_id, reopen_count) who
    have no account: one per round of work."""
    from issues.models import Issue

    people = people_of_issues(issues)
    sent_before = _already_sent(KIND_EVALUATION, Issue, [i["pk"] for i in issues])
    shells = {
        i.pk: i
        for i in Issue.objects.filter(pk__in=[i["pk"] for i in issues]).select_related("community")
    }
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for row in issues:
            step = f"round-{row['reopen_count']}"
            issue = shells[row["pk"]]
            for resident in people.get(row["pk"], []):
                if resident.pk in accounts or not sms_reachable(resident):
                    continue
                if (issue.pk, resident.pk, step) in sent_before:
                    continue
                link = evaluation_link(issue, resident, round_=row["reopen_count"])
                sent += (
                    notify(
                        recipient=resident,
                        kind=KIND_EVALUATION,
                        title=_("Please evaluate: %(title)s") % {"title": issue.title[:100]},
                        body=_(
                            "The work agreed on “%(title)s” has been confirmed done on site. "
                            "Tell us whether you are satisfied."
                        )
                        % {"title": issue.title},
                        target=issue,
                        step=step,
                        url=link_path(link),
                        sms_text=evaluation_sms(issue.community, link_url(link)),
                        community=issue.community,
                    )
                    is not None
                )
    return sent


# ---------------------------------------------------------------- revisits


def revisit_link(issue, resident, *, step: str):
    return link_issue(
        purpose=REVISIT_PURPOSE,
        target=issue,
        person=resident,
        community=issue.community,
        expires_at=timezone.now() + timedelta(days=REVISIT_LINK_DAYS),
        step=step,
    )


def revisit_asks(rows) -> int:
    """Ask the reporter of each issue due a revisit (rows: pk, reporter_resident_id,
    closed_at) how things are, with a personal link: by SMS without an account, in the
    app with one. Once per closure."""
    from issues.models import Issue

    rows = [r for r in rows if r["reporter_resident_id"]]
    if not rows:
        return 0
    issues = {
        i.pk: i
        for i in Issue.objects.filter(pk__in=[r["pk"] for r in rows]).select_related("community")
    }
    residents = {
        r.pk: r
        for r in Resident.objects.filter(
            pk__in={r["reporter_resident_id"] for r in rows}, archived_at__isnull=True
        )
    }
    accounts = recipients.resident_users(residents)
    users = {u.pk: u for u in _users().filter(pk__in=set(accounts.values()))}
    sent_before = _already_sent(KIND_REVISIT_ASKED, Issue, issues)
    sent_to_users = set(
        Notification.objects.filter(
            kind=KIND_REVISIT_ASKED,
            content_type=ContentType.objects.get_for_model(Issue),
            object_id__in=list(issues),
            recipient__isnull=False,
        ).values_list("object_id", "step")
    )
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for row in rows:
            issue, resident = issues[row["pk"]], residents.get(row["reporter_resident_id"])
            if resident is None:
                continue
            step = f"closed-{timezone.localdate(row['closed_at']).isoformat()}"
            user = users.get(accounts.get(resident.pk))
            if (issue.pk, resident.pk, step) in sent_before or (
                user is not None and (issue.pk, step) in sent_to_users
            ):
                continue
            if user is None and not sms_reachable(resident):
                continue
            link = revisit_link(issue, resident, step=step)
            sent += (
                notify(
                    recipient=user or resident,
                    kind=KIND_REVISIT_ASKED,
                    title=_("How is it now? %(title)s") % {"title": issue.title[:100]},
                    body=_(
                        "“%(title)s” was closed a while ago. Has the problem come back? "
                        "Tell the community."
                    )
                    % {"title": issue.title},
                    target=issue,
                    step=step,
                    url=link_path(link),
                    sms_text="" if user else revisit_sms(issue.community, link_url(link)),
                    community=issue.community,
                )
                is not None
            )
    return sent
