"""/sitemap.xml (every published treatment and study page) and /robots.txt pointing to it."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse

from evidence.models import Source

from .models import Treatment


class TreatmentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Treatment.objects.published().only("slug", "updated_at").order_by("name")

    def lastmod(self, treatment):
        return treatment.updated_at


class StudySitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return Source.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, source):
        return source.updated_at


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    pages = [
        "home",
        "treatments:list",
        "treatments:compare",
        "evidence:source-list",
        "evidence:claim-check",
        "methodology",
        "about",
        "disclaimer",
    ]

    def items(self):
        return self.pages

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "treatments": TreatmentSitemap, "studies": StudySitemap}


def robots_txt(request):
    admin_path = "/" + getattr(settings, "ADMIN_URL", "admin/")
    lines = [
        "User-agent: *",
        f"Disallow: {admin_path}",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
