"""The claim checker against the published data: builds the matcher's index, groups results."""

from dataclasses import dataclass

from django.db.models import Prefetch

from config.caching import data_version
from treatments.models import Treatment

from .checker import CheckResult, ClaimIndex, ClaimTerms, Match, TreatmentTerms
from .models import Claim, Finding


@dataclass
class ClaimReport:
    claim: Claim
    treatment: Treatment
    matches: list[Match]


def load_index() -> tuple[ClaimIndex, dict[int, Claim]]:
    """Two queries for the index; findings with their sources come in the same prefetch."""
    treatments = {t.pk: t for t in Treatment.objects.published().only("name", "slug", "aliases")}
    published_findings = Finding.objects.from_published_sources().select_related("source")
    claims = {
        claim.pk: claim
        for claim in Claim.objects.filter(treatment_id__in=treatments)
        .select_related("outcome")
        .prefetch_related(Prefetch("findings", queryset=published_findings))
    }
    for claim in claims.values():
        claim.treatment = treatments[claim.treatment_id]
    index = ClaimIndex(
        [
            TreatmentTerms(t.slug, (t.name, t.short_name, *t.alias_list()))
            for t in treatments.values()
        ],
        [
            ClaimTerms(claim.pk, claim.treatment.slug, (claim.statement, *claim.phrase_list()))
            for claim in claims.values()
        ],
    )
    return index, claims


def group_by_claim(result: CheckResult, claims: dict[int, Claim]) -> list[ClaimReport]:
    reports: dict[int, ClaimReport] = {}
    for match in result.matches:
        claim = claims[match.claim_id]
        report = reports.setdefault(match.claim_id, ClaimReport(claim, claim.treatment, []))
        report.matches.append(match)
    return list(reports.values())


_index_memo: dict[str, tuple[ClaimIndex, dict[int, Claim]]] = {}


def current_index() -> tuple[ClaimIndex, dict[int, Claim]]:
    """The index for the current data version, built once per process and version."""
    version = data_version()
    memo = _index_memo.get(version)
    if memo is None:
        memo = load_index()
        _index_memo.clear()  # older versions are never asked for again
        _index_memo[version] = memo
    return memo


def check_text(text: str) -> tuple[CheckResult, list[ClaimReport]]:
    index, claims = current_index()
    result = index.check(text)
    return result, group_by_claim(result, claims)


@dataclass(frozen=True)
class Segment:
    text: str
    claim_ids: tuple[int, ...] = ()  # empty: plain text


def highlight_segments(text: str, matches: list[Match]) -> list[Segment]:
    """Split `text` into plain and matched runs (overlapping matches merged) for display."""
    spans: list[list] = []
    for match in sorted(matches, key=lambda m: (m.start, m.end)):
        if spans and match.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], match.end)
            spans[-1][2].add(match.claim_id)
        else:
            spans.append([match.start, match.end, {match.claim_id}])
    segments, position = [], 0
    for start, end, claim_ids in spans:
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], tuple(sorted(claim_ids))))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
