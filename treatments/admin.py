from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import Claim

from .admin_workflow import WorkflowAdminMixin
from .models import CostEstimate, RegulatoryEvent, SideEffect, Treatment


class CostEstimateInline(admin.TabularInline):
    model = CostEstimate
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "region",
        "currency",
        "min_amount",
        "max_amount",
        "unit",
        "price_year",
        "source",
        "notes",
    ]


class SideEffectInline(admin.TabularInline):
    model = SideEffect
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "kind",
        "name",
        "frequency",
        "frequency_percent",
        "severity",
        "duration",
        "source",
        "notes",
    ]


class RegulatoryEventInline(admin.TabularInline):
    model = RegulatoryEvent
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["region", "status", "date", "product", "description", "source"]


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["statement", "kind", "claimed_by", "outcome", "is_main", "position", "grade", "edit"]
    readonly_fields = ["grade", "edit"]
    show_change_link = True

    @admin.display(description="Grade")
    def grade(self, claim):
        if not claim.pk:
            return "—"
        certainty = claim.get_certainty_display() or "not graded"
        return f"{claim.get_verdict_display()} · {certainty} certainty"

    @admin.display(description="Findings")
    def edit(self, claim):
        if not claim.pk:
            return "Save first, then add findings."
        url = reverse("admin:evidence_claim_change", args=[claim.pk])
        return format_html('<a href="{}#findings-group">Edit findings</a>', url)


@admin.register(Treatment)
class TreatmentAdmin(WorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "status",
        "modality",
        "invasiveness",
        "headline_certainty",
        "headline_verdict",
        "last_reviewed",
        "updated_at",
    ]
    list_filter = ["status", "modality", "invasiveness", "headline_certainty", "headline_verdict"]
    search_fields = ["name", "slug", "aliases", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [
        "sessions_source",
        "downtime_source",
        "pain_source",
        "results_last_source",
    ]
    readonly_fields = [
        "last_reviewed",
        "reviewed_by",
        "headline_certainty",
        "headline_verdict",
        "headline_effect",
        "created_at",
        "updated_at",
    ]
    list_select_related = False
    date_hierarchy = "updated_at"
    inlines = [ClaimInline, CostEstimateInline, SideEffectInline, RegulatoryEventInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", "summary", "how_it_works"]}),
        ("Kind", {"fields": ["modality", "invasiveness"]}),
        (
            "Sessions and downtime",
            {
                "fields": [
                    ("sessions_min", "sessions_max"),
                    "session_interval",
                    "session_minutes",
                    "sessions_source",
                    ("downtime_days_min", "downtime_days_max"),
                    "downtime_source",
                ]
            },
        ),
        (
            "Experience and durability",
            {
                "fields": [
                    "pain_score",
                    "pain",
                    "pain_source",
                    "results_last",
                    "results_last_months",
                    "results_last_source",
                    "side_effects_status",
                ]
            },
        ),
        ("For visitors", {"fields": ["questions_to_ask"]}),
        (
            "Status and grade",
            {
                "fields": [
                    "status",
                    ("last_reviewed", "reviewed_by"),
                    ("headline_certainty", "headline_verdict", "headline_effect"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]


@admin.register(CostEstimate)
class CostEstimateAdmin(SimpleHistoryAdmin):
    list_display = [
        "treatment",
        "region",
        "currency",
        "min_amount",
        "max_amount",
        "unit",
        "price_year",
    ]
    list_filter = ["region", "currency", "unit", "price_year"]
    search_fields = ["treatment__name", "notes", "source__title"]
    list_select_related = ["treatment"]
    autocomplete_fields = ["treatment", "source"]


@admin.register(SideEffect)
class SideEffectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "treatment", "kind", "frequency", "frequency_percent", "severity"]
    list_filter = ["kind", "frequency", "severity"]
    search_fields = ["name", "treatment__name", "notes"]
    list_select_related = ["treatment"]
    autocomplete_fields = ["treatment", "source"]


@admin.register(RegulatoryEvent)
class RegulatoryEventAdmin(SimpleHistoryAdmin):
    list_display = ["treatment", "region", "status", "date", "product"]
    list_filter = ["region", "status"]
    search_fields = ["treatment__name", "product", "description"]
    list_select_related = ["treatment"]
    autocomplete_fields = ["treatment", "source"]
    date_hierarchy = "date"
