from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("studies/<int:pk>/", views.source_detail, name="source-detail"),
]
