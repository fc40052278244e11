from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from treatments.choices import EditorialStatus

from .choices import (
    CertaintyChoices,
    ClaimedBy,
    ClaimKind,
    DesignChoices,
    DirectionChoices,
    EffectChoices,
    FundingChoices,
    RiskOfBiasChoices,
    VerdictChoices,
)
from .identifiers import is_valid_doi, is_valid_pmid, normalise_doi, normalise_pmid
from .vocabulary import DOCUMENT_DESIGNS, RESEARCH_DESIGNS


class SourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditorialStatus.PUBLISHED)

    def research(self):
        return self.filter(design__in=RESEARCH_DESIGNS)

    def for_study_pages(self):
        """Published sources with the findings a visitor may see (claims on published treatments).

        Shared by /studies/, its CSV and the API so all three cite the same claims.
        """
        public_findings = Finding.objects.filter(
            claim__treatment__status=EditorialStatus.PUBLISHED
        ).select_related("claim__treatment")
        return self.published().prefetch_related(
            models.Prefetch("findings", queryset=public_findings)
        )


class Source(models.Model):
    """A study, review or document that evidence on the site is drawn from."""

    title = models.CharField(max_length=500)
    authors = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    journal = models.CharField(max_length=300, blank=True, help_text="Journal or publisher.")
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="Any form (https://doi.org/…, doi:…); stored lower-case without prefix.",
    )
    pmid = models.CharField("PMID", max_length=12, blank=True, help_text="PubMed ID, digits only.")
    url = models.URLField(
        "URL", max_length=500, blank=True, help_text="Required for documents without a DOI/PMID."
    )
    design = models.CharField(max_length=32, choices=DesignChoices.choices)
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="People analysed. Leave empty when the source does not say.",
    )
    followup_weeks = models.PositiveSmallIntegerField("follow-up (weeks)", null=True, blank=True)
    outcome_measure = models.CharField(max_length=300, blank=True)
    funding = models.CharField(
        max_length=16, choices=FundingChoices.choices, default=FundingChoices.NOT_REPORTED
    )
    funding_note = models.CharField(
        "funding and conflicts", max_length=500, blank=True, help_text="Sponsor, employees, etc."
    )
    risk_of_bias = models.CharField(
        max_length=16, choices=RiskOfBiasChoices.choices, default=RiskOfBiasChoices.UNCLEAR
    )
    plain_finding = models.CharField(
        "finding in plain language", max_length=600, blank=True, help_text="One neutral sentence."
    )
    verified_from = models.TextField(
        blank=True, help_text="Where a curator saw the title with its identifier."
    )
    status = models.CharField(
        max_length=16, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        permissions = [("publish_source", "Can publish and retire sources")]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="source_doi_unique_when_present"
            ),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="source_pmid_unique_when_present"
            ),
            models.CheckConstraint(
                condition=Q(doi="") | (Q(doi=Lower("doi")) & Q(doi__startswith="10.")),
                name="source_doi_normalised",
                violation_error_message="A DOI is stored lower-case and starts with “10.”.",
            ),
            models.CheckConstraint(
                condition=Q(pmid__regex=r"^[0-9]*$"),
                name="source_pmid_digits",
                violation_error_message="A PMID contains digits only.",
            ),
            models.CheckConstraint(
                condition=~Q(design__in=RESEARCH_DESIGNS) | ~Q(doi="") | ~Q(pmid=""),
                name="source_research_has_identifier",
                violation_error_message="A published study needs a DOI or a PMID.",
            ),
            models.CheckConstraint(
                condition=~Q(design__in=DOCUMENT_DESIGNS) | ~Q(url="") | ~Q(doi=""),
                name="source_document_has_url",
                violation_error_message="A document without a DOI needs a URL.",
            ),
        ]
        indexes = [
            # /studies/ filters by design and sorts by year.
            models.Index(fields=["design", "-year"], name="source_design_year"),
            models.Index(fields=["status", "-year"], name="source_status_year"),
        ]

    def __str__(self):
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}{year}"

    def get_absolute_url(self):
        return reverse("evidence:source-detail", args=[self.pk])

    @property
    def is_research(self) -> bool:
        return self.design in RESEARCH_DESIGNS

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def clean_fields(self, exclude=None):
        # Normalise first, so a pasted https://doi.org/… link is checked as the DOI it holds.
        self.doi = normalise_doi(self.doi)
        self.pmid = normalise_pmid(self.pmid)
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if self.doi and not is_valid_doi(self.doi):
            errors["doi"] = "This is not a DOI: it should look like 10.1234/abcd (prefix optional)."
        if self.pmid and not is_valid_pmid(self.pmid):
            errors["pmid"] = "A PMID is a number of up to nine digits, such as 18349597."
        if self.design in RESEARCH_DESIGNS and not (self.doi or self.pmid):
            errors["doi"] = "A published study needs a DOI or a PMID, so readers can find it."
        if self.design in DOCUMENT_DESIGNS and not (self.url or self.doi):
            errors["url"] = "Give the URL where this document can be read."
        for field, label in (("doi", "DOI"), ("pmid", "PMID")):
            value = getattr(self, field)
            if value and field not in errors:
                clash = Source.objects.filter(**{field: value}).exclude(pk=self.pk).first()
                if clash:
                    errors[field] = (
                        f"Another source already has this {label}: “{clash.title}” (#{clash.pk})."
                    )
        if errors:
            raise ValidationError(errors)


class Outcome(models.Model):
    """Something a study measures, e.g. cellulite appearance, and the scales that measure it."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    scales = models.CharField(
        "validated scales", max_length=300, blank=True, help_text="e.g. Hexsel CSS, CR-PCSS."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClaimQuerySet(models.QuerySet):
    def public(self):
        return self.filter(treatment__status=EditorialStatus.PUBLISHED)


class Claim(models.Model):
    """A statement made about a treatment, graded against the findings that test it."""

    treatment = models.ForeignKey(
        "treatments.Treatment", on_delete=models.CASCADE, related_name="claims"
    )
    statement = models.CharField(max_length=200, help_text="As clinics put it: “melts fat”.")
    phrases = models.TextField(
        blank=True,
        help_text="Other wordings the claim checker should recognise, one per line.",
    )
    kind = models.CharField(max_length=16, choices=ClaimKind.choices, default=ClaimKind.EFFICACY)
    claimed_by = models.CharField(
        max_length=16, choices=ClaimedBy.choices, default=ClaimedBy.CLINICS
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    is_main = models.BooleanField(
        "main efficacy claim",
        default=False,
        help_text="The claim whose certainty headlines the treatment (cellulite appearance).",
    )
    summary = models.TextField(
        "what is known", blank=True, help_text="Plain-language summary shown with the verdict."
    )
    position = models.PositiveSmallIntegerField(default=0)

    # Computed by evidence.grading (never edited by hand).
    computed_certainty = models.CharField(
        max_length=16, choices=CertaintyChoices.choices, blank=True
    )
    computed_verdict = models.CharField(
        max_length=16, choices=VerdictChoices.choices, default=VerdictChoices.UNTESTED
    )
    computed_effect = models.CharField(
        max_length=16, choices=EffectChoices.choices, default=EffectChoices.UNKNOWN
    )
    grading_reasons = models.JSONField(default=list, blank=True)
    study_counts = models.JSONField(default=dict, blank=True)
    participants_total = models.PositiveIntegerField(default=0)

    # A curator may override, with a written rationale.
    certainty_override = models.CharField(
        max_length=16, choices=CertaintyChoices.choices, blank=True
    )
    verdict_override = models.CharField(max_length=16, choices=VerdictChoices.choices, blank=True)
    override_rationale = models.TextField(blank=True)

    # Final values shown to the public: the override when present, otherwise the computed value.
    certainty = models.CharField(max_length=16, choices=CertaintyChoices.choices, blank=True)
    verdict = models.CharField(
        max_length=16, choices=VerdictChoices.choices, default=VerdictChoices.UNTESTED
    )
    effect = models.CharField(
        max_length=16, choices=EffectChoices.choices, default=EffectChoices.UNKNOWN
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["treatment_id", "-is_main", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treatment"],
                condition=Q(is_main=True),
                name="claim_one_main_per_treatment",
                violation_error_message="A treatment has only one main efficacy claim.",
            ),
            models.UniqueConstraint(
                fields=["treatment", "statement"], name="claim_statement_unique_per_treatment"
            ),
            models.CheckConstraint(
                condition=(Q(certainty_override="") & Q(verdict_override=""))
                | ~Q(override_rationale=""),
                name="claim_override_needs_rationale",
                violation_error_message="Overriding a grade needs a written rationale.",
            ),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("treatments:detail", args=[self.treatment.slug]) + f"#claim-{self.pk}"

    def clean(self):
        if (self.certainty_override or self.verdict_override) and not (
            self.override_rationale or ""
        ).strip():
            raise ValidationError(
                {"override_rationale": "Explain why you override the computed grade."}
            )

    @property
    def is_overridden(self) -> bool:
        return bool(self.certainty_override or self.verdict_override)

    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class FindingQuerySet(models.QuerySet):
    def from_published_sources(self):
        """Only findings whose source is published: a draft source is never cited or graded."""
        return self.filter(source__status=EditorialStatus.PUBLISHED)


class Finding(models.Model):
    """What one source says about one claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="findings")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="findings")
    direction = models.CharField(max_length=16, choices=DirectionChoices.choices)
    effect_size = models.CharField(
        max_length=16, choices=EffectChoices.choices, default=EffectChoices.UNKNOWN
    )
    effect_text = models.CharField(
        "effect as reported", max_length=300, blank=True, help_text="e.g. 2.5-point CSS reduction."
    )
    indirect = models.BooleanField(
        default=False,
        help_text="The study measured a different outcome or population than the claim is about.",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="finding_unique_per_claim_source",
                violation_error_message="This source is already linked to this claim.",
            ),
        ]

    def __str__(self):
        # Uses ids only: __str__ must not follow foreign keys (one query per admin row).
        return f"Finding #{self.pk}: {self.get_direction_display()}"
