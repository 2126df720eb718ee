"""Small helpers the story modules share: each calls the apps' services in the order a
community would, marking on the demo clock when each step happened."""

from datetime import timedelta

from django.utils import timezone

from issues import services as issues
from issues.models import Category, Issue
from meetings import services as meetings
from meetings.models import AgendaItem, Opinion, Participant
from resolutions import services as resolutions

HEADS = {
    "jinyu": "huangyaru",
    "fenglinwan": "lixin",
    "jinyulanwan": "zhuziyunlong",
    "zhongqiangxiang": "xulili",
    "yayuan": "hanruili",
    "yonghe": "yangxiulan",
    "huanghelou": "zhangli_hhl",
    "shuofang": "yangshan",
    "zhonghua": "wangyangyang",
    "minsheng": "denglei",
    "xihu": "luoyin",
}
WORKERS = {
    "jinyu": "liuhongli",
    "fenglinwan": "maxiaoyan",
    "jinyulanwan": "sunyu",
    "zhongqiangxiang": "zhaoyun",
    "yayuan": "liminghui",
    "yonghe": "baijie",
    "huanghelou": "hujing",
    "shuofang": "majuan",
    "zhonghua": "jinxia",
    "minsheng": "naxiaomei",
    "xihu": "mahaiyan",
}

_categories = {}


def category(code) -> Category:
    if code not in _categories:
        _categories[code] = Category.objects.get(code=code)
    return _categories[code]


def head(world, key):
    return world.users[HEADS[key]]


def worker(world, key):
    return world.users[WORKERS[key]]


def worker_of(issue, fallback):
    """The grid worker of the issue's grid (else the fallback): the one who may comment on
    it, as in the product."""
    return (issue.grid and issue.grid.workers.first()) or fallback


def exists(community, title) -> bool:
    return Issue.objects.filter(community=community, title=title).exists()


def step(clock, when, fn, **kwargs):
    clock.at(when)
    return fn(**kwargs)


def transition(clock, when, issue, action, actor, note="", **changes):
    clock.at(when)
    return issues.issue_transition(issue=issue, action=action, actor=actor, note=note, **changes)


def whistle(clock, when, issue, *, actor, note, organizations):
    """吹哨报到: what issues.issue_escalate does, with the summons stamped at `when` (the
    service stamps them with the real time, which the demo clock cannot move back before
    the departments' arrival given explicitly)."""
    clock.at(when)
    issue = issues.issue_transition(
        issue=issue, action="escalate", actor=actor, note=note, escalation_mode="whistle"
    )
    for organization in organizations:
        issues.summons_create(issue=issue, actor=actor, organization=organization, summoned_at=when)
    return issue


def hold_meeting(
    clock,
    *,
    actor,
    community,
    form,
    title,
    venue,
    start,
    participants,
    agenda,
    hours=2,
    grid=None,
    compound=None,
    private=False,
    adjourn="",
    summary="",
    close=True,
    continues=None,
):
    """Convene (a week before), invite, hold and record a meeting.

    `participants`: dicts for meetings.participant_add (role, name/user/resident/contact).
    `agenda`: dicts with issue (or a title, for a standing item), opinions [(participant
    index or name, role, kind, stance, text, seconds)], outcome, outcome_text, votes (for,
    against, abstain)."""
    clock.at(start - timedelta(days=6))
    if continues is None:
        meeting = meetings.meeting_create(
            actor=actor,
            community=community,
            form=form,
            title=title,
            venue=venue,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            grid=grid,
            compound=compound,
            is_private=private,
        )
        # In the order given: issues and standing items (a title without an issue).
        for spec in agenda:
            meetings.agenda_item_add(
                actor=actor, meeting=meeting, issue=spec.get("issue"), title=spec.get("title", "")
            )
    else:
        meeting = meetings.meeting_continue(
            actor=actor,
            meeting=continues,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            venue=venue,
        )
    people = list(meeting.participants.all())
    for spec in participants:
        people.append(meetings.participant_add(actor=actor, meeting=meeting, **spec))
    meetings.meeting_invite(actor=actor, meeting=meeting)
    clock.at(start - timedelta(days=5))
    for person in people[1:]:
        account = meetings._user_of(person)
        if account is not None:
            meetings.participant_respond(
                actor=account, participant=person, response=Participant.Response.YES
            )
    clock.at(start)
    for person in people:
        meetings.attendance_record(
            actor=actor, participant=person, attendance=Participant.Attendance.PRESENT
        )
    # The form's presence rule is met (world.PRESENCE_RULES): no override.
    meeting = meetings.meeting_transition(actor=actor, meeting=meeting, action="start")
    items = list(meeting.agenda_items.order_by("order"))
    minute = 5
    for item, spec in zip(items, agenda, strict=False):
        # 西湖's order: everyone speaks in turn, then free discussion; written opinion
        # forms (意见征求表) are handed in at the end. Officials answer in either phase.
        meetings.agenda_item_set_phase(actor=actor, item=item, phase=AgendaItem.Phase.IN_TURN)
        phase = AgendaItem.Phase.IN_TURN
        for who, role, kind, stance, text, seconds in spec.get("opinions", []):
            if kind in (FREE, WRITTEN) and phase == AgendaItem.Phase.IN_TURN:
                phase = AgendaItem.Phase.FREE
                meetings.agenda_item_set_phase(actor=actor, item=item, phase=phase)
            clock.at(start + timedelta(minutes=minute))
            minute += max(1, seconds // 60)
            participant = people[who] if isinstance(who, int) else None
            meetings.opinion_add(
                actor=actor,
                item=item,
                kind=kind,
                stance=stance,
                text=text,
                participant=participant,
                speaker_name="" if participant else who,
                role="" if participant else role,
                spoken_seconds=seconds,
            )
        clock.at(start + timedelta(minutes=minute + 5))
        outcome = spec.get("outcome")
        if outcome:
            votes = spec.get("votes") or (None, None, None)
            meetings.agenda_item_decide(
                actor=actor,
                item=item,
                outcome=outcome,
                outcome_text=spec.get("outcome_text", ""),
                votes_for=votes[0],
                votes_against=votes[1],
                votes_abstain=votes[2],
            )
    clock.at(start + timedelta(hours=hours))
    meeting = meetings.meeting_transition(
        actor=actor,
        meeting=meeting,
        action="adjourn" if adjourn else "end",
        note=adjourn,
    )
    if close:
        clock.at(start + timedelta(days=1, hours=2))
        meeting = meetings.meeting_transition(actor=actor, meeting=meeting, action="close")
        if summary and not private:
            meeting = meetings.summary_publish(
                actor=actor, meeting=meeting, summary=summary, expected_version=meeting.version
            )
    return meeting


def agenda_item(meeting, issue) -> AgendaItem:
    return meeting.agenda_items.get(issue=issue)


def legal_adviser(community):
    """The account of the legal adviser (law firm contact) serving the community."""
    from accounts.models import Role, User
    from communities.models import Organization

    return User.objects.get(
        role=Role.ORG_CONTACT,
        organization__kind=Organization.Kind.LEGAL,
        organization__communities=community,
    )


def adopt(
    clock,
    when,
    *,
    actor,
    text,
    items,
    agenda_item=None,
    issue=None,
    publish=True,
    publish_days=None,
    review_note="",
    legal=None,
):
    """Draft, (review,) adopt and publish a resolution. `items`: dicts of ActionItem
    fields. `publish_days`: how long from `when` the publication lasts."""
    clock.at(when)
    resolution = resolutions.resolution_create(
        actor=actor,
        text=text,
        agenda_item=agenda_item,
        issue=issue,
        items=items,
        legal_review_required=legal,
    )
    if resolution.legal_review_required:
        resolution = resolutions.resolution_transition(
            actor=actor, resolution=resolution, action="submit_review"
        )
        clock.at(when + timedelta(hours=20))
        # The community's legal adviser writes the review himself.
        resolution = resolutions.resolution_transition(
            actor=legal_adviser(resolution.community),
            resolution=resolution,
            action="approve_review",
            note=review_note,
        )
    else:
        resolution = resolutions.resolution_transition(
            actor=actor, resolution=resolution, action="adopt"
        )
    if publish:
        if publish_days is not None:
            # The clock moves the start back to `when`: give the end as seen from today.
            lag = (timezone.localdate() - timezone.localdate(when)).days
            resolutions.resolution_update(
                actor=actor,
                resolution=resolution,
                publication_ends=timezone.localdate() + timedelta(days=publish_days + lag),
            )
        resolution = resolutions.resolution_transition(
            actor=actor, resolution=resolution, action="publish"
        )
        tell_the_reporter(resolution)
    return resolution


def tell_the_reporter(resolution):
    """What the publication's task does once the demo is committed, done now so that its
    messages are dated with the publication (the task then finds them sent)."""
    from resolutions.outreach import outcome_send

    outcome_send(resolution=resolution)


def finish_item(clock, when, item, *, reporter, checker, text, check_text="", photos=()):
    """The responsible party reports the work done; staff or a supervisor checks it."""
    clock.at(when)
    resolutions.progress_report(
        actor=reporter, item=item, text=text, percent=100, request_check=True, photos=photos
    )
    clock.at(when + timedelta(hours=3))
    return resolutions.item_check(
        actor=checker, item=item, passed=True, text=check_text or "现场核查，已落实。"
    )


def close_after_period(clock, when, issue, *, actor):
    """Close an issue whose evaluation period has passed without complaint."""
    clock.at(when)
    return resolutions.issue_close_if_due(
        actor=actor, issue=issue, today=timezone.localdate() + timedelta(days=400)
    )


IN_TURN = Opinion.Kind.IN_TURN
FREE = Opinion.Kind.FREE
WRITTEN = Opinion.Kind.WRITTEN
ANSWER = Opinion.Kind.ANSWER
FOR = Opinion.Stance.FOR
AGAINST = Opinion.Stance.AGAINST
OTHER = Opinion.Stance.OTHER
CONSENSUS = AgendaItem.Outcome.CONSENSUS
VOTE = AgendaItem.Outcome.VOTE
NO_AGREEMENT = AgendaItem.Outcome.NO_AGREEMENT
REFERRED = AgendaItem.Outcome.REFERRED
