from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from treatments.admin_workflow import WorkflowAdminMixin

from .admin_citations import CitationAdminMixin
from .forms import SourceAdminForm
from .models import Claim, Finding, Outcome, Source


@admin.register(Source)
class SourceAdmin(CitationAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    form = SourceAdminForm
    # "Import citations" is a link on the list page (templates/admin/evidence/source/).
    actions = [*WorkflowAdminMixin.actions, *CitationAdminMixin.actions]
    list_display = ["title", "year", "design", "doi", "pmid", "participants", "funding", "status"]
    list_filter = ["status", "design", "funding", "risk_of_bias", "year"]
    search_fields = ["title", "doi", "pmid", "authors", "journal", "url"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "authors", "year", "journal"]}),
        ("Identifiers", {"fields": ["doi", "pmid", "url", "verified_from"]}),
        (
            "Study",
            {
                "fields": [
                    "design",
                    "participants",
                    "followup_weeks",
                    "outcome_measure",
                    "risk_of_bias",
                    "funding",
                    "funding_note",
                    "plain_finding",
                ]
            },
        ),
        ("Status", {"fields": ["status", ("created_at", "updated_at")]}),
    ]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "scales"]
    search_fields = ["name", "scales", "description"]
    prepopulated_fields = {"slug": ["name"]}


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "direction", "effect_size", "effect_text", "indirect", "notes"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = [
        "statement",
        "treatment",
        "kind",
        "is_main",
        "verdict",
        "certainty",
        "is_overridden",
    ]
    list_filter = ["verdict", "certainty", "kind", "is_main", "treatment__status", "treatment"]
    search_fields = ["statement", "phrases", "summary", "treatment__name"]
    list_select_related = ["treatment"]
    autocomplete_fields = ["treatment", "outcome"]
    inlines = [FindingInline]
    readonly_fields = [
        "computed_certainty",
        "computed_verdict",
        "computed_effect",
        "reasons",
        "study_counts",
        "participants_total",
        "certainty",
        "verdict",
        "effect",
        "graded_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "treatment",
                    "statement",
                    "phrases",
                    "kind",
                    "claimed_by",
                    "outcome",
                    "is_main",
                    "position",
                    "summary",
                ]
            },
        ),
        (
            "Computed grade (from the findings below; recomputed on every change)",
            {
                "fields": [
                    ("computed_verdict", "computed_certainty", "computed_effect"),
                    "reasons",
                    "study_counts",
                    "participants_total",
                    "graded_at",
                ]
            },
        ),
        (
            "Override (needs a written rationale)",
            {"fields": ["verdict_override", "certainty_override", "override_rationale"]},
        ),
        ("Shown to the public", {"fields": [("verdict", "certainty", "effect")]}),
    ]

    @admin.display(boolean=True, description="Overridden")
    def is_overridden(self, claim):
        return claim.is_overridden

    @admin.display(description="Reasons")
    def reasons(self, claim):
        return format_html_join(
            "\n", "<p>{}</p>", ((step.get("reason", ""),) for step in claim.grading_reasons)
        )


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "claim", "source", "direction", "effect_size", "indirect"]
    list_filter = ["direction", "effect_size", "indirect", "source__design"]
    search_fields = ["claim__statement", "source__title", "source__doi", "notes"]
    list_select_related = ["claim", "source"]
    autocomplete_fields = ["claim", "source"]
