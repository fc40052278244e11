import django_filters

from treatments.models import Treatment

from .choices import DesignChoices


def published_treatments(request=None):
    return Treatment.objects.published().only("name", "slug")


class SourceFilter(django_filters.FilterSet):
    design = django_filters.ChoiceFilter(choices=DesignChoices.choices, empty_label="Any design")
    treatment = django_filters.ModelChoiceFilter(
        queryset=published_treatments,
        to_field_name="slug",
        field_name="findings__claim__treatment",
        empty_label="Any treatment",
        distinct=True,
        error_messages={"invalid_choice": "We have no published treatment with that name."},
    )
    year = django_filters.NumberFilter(min_value=1900, max_value=2100, decimal_places=0)
    ordering = django_filters.OrderingFilter(
        fields=(("year", "year"),),
        field_labels={"year": "Year (oldest first)", "-year": "Year (newest first)"},
        empty_label=None,
        label="Sort by",
    )

    class Meta:
        model = None
        fields = []
