"""Sources out, for reference managers (RIS) and spreadsheets (CSV).

RIS is written by rispy. A file exported here imports back unchanged (`citation_import` reads the
same tags): authors one per `AU` line in Vancouver form, the PMID in `AN`.
"""

import re

import rispy

from .vocabulary import RESEARCH_DESIGNS

# Curated author lists sometimes end in "et al." or hold a bracketed note; neither is a name.
_NOT_A_NAME = re.compile(r"^(et al\.?|\[.*\])$", re.IGNORECASE)

ADMIN_CSV_COLUMNS = [
    "id",
    "status",
    "title",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "url",
    "design",
    "participants",
    "followup_weeks",
    "outcome_measure",
    "funding",
    "funding_note",
    "risk_of_bias",
    "plain_finding",
    "verified_from",
    "updated_at",
]


def author_list(authors: str) -> list[str]:
    names = [name.strip() for name in (authors or "").split(",")]
    return [name for name in names if name and not _NOT_A_NAME.match(name)]


def ris_record(source) -> dict:
    record = {
        "type_of_reference": "JOUR" if source.design in RESEARCH_DESIGNS else "GEN",
        "title": source.title,
        "authors": author_list(source.authors),
        "notes": [f"Design: {source.get_design_display()}"],
    }
    optional = {
        "year": source.year,
        "journal_name": source.journal,
        "doi": source.doi,
        "accession_number": source.pmid,
        "urls": [source.url] if source.url else [],
    }
    record.update({key: value for key, value in optional.items() if value})
    if source.plain_finding:
        record["notes"].append(source.plain_finding)
    return record


def sources_to_ris(sources) -> str:
    return rispy.dumps([ris_record(source) for source in sources])


def admin_csv_row(source) -> list:
    return [getattr(source, column) for column in ADMIN_CSV_COLUMNS]
