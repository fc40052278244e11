from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from evidence.grading import IMPRECISION_THRESHOLD
from treatments import views as treatment_views

urlpatterns = [
    path("", treatment_views.home, name="home"),
    path("", include("treatments.urls")),
    path("", include("evidence.urls")),
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
    path("admin/", admin.site.urls),
]
