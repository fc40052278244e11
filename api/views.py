"""The read-only JSON API: thin views over the same QuerySets and FilterSets as the HTML pages."""

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from evidence.claim_check import check_text
from evidence.filters import SourceFilter
from evidence.models import Claim, Finding, Outcome, Source
from treatments.currencies import iso_currency_codes
from treatments.filters import TreatmentFilter
from treatments.models import Treatment

from . import serializers as s
from .conditional import ETagMixin
from .filters import ClaimFilter
from .throttles import AnonymousRateThrottle, ClaimCheckRateThrottle

# Documentation only: the currency filter's choices are computed, so drf-spectacular cannot see
# them (and would warn, failing `check --deploy`). Typing `filter_noop(..., value: str)` in
# treatments/filters.py would make this unnecessary.
extend_schema_field({"type": "string", "enum": sorted(iso_currency_codes())})(
    TreatmentFilter.base_filters["currency"]
)

THROTTLED = OpenApiResponse(
    s.DetailErrorSerializer, description="Too many requests: wait and retry."
)
NOT_FOUND = OpenApiResponse(s.DetailErrorSerializer, description="No published record here.")
LIST_ERRORS = {
    400: OpenApiResponse(
        s.ValidationErrorSerializer, description="A filter or page size is not valid."
    ),
    404: OpenApiResponse(s.DetailErrorSerializer, description="No such page of results."),
    429: THROTTLED,
}
DETAIL_ERRORS = {404: NOT_FOUND, 429: THROTTLED}


class ReadOnlyView(ETagMixin):
    """GET views: one value per query parameter, and an ETag on the answer."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Django would silently keep the last of `?modality=a&modality=b`; an API says so.
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise exceptions.ValidationError(
                {name: ["Give this parameter once."] for name in repeated}
            )


@extend_schema(
    summary="Where everything is",
    tags=["index"],
    responses={
        200: inline_serializer(
            "ApiRoot",
            {
                name: serializers.URLField()
                for name in (
                    "treatments",
                    "claims",
                    "claim_check",
                    "studies",
                    "outcomes",
                    "schema",
                    "docs",
                )
            },
        ),
        429: THROTTLED,
    },
)
class ApiRoot(APIView):
    def get(self, request):
        names = {
            "treatments": "api:treatment-list",
            "claims": "api:claim-list",
            "claim_check": "api:claim-check",
            "studies": "api:study-list",
            "outcomes": "api:outcome-list",
            "schema": "api:schema",
            "docs": "api:docs",
        }
        return Response(
            {key: request.build_absolute_uri(reverse(name)) for key, name in names.items()}
        )


@extend_schema(
    summary="Published treatments",
    description="The same filters, with the same meaning and errors, as the `/treatments/` page. "
    "`max_cost` and sorting by `cost` need a `currency`: prices are never converted.",
    responses={200: s.TreatmentSerializer(many=True), **LIST_ERRORS},
)
class TreatmentList(ReadOnlyView, generics.ListAPIView):
    serializer_class = s.TreatmentSerializer
    filterset_class = TreatmentFilter

    def get_queryset(self):
        return Treatment.objects.published().for_listing()


@extend_schema(
    summary="One treatment, with its claims, costs, side effects and regulatory history",
    responses={200: s.TreatmentDetailSerializer, **DETAIL_ERRORS},
)
class TreatmentDetail(ReadOnlyView, generics.RetrieveAPIView):
    serializer_class = s.TreatmentDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Treatment.objects.published().for_detail()


class ClaimQueryMixin:
    def get_queryset(self):
        return (
            Claim.objects.public()
            .select_related("treatment", "outcome")
            .prefetch_related(
                Prefetch("findings", queryset=Finding.objects.from_published_sources())
            )
        )


@extend_schema(
    summary="Claims about published treatments, with verdict, certainty and effect",
    responses={200: s.ClaimSerializer(many=True), **LIST_ERRORS},
)
class ClaimList(ClaimQueryMixin, ReadOnlyView, generics.ListAPIView):
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter


@extend_schema(
    summary="One claim, with every finding and the reasons for its grade",
    responses={200: s.ClaimDetailSerializer, **DETAIL_ERRORS},
)
class ClaimDetail(ClaimQueryMixin, ReadOnlyView, generics.RetrieveAPIView):
    serializer_class = s.ClaimDetailSerializer


class StudyQueryMixin:
    def get_queryset(self):
        return Source.objects.for_study_pages()


@extend_schema(
    summary="Published studies and documents",
    description="The same filters as the `/studies/` page.",
    responses={200: s.StudySerializer(many=True), **LIST_ERRORS},
)
class StudyList(StudyQueryMixin, ReadOnlyView, generics.ListAPIView):
    serializer_class = s.StudySerializer
    filterset_class = SourceFilter  # filters and orders exactly like /studies/


@extend_schema(
    summary="One study, with what it found about each claim",
    responses={200: s.StudyDetailSerializer, **DETAIL_ERRORS},
)
class StudyDetail(StudyQueryMixin, ReadOnlyView, generics.RetrieveAPIView):
    serializer_class = s.StudyDetailSerializer


@extend_schema(
    summary="Outcomes the published claims are about, with the scales that measure them",
    responses={200: s.OutcomeSerializer(many=True), **LIST_ERRORS},
)
class OutcomeList(ReadOnlyView, generics.ListAPIView):
    serializer_class = s.OutcomeSerializer
    filter_backends = []

    def get_queryset(self):
        in_use = Claim.objects.public().filter(outcome=OuterRef("pk"))
        return Outcome.objects.filter(Exists(in_use)).order_by("name")


class WrongContentType(exceptions.ParseError):
    default_detail = 'Send JSON: a "Content-Type: application/json" body like {"text": "..."}.'


@extend_schema(
    summary="Find the known claims in a piece of marketing text",
    description="The claim checker of `/claims/check/`, with the same limits and messages. "
    "Each match gives the claim, where it was found in your text and what the evidence says.",
    request=s.ClaimCheckSerializer,
    responses={
        200: s.ClaimCheckResultSerializer,
        400: OpenApiResponse(
            s.ValidationErrorSerializer,
            description="Empty or too long text, or a body that is not a JSON object. "
            "A body that is not JSON at all gets only `detail`.",
        ),
        429: THROTTLED,
    },
)
class ClaimCheck(APIView):
    throttle_classes = [AnonymousRateThrottle, ClaimCheckRateThrottle]

    def post(self, request):
        if request.content_type.split(";")[0].strip().lower() != "application/json":
            raise WrongContentType()
        request_data = s.ClaimCheckSerializer(data=request.data)
        request_data.is_valid(raise_exception=True)
        text = request_data.validated_data["text"]
        result, reports = check_text(text)
        claims = {report.claim.pk: report.claim for report in reports}
        matches = [self._match(match, claims[match.claim_id]) for match in result.matches]
        return Response(
            s.ClaimCheckResultSerializer(
                {
                    "matches": matches,
                    "treatments_named": list(result.treatments_named),
                    "no_treatment_named": result.no_treatment_named,
                }
            ).data
        )

    def _match(self, match, claim) -> dict:
        return {
            "claim_id": claim.pk,
            "statement": claim.statement,
            "treatment": match.treatment_slug,
            "matched_text": match.matched_text,
            "start": match.start,
            "end": match.end,
            "verdict": claim.verdict,
            "certainty": claim.certainty,
            "effect": claim.effect,
            "source_ids": [finding.source_id for finding in claim.findings.all()],
            "claim_url": self.request.build_absolute_uri(
                reverse("api:claim-detail", args=[claim.pk])
            ),
            "page_url": self.request.build_absolute_uri(claim.get_absolute_url()),
        }


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def not_found(request):
    raise exceptions.NotFound()
