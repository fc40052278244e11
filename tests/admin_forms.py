"""Build admin POST bodies the way a browser would, from the form Django rendered."""


def _initial_value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def admin_post_data(response, **overrides) -> dict:
    """The add/change form's current values plus every inline's management form."""
    data = {}
    adminform = response.context["adminform"]
    for field in adminform.form:
        value = _initial_value(field)
        if value != "":
            data[field.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for form in formset.initial_forms:
            for field in form:
                value = _initial_value(field)
                if value != "":
                    data[field.html_name] = value
    data.update(overrides)
    return data


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to an inline formset (prefix e.g. "costs")."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data
