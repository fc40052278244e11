import django_filters
from django.db.models import F

from treatments.filters import BoundedNumberFilter
from treatments.models import Treatment

from .choices import DesignChoices


def published_treatments(request=None):
    return Treatment.objects.published().only("name", "slug")


class SourceFilter(django_filters.FilterSet):
    # Explicit labels: see treatments.filters.TreatmentFilter.
    design = django_filters.ChoiceFilter(
        label="Design", choices=DesignChoices.choices, empty_label="Any design"
    )
    treatment = django_filters.ModelChoiceFilter(
        label="Treatment",
        queryset=published_treatments,
        to_field_name="slug",
        field_name="findings__claim__treatment",
        empty_label="Any treatment",
        distinct=True,
        error_messages={"invalid_choice": "We have no published treatment with that name."},
    )
    year = BoundedNumberFilter(
        label="Year",
        min_value=1900,
        max_value=2100,
        decimal_places=0,
        error_messages={
            "invalid": "Enter a year, e.g. 2019.",
            "min_value": "Enter a year from 1900 on.",
            "max_value": "Enter a year up to 2100.",
            "max_decimal_places": "Enter a year, e.g. 2019.",
        },
    )
    # Newest first is the default, so it is listed first (an unset select shows it).
    ordering = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[("-year", "Year (newest first)"), ("year", "Year (oldest first)")],
        empty_label=None,
        method="order_after_filtering",
    )

    def order_after_filtering(self, queryset, name, value):
        return queryset  # applied in filter_queryset, after every filter

    def filter_queryset(self, queryset):
        """Filter, then order by year: the page, its CSV and the API share this order.

        Sources without a year come last on every database; ties are broken by title and id so
        that pages never overlap.
        """
        queryset = super().filter_queryset(queryset)
        year = F("year")
        if self.form.cleaned_data.get("ordering") == "year":
            year = year.asc(nulls_last=True)
        else:
            year = year.desc(nulls_last=True)
        return queryset.order_by(year, "title", "pk")

    class Meta:
        model = None
        fields = []
