from django.urls import path

from . import views

app_name = "treatments"

urlpatterns = [
    path("treatments/<slug:slug>/", views.treatment_detail, name="detail"),
]
