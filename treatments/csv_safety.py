"""Spreadsheet-safe CSV cells (OWASP "CSV injection")."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula; other values pass through."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
