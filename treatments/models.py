from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from evidence.choices import CertaintyChoices, EffectChoices, VerdictChoices
from evidence.models import Claim, Finding

from .choices import (
    CostUnit,
    EditorialStatus,
    Frequency,
    Invasiveness,
    Modality,
    Region,
    RegulatoryStatus,
    Severity,
    SideEffectKind,
    SideEffectReporting,
)
from .currencies import is_iso_currency


def _range_error(low, high, label):
    if low is not None and high is not None and low > high:
        return f"The lowest {label} cannot be more than the highest."
    return None


class TreatmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditorialStatus.PUBLISHED)

    def for_listing(self):
        """Rows of /treatments/ and the API list: prices and regulatory events, two prefetches."""
        return self.prefetch_related(
            models.Prefetch(
                "costs", queryset=CostEstimate.objects.order_by("currency", "min_amount")
            ),
            models.Prefetch("regulatory_events", queryset=RegulatoryEvent.objects.order_by("date")),
        )

    def for_comparison(self):
        """/compare/: listing data plus side effects and claims: four prefetch queries."""
        return self.for_listing().prefetch_related(
            "side_effects", models.Prefetch("claims", queryset=Claim.objects.all())
        )

    def for_detail(self):
        """Everything on a treatment page, each relation with its sources: six queries in all."""
        published_findings = Finding.objects.from_published_sources().select_related("source")
        return self.select_related(
            "sessions_source",
            "downtime_source",
            "pain_source",
            "results_last_source",
            "reviewed_by",
        ).prefetch_related(
            models.Prefetch(
                "claims",
                queryset=Claim.objects.select_related("outcome").prefetch_related(
                    models.Prefetch("findings", queryset=published_findings)
                ),
            ),
            models.Prefetch("costs", queryset=CostEstimate.objects.select_related("source")),
            models.Prefetch("side_effects", queryset=SideEffect.objects.select_related("source")),
            models.Prefetch(
                "regulatory_events",
                queryset=RegulatoryEvent.objects.select_related("source").order_by("date"),
            ),
        )


class Treatment(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.TextField(
        blank=True, help_text="Other names people search for, one per line (e.g. “lipodissolve”)."
    )
    summary = models.TextField(help_text="Two or three plain sentences for the top of the page.")
    how_it_works = models.TextField(blank=True)
    modality = models.CharField(max_length=24, choices=Modality.choices)
    invasiveness = models.CharField(max_length=16, choices=Invasiveness.choices)

    sessions_min = models.PositiveSmallIntegerField("sessions (fewest)", null=True, blank=True)
    sessions_max = models.PositiveSmallIntegerField("sessions (most)", null=True, blank=True)
    session_interval = models.CharField(max_length=120, blank=True, help_text="e.g. “weekly”.")
    session_minutes = models.PositiveSmallIntegerField(
        "session length (minutes)", null=True, blank=True
    )
    sessions_source = models.ForeignKey(
        "evidence.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    downtime_days_min = models.PositiveSmallIntegerField(
        "downtime (days, least)", null=True, blank=True
    )
    downtime_days_max = models.PositiveSmallIntegerField(
        "downtime (days, most)", null=True, blank=True
    )
    downtime_source = models.ForeignKey(
        "evidence.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pain_score = models.DecimalField(
        "pain (0–10, patient-reported)",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    pain = models.CharField("pain, as reported", max_length=300, blank=True)
    pain_source = models.ForeignKey(
        "evidence.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    results_last = models.CharField("how long results last", max_length=300, blank=True)
    results_last_months = models.PositiveSmallIntegerField(
        "results last (months, longest follow-up showing benefit)", null=True, blank=True
    )
    results_last_source = models.ForeignKey(
        "evidence.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side_effects_status = models.CharField(
        "side-effect reporting",
        max_length=16,
        choices=SideEffectReporting.choices,
        default=SideEffectReporting.LISTED,
        help_text="“Studies reported no side effects” is not the same as “no data”.",
    )
    questions_to_ask = models.TextField(
        "questions to ask a clinic", blank=True, help_text="One question per line."
    )

    status = models.CharField(
        max_length=16, choices=EditorialStatus.choices, default=EditorialStatus.DRAFT
    )
    last_reviewed = models.DateField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The grade of the main efficacy claim, stored for filtering and sorting.
    headline_certainty = models.CharField(
        max_length=16, choices=CertaintyChoices.choices, blank=True, editable=False
    )
    certainty_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    headline_verdict = models.CharField(
        max_length=16,
        choices=VerdictChoices.choices,
        default=VerdictChoices.UNTESTED,
        editable=False,
    )
    headline_effect = models.CharField(
        max_length=16, choices=EffectChoices.choices, default=EffectChoices.UNKNOWN, editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TreatmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("publish_treatment", "Can publish and retire treatments"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_min__isnull=True)
                | Q(sessions_max__isnull=True)
                | Q(sessions_min__lte=F("sessions_max")),
                name="treatment_sessions_min_le_max",
                violation_error_message="The fewest sessions cannot be more than the most.",
            ),
            models.CheckConstraint(
                condition=Q(downtime_days_min__isnull=True)
                | Q(downtime_days_max__isnull=True)
                | Q(downtime_days_min__lte=F("downtime_days_max")),
                name="treatment_downtime_min_le_max",
                violation_error_message="The least downtime cannot be more than the most.",
            ),
            models.CheckConstraint(
                condition=Q(pain_score__isnull=True) | Q(pain_score__gte=0, pain_score__lte=10),
                name="treatment_pain_score_0_10",
                violation_error_message="Pain is scored from 0 to 10.",
            ),
        ]
        indexes = [
            # The public list: published only, sorted by name or certainty.
            models.Index(fields=["status", "name"], name="treatment_status_name"),
            models.Index(fields=["status", "-certainty_rank"], name="treatment_status_certainty"),
            # Filters on /treatments/.
            models.Index(fields=["modality"], name="treatment_modality"),
            models.Index(fields=["invasiveness"], name="treatment_invasiveness"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("treatments:detail", args=[self.slug])

    def clean(self):
        errors = {}
        for field, low, high, label in (
            ("sessions_max", self.sessions_min, self.sessions_max, "number of sessions"),
            ("downtime_days_max", self.downtime_days_min, self.downtime_days_max, "downtime"),
        ):
            message = _range_error(low, high, label)
            if message:
                errors[field] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.status == EditorialStatus.PUBLISHED

    @property
    def short_name(self) -> str:
        """“Mesotherapy (injection lipolysis)” → “Mesotherapy”: for sentences and chart labels."""
        return self.name.split(" (")[0]

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions_to_ask.splitlines() if line.strip()]


class CostEstimate(models.Model):
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="costs")
    region = models.CharField(max_length=8, choices=Region.choices)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD, EUR, GBP.")
    min_amount = models.DecimalField("lowest price", max_digits=10, decimal_places=2)
    max_amount = models.DecimalField("highest price", max_digits=10, decimal_places=2)
    unit = models.CharField(max_length=16, choices=CostUnit.choices, default=CostUnit.PER_SESSION)
    price_year = models.PositiveSmallIntegerField(
        "year of the price", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    source = models.ForeignKey(
        "evidence.Source", on_delete=models.PROTECT, related_name="cost_estimates"
    )
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treatment_id", "region", "unit", "min_amount"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__gte=0),
                name="cost_min_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(min_amount__lte=F("max_amount")),
                name="cost_min_le_max",
                violation_error_message="The lowest price cannot be more than the highest.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="cost_currency_iso4217",
                violation_error_message="The currency is a three-letter ISO 4217 code (e.g. USD).",
            ),
            models.CheckConstraint(
                condition=Q(price_year__gte=1990, price_year__lte=2100),
                name="cost_price_year_plausible",
                violation_error_message="The price year must be between 1990 and 2100.",
            ),
        ]
        indexes = [
            # max_cost + currency filter and cost ordering on /treatments/.
            models.Index(fields=["currency", "unit", "min_amount"], name="cost_currency_unit_min"),
        ]

    def __str__(self):
        return f"{self.currency} {self.min_amount}–{self.max_amount} {self.get_unit_display()}"

    def clean(self):
        self.currency = (self.currency or "").strip().upper()
        errors = {}
        if self.currency and not is_iso_currency(self.currency):
            errors["currency"] = f"“{self.currency}” is not an ISO 4217 currency code (e.g. USD)."
        if self.min_amount is not None and self.min_amount < 0:
            errors["min_amount"] = "A price cannot be negative."
        message = _range_error(self.min_amount, self.max_amount, "price")
        if message:
            errors["max_amount"] = message
        if errors:
            raise ValidationError(errors)


class SideEffect(models.Model):
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="side_effects")
    kind = models.CharField(max_length=24, choices=SideEffectKind.choices)
    name = models.CharField(max_length=120, help_text="As the source words it.")
    frequency = models.CharField(
        max_length=16, choices=Frequency.choices, default=Frequency.NOT_REPORTED
    )
    frequency_percent = models.DecimalField(
        "frequency (% of participants)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    severity = models.CharField(max_length=16, choices=Severity.choices, default=Severity.UNKNOWN)
    duration = models.CharField("typical duration", max_length=120, blank=True)
    source = models.ForeignKey(
        "evidence.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="side_effects",
    )
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["treatment_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency=Frequency.NOT_REPORTED) | Q(source__isnull=False),
                name="side_effect_frequency_has_source",
                violation_error_message="A reported frequency needs its source.",
            ),
            models.CheckConstraint(
                condition=Q(frequency_percent__isnull=True)
                | Q(frequency_percent__gte=0, frequency_percent__lte=100),
                name="side_effect_percent_0_100",
                violation_error_message="A percentage is between 0 and 100.",
            ),
        ]
        indexes = [
            # side_effect filter on /treatments/ excludes treatments listing a kind.
            models.Index(fields=["kind", "treatment"], name="side_effect_kind_treatment"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_frequency_display()})"

    def clean(self):
        if self.frequency != Frequency.NOT_REPORTED and self.source_id is None:
            raise ValidationError({"source": "Give the source of this frequency."})


class RegulatoryEvent(models.Model):
    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="regulatory_events"
    )
    region = models.CharField(max_length=8, choices=Region.choices, default=Region.US)
    status = models.CharField(
        max_length=24,
        choices=RegulatoryStatus.choices,
        help_text="The status in this region from this date on.",
    )
    date = models.DateField()
    product = models.CharField(max_length=120, blank=True, help_text="Brand or device, e.g. Qwo.")
    description = models.CharField(max_length=400)
    source = models.ForeignKey(
        "evidence.Source", on_delete=models.PROTECT, related_name="regulatory_events"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["treatment_id", "date", "id"]
        indexes = [
            # regulatory filter: latest event per treatment and region.
            models.Index(fields=["treatment", "region", "-date"], name="regulatory_latest"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date.year})"
