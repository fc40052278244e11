"""Every API error is JSON with a `detail` message; validation errors add `errors` per field."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

INVALID_INPUT = "The request is not valid: see `errors` for what to change."


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = {"detail": INVALID_INPUT, "errors": errors}
    return response
