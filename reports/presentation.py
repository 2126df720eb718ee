"""Turns the stored figures into labelled sections for the page, the exports and the PDF.

The figures hold codes (channel, kind, form, role); labels are applied here, in the
reader's language, so a snapshot reads correctly in Chinese and in English.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from issues.models import Channel, Kind
from meetings.models import Form, ParticipantRole

from .charts import bar_chart, heat_map, line_chart

RATE_DEFINITIONS = {
    "closure": (
        gettext_lazy("Closure rate"),
        gettext_lazy(
            "Issues due this month (handling deadline in the month) that are closed ÷ issues due."
        ),
    ),
    "on_time": (
        gettext_lazy("On-time closure rate"),
        gettext_lazy(
            "Due issues closed within their time limit ÷ (issues due − deferred issues). "
            "A deferral approved by a supervisor takes the case out of this rate."
        ),
    ),
    "rework": (
        gettext_lazy("Rework rate"),
        gettext_lazy(
            "Cases sent back at on-site verification ÷ cases verified (closed or sent back) "
            "this month."
        ),
    ),
    "response": (
        gettext_lazy("Response rate"),
        gettext_lazy(
            "Issues received this month and signed for (accepted) by their accept-by time ÷ "
            "issues received with an accept-by time."
        ),
    ),
    "resolution": (
        gettext_lazy("Resolution rate"),
        gettext_lazy(
            "Evaluations this month saying the problem is solved (satisfied or basically "
            "satisfied) ÷ cases rated."
        ),
    ),
    "satisfaction": (
        gettext_lazy("Satisfaction rate"),
        gettext_lazy("Evaluations this month answering “satisfied” ÷ cases rated."),
    ),
}


def _choice_label(choices, code):
    try:
        return str(choices(code).label)
    except ValueError:
        return code or _("Not given")


@dataclass
class Section:
    key: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    # Positions of the columns that hold numbers: the page and the PDF align them, header
    # included, on the right, also where a row has no figure ("—").
    numeric: tuple = ()

    @property
    def columns(self):
        """Headers as (header, is_number) pairs."""
        return [(header, i in self.numeric) for i, header in enumerate(self.headers)]

    @property
    def cells(self):
        """Rows as (value, is_number) pairs, aligned as their column's header."""
        return [[(value, i in self.numeric) for i, value in enumerate(row)] for row in self.rows]


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return round(current - previous, 1)


def sections(data: dict) -> list[Section]:
    """The report as titled tables: one sheet each in the .xlsx, one block in CSV/PDF."""
    issues, meetings, res = data["issues"], data["meetings"], data["resolutions"]
    previous = data.get("previous", {})
    handling = issues["handling"]
    summary = Section(
        "summary",
        _("Summary"),
        [_("Figure"), _("This month"), _("Previous month"), _("Change from last month")],
        numeric=(1, 2, 3),
    )
    for key, label in (
        ("issues.received", _("Issues received")),
        ("issues.closed", _("Issues closed")),
        ("issues.reopened", _("Issues reopened")),
        ("issues.rework", _("Sent back for rework")),
        ("meetings.held", _("Meetings held")),
        ("resolutions.adopted", _("Resolutions adopted")),
        ("resolutions.items_done", _("Action items done")),
        ("resolutions.items_overdue", _("Action items overdue")),
    ):
        section, name = key.split(".")
        current = data[section][name]
        before = previous.get(key)
        summary.rows.append([label, current, before, _delta(current, before)])

    ttc = data["time_to_close"]
    summary.rows.append([_("Median days to close"), ttc["median_days"], None, None])
    summary.rows.append([_("90th percentile days to close"), ttc["p90_days"], None, None])

    received = Section(
        "issues", _("Issues"), [_("Breakdown"), _("Item"), _("Issues")], numeric=(2,)
    )
    for code, n in issues["by_channel"]:
        received.rows.append([_("Channel"), _choice_label(Channel, code), n])
    for code, n in issues["by_kind"]:
        received.rows.append([_("Kind"), _choice_label(Kind, code), n])
    for name, n in issues["by_category"]:
        received.rows.append([_("Category"), name, n])
    for name, n in issues["by_grid"]:
        received.rows.append([_("Grid"), name or _("No grid"), n])
    for key, label in (
        ("on_spot", _("Handled on the spot")),
        ("deliberation", _("Deliberated")),
        ("escalated", _("Escalated")),
        ("rejected", _("Rejected")),
        ("merged", _("Merged as duplicates")),
    ):
        received.rows.append([_("Handling"), label, handling[key]])

    # Meetings are counted by form, people by role: each figure in a column of its own.
    meeting_section = Section(
        "meetings",
        _("Meetings"),
        [_("Breakdown"), _("Item"), _("Number of meetings"), _("Invited"), _("Attended")],
        numeric=(2, 3, 4),
    )
    for code, n in meetings["by_form"]:
        meeting_section.rows.append([_("Form"), _choice_label(Form, code), n, None, None])
    for code, invited, present in meetings["attendance"]:
        meeting_section.rows.append(
            [_("Attendance by role"), _choice_label(ParticipantRole, code), None, invited, present]
        )

    rates = Section(
        "rates",
        _("Rates"),
        [
            _("Rate"),
            _("Numerator"),
            _("Denominator"),
            _("Rate (%)"),
            _("Previous month (%)"),
            _("Definition"),
        ],
        numeric=(1, 2, 3, 4),
    )
    previous_rates = data.get("previous_rates", {})
    for key, (label, definition) in RATE_DEFINITIONS.items():
        rate = data["rates"][key]
        rates.rows.append(
            [
                str(label),
                rate["numerator"],
                rate["denominator"],
                rate["value"],
                previous_rates.get(key),
                str(definition),
            ]
        )

    items = Section(
        "items",
        _("Overdue action items"),
        [
            _("Measure"),
            _("Community"),
            _("Resolution"),
            _("Responsible"),
            _("Deadline"),
            _("Days overdue"),
        ],
        numeric=(5,),
    )
    for row in res.get("overdue_list", []):
        items.rows.append(
            [
                row["measure"],
                row["community"],
                row["resolution"],
                row["responsible"],
                row["deadline"],
                row["days_overdue"],
            ]
        )

    compounds = Section(
        "compounds",
        _("Issues by compound"),
        [_("Community"), _("Compound"), _("Issues")],
        numeric=(2,),
    )
    for community, compound, _lat, _lng, n in issues.get("by_compound", []):
        if n:
            compounds.rows.append([community, compound, n])

    trend = Section(
        "trend",
        _("12-month trend"),
        [_("Month"), _("Issues received"), _("Issues closed"), _("Meetings held")],
        numeric=(1, 2, 3),
    )
    for point in data.get("trend", []):
        trend.rows.append([point["month"], point["received"], point["closed"], point["meetings"]])
    return [summary, received, compounds, meeting_section, rates, items, trend]


def charts(data: dict) -> dict:
    trend_points = data.get("trend", [])
    issues = data["issues"]
    return {
        "trend": line_chart(
            title=_("Issues received, closed and meetings held over 12 months"),
            labels=[p["month"] for p in trend_points],
            series=[
                (_("Issues received"), [p["received"] for p in trend_points]),
                (_("Issues closed"), [p["closed"] for p in trend_points]),
                (_("Meetings held"), [p["meetings"] for p in trend_points]),
            ],
            uid="chart-trend",
        ),
        "category": bar_chart(
            title=_("Issues received by category"),
            rows=[(name, n) for name, n in issues["by_category"]],
            uid="chart-category",
        ),
        "grid": bar_chart(
            title=_("Issues received by grid"),
            rows=[(name or _("No grid"), n) for name, n in issues["by_grid"]],
            uid="chart-grid",
            color="#198754",
        ),
        # Figures stored before the heat map existed have no compounds: None says so.
        "heat": heat_map(
            title=_("Issues received per compound"),
            places=[(name, lat, lng, n) for _c, name, lat, lng, n in issues["by_compound"]],
            uid="chart-heat",
            unit=_("issues received"),
            nothing=_("none"),
        )
        if "by_compound" in issues
        else None,
    }


def rate_cards(data: dict) -> list[dict]:
    previous_rates = data.get("previous_rates", {})
    cards = []
    for key, (label, definition) in RATE_DEFINITIONS.items():
        rate = data["rates"][key]
        cards.append(
            {
                "key": key,
                "label": label,
                "definition": definition,
                "value": rate["value"],
                "numerator": rate["numerator"],
                "denominator": rate["denominator"],
                "deferred": rate.get("deferred"),
                "previous": previous_rates.get(key),
                "change": _delta(rate["value"], previous_rates.get(key)),
            }
        )
    return cards
