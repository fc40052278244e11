from django.contrib import admin
from django.urls import include, path

from treatments import views as treatment_views

urlpatterns = [
    path("", treatment_views.home, name="home"),
    path("", include("treatments.urls")),
    path("", include("evidence.urls")),
    path("admin/", admin.site.urls),
]
