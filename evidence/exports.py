"""CSV download of the studies list: the rows `/studies/` shows for the same filters."""

from treatments.exports import csv_response, filter_errors_response

from .filters import SourceFilter
from .models import Source

STUDY_COLUMNS = [
    "id",
    "title",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "web_url",
    "design",
    "participants",
    "followup_weeks",
    "outcome_measure",
    "funding",
    "risk_of_bias",
    "finding",
    "treatments",
    "page_url",
]


def study_row(request, source) -> list:
    treatments = dict.fromkeys(f.claim.treatment.name for f in source.findings.all())
    return [
        source.pk,
        source.title,
        source.authors,
        source.year,
        source.journal,
        source.doi,
        source.pmid,
        source.url,
        source.get_design_display(),
        source.participants,
        source.followup_weeks,
        source.outcome_measure,
        source.get_funding_display(),
        source.get_risk_of_bias_display(),
        source.plain_finding,
        "; ".join(treatments),
        request.build_absolute_uri(source.get_absolute_url()),
    ]


def source_list_csv(request):
    """Two queries: the filtered studies and, for each, the published treatments citing it."""
    queryset = Source.objects.for_study_pages()
    filterset = SourceFilter(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return filter_errors_response(filterset.form)
    sources = filterset.qs
    rows = (study_row(request, source) for source in sources)
    return csv_response("cellucheck-studies.csv", STUDY_COLUMNS, rows)
