"""JSON shapes of the public API. Field names are part of the contract: add, never rename.

Enumerations are sent as their stable codes (e.g. `"very_low"`); a missing grade is `null`. Every
record links to its API URL (`url`) and to its page on the site (`page_url`). A source id is given
only when that source is published (it then has an `/api/studies/<id>/` record).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence.choices import CertaintyChoices, EffectChoices, VerdictChoices
from evidence.forms import CHECK_TEXT_LIMIT, ClaimCheckForm
from evidence.models import Claim, Finding, Outcome, Source
from treatments.choices import EditorialStatus
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect, Treatment
from treatments.regulatory import current_by_region


def published_id(source) -> int | None:
    return source.pk if source is not None and source.status == EditorialStatus.PUBLISHED else None


def absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class NullableCertaintyField(serializers.ChoiceField):
    """Certainty is blank in the database when nothing was graded; the API says `null`."""

    def __init__(self, **kwargs):
        super().__init__(CertaintyChoices.choices, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalURLField(serializers.URLField):
    """A blank URL in the database is `null` in the API, never an empty string."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class LinkedSerializer(serializers.Serializer):
    """Adds `url` (API) and `page_url` (site) from `api_view_name` and `get_absolute_url`."""

    api_view_name = ""
    url = serializers.SerializerMethodField(help_text="This record in the API.")
    page_url = serializers.SerializerMethodField(help_text="This record's page on the site.")

    def api_lookup(self, obj):
        return obj.pk

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self, reverse(self.api_view_name, args=[self.api_lookup(obj)]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
        return absolute(self, obj.get_absolute_url())


# -- treatments -----------------------------------------------------------------------------------


class PriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostEstimate
        fields = ["region", "currency", "min_amount", "max_amount", "unit", "price_year"]


class CostSerializer(PriceSerializer):
    source_id = serializers.SerializerMethodField()

    class Meta(PriceSerializer.Meta):
        fields = [*PriceSerializer.Meta.fields, "notes", "source_id"]

    def get_source_id(self, cost) -> int | None:
        return published_id(cost.source)


class RegulatoryStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegulatoryEvent
        fields = ["region", "status", "date", "product"]


class RegulatoryEventSerializer(RegulatoryStatusSerializer):
    source_id = serializers.SerializerMethodField()

    class Meta(RegulatoryStatusSerializer.Meta):
        fields = [*RegulatoryStatusSerializer.Meta.fields, "description", "source_id"]

    def get_source_id(self, event) -> int | None:
        return published_id(event.source)


class SideEffectSerializer(serializers.ModelSerializer):
    source_id = serializers.SerializerMethodField()

    class Meta:
        model = SideEffect
        fields = [
            "kind",
            "name",
            "frequency",
            "frequency_percent",
            "severity",
            "duration",
            "source_id",
        ]

    def get_source_id(self, effect) -> int | None:
        return published_id(effect.source)


class TreatmentSerializer(LinkedSerializer, serializers.ModelSerializer):
    api_view_name = "api:treatment-detail"
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    headline_certainty = NullableCertaintyField(
        help_text="Certainty of the evidence on the main claim (cellulite appearance)."
    )
    prices = PriceSerializer(many=True, source="costs.all")
    regulatory_status = serializers.SerializerMethodField(
        help_text="The latest regulatory event in each region."
    )

    class Meta:
        model = Treatment
        fields = [
            "slug",
            "name",
            "url",
            "page_url",
            "aliases",
            "summary",
            "modality",
            "invasiveness",
            "headline_verdict",
            "headline_certainty",
            "headline_effect",
            "sessions_min",
            "sessions_max",
            "downtime_days_min",
            "downtime_days_max",
            "pain_score",
            "results_last_months",
            "last_reviewed",
            "prices",
            "regulatory_status",
        ]

    def api_lookup(self, treatment):
        return treatment.slug

    @extend_schema_field(RegulatoryStatusSerializer(many=True))
    def get_regulatory_status(self, treatment):
        current = current_by_region(treatment.regulatory_events.all())
        return RegulatoryStatusSerializer(current, many=True).data


class FindingSerializer(serializers.ModelSerializer):
    """One study's result on a claim."""

    class Meta:
        model = Finding
        fields = ["source_id", "direction", "effect_size", "effect_text", "indirect"]


class ClaimSerializer(LinkedSerializer, serializers.ModelSerializer):
    api_view_name = "api:claim-detail"
    treatment = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outcome = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    certainty = NullableCertaintyField()
    source_ids = serializers.SerializerMethodField(
        help_text="Published studies graded for this claim."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "page_url",
            "treatment",
            "statement",
            "kind",
            "claimed_by",
            "outcome",
            "is_main",
            "verdict",
            "certainty",
            "effect",
            "study_counts",
            "participants_total",
            "source_ids",
        ]

    def get_source_ids(self, claim) -> list[int]:
        return [finding.source_id for finding in claim.findings.all()]


class GradingStepSerializer(serializers.Serializer):
    domain = serializers.CharField()
    change = serializers.IntegerField(help_text="Levels up (+) or down (−) the certainty moved.")
    reason = serializers.CharField()


class ClaimDetailSerializer(ClaimSerializer):
    phrases = serializers.ListField(child=serializers.CharField(), source="phrase_list")
    computed_certainty = NullableCertaintyField()
    is_overridden = serializers.BooleanField()
    grading_reasons = GradingStepSerializer(many=True)
    findings = FindingSerializer(many=True, source="findings.all")

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields,
            "summary",
            "phrases",
            "computed_verdict",
            "computed_certainty",
            "computed_effect",
            "is_overridden",
            "override_rationale",
            "grading_reasons",
            "graded_at",
            "findings",
        ]


class TreatmentClaimSerializer(ClaimDetailSerializer):
    """A claim inside a treatment record (the treatment is the parent)."""

    class Meta(ClaimDetailSerializer.Meta):
        fields = [f for f in ClaimDetailSerializer.Meta.fields if f != "treatment"]


class TreatmentDetailSerializer(TreatmentSerializer):
    questions_to_ask = serializers.ListField(child=serializers.CharField(), source="question_list")
    reviewed_by = serializers.SerializerMethodField()
    sessions_source_id = serializers.SerializerMethodField()
    downtime_source_id = serializers.SerializerMethodField()
    pain_source_id = serializers.SerializerMethodField()
    results_last_source_id = serializers.SerializerMethodField()
    claims = TreatmentClaimSerializer(many=True, source="claims.all")
    costs = CostSerializer(many=True, source="costs.all")
    side_effects = SideEffectSerializer(many=True, source="side_effects.all")
    regulatory_events = RegulatoryEventSerializer(many=True, source="regulatory_events.all")

    class Meta(TreatmentSerializer.Meta):
        fields = [
            *TreatmentSerializer.Meta.fields,
            "how_it_works",
            "session_interval",
            "session_minutes",
            "sessions_source_id",
            "downtime_source_id",
            "pain",
            "pain_source_id",
            "results_last",
            "results_last_source_id",
            "reviewed_by",
            "questions_to_ask",
            "claims",
            "costs",
            "side_effects_status",
            "side_effects",
            "regulatory_events",
        ]
        extra_kwargs = {
            "side_effects_status": {
                "help_text": "`none_reported`: the studies reported none; `no_data`: no source "
                "we reviewed reports on side effects (which does not mean there are none)."
            }
        }

    def get_reviewed_by(self, treatment) -> str | None:
        user = treatment.reviewed_by
        return (user.get_full_name() or user.get_username()) if user else None

    def get_sessions_source_id(self, treatment) -> int | None:
        return published_id(treatment.sessions_source)

    def get_downtime_source_id(self, treatment) -> int | None:
        return published_id(treatment.downtime_source)

    def get_pain_source_id(self, treatment) -> int | None:
        return published_id(treatment.pain_source)

    def get_results_last_source_id(self, treatment) -> int | None:
        return published_id(treatment.results_last_source)


# -- studies and outcomes -------------------------------------------------------------------------


class StudySerializer(LinkedSerializer, serializers.ModelSerializer):
    api_view_name = "api:study-detail"
    web_url = OptionalURLField(source="url", help_text="Where a document can be read.")
    treatments = serializers.SerializerMethodField(
        help_text="Slugs of the published treatments this study is cited for."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "page_url",
            "title",
            "authors",
            "year",
            "journal",
            "doi",
            "pmid",
            "web_url",
            "design",
            "participants",
            "followup_weeks",
            "outcome_measure",
            "funding",
            "funding_note",
            "risk_of_bias",
            "plain_finding",
            "treatments",
        ]

    def get_treatments(self, source) -> list[str]:
        return list(dict.fromkeys(f.claim.treatment.slug for f in source.findings.all()))


class StudyFindingSerializer(serializers.ModelSerializer):
    """What this study found about one claim."""

    claim_id = serializers.IntegerField()
    statement = serializers.CharField(source="claim.statement")
    treatment = serializers.CharField(source="claim.treatment.slug")

    class Meta:
        model = Finding
        fields = [
            "claim_id",
            "statement",
            "treatment",
            "direction",
            "effect_size",
            "effect_text",
            "indirect",
        ]


class StudyDetailSerializer(StudySerializer):
    findings = StudyFindingSerializer(many=True, source="findings.all")

    class Meta(StudySerializer.Meta):
        fields = [*StudySerializer.Meta.fields, "findings"]


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = ["slug", "name", "description", "scales"]


# -- claim checker --------------------------------------------------------------------------------

_form_messages = ClaimCheckForm.base_fields["text"].error_messages


class StrictCharField(serializers.CharField):
    """Text must be a JSON string: DRF would turn 42 or true into "42" or "True"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ClaimCheckSerializer(serializers.Serializer):
    # The HTML checker's messages, word for word (the max_length one is filled in by Django).
    # Not trimmed: match offsets count from the first character sent.
    text = StrictCharField(
        max_length=CHECK_TEXT_LIMIT,
        trim_whitespace=False,
        help_text=f"The marketing text to check, up to {CHECK_TEXT_LIMIT:,} characters.",
        error_messages={
            "required": _form_messages["required"],
            "blank": _form_messages["required"],
            "null": _form_messages["required"],
            "max_length": _form_messages["max_length"],
            # Braces doubled: DRF formats these messages with str.format().
            "invalid": 'Send the text as a JSON string: {{"text": "..."}}.',
        },
    )

    def validate_text(self, text: str) -> str:
        if not text.strip():
            raise serializers.ValidationError(_form_messages["required"])
        return text


class ClaimMatchSerializer(serializers.Serializer):
    claim_id = serializers.IntegerField()
    statement = serializers.CharField()
    treatment = serializers.CharField(help_text="Slug of the treatment the claim is about.")
    matched_text = serializers.CharField(help_text="Equal to text[start:end].")
    start = serializers.IntegerField(
        help_text="Offset of the match in the text sent, in Unicode code points (not UTF-16)."
    )
    end = serializers.IntegerField(help_text="Offset just after the match.")
    verdict = serializers.ChoiceField(VerdictChoices.choices)
    certainty = NullableCertaintyField()
    effect = serializers.ChoiceField(EffectChoices.choices)
    source_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Published studies graded for this claim."
    )
    claim_url = serializers.URLField(help_text="The claim in the API.")
    page_url = serializers.URLField(help_text="The claim on its treatment's page.")


class ClaimCheckResultSerializer(serializers.Serializer):
    matches = ClaimMatchSerializer(many=True, help_text="Ordered by where they start.")
    treatments_named = serializers.ListField(
        child=serializers.CharField(), help_text="Slugs, in order of first mention."
    )
    no_treatment_named = serializers.BooleanField(
        help_text="True when no treatment is named: each claim is then matched for every "
        "treatment it is made about."
    )


# -- errors (documentation only) ------------------------------------------------------------------


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(DetailErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per parameter or field (absent when the body is not JSON at all).",
    )
