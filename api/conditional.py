"""Server-side caching and ETags for API responses, keyed on the shared data version that every
curator change bumps (config/caching.py).

Cheap (one cache round trip, no query) and exact: the same URL and media type under the same data
version is the same JSON. A `Last-Modified` is not sent: no single timestamp moves when a price,
a side effect or a grade changes, so one would promise freshness it cannot keep.
"""

from django.utils.cache import get_conditional_response

from config.caching import KEPT_HEADERS, mark_revalidatable, page_slot


class ETagMixin:
    """For GET views: 304 when the client's copy is current; else the stored JSON if this URL
    was already rendered under the current data version; else render, store and send."""

    # Not a docstring: drf-spectacular would publish it as every operation's description.
    def get(self, request, *args, **kwargs):
        # Runs after DRF's throttles, so revalidations and cached answers count too.
        slot = page_slot(request, "api", request.accepted_media_type or "")
        not_modified = get_conditional_response(request, etag=slot.etag)
        if not_modified is not None:
            return mark_revalidatable(not_modified, slot.etag)
        if slot.stored is not None:
            return mark_revalidatable(slot.response(), slot.etag)
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        # Render now (DRF would at the end of dispatch) so the bytes can be stored.
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        slot.store(response.content, {h: response[h] for h in KEPT_HEADERS if h in response})
        return mark_revalidatable(response, slot.etag)
