"""Editorial workflow: draft → in review → published → retired.

Editors draft and submit for review; only Reviewers (the `publish_*` permission) publish and retire.
The same rules serve treatments and sources; every transition is saved through the model so that
django-simple-history records who did it.
"""

from dataclasses import dataclass

from django.utils import timezone

from .choices import EditorialStatus


class TransitionRefused(Exception):
    """A transition the user may not make, with a message a curator understands."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    needs_publish_permission: bool


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "Submit for review",
            frozenset({EditorialStatus.DRAFT}),
            EditorialStatus.IN_REVIEW,
            needs_publish_permission=False,
        ),
        Transition(
            "return_to_draft",
            "Return to draft",
            frozenset({EditorialStatus.IN_REVIEW}),
            EditorialStatus.DRAFT,
            needs_publish_permission=False,
        ),
        Transition(
            "publish",
            "Publish",
            frozenset({EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW, EditorialStatus.RETIRED}),
            EditorialStatus.PUBLISHED,
            needs_publish_permission=True,
        ),
        Transition(
            "retire",
            "Retire",
            frozenset({EditorialStatus.PUBLISHED}),
            EditorialStatus.RETIRED,
            needs_publish_permission=True,
        ),
    )
}


def publish_permission(obj) -> str:
    meta = obj._meta
    return f"{meta.app_label}.publish_{meta.model_name}"


def can_publish(user, obj_or_model) -> bool:
    return bool(user and user.has_perm(publish_permission(obj_or_model)))


def allowed_transitions(user, obj) -> list[Transition]:
    return [
        t
        for t in TRANSITIONS.values()
        if obj.status in t.sources and (can_publish(user, obj) or not t.needs_publish_permission)
    ]


def apply_transition(obj, name: str, user) -> str:
    """Move `obj` (a Treatment or Source) through the workflow; returns a confirmation message."""
    transition = TRANSITIONS[name]
    label = str(obj)
    if transition.needs_publish_permission and not can_publish(user, obj):
        raise TransitionRefused(
            f"“{label}” was not changed: only members of the Reviewers group can "
            f"{transition.label.lower()}. Use “Submit for review” and a reviewer will take it "
            "from there."
        )
    if obj.status not in transition.sources:
        raise TransitionRefused(
            f"“{label}” is {obj.get_status_display().lower()}, so “{transition.label}” "
            "does not apply to it."
        )
    obj.status = transition.target
    update_fields = ["status", "updated_at"]
    if name == "publish" and hasattr(obj, "last_reviewed"):
        obj.last_reviewed = timezone.localdate()
        obj.reviewed_by = user
        update_fields += ["last_reviewed", "reviewed_by"]
    obj._history_user = user
    obj.save(update_fields=update_fields)
    return f"“{label}” is now {obj.get_status_display().lower()}."
