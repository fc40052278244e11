from django.urls import path

from . import views

app_name = "treatments"

urlpatterns = [
    path("treatments/", views.treatment_list, name="list"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="detail"),
    path("compare/", views.compare, name="compare"),
]
