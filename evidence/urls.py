from django.urls import path
from django_ratelimit.decorators import ratelimit

from config.caching import cached_page
from config.ratelimits import claim_check_rate

from . import views

app_name = "evidence"

urlpatterns = [
    path("studies/", cached_page(views.source_list), name="source-list"),
    path("studies/<int:pk>/", cached_page(views.source_detail), name="source-detail"),
    path(
        "claims/check/",
        ratelimit(key="ip", rate=claim_check_rate, method="POST", block=True)(views.claim_check),
        name="claim-check",
    ),
]
