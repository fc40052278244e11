"""Importing citations as Sources: a preview (`plan_import`), then all or nothing (`apply_import`).

Each entry of the file becomes one planned row:
- create: a new Source, saved as a draft for a curator to check and publish;
- update: the entry matches an existing source by DOI or PMID and fills fields that are blank
  there (a missing PMID, the journal…); what we already have is never overwritten, and
  differences are shown as kept;
- unchanged: the entry matches an existing source and adds nothing.
An entry that cannot be imported (no title, an identifier that is not one, a DOI repeated in the
file, identifiers pointing at two different sources…) is a problem, reported with its number.
A file with any problem writes nothing: the curator fixes the file and uploads it again.
"""

import copy
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from treatments.choices import EditorialStatus

from .citation_formats import Citation, EntryProblem, identifiers
from .models import Source
from .vocabulary import Design

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
FILLABLE = ["authors", "year", "journal", "doi", "pmid", "url"]
COMPARED = ["title", "authors", "year", "journal"]
AUTHORS_MAX = Source._meta.get_field("authors").max_length
FIELD_LABELS = {"doi": "DOI", "pmid": "PMID", "url": "URL"}

# PubMed publication types, most specific first.
PUBLICATION_TYPE_DESIGNS = [
    ("Meta-Analysis", Design.META_ANALYSIS),
    ("Systematic Review", Design.SYSTEMATIC_REVIEW),
    ("Randomized Controlled Trial", Design.RCT),
    ("Observational Study", Design.COHORT),
    ("Case Reports", Design.CASE_SERIES),
    ("Review", Design.EXPERT_OPINION),
]


@dataclass
class PlannedRow:
    citation: Citation
    action: str
    source: Source  # new and unsaved, or the existing record (unchanged until applied)
    matched_by: str = ""  # "DOI" or "PMID" for existing records
    changes: dict[str, tuple] = field(default_factory=dict)  # field: (ours, the file's)
    kept: dict[str, tuple] = field(default_factory=dict)  # differences we do not apply

    @property
    def design_label(self) -> str:
        return self.source.get_design_display()


@dataclass
class ImportPlan:
    file_name: str
    file_format: str
    rows: list[PlannedRow]
    problems: list[EntryProblem]

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def to_write(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in (CREATE, UPDATE)]

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.to_write)

    def fingerprint(self) -> list:
        """What confirming would do; compared again at confirmation time."""
        return [[row.citation.number, row.action, row.source.pk] for row in self.rows]


def design_for(citation: Citation, default_design: str) -> str:
    types = set(citation.publication_types)
    return next((d for name, d in PUBLICATION_TYPE_DESIGNS if name in types), default_design)


def author_text(names: list[str]) -> str:
    text = ", ".join(names)
    while len(text) > AUTHORS_MAX and len(names) > 1:
        names = names[:-1]
        text = ", ".join(names) + ", et al."
    return text


def _same(a, b) -> bool:
    def norm(v):
        return " ".join(str(v or "").split()).rstrip(".").casefold()

    return norm(a) == norm(b)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{FIELD_LABELS.get(name, name.replace('_', ' '))}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _values(citation: Citation) -> dict:
    doi, pmid = identifiers(citation)
    return {
        "title": citation.title,
        "authors": author_text(citation.authors),
        "year": citation.year,
        "journal": citation.journal,
        "doi": doi,
        "pmid": pmid,
        "url": citation.url,
    }


def _checked(source: Source) -> Source:
    # Normalises DOI/PMID and applies the model's rules, including its duplicate check.
    source.full_clean(validate_constraints=False)
    return source


def _plan_new(citation: Citation, values: dict, design: str) -> PlannedRow:
    source = Source(**values, design=design, status=EditorialStatus.DRAFT)
    return PlannedRow(citation, CREATE, _checked(source))


def _plan_existing(citation: Citation, values: dict, existing: Source, by: str) -> PlannedRow:
    for name in ("doi", "pmid"):
        ours, theirs = getattr(existing, name), values[name]
        if ours and theirs and ours != theirs:
            raise ValidationError(
                f"its {by} matches “{existing.title}” (#{existing.pk}), which has a different "
                f"{FIELD_LABELS[name]} ({ours}, the file says {theirs}); check which is right."
            )
    changes = {
        name: (getattr(existing, name), values[name])
        for name in FILLABLE
        if values[name] and not getattr(existing, name)
    }
    kept = {
        name: (getattr(existing, name), values[name])
        for name in COMPARED
        if values[name]
        and getattr(existing, name)
        and not _same(getattr(existing, name), values[name])
    }
    if changes:
        updated = copy.copy(existing)
        for name, (_, new) in changes.items():
            setattr(updated, name, new)
        _checked(updated)
    return PlannedRow(citation, UPDATE if changes else UNCHANGED, existing, by, changes, kept)


def plan_import(
    file_name: str,
    file_format: str,
    citations: list[Citation],
    problems: list[EntryProblem],
    default_design: str,
) -> ImportPlan:
    """One query for every existing match, plus the model's duplicate check per new row."""
    values = {c.number: _values(c) for c in citations}
    dois = {v["doi"] for v in values.values() if v["doi"]}
    pmids = {v["pmid"] for v in values.values() if v["pmid"]}
    existing = list(Source.objects.filter(Q(doi__in=dois) | Q(pmid__in=pmids)))
    by_doi = {s.doi: s for s in existing if s.doi}
    by_pmid = {s.pmid: s for s in existing if s.pmid}

    problems = list(problems)
    rows, seen = [], {}
    for citation in citations:
        row_values = values[citation.number]

        def refuse(reason, citation=citation):
            problems.append(EntryProblem(citation.number, citation.line, reason))

        if not row_values["title"]:
            refuse("it has no title.")
            continue
        repeated = [
            f"the {FIELD_LABELS[name]} of entry {seen[(name, row_values[name])]}"
            for name in ("doi", "pmid")
            if row_values[name] and (name, row_values[name]) in seen
        ]
        if repeated:
            refuse(f"it repeats {' and '.join(repeated)}.")
            continue
        for name in ("doi", "pmid"):
            if row_values[name]:
                seen[(name, row_values[name])] = citation.number
        match_doi = by_doi.get(row_values["doi"])
        match_pmid = by_pmid.get(row_values["pmid"])
        if match_doi and match_pmid and match_doi.pk != match_pmid.pk:
            refuse(
                f"its DOI is on “{match_doi.title}” (#{match_doi.pk}) but its PMID is on "
                f"“{match_pmid.title}” (#{match_pmid.pk}); check which is right."
            )
            continue
        try:
            if match_doi or match_pmid:
                rows.append(
                    _plan_existing(
                        citation,
                        row_values,
                        match_doi or match_pmid,
                        "DOI" if match_doi else "PMID",
                    )
                )
            elif design := design_for(citation, default_design):
                rows.append(_plan_new(citation, row_values, design))
            else:
                refuse("its file gives no study design: choose one for such entries.")
        except ValidationError as error:
            refuse(_messages(error))
    problems.sort(key=lambda p: p.number)
    return ImportPlan(file_name, file_format, rows, problems)


def apply_import(plan: ImportPlan, user) -> tuple[int, int]:
    """Write every create and update, or nothing; returns (created, updated).

    History records who imported (`_history_user`) and from which file (`_change_reason`).
    """
    if not plan.can_apply:
        raise ValueError("This plan has problems or nothing to write.")
    reason = f"Imported from {plan.file_name} ({plan.file_format})"
    created = updated = 0
    with transaction.atomic():
        for row in plan.to_write:
            source = row.source
            source._history_user = user
            source._change_reason = reason
            if row.action == CREATE:
                source.status = EditorialStatus.DRAFT
                source.save()
                created += 1
            else:
                for name, (_, new) in row.changes.items():
                    setattr(source, name, new)
                source.save(update_fields=[*row.changes, "updated_at"])
                updated += 1
    return created, updated


def citations_to_session(citations: list[Citation]) -> list[dict]:
    return [asdict(c) for c in citations]


def citations_from_session(data: list[dict]) -> list[Citation]:
    return [Citation(**item) for item in data]


def problems_to_session(problems: list[EntryProblem]) -> list[dict]:
    return [asdict(p) for p in problems]


def problems_from_session(data: list[dict]) -> list[EntryProblem]:
    return [EntryProblem(**item) for item in data]
