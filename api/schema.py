"""OpenAPI adjustments drf-spectacular cannot infer (a POSTPROCESSING_HOOKS entry)."""

# DRF reads an empty `page` as page 1 (as the HTML pages do); `page_size` must be a number.
NOT_BLANK = {"page_size"}
BLANK = {"type": "string", "enum": [""]}


def blank_means_any(result, generator, request, public):
    """An empty value means "any", as the HTML forms send it (`?modality=&q=meso`).

    The API accepts the URLs of the site's own pages, so the schema says so: every filter
    parameter also takes the empty string.
    """
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query" or parameter["name"] in NOT_BLANK:
                    continue
                schema = parameter["schema"]
                if schema.get("type") == "array":  # e.g. `ordering` of the studies
                    schema = schema["items"]
                if "enum" in schema and schema.get("type") == "string":
                    schema["enum"] = ["", *[v for v in schema["enum"] if v != ""]]
                elif schema.get("type") in ("number", "integer"):
                    parameter["schema"] = {"anyOf": [schema, BLANK]}
                parameter["description"] = (
                    parameter.get("description", "") + "\n\nEmpty: the default (no filter, page 1)."
                ).strip()
    return result
