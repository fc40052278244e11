"""Grade the evidence behind one claim: certainty, effect and verdict, with every reason.

A pure module: it takes the findings for a claim (each joined with its source) and returns
a `Grade`. No Django, no database; the services layer stores the result.

The rules (this text is the basis of the /methodology/ page)
-----------------------------------------------------------

1. Which findings count. Only research that tests the claim counts: randomised controlled
   trials, systematic reviews, meta-analyses, non-randomised controlled studies, cohort
   studies and case series. Narrative reviews (expert opinion) and documents (regulatory
   notices, product labels, marketing material, price surveys, news reports) are context:
   they are listed and counted, but never used for the verdict or the certainty. When no
   finding counts, the verdict is Untested, the certainty is not graded and the effect is
   unknown.

2. Best evidence first. If any counted finding is randomised (an RCT, or a systematic
   review or meta-analysis), only the randomised findings are used; the non-randomised
   ones are listed but do not change the grade. Otherwise all counted findings are used.
   Following GRADE, randomised evidence starts at High certainty and non-randomised
   evidence at Low, because without randomisation other differences between the groups
   can explain the result.

3. Verdict, over the findings used. Only supportive findings: Supported. No supportive
   findings and more contradicting than no-effect findings: Contradicted. No supportive
   findings but some no-effect or contradicting ones: Not supported. Only mixed findings,
   or supportive findings together with any other kind: Mixed.

4. Risk of bias. A study is a concern when its risk of bias is rated high, or when it is a
   case series (no control group). Down one level when at least half of the studies are a
   concern; down two levels when every study is rated at high risk of bias. An unclear
   rating does not downgrade, but is shown.

5. Inconsistency. Down one level when supportive findings sit alongside no-effect,
   contradicting or mixed findings.

6. Indirectness. Down one level when at least half of the findings measured a different
   outcome or population than the claim is about.

7. Imprecision. Down one level when the studies together have fewer than
   IMPRECISION_THRESHOLD (100) participants, or none reports its participants. Studies
   that do not report participants count as zero. Why 100: trials in this field are
   small, and GRADE's optimal information size for a continuous outcome is often around
   400 participants, so 100 is a lenient floor that flags only the smallest bodies of
   evidence.

8. Publication bias and industry funding. Down one level when every supportive finding
   comes from a study funded by the manufacturer or with industry-linked authors.

9. Large effect. Up one level, for non-randomised evidence only, when every supportive
   finding reports a large effect and there was no downgrade for risk of bias or
   inconsistency.

10. Combining. The changes are added to the starting level. Certainty never goes below
    Very low (the page says when a downgrade had no further effect) nor above High.

11. Effect. None when the verdict is Not supported or Contradicted. Otherwise the lower
    median of the effect sizes reported by the supportive findings used (ordered none <
    small < moderate < large); unknown when none reports one, and for untested claims.

12. Wording. The plain-language statement follows GRADE's informative statements: high
    certainty states the finding ("improves"), moderate says "probably", low says "may",
    very low says "it is uncertain whether".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evidence.vocabulary import (
    CERTAINTY_RANK,
    RANDOMISED_DESIGNS,
    RESEARCH_DESIGNS,
    Certainty,
    Design,
    Direction,
    Effect,
    Funding,
    RiskOfBias,
    Verdict,
)

IMPRECISION_THRESHOLD = 100  # participants in total, over the findings used

# Research that tests a claim; narrative reviews only discuss it.
TESTING_DESIGNS = frozenset(RESEARCH_DESIGNS - {Design.EXPERT_OPINION})

# Step domains, in the order the steps are listed.
DOMAINS = (
    "evidence_used",
    "start",
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
    "large_effect",
    "floor",
)

_CERTAINTY_BY_RANK = {rank: certainty for certainty, rank in CERTAINTY_RANK.items()}
_EFFECT_ORDER = (Effect.NONE, Effect.SMALL, Effect.MODERATE, Effect.LARGE)
_CERTAINTY_LABELS = {
    Certainty.HIGH: "High",
    Certainty.MODERATE: "Moderate",
    Certainty.LOW: "Low",
    Certainty.VERY_LOW: "Very low",
}
_LEVELS = {1: "one level", 2: "two levels"}


@dataclass(frozen=True)
class StudyEvidence:
    """One finding joined with its source."""

    design: Design
    direction: Direction
    participants: int | None
    risk_of_bias: RiskOfBias
    funding: Funding
    effect_size: Effect = Effect.UNKNOWN
    indirect: bool = False  # measured another outcome or population than the claim


@dataclass(frozen=True)
class Step:
    """One line of the explanation shown on the page."""

    domain: str
    change: int  # 0 informational, -1/-2 downgrade, +1 upgrade
    reason: str


@dataclass(frozen=True)
class Grade:
    certainty: Certainty | None  # None only when the verdict is UNTESTED
    effect: Effect
    verdict: Verdict
    steps: tuple[Step, ...]
    study_counts: dict[str, int]  # design value -> findings, over all findings given
    participants_total: int  # over the findings used for the grade


# --- Grading ---------------------------------------------------------------------------


def grade_claim(evidence: Sequence[StudyEvidence]) -> Grade:
    counts = study_counts(evidence)
    testing = [e for e in evidence if e.design in TESTING_DESIGNS]
    context = len(evidence) - len(testing)
    if not testing:
        step = Step("evidence_used", 0, _untested_reason(context))
        return Grade(None, Effect.UNKNOWN, Verdict.UNTESTED, (step,), counts, 0)

    randomised = any(e.design in RANDOMISED_DESIGNS for e in testing)
    tier = [e for e in testing if (e.design in RANDOMISED_DESIGNS) == randomised]
    start = Certainty.HIGH if randomised else Certainty.LOW
    steps = [
        _evidence_used_step(len(tier), len(testing) - len(tier), context, randomised),
        _start_step(randomised),
        *_risk_of_bias_steps(tier),
        *_inconsistency_steps(tier),
        *_indirectness_steps(tier),
        *_imprecision_steps(tier),
        *_publication_bias_steps(tier),
    ]
    if not randomised:
        steps += _large_effect_steps(tier, steps)
    certainty, floor_steps = _combine(start, steps)
    verdict = verdict_for(tier)
    return Grade(
        certainty=certainty,
        effect=effect_for(tier, verdict),
        verdict=verdict,
        steps=(*steps, *floor_steps),
        study_counts=counts,
        participants_total=sum(e.participants or 0 for e in tier),
    )


def study_counts(evidence: Iterable[StudyEvidence]) -> dict[str, int]:
    """Findings per design value, in the order of the Design vocabulary."""
    counter = Counter(e.design for e in evidence)
    return {design.value: counter[design] for design in Design if counter[design]}


def verdict_for(tier: Sequence[StudyEvidence]) -> Verdict:
    d = Counter(e.direction for e in tier)
    s, n = d[Direction.SUPPORTS], d[Direction.NO_EFFECT]
    c, m = d[Direction.CONTRADICTS], d[Direction.MIXED]
    if s:
        return Verdict.SUPPORTED if n + c + m == 0 else Verdict.MIXED
    if c > n:
        return Verdict.CONTRADICTED
    if n or c:
        return Verdict.NOT_SUPPORTED
    return Verdict.MIXED if m else Verdict.UNTESTED


def effect_for(tier: Sequence[StudyEvidence], verdict: Verdict) -> Effect:
    if verdict in (Verdict.NOT_SUPPORTED, Verdict.CONTRADICTED):
        return Effect.NONE
    known = sorted(
        (
            _EFFECT_ORDER.index(e.effect_size)
            for e in _supporting(tier)
            if e.effect_size not in (Effect.UNKNOWN, Effect.NONE)
        ),
    )
    if not known:
        return Effect.UNKNOWN
    return _EFFECT_ORDER[known[(len(known) - 1) // 2]]  # lower median


def _untested_reason(context: int) -> str:
    if not context:
        return "No study has tested this claim."
    discuss = _count(
        context, "narrative review or document discusses", "narrative reviews or documents discuss"
    )
    return f"No study has tested this claim; {discuss} it."


def _evidence_used_step(used: int, unused: int, context: int, randomised: bool) -> Step:
    if randomised:
        reason = f"Based on {_count(used, 'randomised study', 'randomised studies')}"
        if unused:
            not_used = _count(unused, "non-randomised study was", "non-randomised studies were")
            reason += f"; {not_used} not used for the grade because randomised evidence exists"
    else:
        reason = f"Based on {_count(used, 'non-randomised study', 'non-randomised studies')}"
    reason += "."
    if context:
        listed = _count(
            context, "narrative review or document is", "narrative reviews or documents are"
        )
        reason += f" {listed} listed as context only."
    return Step("evidence_used", 0, reason)


def _start_step(randomised: bool) -> Step:
    if randomised:
        reason = (
            "Starts at High: randomised trials, and reviews of them, are the strongest test "
            "of whether a treatment works."
        )
    else:
        reason = (
            "Starts at Low: without randomisation, other differences between the groups "
            "can explain the result."
        )
    return Step("start", 0, reason)


def _risk_of_bias_steps(tier: Sequence[StudyEvidence]) -> list[Step]:
    steps = []
    high = sum(e.risk_of_bias == RiskOfBias.HIGH for e in tier)
    uncontrolled = sum(e.design == Design.CASE_SERIES for e in tier)
    concerns = sum(
        e.risk_of_bias == RiskOfBias.HIGH or e.design == Design.CASE_SERIES for e in tier
    )
    if high == len(tier):
        studies = _share(high, len(tier), "have")
        steps.append(_downgrade("risk_of_bias", 2, f"{studies} a high risk of bias"))
    elif 2 * concerns >= len(tier):
        if not high:
            problem = "no control group"
        elif not uncontrolled:
            problem = "a high risk of bias"
        else:
            problem = "no control group or a high risk of bias"
        studies = _share(concerns, len(tier), "have")
        steps.append(_downgrade("risk_of_bias", 1, f"{studies} {problem}"))
    unclear = sum(e.risk_of_bias == RiskOfBias.UNCLEAR for e in tier)
    if unclear:
        not_assessed = _count(unclear, "study", "studies")
        steps.append(Step("risk_of_bias", 0, f"Risk of bias not assessed for {not_assessed}."))
    return steps


def _inconsistency_steps(tier: Sequence[StudyEvidence]) -> list[Step]:
    d = Counter(e.direction for e in tier)
    if not d[Direction.SUPPORTS] or d[Direction.SUPPORTS] == len(tier):
        return []
    wording = {
        Direction.SUPPORTS: ("supports", "support"),
        Direction.NO_EFFECT: ("shows no effect", "show no effect"),
        Direction.CONTRADICTS: ("contradicts", "contradict"),
        Direction.MIXED: ("is mixed", "are mixed"),
    }
    parts = ", ".join(_count(d[k], *words) for k, words in wording.items() if d[k])
    return [_downgrade("inconsistency", 1, f"findings point different ways ({parts})")]


def _indirectness_steps(tier: Sequence[StudyEvidence]) -> list[Step]:
    indirect = sum(e.indirect for e in tier)
    if 2 * indirect < len(tier):
        return []
    studies = _share(indirect, len(tier), "measured")
    return [
        _downgrade("indirectness", 1, f"{studies} a different outcome or population than the claim")
    ]


def _imprecision_steps(tier: Sequence[StudyEvidence]) -> list[Step]:
    missing = sum(e.participants is None for e in tier)
    total = sum(e.participants or 0 for e in tier)
    if missing == len(tier):
        return [_downgrade("imprecision", 1, "participant numbers not reported")]
    not_reported = _count(
        missing, "study did not report participants", "studies did not report participants"
    )
    if total < IMPRECISION_THRESHOLD:
        reason = f"only {total} participants in total (threshold {IMPRECISION_THRESHOLD})"
        if missing:
            reason += f"; {not_reported}"
        return [_downgrade("imprecision", 1, reason)]
    if missing:
        return [Step("imprecision", 0, f"{total} participants in total; {not_reported}.")]
    return []


def _publication_bias_steps(tier: Sequence[StudyEvidence]) -> list[Step]:
    supporting = _supporting(tier)
    if supporting and all(e.funding == Funding.INDUSTRY for e in supporting):
        reason = (
            "all supporting studies were funded by the manufacturer or had industry-linked authors"
        )
        return [_downgrade("publication_bias", 1, reason)]
    return []


def _large_effect_steps(tier: Sequence[StudyEvidence], steps: Sequence[Step]) -> list[Step]:
    supporting = _supporting(tier)
    serious = any(s.change < 0 and s.domain in ("risk_of_bias", "inconsistency") for s in steps)
    if serious or not supporting or any(e.effect_size != Effect.LARGE for e in supporting):
        return []
    reason = (
        "Upgraded one level: every supporting study found a large effect, "
        "with no serious risk of bias or inconsistency."
    )
    return [Step("large_effect", 1, reason)]


def _combine(start: Certainty, steps: Sequence[Step]) -> tuple[Certainty, list[Step]]:
    """Apply the summed changes to the start level, within Very low..High."""
    top, bottom = CERTAINTY_RANK[Certainty.HIGH], CERTAINTY_RANK[Certainty.VERY_LOW]
    raw = CERTAINTY_RANK[start] + sum(s.change for s in steps)
    floor_steps = []
    if raw < bottom:
        lost = _count(bottom - raw, "further level of downgrade", "further levels of downgrade")
        reason = f"Certainty cannot go below Very low, so {lost} had no effect."
        floor_steps.append(Step("floor", 0, reason))
    return _CERTAINTY_BY_RANK[max(bottom, min(top, raw))], floor_steps


def _supporting(tier: Sequence[StudyEvidence]) -> list[StudyEvidence]:
    return [e for e in tier if e.direction == Direction.SUPPORTS]


def _downgrade(domain: str, levels: int, why: str) -> Step:
    return Step(domain, -levels, f"Downgraded {_LEVELS[levels]}: {why}.")


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _share(part: int, whole: int, verb_plural: str) -> str:
    """'2 of 3 studies have', 'both studies have', 'the only study has' (verb agrees)."""
    singular_verbs = {"have": "has", "are": "is"}
    if part == whole == 1:
        noun, singular = "the only study", True
    elif part == whole == 2:
        noun, singular = "both studies", False
    elif part == whole:
        noun, singular = f"all {whole} studies", False
    else:
        noun, singular = f"{part} of {whole} studies", part == 1
    verb = singular_verbs.get(verb_plural, verb_plural) if singular else verb_plural
    return f"{noun} {verb}"


# --- Curator overrides ---------------------------------------------------------------


def apply_override(
    computed: Grade,
    certainty_override: Certainty | None,
    verdict_override: Verdict | None,
) -> tuple[Certainty | None, Verdict]:
    """Final (certainty, verdict): an override wins when given.

    An Untested verdict has no graded evidence, so its certainty is always None.
    """
    verdict = verdict_override or computed.verdict
    if verdict == Verdict.UNTESTED:
        return None, verdict
    return certainty_override or computed.certainty, verdict


# --- Wording -------------------------------------------------------------------------


def certainty_label(certainty: Certainty | None) -> str:
    return _CERTAINTY_LABELS[certainty] if certainty else "Not graded"


# Sentences by verdict, from High to Very low certainty.
# {S}: subject starting a sentence; {s}: subject mid-sentence; {t}: the target outcome.
_WITH_TARGET = {
    Verdict.SUPPORTED: (
        "{S} {improves} {t}.",
        "{S} probably {improves} {t}.",
        "{S} may improve {t}.",
        "It is uncertain whether {s} {improves} {t}.",
    ),
    Verdict.NOT_SUPPORTED: (
        "{S} {makes} little or no difference to {t}.",
        "{S} probably {makes} little or no difference to {t}.",
        "{S} may make little or no difference to {t}.",
        "It is uncertain whether {s} {makes} any difference to {t}.",
    ),
    Verdict.CONTRADICTED: (
        "The evidence contradicts the claim that {s} {improves} {t}.",
        "The evidence probably contradicts the claim that {s} {improves} {t}.",
        "The evidence may contradict the claim that {s} {improves} {t}.",
        "It is uncertain whether {s} {improves} {t}; the few studies point against it.",
    ),
    Verdict.MIXED: (
        "Studies disagree about whether {s} {improves} {t} (high-certainty evidence).",
        "Studies disagree about whether {s} {improves} {t} (moderate-certainty evidence).",
        "Studies disagree about whether {s} {improves} {t} (low-certainty evidence).",
        "It is uncertain whether {s} {improves} {t}; studies disagree.",
    ),
}
_WITHOUT_TARGET = {
    Verdict.SUPPORTED: (
        "The evidence shows this claim is true.",
        "This claim is probably true.",
        "This claim may be true.",
        "It is uncertain whether this claim is true.",
    ),
    Verdict.NOT_SUPPORTED: (
        "The evidence shows this claim is not true.",
        "This claim is probably not true.",
        "This claim may not be true.",
        "It is uncertain whether this claim is true; the few studies do not support it.",
    ),
    Verdict.CONTRADICTED: (
        "The evidence contradicts this claim.",
        "The evidence probably contradicts this claim.",
        "The evidence may contradict this claim.",
        "It is uncertain whether this claim is true; the few studies point against it.",
    ),
    Verdict.MIXED: (
        "Studies disagree about whether this claim is true (high-certainty evidence).",
        "Studies disagree about whether this claim is true (moderate-certainty evidence).",
        "Studies disagree about whether this claim is true (low-certainty evidence).",
        "It is uncertain whether this claim is true; studies disagree.",
    ),
}
_LADDER = (Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW)


def plain_statement(
    subject: str,
    target: str | None,
    verdict: Verdict,
    certainty: Certainty | None,
    plural: bool = False,
) -> str:
    """One sentence for visitors, worded by certainty (GRADE informative statements).

    A graded verdict without a certainty (possible only after a curator override of an
    untested claim) is worded as very uncertain. `plural` subjects ("collagenase injections")
    take plural verbs.
    """
    if verdict == Verdict.UNTESTED:
        return "No study has tested this claim."
    templates = _WITH_TARGET if target else _WITHOUT_TARGET
    template = templates[verdict][_LADDER.index(certainty or Certainty.VERY_LOW)]
    return template.format(
        S=subject[:1].upper() + subject[1:],
        s=subject,
        t=target,
        improves="improve" if plural else "improves",
        makes="make" if plural else "makes",
    )


# --- JSON storage --------------------------------------------------------------------


def steps_as_dicts(steps: Iterable[Step]) -> list[dict[str, str | int]]:
    return [{"domain": s.domain, "change": s.change, "reason": s.reason} for s in steps]


def steps_from_dicts(data: Iterable[dict[str, str | int]]) -> tuple[Step, ...]:
    return tuple(
        Step(domain=str(d["domain"]), change=int(d["change"]), reason=str(d["reason"]))
        for d in data
    )
