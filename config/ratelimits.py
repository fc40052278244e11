"""Rate-limit keys and rates (django-ratelimit), read from settings at request time."""

from django.conf import settings


def claim_check_rate(group, request) -> str:
    return settings.CLAIM_CHECK_RATE


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address the last trusted proxy saw."""
    if settings.PROXY_COUNT:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
