"""The supervisors' metrics (SPEC section 14): each an aggregate query, a chart, a table and a CSV.

Every figure is computed by the database (GROUP BY, conditional counts, window functions for the
percentiles), never by looping over cases, so the page costs the same at 100 cases or 100,000.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import Ceil, RowNumber, TruncMonth
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.charts import Chart, Series, bar_chart
from licensing.models import Application, ClockPause
from registry.exports import neutralise
from registry.models import Decision, LicenseType

__all__ = ["METRICS", "Metric", "metrics_csv_response"]

MONTHS = 12


@dataclass(frozen=True)
class Metric:
    name: str  # the slug of its CSV address
    title: str
    description: str
    columns: list[str]  # the first names the category of each row
    rows: list[list]
    chart: Chart

    @property
    def empty(self) -> bool:
        return not any(any(value for value in row[1:]) for row in self.rows)


def _months(today: date) -> list[date]:
    """The first days of the last ``MONTHS`` months, oldest first, this month included."""
    months = [today.replace(day=1)]
    while len(months) < MONTHS:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return months[::-1]


def _month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _month_short(month: date) -> str:
    # Twelve bars share the chart's width: "Dec 26" fits under one, "December 2026" does not.
    return formats.date_format(month, "M y")


def _month_key(moment) -> date:
    # TruncMonth gives a date on some databases and an aware datetime (local midnight) on others.
    return moment.date() if hasattr(moment, "date") else moment


def _month_start(today: date):
    first = _months(today)[0]
    return timezone.make_aware(datetime(first.year, first.month, 1))


OUTCOMES = [
    Application.State.APPROVED,
    Application.State.REFUSED,
    Application.State.WITHDRAWN,
    Application.State.LAPSED,
]


def outcomes_by_month(today: date) -> Metric:
    months = _months(today)
    counts: dict[tuple[date, str], int] = {}
    for row in (
        Application.objects.filter(state__in=OUTCOMES, closed_at__gte=_month_start(today))
        .annotate(month=TruncMonth("closed_at"))
        .values("month", "state")
        .annotate(n=Count("pk"))
    ):
        counts[(_month_key(row["month"]), row["state"])] = row["n"]
    labels = [str(Application.State(state).label) for state in OUTCOMES]
    rows = [[_month_label(m), *[counts.get((m, state), 0) for state in OUTCOMES]] for m in months]
    series = [Series(label, [row[i + 1] for row in rows]) for i, label in enumerate(labels)]
    return Metric(
        name="outcomes",
        title=_("Applications closed per month, by outcome"),
        description=_(
            "Cases closed in each of the last 12 months: approved, refused, withdrawn by the applicant, lapsed."
        ),
        columns=[_("Month"), *labels],
        rows=rows,
        chart=bar_chart([_month_short(m) for m in months], series, stacked=True),
    )


def decision_times(today: date) -> Metric:
    """Median and 90th percentile (nearest rank) of working days from submission to decision, by type.

    Read from the decisions ``registry`` records at each approval and refusal (``Decision``), which
    count the working days on the holiday calendar of the day of the decision.
    """
    decided = Decision.objects.filter(working_days__isnull=False, decided_on__gte=_months(today)[0])
    ranked = decided.annotate(
        position=Window(RowNumber(), partition_by=[F("license_type_id")], order_by=F("working_days").asc()),
        total=Window(Count("pk"), partition_by=[F("license_type_id")]),
    )
    picked = ranked.filter(Q(position=Ceil(F("total") * 0.5)) | Q(position=Ceil(F("total") * 0.9))).values_list(
        "license_type_id", "position", "total", "working_days"
    )
    figures: dict[int, dict] = {}
    for type_id, position, total, days in picked:
        entry = figures.setdefault(type_id, {"count": total})
        if position == -(-total * 5 // 10):
            entry["median"] = days
        if position == -(-total * 9 // 10):
            entry["p90"] = days
    types = [t for t in LicenseType.objects.order_by("code") if t.pk in figures]
    rows = [[t.code, figures[t.pk]["count"], figures[t.pk].get("median"), figures[t.pk].get("p90")] for t in types]
    return Metric(
        name="decision-times",
        title=_("Working days from submission to decision"),
        description=_("Cases decided in the last 12 months, by license type: median and 90th percentile."),
        columns=[_("License type"), _("Decided"), _("Median"), _("90th percentile")],
        rows=rows,
        chart=bar_chart(
            [row[0] for row in rows],
            [Series(_("Median"), [row[2] for row in rows]), Series(_("90th percentile"), [row[3] for row in rows])],
            horizontal=True,
        ),
    )


def overdue_by_stage(today: date) -> Metric:
    figures = {
        row["state"]: row
        for row in Application.objects.filter(state__in=Application.UNDER_CONSIDERATION)
        .values("state")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(statutory_due_on__lt=today)))
    }
    rows = [
        [
            str(Application.State(state).label),
            figures.get(state, {}).get("open", 0),
            figures.get(state, {}).get("overdue", 0),
        ]
        for state in Application.UNDER_CONSIDERATION
    ]
    return Metric(
        name="overdue",
        title=_("Overdue cases by stage"),
        description=_("Cases under consideration past their statutory due date, beside all cases in that stage."),
        columns=[_("Stage"), _("Open"), _("Overdue")],
        rows=rows,
        chart=bar_chart(
            [row[0] for row in rows],
            [Series(_("Open"), [row[1] for row in rows]), Series(_("Overdue"), [row[2] for row in rows])],
            horizontal=True,
        ),
    )


def clock_pauses(today: date) -> Metric:
    months = _months(today)
    length = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    figures = {
        _month_key(row["month"]): row
        for row in ClockPause.objects.filter(started_at__gte=_month_start(today))
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(
            started=Count("pk"),
            still_open=Count("pk", filter=Q(ended_at__isnull=True)),
            average=Avg(length, filter=Q(ended_at__isnull=False)),
        )
    }
    rows = []
    for month in months:
        row = figures.get(month, {})
        average = row.get("average")
        days = round(average.total_seconds() / 86400, 1) if average else None
        rows.append([_month_label(month), row.get("started", 0), row.get("still_open", 0), days])
    return Metric(
        name="clock-pauses",
        title=_("Clock pauses (information requests)"),
        description=_(
            "Pauses started in each month, how many still wait for an answer, and how long answered ones lasted "
            "(calendar days, on average)."
        ),
        columns=[_("Month"), _("Pauses started"), _("Still open"), _("Average length, days")],
        rows=rows,
        chart=bar_chart(
            [_month_short(m) for m in months],
            [Series(_("Pauses started"), [row[1] for row in rows]), Series(_("Still open"), [row[2] for row in rows])],
        ),
    )


def reviewer_workload(today: date) -> Metric:
    users = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model()
        .objects.filter(assigned_applications__state__in=Application.UNDER_CONSIDERATION)
        .distinct()
        .only("pk", "username", "first_name", "last_name")
    }
    figures = (
        Application.objects.filter(state__in=Application.UNDER_CONSIDERATION)
        .values("assigned_reviewer")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(statutory_due_on__lt=today)),
            waiting=Count("pk", filter=Q(state=Application.State.INFORMATION_REQUESTED)),
            deciding=Count("pk", filter=Q(state=Application.State.PENDING_DECISION)),
        )
        .order_by("-open")
    )
    rows = [
        [
            users.get(row["assigned_reviewer"], "") or _("Unassigned"),
            row["open"],
            row["overdue"],
            row["waiting"],
            row["deciding"],
        ]
        for row in figures
    ]
    return Metric(
        name="workload",
        title=_("Workload per reviewer"),
        description=_("Open cases of each reviewer: overdue, waiting for the applicant's answer, awaiting a decision."),
        columns=[_("Reviewer"), _("Open"), _("Overdue"), _("Waiting for an answer"), _("Awaiting decision")],
        rows=rows,
        chart=bar_chart(
            [row[0] for row in rows],
            [Series(_("Open"), [row[1] for row in rows]), Series(_("Overdue"), [row[2] for row in rows])],
            horizontal=True,
        ),
    )


METRICS: dict[str, Callable[[date], Metric]] = {
    "outcomes": outcomes_by_month,
    "decision-times": decision_times,
    "overdue": overdue_by_stage,
    "clock-pauses": clock_pauses,
    "workload": reviewer_workload,
}


def metrics_csv_response(metric: Metric) -> HttpResponse:
    """The numbers of one metric as CSV (UTF-8 with BOM, so spreadsheet programs read Cyrillic right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{metric.name}-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(str(column)) for column in metric.columns])
    for row in metric.rows:
        writer.writerow(["" if value is None else neutralise(str(value)) for value in row])
    return response
