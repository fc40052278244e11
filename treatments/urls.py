from django.urls import path

from config.caching import cached_page

from . import views

app_name = "treatments"

urlpatterns = [
    path("treatments/", cached_page(views.treatment_list), name="list"),
    path("treatments/<slug:slug>/", cached_page(views.treatment_detail), name="detail"),
    path("compare/", cached_page(views.compare), name="compare"),
]
