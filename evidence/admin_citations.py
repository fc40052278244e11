"""Sources admin: the "Import citations" page (upload → preview → confirm) and export actions."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from treatments.exports import csv_response

from .choices import DesignChoices
from .citation_export import ADMIN_CSV_COLUMNS, admin_csv_row, sources_to_ris
from .citation_formats import EXTENSIONS, MAX_BYTES, FileRefused, check_size, read_citations
from .citation_import import (
    CREATE,
    UNCHANGED,
    UPDATE,
    apply_import,
    citations_from_session,
    citations_to_session,
    plan_import,
    problems_from_session,
    problems_to_session,
)

SESSION_PREFIX = "citation-import-"


class CitationUploadForm(forms.Form):
    file = forms.FileField(
        label="Citation file",
        help_text=(
            "RIS (.ris), BibTeX (.bib) or PubMed MEDLINE (.nbib, or PubMed format .txt), "
            f"UTF-8, up to {MAX_BYTES // 1024 // 1024} MB."
        ),
        error_messages={"empty": "The file is empty: there is nothing to import."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    design = forms.ChoiceField(
        label="Design, where the file does not give one",
        choices=[("", "Choose…"), *DesignChoices.choices],
        required=False,
        help_text=(
            "PubMed records name their publication type (randomised trial, systematic review…) "
            "and set the design themselves; RIS and BibTeX do not. Check every imported source "
            "before publishing it."
        ),
    )


class CitationAdminMixin:
    actions = ["export_ris", "export_csv"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_citations_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    # -- import -----------------------------------------------------------------------------------

    def import_citations_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, request.POST["token"])
        form = CitationUploadForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.name, upload.size)  # before reading it into memory
                fmt, citations, problems = read_citations(upload.name, upload.read())
            except FileRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                design = form.cleaned_data["design"]
                plan = plan_import(upload.name, fmt, citations, problems, design)
                return self._preview(request, form, plan, citations, design)
        return self._render(request, form=form, plan=plan)

    def _preview(self, request, form, plan, citations, design, warning=""):
        token = ""
        if plan.can_apply:
            token = uuid.uuid4().hex
            request.session[SESSION_PREFIX + token] = {
                "file_name": plan.file_name,
                "file_format": plan.file_format,
                "design": design,
                "citations": citations_to_session(citations),
                "problems": problems_to_session(plan.problems),
                "fingerprint": plan.fingerprint(),
            }
        return self._render(request, form=form, plan=plan, token=token, warning=warning)

    def _confirm(self, request, token):
        stored = request.session.pop(SESSION_PREFIX + token, None)
        if stored is None:
            self.message_user(
                request,
                "This preview has expired or was already imported; nothing was written. "
                "Upload the file again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        citations = citations_from_session(stored["citations"])
        plan = plan_import(
            stored["file_name"],
            stored["file_format"],
            citations,
            problems_from_session(stored["problems"]),
            stored["design"],
        )
        if plan.fingerprint() != stored["fingerprint"]:
            warning = (
                "The sources changed since this preview (someone added or edited one): nothing "
                "was written. Check the new preview and confirm again."
            )
            form = CitationUploadForm(initial={"design": stored["design"]})
            return self._preview(request, form, plan, citations, stored["design"], warning)
        try:
            created, updated = apply_import(plan, request.user)
        except DatabaseError:
            self.message_user(
                request,
                "The import failed while writing, so nothing was written (another curator may "
                "have added one of these sources at the same moment). Upload the file again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            f"Imported “{plan.file_name}”: {created} new source{'s' if created != 1 else ''} "
            f"(drafts, to check and publish) and {updated} updated.",
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?status__exact=draft"
        )

    def _render(self, request, plan=None, **context):
        opts = self.model._meta
        if plan is not None:
            context.update(
                plan=plan,
                entry_count=len(plan.rows) + len(plan.problems),
                create_count=plan.count(CREATE),
                update_count=plan.count(UPDATE),
                unchanged_count=plan.count(UNCHANGED),
            )
        return TemplateResponse(
            request,
            "admin/evidence/source/import_citations.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": "Import citations",
                "actions": {"create": CREATE, "update": UPDATE},
                **context,
            },
        )

    # -- export -----------------------------------------------------------------------------------

    def _filename(self, extension: str) -> str:
        return f"cellucheck-sources-{timezone.localdate():%Y-%m-%d}.{extension}"

    @admin.action(description="Export selected as RIS (reference managers)", permissions=["view"])
    def export_ris(self, request, queryset):
        response = HttpResponse(
            sources_to_ris(queryset.order_by("pk")),
            content_type="application/x-research-info-systems; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self._filename("ris")}"'
        return response

    @admin.action(description="Export selected as CSV (spreadsheets)", permissions=["view"])
    def export_csv(self, request, queryset):
        rows = (admin_csv_row(source) for source in queryset.order_by("pk"))
        return csv_response(self._filename("csv"), ADMIN_CSV_COLUMNS, rows)
