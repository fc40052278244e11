"""Filters for the API's own lists. Treatments and studies reuse the HTML pages' FilterSets."""

import django_filters

from evidence.choices import CertaintyChoices, ClaimKind, VerdictChoices


class ClaimFilter(django_filters.FilterSet):
    treatment = django_filters.CharFilter(
        field_name="treatment__slug", max_length=120, label="Treatment slug"
    )
    outcome = django_filters.CharFilter(
        field_name="outcome__slug", max_length=120, label="Outcome slug"
    )
    kind = django_filters.ChoiceFilter(choices=ClaimKind.choices)
    verdict = django_filters.ChoiceFilter(choices=VerdictChoices.choices)
    certainty = django_filters.ChoiceFilter(choices=CertaintyChoices.choices)
