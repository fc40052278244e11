from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from evidence.exports import source_list_csv
from evidence.grading import IMPRECISION_THRESHOLD
from treatments import views as treatment_views
from treatments.exports import treatment_list_csv
from treatments.feeds import TreatmentChangesFeed
from treatments.sitemaps import SITEMAPS, robots_txt

from .caching import cached_page
from .health import health

urlpatterns = [
    path("", treatment_views.home, name="home"),
    path("", include("treatments.urls")),
    path("", include("evidence.urls")),
    # Open data (README, "Open data"): CSV of the filtered lists, API, sitemap, robots, feed.
    path("treatments/export.csv", cached_page(treatment_list_csv), name="treatment-list-csv"),
    path("studies/export.csv", cached_page(source_list_csv), name="source-list-csv"),
    path("api/", include("api.urls")),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("feeds/changes/", cached_page(TreatmentChangesFeed()), name="feed-changes"),
    path(
        "methodology/",
        TemplateView.as_view(
            template_name="pages/methodology.html",
            extra_context={"imprecision_threshold": IMPRECISION_THRESHOLD},
        ),
        name="methodology",
    ),
    path("about/", TemplateView.as_view(template_name="pages/about.html"), name="about"),
    path(
        "disclaimer/",
        TemplateView.as_view(template_name="pages/disclaimer.html"),
        name="disclaimer",
    ),
    path("healthz", health, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]
