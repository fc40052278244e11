"""Atom feed of changes to published treatments (/feeds/changes/)."""

from django.contrib.syndication.views import Feed
from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Treatment

FEED_SIZE = 50


class TreatmentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Cellucheck: treatment updates"
    subtitle = "Published cellulite treatments, most recently changed first: edits and regrades."
    link = reverse_lazy("treatments:list")
    feed_url = reverse_lazy("feed-changes")
    author_name = "Cellucheck editorial team"

    def items(self):
        """One query. A regrade changes a claim's graded_at, not the treatment's updated_at."""
        latest_grade = Coalesce(Max("claims__graded_at"), F("updated_at"))
        return (
            Treatment.objects.published()
            .annotate(changed_at=Greatest(F("updated_at"), latest_grade))
            .order_by("-changed_at", "name")[:FEED_SIZE]
        )

    def item_title(self, treatment):
        return treatment.name

    def item_description(self, treatment):
        certainty = treatment.get_headline_certainty_display() or "not graded"
        return (
            f"{treatment.summary} On cellulite: {treatment.get_headline_verdict_display()}; "
            f"certainty of the evidence {certainty.lower()}."
        )

    def item_updateddate(self, treatment):
        return treatment.changed_at

    def item_pubdate(self, treatment):
        return treatment.created_at
