from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("treatments/", views.TreatmentList.as_view(), name="treatment-list"),
    path("treatments/<slug:slug>/", views.TreatmentDetail.as_view(), name="treatment-detail"),
    path("claims/", views.ClaimList.as_view(), name="claim-list"),
    path("claims/check/", views.ClaimCheck.as_view(), name="claim-check"),
    path("claims/<int:pk>/", views.ClaimDetail.as_view(), name="claim-detail"),
    path("studies/", views.StudyList.as_view(), name="study-list"),
    path("studies/<int:pk>/", views.StudyDetail.as_view(), name="study-detail"),
    path("outcomes/", views.OutcomeList.as_view(), name="outcome-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from local static files; the split view keeps its script out of the page (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Any other /api/…/ address: a JSON 404, not the site's HTML page. (Only paths ending in a
    # slash, so that APPEND_SLASH still redirects /api/treatments to /api/treatments/.)
    re_path(r"^[\s\S]*/$", views.not_found, name="not-found"),
]
