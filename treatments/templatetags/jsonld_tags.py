"""{% treatment_jsonld %} and {% study_jsonld %}: the pages' schema.org data (treatments.jsonld)."""

from django import template
from django.utils.safestring import mark_safe

from treatments import jsonld

register = template.Library()


@register.simple_tag(takes_context=True)
def treatment_jsonld(context, treatment, claims):
    data = jsonld.treatment_page(treatment, claims, context["request"].build_absolute_uri)
    # Safe: to_script_json escapes <, > and & so the data cannot close the <script>.
    return mark_safe(jsonld.to_script_json(data))


@register.simple_tag(takes_context=True)
def study_jsonld(context, source):
    data = jsonld.study_page(source, context["request"].build_absolute_uri)
    return mark_safe(jsonld.to_script_json(data))
