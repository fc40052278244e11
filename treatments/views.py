import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from . import charts
from .compare import (
    MAX_TREATMENTS,
    MIN_TREATMENTS,
    build_comparison,
    cost_chart_series,
    csv_rows,
    only_differences,
)
from .costs import course_ranges, per_session_ranges
from .csv_safety import spreadsheet_safe
from .filters import TreatmentFilter
from .models import Treatment
from .regulatory import current_by_region
from .selection import parse_selection

LIST_PAGE_SIZE = 25


def _evidence_map(treatments):
    return charts.evidence_map(
        [
            (t.short_name, t.get_absolute_url(), t.headline_certainty, t.headline_effect)
            for t in treatments
        ]
    )


HOME_FEATURED = 12


def home(request):
    # One query: the map needs every published treatment, but only four short fields each.
    treatments = list(
        Treatment.objects.published().only(
            "name",
            "slug",
            "summary",
            "modality",
            "headline_certainty",
            "certainty_rank",
            "headline_effect",
            "headline_verdict",
        )
    )
    # The cards show the best-evidenced few, so the page stays small however many there are.
    featured = sorted(treatments, key=lambda t: (-t.certainty_rank, t.name))[:HOME_FEATURED]
    return render(
        request,
        "treatments/home.html",
        {
            "featured": featured,
            "treatment_count": len(treatments),
            "evidence_map": _evidence_map(treatments),
        },
    )


def treatment_list(request):
    filterset = TreatmentFilter(
        request.GET or None, queryset=Treatment.objects.published().for_listing()
    )
    valid = not filterset.is_bound or filterset.is_valid()
    page = Paginator(filterset.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    currency = filterset.form.cleaned_data.get("currency") if filterset.is_bound else ""
    rows = [
        {
            "treatment": treatment,
            "prices": _prices_for_row(treatment, currency),
            "regulatory": current_by_region(treatment.regulatory_events.all()),
        }
        for treatment in page
    ]
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "active_filters": [
            (label, value, _query_without(request.GET, *_removed_with(name, request.GET)))
            for name, label, value in filterset.active_filters()
        ],
        "query_without_page": _query_without(request.GET, "page"),
    }
    return render(request, "treatments/list.html", context, status=200 if valid else 400)


def _prices_for_row(treatment, currency: str):
    ranges = per_session_ranges(treatment.costs.all())
    if currency:
        return [ranges[currency]] if currency in ranges else []
    return list(ranges.values())


def _removed_with(name: str, query) -> list[str]:
    """Parameters a filter's "remove" link drops: the filter, the page number (the old page may
    no longer exist) and, for the currency, what cannot stand without it (a price limit, sorting
    by price) — so that one click never lands on an error."""
    names = [name, "page"]
    if name == "currency":
        names.append("max_cost")
        if query.get("ordering", "").endswith("cost"):
            names.append("ordering")
    return names


def _query_without(query, *names) -> str:
    remaining = query.copy()
    for name in names:
        remaining.pop(name, None)
    return remaining.urlencode()


def treatment_detail(request, slug):
    treatment = get_object_or_404(Treatment.objects.published().for_detail(), slug=slug)
    costs = list(treatment.costs.all())
    claims = list(treatment.claims.all())
    context = {
        "treatment": treatment,
        "claims": claims,
        "main_claim": next((c for c in claims if c.is_main), None),
        "costs": costs,
        "course_ranges": course_ranges(costs, treatment.sessions_min, treatment.sessions_max),
        "regulatory_current": current_by_region(treatment.regulatory_events.all()),
    }
    return render(request, "treatments/detail.html", context)


def compare(request):
    selection = parse_selection(request.GET.getlist("t"))
    found = {
        t.slug: t
        for t in Treatment.objects.published().for_comparison().filter(slug__in=selection.slugs)
    }
    treatments = [found[slug] for slug in selection.slugs if slug in found]
    messages = selection.messages(unknown=[s for s in selection.slugs if s not in found])
    enough = MIN_TREATMENTS <= len(treatments) <= MAX_TREATMENTS
    only_diff = request.GET.get("diff") == "1"

    sections = build_comparison(treatments) if enough else []
    if only_diff:
        sections = only_differences(sections)
    if enough and request.GET.get("format") == "csv":
        return _compare_csv(treatments, sections)

    others = Treatment.objects.published().exclude(slug__in=list(found)).only("name", "slug")
    slugs = [t.slug for t in treatments]
    context = {
        "treatments": treatments,
        "columns": [
            (t, _compare_query(request.GET, [s for s in slugs if s != t.slug])) for t in treatments
        ],
        "selected_slugs": slugs,
        "diff_query": _compare_query(request.GET, slugs, diff=not only_diff),
        "csv_query": _compare_query(request.GET, slugs, diff=only_diff, csv=True),
        "sections": sections,
        "messages_for_visitor": messages,
        "enough": enough,
        "only_diff": only_diff,
        "others": others,
        "cost_charts": [
            charts.cost_chart(currency, bars)
            for currency, bars in cost_chart_series(treatments).items()
        ]
        if enough
        else [],
        "min_treatments": MIN_TREATMENTS,
        "max_treatments": MAX_TREATMENTS,
    }
    return render(request, "treatments/compare.html", context, status=200 if enough else 400)


def _compare_query(query, slugs, diff=None, csv=False) -> str:
    """The compare URL's query for these slugs, keeping the other parameters."""
    query = query.copy()
    query.setlist("t", slugs)
    query.pop("format", None)
    if diff is not None:
        query.pop("diff", None)
        if diff:
            query["diff"] = "1"
    if csv:
        query["format"] = "csv"
    return query.urlencode()


def _compare_csv(treatments, sections) -> HttpResponse:
    filename = "cellucheck-compare-" + "-vs-".join(slugify(t.slug) for t in treatments) + ".csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in csv_rows(treatments, sections):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response
