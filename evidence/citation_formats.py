"""Reading citation files: RIS (rispy), BibTeX (bibtexparser 2) and PubMed MEDLINE (rispy).

Pure functions (no ORM). `read_citations(name, data)` checks the upload as a whole (size, type,
encoding, emptiness) and raises `FileRefused` with a message for the curator; otherwise it returns
every entry it could read as a `Citation` and every one it could not as an `EntryProblem`, both
numbered in file order.

MEDLINE has no parser of its own here: its tagged lines ("TI  - ", "PMID- ") are RIS's layout
with four-letter tags, so it is read by a `rispy.RisParser` subclass, rispy's documented
extension point. Each file is first cut into records at their start tags so that a broken record
(an RIS entry without its closing "ER  - ") is reported by number instead of silently swallowing
the next one.
"""

import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser.model import Entry, ParsingFailedBlock

from .identifiers import normalise_doi, normalise_pmid

MAX_BYTES = 2 * 1024 * 1024
EXTENSIONS = (".ris", ".bib", ".bibtex", ".nbib", ".txt")
RIS, BIBTEX, MEDLINE = "RIS", "BibTeX", "PubMed MEDLINE"

# Signatures of files people upload by mistake.
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a zip archive (or a Word/Excel document)",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document",
    b"\x1f\x8b": "a gzip archive",
}
_RIS_START = re.compile(r"^TY  -", re.MULTILINE)
_MEDLINE_START = re.compile(r"^PMID- ", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/\S+)")
_PUBMED_URL = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)")
_PMID_TEXT = re.compile(r"^(?:PMID:?\s*)?(\d{1,9})$", re.IGNORECASE)


class FileRefused(Exception):
    """The upload as a whole cannot be read; the message says why and what to do."""


@dataclass
class Citation:
    number: int  # 1-based position among the file's entries
    line: int | None
    title: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    publication_types: list[str] = field(default_factory=list)


@dataclass
class EntryProblem:
    number: int
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"Entry {self.number}" + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.reason}"


# -- the upload as a whole ------------------------------------------------------------------------


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise FileRefused(
            f"“{name}” is {size:,} bytes, over the {MAX_BYTES // 1024 // 1024} MB limit. "
            "Split it into smaller files and import them one after the other."
        )


def decode_upload(name: str, data: bytes) -> str:
    if not name.lower().endswith(EXTENSIONS):
        raise FileRefused(
            f"“{name}” is not a citation file: upload the .ris, .bib or .nbib (or PubMed .txt) "
            "file that your reference manager or PubMed exports."
        )
    check_size(name, len(data))
    if not data.strip():
        raise FileRefused(f"“{name}” is empty: there is nothing to import.")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise FileRefused(
                f"“{name}” is not a citation file: it is {kind}. Export the citations as RIS, "
                "BibTeX or PubMed format and upload that file."
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            f"“{name}” is UTF-16 text; export it again as UTF-8 (Unicode) and upload that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"“{name}” is not UTF-8 text (byte {error.start + 1} is not valid UTF-8; it may be "
            "Latin-1 or Windows-1252). Export it again as UTF-8 (Unicode) and upload that."
        ) from None
    if "\x00" in text:
        raise FileRefused(f"“{name}” is not a text file: upload the exported citation file.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(name: str, text: str) -> str:
    found = [
        fmt
        for fmt, pattern in ((RIS, _RIS_START), (MEDLINE, _MEDLINE_START), (BIBTEX, _BIBTEX_ENTRY))
        if pattern.search(text)
    ]
    if len(found) != 1:
        problem = "no citations" if not found else "a mix of formats"
        raise FileRefused(
            f"“{name}” holds {problem}: expected RIS records (starting “TY  - ”), BibTeX entries "
            "(“@article{…”) or PubMed MEDLINE records (starting “PMID- ”), one format per file."
        )
    return found[0]


def read_citations(name: str, data: bytes) -> tuple[str, list[Citation], list[EntryProblem]]:
    text = decode_upload(name, data)
    fmt = detect_format(name, text)
    reader = {RIS: read_ris, BIBTEX: read_bibtex, MEDLINE: read_medline}[fmt]
    citations, problems = reader(text)
    if not citations and not problems:
        raise FileRefused(f"“{name}” holds no citations.")
    return fmt, citations, problems


# -- names and values -----------------------------------------------------------------------------


def initials(given: str | list[str]) -> str:
    tokens = given if isinstance(given, list) else given.split()
    return "".join(part[0].upper() for t in tokens for part in re.split(r"[-.\s]+", t) if part)


def vancouver(name: str) -> str:
    """“DiBernardo, Barry E.” → “DiBernardo BE”; names without a comma are kept as written."""
    name = " ".join(name.split())
    if "," not in name:
        return name
    family, given = (part.strip() for part in name.split(",", 1))
    given = given.split(",")[0]  # drop a suffix such as ", Jr."
    return f"{family} {initials(given)}".strip()


def year_in(*values: str) -> int | None:
    for value in values:
        match = _YEAR.search(value or "")
        if match:
            return int(match.group(1))
    return None


def pmid_in(value: str) -> str:
    value = (value or "").strip()
    match = _PMID_TEXT.match(value) or _PUBMED_URL.search(value)
    return match.group(1) if match else ""


def first(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value and str(value).strip():
            return " ".join(str(value).split())
    return ""


def _records(text: str, start: re.Pattern) -> list[tuple[int, str]]:
    """The text cut at each record's start tag: (line number, record text)."""
    starts = [m.start() for m in start.finditer(text)]
    return [
        (text.count("\n", 0, begin) + 1, text[begin:end])
        for begin, end in zip(starts, [*starts[1:], len(text)], strict=True)
    ]


# -- RIS ------------------------------------------------------------------------------------------


def read_ris(text: str) -> tuple[list[Citation], list[EntryProblem]]:
    citations, problems = [], []
    for number, (line, chunk) in enumerate(_records(text, _RIS_START), start=1):
        parsed = rispy.loads(chunk)
        if not parsed:
            problems.append(
                EntryProblem(
                    number, line, "it has no end line (“ER  - ”): the file may be cut short."
                )
            )
            continue
        record = parsed[0]
        urls = record.get("urls", [])
        doi = first(record, "doi") or next(
            (m.group(1) for u in urls if (m := _DOI_IN_TEXT.search(u))), ""
        )
        pmid = pmid_in(first(record, "accession_number")) or next(
            (p for u in urls if (p := pmid_in(u))), ""
        )
        citations.append(
            Citation(
                number,
                line,
                title=first(record, "title", "primary_title"),
                authors=[
                    vancouver(a)
                    for a in [*record.get("authors", []), *record.get("first_authors", [])]
                ],
                year=year_in(first(record, "year", "publication_year", "date")),
                journal=first(
                    record,
                    "alternate_title2",
                    "alternate_title1",
                    "journal_name",
                    "secondary_title",
                    "alternate_title3",
                ),
                doi=doi,
                pmid=pmid,
                url=next((u for u in urls if "doi.org/" not in u and not pmid_in(u)), ""),
            )
        )
    return citations, problems


# -- PubMed MEDLINE (.nbib, PubMed's "PubMed format" .txt) ----------------------------------------


class MedlineParser(rispy.RisParser):
    """MEDLINE through rispy: four-letter tags, and a blank line ends a record."""

    START_TAG = "PMID"
    DEFAULT_MAPPING = {
        "PMID": "pmid",
        "TI": "title",
        "AU": "authors",
        "FAU": "full_authors",
        "DP": "date",
        "TA": "journal_abbreviation",
        "JT": "journal",
        "LID": "location_ids",
        "AID": "article_ids",
        "PT": "publication_types",
        "UK": "unknown_tag",
    }
    DEFAULT_LIST_TAGS = ["AU", "FAU", "LID", "AID", "PT"]
    DEFAULT_DELIMITER_MAPPING = {}

    def __init__(self, **kwargs):
        super().__init__(skip_unknown_tags=True, **kwargs)

    def parse(self, text: str) -> list[dict]:
        return super().parse(text.rstrip("\n") + "\n\n")  # close the last record

    def parse_line(self, line: str):
        if not line.strip():
            return (self.END_TAG, "")
        tag = line[:4].rstrip()
        if line[4:6] == "- " and tag.isalnum() and tag.isupper():
            return (tag, line[6:].strip())
        return (None, line.strip())


def _doi_from_ids(ids: list[str]) -> str:
    for value in ids:
        if value.endswith("[doi]"):
            return value.removesuffix("[doi]").strip()
    return ""


def read_medline(text: str) -> tuple[list[Citation], list[EntryProblem]]:
    citations, problems = [], []
    for number, (line, chunk) in enumerate(_records(text, _MEDLINE_START), start=1):
        parsed = MedlineParser().parse(chunk)
        record = parsed[0] if parsed else {}
        pmid = pmid_in(first(record, "pmid"))
        if not pmid:
            problems.append(EntryProblem(number, line, "its PMID line is not a PubMed number"))
            continue
        authors = record.get("authors") or [vancouver(a) for a in record.get("full_authors", [])]
        citations.append(
            Citation(
                number,
                line,
                # PubMed ends every title with a full stop; the journal's title has none.
                title=first(record, "title").removesuffix("."),
                authors=authors,
                year=year_in(first(record, "date")),
                journal=first(record, "journal_abbreviation", "journal"),
                doi=_doi_from_ids(record.get("location_ids", []) + record.get("article_ids", [])),
                pmid=pmid,
                publication_types=record.get("publication_types", []),
            )
        )
    return citations, problems


# -- BibTeX ---------------------------------------------------------------------------------------


def _bibtex_name(parts) -> str:
    family = " ".join([*parts.von, *parts.last])
    return f"{family} {initials(parts.first)}".strip()


def _failure_reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return "it is not valid BibTeX: " + " ".join(reason.split()).rstrip(".")


def read_bibtex(text: str) -> tuple[list[Citation], list[EntryProblem]]:
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    citations, problems = [], []
    entries = [b for b in library.blocks if isinstance(b, Entry | ParsingFailedBlock)]
    for number, block in enumerate(entries, start=1):
        line = block.start_line + 1 if block.start_line is not None else None
        if isinstance(block, ParsingFailedBlock):
            problems.append(EntryProblem(number, line, _failure_reason(block)))
            continue
        fields = {f.key.lower(): f.value for f in block.fields}
        names = fields.get("author", [])
        pmid = pmid_in(str(fields.get("pmid", "")))
        if not pmid and str(fields.get("eprinttype", "")).lower() == "pubmed":
            pmid = pmid_in(str(fields.get("eprint", "")))
        url = first(fields, "url")
        doi_in_url = _DOI_IN_TEXT.search(url) if "doi.org/" in url else None
        citations.append(
            Citation(
                number,
                line,
                title=first(fields, "title"),
                authors=[_bibtex_name(n) for n in names] if isinstance(names, list) else [],
                year=year_in(first(fields, "year", "date")),
                journal=first(fields, "shortjournal", "journal", "journaltitle"),
                doi=first(fields, "doi") or (doi_in_url.group(1) if doi_in_url else ""),
                pmid=pmid or pmid_in(url),
                url="" if doi_in_url or pmid_in(url) else url,
            )
        )
    return citations, problems


def identifiers(citation: Citation) -> tuple[str, str]:
    return normalise_doi(citation.doi), normalise_pmid(citation.pmid)
