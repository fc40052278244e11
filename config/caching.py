"""Page caching keyed on a data version that every curator change bumps.

The version lives in the cache itself, so with REDIS_URL every worker and every app server reads
the same one: a publish on one server is served fresh by all the others on the next request. It
is bumped after the transaction commits, so no request can cache the old data under the new
version. Cached pages are revalidated by ETag on every request (max-age=0), so browsers never
keep a stale copy either.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

DATA_VERSION_KEY = "data-version"
PAGE_TIMEOUT = 24 * 3600
# Headers worth keeping with a cached body; security headers are added fresh by middleware.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def data_version() -> str:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # add() keeps a version another process set in the meantime.
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY) or uuid.uuid4().hex
    return version


def bump_data_version() -> None:
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_after_commit(sender=None, **kwargs) -> None:
    transaction.on_commit(bump_data_version)


def connect_curation_signals(models) -> None:
    for model in models:
        uid = f"bump_data_version_{model._meta.label_lower}"
        post_save.connect(bump_after_commit, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(bump_after_commit, sender=model, dispatch_uid=uid + "_delete")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class CachedPage:
    """One URL's cache slot: the current version, its ETag and the stored copy if still valid."""

    key: str
    version: str
    etag: str
    stored: tuple[bytes, dict] | None

    def store(self, body: bytes, headers: dict) -> None:
        # Tagged with the version read *before* rendering: if a curator commits meanwhile, the
        # tag no longer matches and the next request renders afresh. Never stale, never wrong.
        cache.set(self.key, (self.version, body, headers), PAGE_TIMEOUT)
        _local.put(self.key, self.version, (body, headers))

    def response(self) -> HttpResponse:
        body, headers = self.stored
        response = HttpResponse(body)
        for name, value in headers.items():
            response[name] = value
        return response


class _LocalCopies:
    """A small per-process copy of recently served pages, keyed by (slot key, data version).

    The version is still read from the shared cache on every request, so a copy is only used
    while it is current; what this saves is fetching and unpickling the body each time.
    """

    def __init__(self, size: int = 256):
        self.size = size
        self.copies: OrderedDict[tuple[str, str], tuple[bytes, dict]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: str):
        with self.lock:
            copy = self.copies.get((key, version))
            if copy is not None:
                self.copies.move_to_end((key, version))
            return copy

    def put(self, key: str, version: str, copy: tuple[bytes, dict]) -> None:
        with self.lock:
            self.copies[(key, version)] = copy
            while len(self.copies) > self.size:
                self.copies.popitem(last=False)


_local = _LocalCopies()


def page_slot(request, *variant: str) -> CachedPage:
    """The data version, and this URL's stored copy if it is still current.

    One small cache read when this process served the page under this version already; one more
    (the body) otherwise. The host is part of the key (feeds, sitemap and JSON-LD contain absolute
    URLs); `variant` separates representations of one URL (e.g. the API's media type).
    """
    address = (request.get_host() + request.get_full_path(), *variant)
    key = "page:" + _digest(*address)
    version = data_version()
    stored = _local.get(key, version)
    if stored is None:
        entry = cache.get(key)
        if entry is not None and entry[0] == version:
            stored = entry[1:]
            _local.put(key, version, stored)
    return CachedPage(key, version, quote_etag(_digest(version, *address)), stored)


def mark_revalidatable(response, etag: str):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def cached_page(view):
    """Cache a public GET view's 200 responses per data version and full URL, with an ETag.

    Only for pages whose content does not depend on the visitor (no forms with CSRF tokens, no
    per-user content).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        slot = page_slot(request)
        not_modified = get_conditional_response(request, etag=slot.etag)
        if not_modified is not None:
            return mark_revalidatable(not_modified, slot.etag)
        if slot.stored is not None:
            return mark_revalidatable(slot.response(), slot.etag)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if callable(getattr(response, "render", None)):
            response.render()
        slot.store(response.content, {h: response[h] for h in KEPT_HEADERS if h in response})
        return mark_revalidatable(response, slot.etag)

    return wrapper
