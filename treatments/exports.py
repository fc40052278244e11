"""CSV download of the treatment list: the rows `/treatments/` shows for the same filters."""

import csv

from django.http import HttpResponse

from .costs import course_ranges, per_session_ranges
from .csv_safety import spreadsheet_safe
from .filters import TreatmentFilter
from .models import Treatment
from .regulatory import status_summary

TREATMENT_COLUMNS = [
    "name",
    "slug",
    "page_url",
    "modality",
    "invasiveness",
    "verdict_on_cellulite",
    "certainty",
    "effect",
    "sessions_min",
    "sessions_max",
    "downtime_days_min",
    "downtime_days_max",
    "pain_score_0_10",
    "results_last_months",
    "price_per_session",
    "typical_course",
    "regulatory_status",
    "last_reviewed",
]


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """UTF-8 CSV, every cell escaped against spreadsheet formula injection."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def filter_errors_response(form) -> HttpResponse:
    lines = ["The filters are not valid, so nothing was exported:"]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        lines += [f"- {label} ({name}): {error}" for error in errors]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def treatment_row(request, treatment) -> list:
    costs = treatment.costs.all()
    return [
        treatment.name,
        treatment.slug,
        request.build_absolute_uri(treatment.get_absolute_url()),
        treatment.get_modality_display(),
        treatment.get_invasiveness_display(),
        treatment.get_headline_verdict_display(),
        treatment.get_headline_certainty_display() or "Not graded",
        treatment.get_headline_effect_display(),
        treatment.sessions_min,
        treatment.sessions_max,
        treatment.downtime_days_min,
        treatment.downtime_days_max,
        treatment.pain_score,
        treatment.results_last_months,
        "; ".join(str(r) for r in per_session_ranges(costs).values()),
        "; ".join(
            str(r)
            for r in course_ranges(costs, treatment.sessions_min, treatment.sessions_max).values()
        ),
        status_summary(treatment.regulatory_events.all()),
        treatment.last_reviewed,
    ]


def treatment_list_csv(request):
    """Three queries: the filtered treatments, their prices, their regulatory events."""
    filterset = TreatmentFilter(request.GET, queryset=Treatment.objects.published().for_listing())
    if not filterset.is_valid():
        return filter_errors_response(filterset.form)
    rows = (treatment_row(request, t) for t in filterset.qs)
    return csv_response("cellucheck-treatments.csv", TREATMENT_COLUMNS, rows)
