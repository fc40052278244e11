"""Admin plumbing for the editorial workflow, shared by treatments and sources."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from .workflow import TRANSITIONS, TransitionRefused, allowed_transitions, apply_transition


class WorkflowAdminMixin:
    """Adds "Save and publish"-style buttons to the change form and bulk actions to the list.

    A refused transition (an editor trying to publish) becomes an error message on the page,
    never a bare 403.
    """

    change_form_template = "admin/workflow_change_form.html"
    actions = ["submit_for_review", "publish", "retire", "return_to_draft"]

    def get_readonly_fields(self, request, obj=None):
        # Status only moves through the workflow buttons, so its rules cannot be bypassed.
        return (*super().get_readonly_fields(request, obj), "status")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["workflow_transitions"] = allowed_transitions(request.user, obj)
            context["workflow_can_publish"] = any(
                t.needs_publish_permission for t in context["workflow_transitions"]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        name = request.POST.get("_transition")
        if name not in TRANSITIONS:
            return super().response_change(request, obj)
        self._run_transition(request, obj, name)
        return HttpResponseRedirect(request.path)

    def _run_transition(self, request, obj, name) -> bool:
        try:
            message = apply_transition(obj, name, request.user)
        except TransitionRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return False
        self.message_user(request, message, messages.SUCCESS)
        return True

    def _bulk(self, request, queryset, name):
        done = sum(self._run_transition(request, obj, name) for obj in queryset)
        if done > 1:
            self.message_user(request, f"{done} records changed.", messages.SUCCESS)

    @admin.action(description="Submit selected for review")
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish selected (reviewers)")
    def publish(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Retire selected (reviewers)")
    def retire(self, request, queryset):
        self._bulk(request, queryset, "retire")

    @admin.action(description="Return selected to draft")
    def return_to_draft(self, request, queryset):
        self._bulk(request, queryset, "return_to_draft")
