from django import template

from evidence import grading
from evidence.choices import CertaintyChoices, EffectChoices, VerdictChoices
from evidence.vocabulary import CERTAINTY_RANK, Certainty, Verdict

register = template.Library()

# Badges carry text and a shape, never colour alone.
VERDICT_SYMBOLS = {
    "supported": "✓",
    "mixed": "±",
    "not_supported": "✗",
    "contradicted": "⊘",
    "untested": "?",
}


@register.inclusion_tag("includes/certainty_badge.html")
def certainty_badge(certainty: str):
    rank = CERTAINTY_RANK.get(certainty, 0) if certainty else 0
    return {
        "value": certainty or "untested",
        "label": dict(CertaintyChoices.choices).get(certainty, "Not graded"),
        "filled": range(rank),
        "empty": range(4 - rank),
    }


@register.inclusion_tag("includes/verdict_badge.html")
def verdict_badge(verdict: str):
    return {
        "value": verdict,
        "label": dict(VerdictChoices.choices).get(verdict, "Untested"),
        "symbol": VERDICT_SYMBOLS.get(verdict, "?"),
    }


@register.filter
def effect_label(effect: str) -> str:
    return dict(EffectChoices.choices).get(effect, "Unknown")


@register.simple_tag
def plain_statement(claim, treatment) -> str:
    target = (
        claim.outcome.name[0].lower() + claim.outcome.name[1:]
        if claim.kind == "efficacy" and claim.outcome_id and claim.outcome
        else None
    )
    subject = treatment.short_name
    # Mid-sentence the generic name reads in lower case ("whether mesotherapy improves…");
    # grading capitalises it again where it starts the sentence.
    subject = subject[0].lower() + subject[1:] if subject[1:2].islower() else subject
    return grading.plain_statement(
        subject,
        target,
        Verdict(claim.verdict),
        Certainty(claim.certainty) if claim.certainty else None,
        plural=is_plural_noun(subject),
    )


def is_plural_noun(name: str) -> bool:
    """“Collagenase injections”, “topical creams” are plural; “cryolipolysis”, “massage” not."""
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "sis", "us"))


@register.filter
def grading_steps(claim):
    return grading.steps_from_dicts(claim.grading_reasons)


@register.filter
def study_count_text(counts: dict) -> str:
    from evidence.choices import DesignChoices

    labels = dict(DesignChoices.choices)
    return ", ".join(
        f"{n} {labels.get(design, design).lower()}{'s' if n != 1 and design != 'rct' else ''}"
        for design, n in counts.items()
    )


@register.filter
def cut_trailing_period(text: str) -> str:
    return str(text).rstrip(". ")
