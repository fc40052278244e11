from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("studies/", views.source_list, name="source-list"),
    path("studies/<int:pk>/", views.source_detail, name="source-detail"),
    path("claims/check/", views.claim_check, name="claim-check"),
]
