"""schema.org JSON-LD for treatment and study pages (built from data the page already loaded).

A treatment page is a `MedicalWebPage` about a `MedicalTherapy`, with `lastReviewed`,
`reviewedBy` and its published studies as `citation`s. A study page is a `MedicalWebPage` whose
main entity is the paper (`ScholarlyArticle`); a primary study is also described as the
`MedicalStudy` subtype it is `about` (a randomised trial, a cohort…).
"""

import json

from evidence.citation_export import author_list
from evidence.vocabulary import RESEARCH_DESIGNS, Design

from .choices import EditorialStatus

CONTEXT = "https://schema.org"
PUBLISHER = {"@type": "Organization", "name": "Cellucheck"}
EDITORIAL_TEAM = {"@type": "Organization", "name": "Cellucheck editorial team"}

# schema.org study types and designs for primary research; reviews are articles only.
STUDY_TYPES = {
    Design.RCT: ("MedicalTrial", "trialDesign", "https://schema.org/RandomizedTrial"),
    Design.NON_RANDOMIZED_CONTROLLED: ("MedicalTrial", None, None),
    Design.COHORT: (
        "MedicalObservationalStudy",
        "studyDesign",
        "https://schema.org/CohortStudy",
    ),
    Design.CASE_SERIES: (
        "MedicalObservationalStudy",
        "studyDesign",
        "https://schema.org/CaseSeries",
    ),
}


def to_script_json(data: dict) -> str:
    """JSON safe inside <script>: no "</script>" or comment opener can be formed."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _identifiers(source) -> list[dict]:
    pairs = (("DOI", source.doi), ("PMID", source.pmid))
    return [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in pairs if v]


def article(source, page_url: str) -> dict:
    """A source as a schema.org ScholarlyArticle (research) or CreativeWork (documents)."""
    data = {
        "@type": "ScholarlyArticle" if source.design in RESEARCH_DESIGNS else "CreativeWork",
        "name": source.title,
        "url": page_url,
        "sameAs": [u for u in (source.doi_url, source.pubmed_url, source.url) if u],
    }
    authors = author_list(source.authors)
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    if source.year:
        data["datePublished"] = str(source.year)
    if source.journal:
        data["isPartOf"] = {"@type": "Periodical", "name": source.journal}
    if identifiers := _identifiers(source):
        data["identifier"] = identifiers
    if source.design in STUDY_TYPES:
        study_type, design_property, design = STUDY_TYPES[source.design]
        study = {"@type": study_type}
        if design_property:
            study[design_property] = design
        if source.participants:
            study["description"] = f"{source.participants} participants"
        data["about"] = study
    return data


def treatment_page(treatment, claims, absolute) -> dict:
    """`absolute(path)` turns a site path into a full URL (request.build_absolute_uri)."""
    cited = {}
    for claim in claims:
        for finding in claim.findings.all():
            if finding.source.status == EditorialStatus.PUBLISHED:
                cited.setdefault(finding.source.pk, finding.source)
    reviewer = treatment.reviewed_by
    page_url = absolute(treatment.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "url": page_url,
        "name": f"{treatment.name}: evidence, costs and side effects",
        "description": treatment.summary,
        "inLanguage": "en",
        "publisher": PUBLISHER,
        "reviewedBy": (
            {"@type": "Person", "name": reviewer.get_full_name() or reviewer.get_username()}
            if reviewer
            else EDITORIAL_TEAM
        ),
        "about": {
            "@type": "MedicalTherapy",
            "name": treatment.name,
            "alternateName": treatment.alias_list(),
            "description": treatment.how_it_works or treatment.summary,
            "url": page_url,
        },
        "citation": [
            article(source, absolute(source.get_absolute_url())) for source in cited.values()
        ],
    }
    if treatment.last_reviewed:
        data["lastReviewed"] = treatment.last_reviewed.isoformat()
    return data


def study_page(source, absolute) -> dict:
    treatments = {f.claim.treatment.pk: f.claim.treatment for f in source.findings.all()}
    return {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "url": absolute(source.get_absolute_url()),
        "name": source.title,
        "inLanguage": "en",
        "publisher": PUBLISHER,
        "mainEntity": article(source, absolute(source.get_absolute_url())),
        "about": [
            {"@type": "MedicalTherapy", "name": t.name, "url": absolute(t.get_absolute_url())}
            for t in treatments.values()
        ],
    }
