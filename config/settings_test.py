"""Test settings: only what tests need differs from config.settings."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # serve from the apps: tests do not run collectstatic
# Each test rolls back its transaction, so on-commit cache invalidation never runs: a shared cache
# would leak pages between tests. Caching tests switch to a real cache explicitly.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
