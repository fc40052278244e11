"""Throttles for anonymous API use (rates in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

DRF's own classes copy the rates once, at import; these read them on every request, so a test can
override the setting.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class ClaimCheckRateThrottle(AnonymousRateThrottle):
    """The claim checker's own, smaller budget (it does the most work per request)."""

    scope = "claim_check"
