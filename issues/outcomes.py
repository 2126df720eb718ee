"""What the issue page shows of the work done on the issue in other apps (the meetings that
took it up, the resolutions agreed on it), without issues importing them.

An app whose rows hang on an issue registers a section from its AppConfig.ready():

    from issues.outcomes import IssueSection, register_issue_section

    def issue_meetings(request, issue, *, has_rows):
        items = list(issue_agenda_items(issue)) if has_rows else []
        return {"agenda_items": items, "open_meetings": visible_meeting_ids(...)}

    register_issue_section(IssueSection("meetings", "agenda_items", issue_meetings))

`relation` names the reverse relation the rows come through: the issue page asks with the
issue itself whether it has any (most have none) and passes the answer as `has_rows`, so a
section without rows runs no query for them. The dicts the callables return are added to
the page's context; each callable respects access (it gets the request) and runs a
constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class IssueSection:
    key: str
    relation: str
    context: Callable


ISSUE_SECTIONS: dict[str, IssueSection] = {}


def register_issue_section(section: IssueSection) -> None:
    """Add (or replace, by key) a section of the issue page."""
    ISSUE_SECTIONS[section.key] = section


def section_relations() -> list[str]:
    """The reverse relations of the registered sections, whose rows the page asks for."""
    return [section.relation for section in ISSUE_SECTIONS.values()]


def sections_context(request, issue) -> dict:
    """The context every registered section adds to the issue's page."""
    context = {}
    for section in ISSUE_SECTIONS.values():
        has_rows = getattr(issue, f"has_{section.relation}", True)
        context.update(section.context(request, issue, has_rows=has_rows))
    return context
