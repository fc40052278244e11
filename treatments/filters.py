"""The /treatments/ filters (shared with the API and the CSV export, so all three agree)."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery

from evidence.choices import CertaintyChoices
from evidence.vocabulary import CERTAINTY_RANK

from .choices import CostUnit, Invasiveness, Modality, RegulatoryStatus, SideEffectKind
from .currencies import iso_currency_codes
from .models import CostEstimate, RegulatoryEvent, SideEffect

MAX_COST = Decimal("1000000")
MAX_DAYS = 3650
MAX_SESSIONS = 1000
ORDERING_CHOICES = [
    ("name", "Name (A–Z)"),
    ("-name", "Name (Z–A)"),
    ("-certainty", "Certainty (highest first)"),
    ("certainty", "Certainty (lowest first)"),
    ("cost", "Price per session (lowest first)"),
    ("-cost", "Price per session (highest first)"),
    ("downtime", "Downtime (shortest first)"),
    ("-downtime", "Downtime (longest first)"),
]


def currency_choices():
    return [("", "Any currency")] + [(code, code) for code in sorted(iso_currency_codes())]


class BoundedNumberFilter(django_filters.NumberFilter):
    """A number filter bounded by its field's own max_value only.

    django-filter adds a blanket "at most 1e+50" validator to every NumberFilter; next to our own
    bound it only adds a second, baffling message (`max_cost=1e999`).
    """

    def get_max_validator(self):
        return None


class TreatmentFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        needs_currency = cleaned.get("max_cost") is not None or (
            cleaned.get("ordering") or ""
        ).endswith("cost")
        if needs_currency and not cleaned.get("currency"):
            if not self.has_error("currency"):  # an unknown code has its own message already
                self.add_error(
                    "currency",
                    "Choose a currency: prices are compared in one currency and never converted.",
                )
            cleaned.pop("max_cost", None)
            if (cleaned.get("ordering") or "").endswith("cost"):
                cleaned.pop("ordering")
        return cleaned


class TreatmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name or alias", method="filter_q", max_length=100, strip=True
    )
    # Every filter names its label: django-filter derives a missing one from the model only on a
    # FilterSet instance, and the API schema generator reads (and caches) the fields on the class,
    # where the derived label would be None for every later page.
    modality = django_filters.ChoiceFilter(
        label="Modality", choices=Modality.choices, empty_label="Any kind"
    )
    invasiveness = django_filters.ChoiceFilter(
        label="Invasiveness", choices=Invasiveness.choices, empty_label="Any invasiveness"
    )
    min_certainty = django_filters.ChoiceFilter(
        label="Certainty at least",
        choices=CertaintyChoices.choices,
        empty_label="Any certainty",
        method="filter_min_certainty",
    )
    max_cost = BoundedNumberFilter(
        label="Price per session at most",
        method="filter_max_cost",
        min_value=0,
        max_value=MAX_COST,
        decimal_places=2,
        error_messages={
            "invalid": "Enter a price as a plain number, e.g. 150 or 99.50.",
            "min_value": "A price cannot be negative.",
            "max_value": f"Enter a price of at most {MAX_COST:,}.",
            "max_decimal_places": "Use at most two decimals (cents).",
        },
    )
    currency = django_filters.ChoiceFilter(
        label="Currency",
        choices=currency_choices,
        empty_label=None,
        method="filter_noop",
        error_messages={
            "invalid_choice": (
                "“%(value)s” is not a currency code (use ISO 4217, e.g. USD, EUR, GBP)."
            )
        },
    )
    max_downtime = BoundedNumberFilter(
        label="Downtime at most (days)",
        field_name="downtime_days_max",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_DAYS,
        decimal_places=0,
        error_messages={
            "invalid": "Enter a whole number of days, e.g. 7.",
            "min_value": "Downtime cannot be negative.",
            "max_value": f"Enter at most {MAX_DAYS:,} days.",
            "max_decimal_places": "Enter a whole number of days, e.g. 7.",
        },
    )
    max_sessions = BoundedNumberFilter(
        label="Sessions at most",
        field_name="sessions_max",
        lookup_expr="lte",
        min_value=1,
        max_value=MAX_SESSIONS,
        decimal_places=0,
        error_messages={
            "invalid": "Enter a whole number of sessions, e.g. 3.",
            "min_value": "Enter at least 1 session.",
            "max_value": f"Enter at most {MAX_SESSIONS:,} sessions.",
            "max_decimal_places": "Enter a whole number of sessions, e.g. 3.",
        },
    )
    regulatory = django_filters.ChoiceFilter(
        label="Regulatory status",
        choices=RegulatoryStatus.choices,
        empty_label="Any status",
        method="filter_regulatory",
    )
    side_effect = django_filters.ChoiceFilter(
        label="Without this side effect",
        choices=SideEffectKind.choices,
        empty_label="No exclusion",
        method="filter_side_effect",
    )
    ordering = django_filters.ChoiceFilter(
        label="Sort by", choices=ORDERING_CHOICES, empty_label=None, method="filter_noop"
    )

    class Meta:
        form = TreatmentFilterForm
        fields = []

    # Ordering and currency shape the whole query, so they are applied after the filters.
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.apply_ordering(queryset)

    def filter_noop(self, queryset, name, value: str):
        return queryset

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(aliases__icontains=value) | Q(slug__icontains=value)
        )

    def filter_min_certainty(self, queryset, name, value):
        return queryset.filter(certainty_rank__gte=CERTAINTY_RANK[value])

    def filter_max_cost(self, queryset, name, value):
        currency = self.form.cleaned_data.get("currency")
        affordable = CostEstimate.objects.filter(
            treatment=OuterRef("pk"),
            currency=currency,
            unit=CostUnit.PER_SESSION,
            min_amount__lte=value,
        )
        return queryset.filter(Exists(affordable))

    def filter_regulatory(self, queryset, name, value):
        later = RegulatoryEvent.objects.filter(
            treatment=OuterRef("treatment"), region=OuterRef("region"), date__gt=OuterRef("date")
        )
        current = RegulatoryEvent.objects.filter(treatment=OuterRef("pk"), status=value).filter(
            ~Exists(later)
        )
        return queryset.filter(Exists(current))

    def filter_side_effect(self, queryset, name, value):
        return queryset.exclude(
            Exists(SideEffect.objects.filter(treatment=OuterRef("pk"), kind=value))
        )

    def apply_ordering(self, queryset):
        ordering = self.form.cleaned_data.get("ordering") or "name"
        descending = ordering.startswith("-")
        key = ordering.lstrip("-")
        if key == "cost":
            cheapest = CostEstimate.objects.filter(
                treatment=OuterRef("pk"),
                currency=self.form.cleaned_data["currency"],
                unit=CostUnit.PER_SESSION,
            ).order_by("min_amount")
            queryset = queryset.annotate(sort_cost=Subquery(cheapest.values("min_amount")[:1]))
        expression = F(
            {
                "name": "name",
                "certainty": "certainty_rank",
                "cost": "sort_cost",
                "downtime": "downtime_days_max",
            }[key]
        )
        expression = (
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
        return queryset.order_by(expression, "name")

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, label, shown value) for every filter the visitor set and that was valid."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if name == "ordering" or value in (None, "", []):
                continue
            field = self.form.fields[name]
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            active.append((name, str(field.label), str(shown)))
        return active
