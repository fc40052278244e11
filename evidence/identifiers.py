"""Normalising and checking study identifiers (pure functions)."""

import re

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9][0-9]{0,8}$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^(?:pmid:?\s*|https?://pubmed\.ncbi\.nlm\.nih\.gov/)", re.IGNORECASE)


def normalise_doi(value: str) -> str:
    """`https://doi.org/10.1000/ABC` -> `10.1000/abc`; blank stays blank."""
    value = (value or "").strip()
    value = _DOI_PREFIX.sub("", value).strip()
    return value.lower()


def normalise_pmid(value: str | int | None) -> str:
    """`PMID: 12345` or `https://pubmed.ncbi.nlm.nih.gov/12345/` -> `12345`."""
    value = str(value or "").strip()
    value = _PMID_PREFIX.sub("", value).strip().rstrip("/")
    return value


def is_valid_doi(value: str) -> bool:
    return bool(DOI_PATTERN.match(value))


def is_valid_pmid(value: str) -> bool:
    return bool(PMID_PATTERN.match(value))
