import pytest
from django.core.cache import cache


@pytest.fixture
def api_cache(settings):
    """A real cache: throttling and ETags need one (the test settings use a dummy)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    }
    cache.clear()
    yield
    cache.clear()
