"""Importing citation files in the admin: upload, preview, confirm — all rows or none.

The files under tests/fixtures/citations/ hold real papers (see the README there).
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.citation_formats import MAX_BYTES, FileRefused, read_citations
from evidence.citation_import import apply_import, plan_import
from evidence.models import Finding, Source
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect

from .factories import make_source

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
IMPORT_URL = reverse("admin:evidence_source_import")
CHANGELIST_URL = reverse("admin:evidence_source_changelist")

DIBERNARDO = {
    "title": "Treatment of Cellulite Using a 1440-nm Pulsed Laser With One-Year Follow-Up",
    "authors": "DiBernardo BE",
    "year": 2011,
    "journal": "Aesthet Surg J",
    "doi": "10.1177/1090820x11398353",
    "pmid": "",
}
PIANEZ = {
    "title": (
        "Effectiveness of carboxytherapy in the treatment of cellulite in healthy women: "
        "a pilot study"
    ),
    "authors": "Pianez LRG, Custodio FS, Guidi RM, de Freitas JN, Sant'Ana EMC",
    "year": 2016,
    "journal": "Clin Cosmet Investig Dermatol",
    "doi": "10.2147/ccid.s102503",
    "pmid": "",
}
LUEBBERDING_DOI = "10.1007/s40257-015-0129-5"
FIELDS = list(DIBERNARDO)


def upload(client, name, data=None, design="case_series"):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), "design": design})


def confirm(client, preview):
    return client.post(IMPORT_URL, {"token": preview.context["token"]}, follow=True)


def record_counts():
    return Source.objects.count(), Source.history.count()


def as_dict(source):
    return {field: getattr(source, field) for field in FIELDS}


def forget_sources(*dois):
    """Remove curated papers (and what cites them) so a file can bring them in anew."""
    for source in Source.objects.filter(doi__in=dois):
        for model in (Finding, CostEstimate, SideEffect, RegulatoryEvent):
            model.objects.filter(source=source).delete()
        source.delete()


@pytest.fixture
def curator(client, editor):
    client.force_login(editor)
    return client


# -- good files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["good.ris", "good.bib"])
def test_good_file_previews_then_creates_drafts_with_history(curator, editor, name):
    before = record_counts()
    preview = upload(curator, name)
    assert preview.status_code == 200
    rows = {row.citation.number: row for row in preview.context["plan"].rows}
    assert [rows[n].action for n in (1, 2, 3)] == ["create", "create", "unchanged"]
    assert rows[3].matched_by == "DOI"
    assert rows[3].source == Source.objects.get(doi=LUEBBERDING_DOI)
    page = preview.content.decode()
    assert "3 entries" in page and "Duplicate by DOI of" in page
    assert record_counts() == before, "a preview writes nothing"

    done = confirm(curator, preview)
    assert [str(m) for m in done.context["messages"]] == [
        f"Imported “{name}”: 2 new sources (drafts, to check and publish) and 0 updated."
    ]
    assert as_dict(Source.objects.get(doi=DIBERNARDO["doi"])) == DIBERNARDO
    assert as_dict(Source.objects.get(doi=PIANEZ["doi"])) == PIANEZ
    created = Source.objects.filter(doi__in=[DIBERNARDO["doi"], PIANEZ["doi"]])
    assert {s.status for s in created} == {"draft"}
    assert {s.design for s in created} == {"case_series"}
    history = Source.history.filter(doi__in=[DIBERNARDO["doi"], PIANEZ["doi"]])
    assert {(h.history_type, h.history_user, h.history_change_reason) for h in history} == {
        ("+", editor, f"Imported from {name} ({preview.context['plan'].file_format})")
    }
    assert record_counts() == (before[0] + 2, before[1] + 2)
    # Drafts are not public.
    assert curator.get(created[0].get_absolute_url()).status_code == 404


def test_medline_file_takes_design_from_publication_type(curator):
    forget_sources(LUEBBERDING_DOI, "10.2147/ccid.s95830")
    preview = upload(curator, "good.nbib", design="systematic_review")
    assert preview.context["plan"].file_format == "PubMed MEDLINE"
    confirm(curator, preview)
    review = Source.objects.get(pmid="28123311")
    assert (review.title, review.authors, review.year, review.journal, review.doi) == (
        "Cellulite: A Review With a Focus on Subcision",
        "Friedmann DP, Vick GL, Mishra V",
        2017,
        "Clin Cosmet Investig Dermatol",
        "10.2147/ccid.s95830",
    )
    assert review.design == "expert_opinion"  # PubMed type "Review"
    luebberding = Source.objects.get(pmid="25940753")
    assert luebberding.title == "Cellulite: an evidence-based review"  # PubMed's full stop gone
    assert luebberding.design == "systematic_review"  # no type in the file: the curator's choice


def test_entry_matching_a_source_fills_its_blanks_and_keeps_the_rest(curator, editor):
    existing = make_source(
        title=PIANEZ["title"] + " (our wording)",
        authors="",
        journal="",
        year=2016,
        doi=PIANEZ["doi"],
        design="case_series",
        status="published",
    )
    preview = upload(curator, "good.ris")
    row = next(r for r in preview.context["plan"].rows if r.citation.number == 2)
    assert row.action == "update"
    assert set(row.changes) == {"authors", "journal"}
    assert row.kept == {"title": (existing.title, PIANEZ["title"])}
    confirm(curator, preview)
    existing.refresh_from_db()
    assert existing.title == PIANEZ["title"] + " (our wording)"
    assert (existing.authors, existing.journal) == (PIANEZ["authors"], PIANEZ["journal"])
    assert existing.status == "published", "an update does not unpublish"
    latest = existing.history.first()
    assert (latest.history_type, latest.history_user) == ("~", editor)


def test_file_with_nothing_new_offers_nothing_to_confirm(curator):
    data = b"".join(
        block + b"ER  - \n"
        for block in (FIXTURES / "good.ris").read_bytes().split(b"ER  - \n")[2:3]
    )
    before = record_counts()
    preview = upload(curator, "again.ris", data)
    assert [r.action for r in preview.context["plan"].rows] == ["unchanged"]
    assert preview.context["token"] == ""
    assert "Nothing to import" in preview.content.decode()
    assert record_counts() == before


# -- bad files: a clear message, nothing written --------------------------------------------------


BAD_FILES = [
    (
        "duplicate-doi.ris",
        None,
        "Entry 2 (line 9): it repeats the DOI of entry 1.",
    ),
    (
        "malformed.bib",
        None,
        "Entry 2 (line 9): it is not valid BibTeX: Unexpectedly reached end of file",
    ),
    (
        "cut.ris",
        None,
        "Entry 2 (line 13): it has no end line (“ER  - ”): the file may be cut short.",
    ),
    (
        "too-large.ris",
        b"TY  - JOUR\nN1  - " + b"x" * MAX_BYTES + b"\nER  - \n",
        f"“too-large.ris” is {MAX_BYTES + 25:,} bytes, over the 2 MB limit. Split it into",
    ),
    (
        "image.ris",
        None,
        "“image.ris” is not a citation file: it is a PNG image.",
    ),
    (
        "latin1.ris",
        None,
        "“latin1.ris” is not UTF-8 text (byte 139 is not valid UTF-8",
    ),
    ("empty.ris", None, "The file is empty: there is nothing to import."),
    (
        "notes.docx",
        b"PK\x03\x04 a word document",
        "“notes.docx” is not a citation file: upload the .ris, .bib or .nbib",
    ),
    (
        "prose.txt",
        b"Mesotherapy melts fat, says the clinic.",
        "“prose.txt” holds no citations: expected RIS records",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_says_why_and_writes_nothing(curator, name, data, message):
    before = record_counts()
    response = upload(curator, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not response.context.get("token")
    assert record_counts() == before


def test_forged_or_reused_confirmation_writes_nothing(curator):
    before = record_counts()
    response = curator.post(IMPORT_URL, {"token": "0" * 32}, follow=True)
    assert "This preview has expired or was already imported" in response.content.decode()
    preview = upload(curator, "good.ris")
    confirm(curator, preview)
    after_first = record_counts()
    again = confirm(curator, preview)
    assert "already imported" in again.content.decode()
    assert record_counts() == after_first == (before[0] + 2, before[1] + 2)


def test_confirmation_after_the_data_changed_shows_a_new_preview(curator):
    preview = upload(curator, "good.ris")
    make_source(**{**DIBERNARDO, "doi": DIBERNARDO["doi"]})  # someone else adds entry 1
    before = record_counts()
    response = confirm(curator, preview)
    assert "The sources changed since this preview" in response.content.decode()
    assert record_counts() == before
    rows = response.context["plan"].rows
    assert [r.action for r in rows] == ["unchanged", "create", "unchanged"]
    assert response.context["token"]


def test_a_failure_while_writing_rolls_back_every_row(editor):
    fmt, citations, problems = read_citations("good.ris", (FIXTURES / "good.ris").read_bytes())
    plan = plan_import("good.ris", fmt, citations, problems, "case_series")
    # A row written between planning and writing makes the second insert fail.
    Source.objects.create(**{**PIANEZ, "design": "case_series"})
    before = record_counts()
    with pytest.raises(IntegrityError):
        apply_import(plan, editor)
    assert record_counts() == before
    assert not Source.objects.filter(doi=DIBERNARDO["doi"]).exists()


def test_import_needs_add_and_change_permission(client):
    from .factories import make_user

    client.force_login(make_user("viewer"))
    assert client.get(IMPORT_URL).status_code == 403


def test_source_list_links_to_the_import_page(curator):
    page = curator.get(CHANGELIST_URL).content.decode()
    assert f'href="{IMPORT_URL}"' in page and "Import citations" in page


# -- export ---------------------------------------------------------------------------------------


def test_exported_ris_imports_back_as_duplicates(curator):
    sources = list(Source.objects.exclude(doi="", pmid="").order_by("pk")[:5])
    response = curator.post(
        CHANGELIST_URL,
        {"action": "export_ris", "_selected_action": [s.pk for s in sources]},
    )
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    before = record_counts()
    preview = upload(curator, "export.ris", response.content)
    rows = preview.context["plan"].rows
    assert [r.source.pk for r in rows] == [s.pk for s in sources]
    assert {r.action for r in rows} == {"unchanged"}
    assert preview.context["plan"].problems == []
    assert record_counts() == before


def test_exported_csv_is_utf8_and_spreadsheet_safe(curator):
    risky = make_source(title='=HYPERLINK("http://evil.example","click")', authors="-Doe J")
    plain = make_source(title="Ünïcode – title")
    response = curator.post(
        CHANGELIST_URL,
        {"action": "export_csv", "_selected_action": [risky.pk, plain.pk]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [row["title"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example","click")',
        "Ünïcode – title",
    ]
    assert rows[0]["authors"] == "'-Doe J"
    assert rows[1]["doi"] == plain.doi


# -- the readers never crash ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["x.ris", "x.bib", "x.nbib", "x.txt"]),
    body=st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.one_of(
                st.sampled_from(
                    ["TY  - JOUR", "ER  - ", "PMID- 123", "TI  - T", "AU  - A, B", "@article{k,"]
                ),
                st.sampled_from(["}", "DO  - 10.1/x", "AN  - PMID: 9", "LID - 10.2/y [doi]"]),
                st.text(max_size=40),
            ),
            max_size=12,
        ).map(lambda lines: "\n".join(lines).encode()),
    ),
)
def test_readers_return_entries_and_problems_or_refuse_but_never_crash(name, body):
    try:
        _fmt, citations, problems = read_citations(name, body)
    except FileRefused as refusal:
        assert str(refusal)
    else:
        numbers = [c.number for c in citations] + [p.number for p in problems]
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
