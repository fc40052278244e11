"""Hand-worked cases for the evidence grading rules (no database, no Django)."""

import json

import pytest

from evidence.grading import (
    IMPRECISION_THRESHOLD,
    Grade,
    Step,
    StudyEvidence,
    apply_override,
    certainty_label,
    grade_claim,
    plain_statement,
    steps_as_dicts,
    steps_from_dicts,
)
from evidence.vocabulary import (
    Certainty,
    Design,
    Direction,
    Effect,
    Funding,
    RiskOfBias,
    Verdict,
)

S, N, C, M = Direction.SUPPORTS, Direction.NO_EFFECT, Direction.CONTRADICTS, Direction.MIXED


def study(
    design: Design = Design.RCT,
    direction: Direction = S,
    participants: int | None = 150,
    risk_of_bias: RiskOfBias = RiskOfBias.LOW,
    funding: Funding = Funding.INDEPENDENT,
    effect_size: Effect = Effect.UNKNOWN,
    indirect: bool = False,
) -> StudyEvidence:
    """A low-risk, independent, direct, supportive RCT of 150 people unless told otherwise."""
    return StudyEvidence(
        design, direction, participants, risk_of_bias, funding, effect_size, indirect
    )


def changes(grade: Grade) -> dict[str, int]:
    """Domain -> level change, for the steps that changed the level."""
    return {s.domain: s.change for s in grade.steps if s.change}


def reasons(grade: Grade) -> list[str]:
    return [s.reason for s in grade.steps]


# --- The headline cases -------------------------------------------------------------


def test_two_consistent_low_risk_independent_rcts_are_high_and_supported():
    grade = grade_claim([study(effect_size=Effect.MODERATE), study(effect_size=Effect.MODERATE)])

    assert grade.certainty == Certainty.HIGH
    assert grade.verdict == Verdict.SUPPORTED
    assert grade.effect == Effect.MODERATE
    assert changes(grade) == {}
    assert [s.domain for s in grade.steps] == ["evidence_used", "start"]
    assert grade.steps[0].reason == "Based on 2 randomised studies."
    assert grade.steps[1].reason.startswith("Starts at High")
    assert grade.study_counts == {"rct": 2}
    assert grade.participants_total == 300


def test_one_small_industry_funded_rct_is_low_for_imprecision_and_funding():
    grade = grade_claim([study(participants=20, funding=Funding.INDUSTRY)])

    assert grade.certainty == Certainty.LOW
    assert grade.verdict == Verdict.SUPPORTED
    assert grade.effect == Effect.UNKNOWN
    assert changes(grade) == {"imprecision": -1, "publication_bias": -1}
    assert "Downgraded one level: only 20 participants in total (threshold 100)." in reasons(grade)
    assert (
        "Downgraded one level: all supporting studies were funded by the manufacturer "
        "or had industry-linked authors." in reasons(grade)
    )
    assert grade.participants_total == 20


def test_case_series_only_start_low_and_lose_a_level_for_no_control_group():
    grade = grade_claim([study(Design.CASE_SERIES), study(Design.CASE_SERIES)])

    assert grade.certainty == Certainty.VERY_LOW
    assert grade.verdict == Verdict.SUPPORTED
    assert grade.effect == Effect.UNKNOWN
    assert changes(grade) == {"risk_of_bias": -1}
    assert grade.steps[0].reason == "Based on 2 non-randomised studies."
    assert grade.steps[1].reason.startswith("Starts at Low")
    assert "Downgraded one level: both studies have no control group." in reasons(grade)
    assert "floor" not in [s.domain for s in grade.steps]  # Low - 1 lands exactly on Very low
    assert grade.participants_total == 300


def test_one_supportive_and_one_contradicting_rct_are_mixed_and_inconsistent():
    grade = grade_claim(
        [study(direction=S, effect_size=Effect.SMALL), study(direction=C, effect_size=Effect.LARGE)]
    )

    assert grade.certainty == Certainty.MODERATE
    assert grade.verdict == Verdict.MIXED
    assert grade.effect == Effect.SMALL  # only the supportive finding's effect counts
    assert changes(grade) == {"inconsistency": -1}
    assert (
        "Downgraded one level: findings point different ways (1 supports, 1 contradicts)."
        in reasons(grade)
    )


def test_no_findings_is_untested_with_a_reason():
    grade = grade_claim([])

    assert grade.certainty is None
    assert grade.verdict == Verdict.UNTESTED
    assert grade.effect == Effect.UNKNOWN
    assert grade.steps == (Step("evidence_used", 0, "No study has tested this claim."),)
    assert grade.study_counts == {}
    assert grade.participants_total == 0


def test_only_narrative_reviews_and_documents_is_untested_but_counted():
    grade = grade_claim(
        [
            study(Design.EXPERT_OPINION, participants=None),
            study(Design.REGULATORY_NOTICE, participants=None),
        ]
    )

    assert grade.certainty is None
    assert grade.verdict == Verdict.UNTESTED
    assert grade.effect == Effect.UNKNOWN
    assert reasons(grade) == [
        "No study has tested this claim; 2 narrative reviews or documents discuss it."
    ]
    assert grade.study_counts == {"expert_opinion": 1, "regulatory_notice": 1}
    assert grade.participants_total == 0


def test_single_context_document_is_worded_in_the_singular():
    grade = grade_claim([study(Design.MARKETING_MATERIAL, participants=None)])

    assert reasons(grade) == [
        "No study has tested this claim; 1 narrative review or document discusses it."
    ]


def test_randomised_evidence_wins_over_non_randomised():
    grade = grade_claim(
        [
            study(Design.RCT, S, participants=150),
            study(Design.CASE_SERIES, C, participants=300),
            study(Design.NEWS_REPORT, participants=None),
        ]
    )

    assert grade.certainty == Certainty.HIGH
    assert grade.verdict == Verdict.SUPPORTED  # the contradicting case series is not used
    assert changes(grade) == {}
    assert grade.steps[0] == Step(
        "evidence_used",
        0,
        "Based on 1 randomised study; 1 non-randomised study was not used for the grade "
        "because randomised evidence exists. 1 narrative review or document is listed as "
        "context only.",
    )
    assert grade.study_counts == {"rct": 1, "case_series": 1, "news_report": 1}
    assert grade.participants_total == 150


def test_systematic_reviews_and_meta_analyses_count_as_randomised():
    grade = grade_claim(
        [
            study(Design.SYSTEMATIC_REVIEW),
            study(Design.META_ANALYSIS),
            study(Design.COHORT),
            study(Design.COHORT),
        ]
    )

    assert grade.certainty == Certainty.HIGH
    assert grade.steps[0].reason == (
        "Based on 2 randomised studies; 2 non-randomised studies were not used for the grade "
        "because randomised evidence exists."
    )


def test_many_downgrades_stop_at_very_low_with_a_floor_step():
    # Start Low (2); risk of bias -2, inconsistency -1, indirectness -1, imprecision -1,
    # industry funding -1 = -6, so 5 levels fall below Very low.
    high_risk = {"risk_of_bias": RiskOfBias.HIGH, "participants": 10, "indirect": True}
    grade = grade_claim(
        [
            study(Design.COHORT, S, funding=Funding.INDUSTRY, **high_risk),
            study(Design.COHORT, N, **high_risk),
        ]
    )

    assert grade.certainty == Certainty.VERY_LOW
    assert grade.verdict == Verdict.MIXED
    assert grade.effect == Effect.UNKNOWN
    assert changes(grade) == {
        "risk_of_bias": -2,
        "inconsistency": -1,
        "indirectness": -1,
        "imprecision": -1,
        "publication_bias": -1,
    }
    assert grade.steps[-1] == Step(
        "floor",
        0,
        "Certainty cannot go below Very low, so 5 further levels of downgrade had no effect.",
    )
    assert "Downgraded two levels: both studies have a high risk of bias." in reasons(grade)
    assert (
        "Downgraded one level: findings point different ways (1 supports, 1 shows no effect)."
        in reasons(grade)
    )


# --- Large effect --------------------------------------------------------------------


def test_large_effect_upgrades_non_randomised_controlled_evidence():
    nrc = {"design": Design.NON_RANDOMIZED_CONTROLLED, "effect_size": Effect.LARGE}
    grade = grade_claim([study(**nrc), study(**nrc)])

    assert grade.certainty == Certainty.MODERATE
    assert grade.verdict == Verdict.SUPPORTED
    assert grade.effect == Effect.LARGE
    assert changes(grade) == {"large_effect": 1}
    assert (
        "Upgraded one level: every supporting study found a large effect, "
        "with no serious risk of bias or inconsistency." in reasons(grade)
    )


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        pytest.param(
            [study(Design.RCT, effect_size=Effect.LARGE)], Certainty.HIGH, id="randomised"
        ),
        pytest.param(
            [
                study(Design.COHORT, effect_size=Effect.LARGE),
                study(Design.COHORT, effect_size=Effect.MODERATE),
            ],
            Certainty.LOW,
            id="not-every-effect-large",
        ),
        pytest.param(
            [
                study(Design.COHORT, effect_size=Effect.LARGE),
                study(Design.COHORT, effect_size=Effect.LARGE, risk_of_bias=RiskOfBias.HIGH),
            ],
            Certainty.VERY_LOW,
            id="risk-of-bias-downgrade",
        ),
        pytest.param(
            [
                study(Design.COHORT, effect_size=Effect.LARGE),
                study(Design.COHORT, N),
            ],
            Certainty.VERY_LOW,
            id="inconsistency-downgrade",
        ),
        pytest.param(
            [study(Design.CASE_SERIES, effect_size=Effect.LARGE)],
            Certainty.VERY_LOW,
            id="no-control-group",
        ),
        pytest.param([study(Design.COHORT, N)], Certainty.LOW, id="no-supporting-study"),
    ],
)
def test_no_large_effect_upgrade(findings, expected):
    grade = grade_claim(findings)

    assert "large_effect" not in changes(grade)
    assert grade.certainty == expected


# --- Verdict and effect ----------------------------------------------------------------


def test_no_effect_findings_are_not_supported_with_no_effect():
    grade = grade_claim([study(direction=N), study(direction=N)])

    assert grade.certainty == Certainty.HIGH
    assert grade.verdict == Verdict.NOT_SUPPORTED
    assert grade.effect == Effect.NONE
    assert changes(grade) == {}


def test_more_contradicting_than_no_effect_is_contradicted():
    grade = grade_claim([study(direction=C), study(direction=C), study(direction=N)])

    assert grade.certainty == Certainty.HIGH  # no supportive findings: nothing inconsistent
    assert grade.verdict == Verdict.CONTRADICTED
    assert grade.effect == Effect.NONE
    assert changes(grade) == {}


@pytest.mark.parametrize(
    ("directions", "verdict"),
    [
        ([S], Verdict.SUPPORTED),
        ([S, S, S], Verdict.SUPPORTED),
        ([N], Verdict.NOT_SUPPORTED),
        ([C, N], Verdict.NOT_SUPPORTED),
        ([N, M], Verdict.NOT_SUPPORTED),
        ([C], Verdict.CONTRADICTED),
        ([C, C, N], Verdict.CONTRADICTED),
        ([C, M], Verdict.CONTRADICTED),
        ([M], Verdict.MIXED),
        ([M, M], Verdict.MIXED),
        ([S, M], Verdict.MIXED),
        ([S, N], Verdict.MIXED),
        ([S, S, C], Verdict.MIXED),
    ],
)
def test_verdict_from_directions(directions, verdict):
    assert grade_claim([study(direction=d) for d in directions]).verdict == verdict


@pytest.mark.parametrize(
    ("effects", "expected"),
    [
        ([Effect.SMALL, Effect.LARGE], Effect.SMALL),  # lower median of an even count
        ([Effect.LARGE, Effect.SMALL, Effect.MODERATE], Effect.MODERATE),
        ([Effect.LARGE, Effect.LARGE, Effect.SMALL, Effect.SMALL], Effect.SMALL),
        ([Effect.LARGE, Effect.UNKNOWN], Effect.LARGE),
        ([Effect.NONE, Effect.MODERATE], Effect.MODERATE),
        ([Effect.UNKNOWN, Effect.UNKNOWN], Effect.UNKNOWN),
    ],
)
def test_effect_is_lower_median_of_known_supporting_effects(effects, expected):
    grade = grade_claim([study(effect_size=e) for e in effects])

    assert grade.effect == expected


def test_effect_of_a_mixed_verdict_ignores_non_supporting_findings():
    grade = grade_claim(
        [study(direction=S, effect_size=Effect.LARGE), study(direction=M, effect_size=Effect.SMALL)]
    )

    assert grade.verdict == Verdict.MIXED
    assert grade.effect == Effect.LARGE
    assert (
        "Downgraded one level: findings point different ways (1 supports, 1 is mixed)."
        in reasons(grade)
    )


def test_only_mixed_findings_are_mixed_without_inconsistency():
    grade = grade_claim([study(direction=M), study(direction=M)])

    assert grade.verdict == Verdict.MIXED
    assert grade.certainty == Certainty.HIGH
    assert grade.effect == Effect.UNKNOWN
    assert changes(grade) == {}


# --- Risk of bias ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "change", "reason"),
    [
        pytest.param(
            [study(risk_of_bias=RiskOfBias.HIGH), study()],
            -1,
            "Downgraded one level: 1 of 2 studies has a high risk of bias.",
            id="half-high",
        ),
        pytest.param(
            [study(risk_of_bias=RiskOfBias.HIGH), study(risk_of_bias=RiskOfBias.HIGH)],
            -2,
            "Downgraded two levels: both studies have a high risk of bias.",
            id="all-high",
        ),
        pytest.param(
            [study(risk_of_bias=RiskOfBias.HIGH)],
            -2,
            "Downgraded two levels: the only study has a high risk of bias.",
            id="only-study-high",
        ),
        pytest.param(
            [
                study(Design.CASE_SERIES),
                study(Design.COHORT, risk_of_bias=RiskOfBias.HIGH),
                study(Design.COHORT),
            ],
            -1,
            "Downgraded one level: 2 of 3 studies have no control group or a high risk of bias.",
            id="case-series-and-high",
        ),
    ],
)
def test_risk_of_bias_downgrades(findings, change, reason):
    grade = grade_claim(findings)

    assert changes(grade)["risk_of_bias"] == change
    assert reason in reasons(grade)


@pytest.mark.parametrize(
    "risks",
    [
        [RiskOfBias.HIGH, RiskOfBias.LOW, RiskOfBias.LOW],
        [RiskOfBias.SOME_CONCERNS, RiskOfBias.SOME_CONCERNS],
    ],
)
def test_risk_of_bias_below_half_or_some_concerns_does_not_downgrade(risks):
    grade = grade_claim([study(risk_of_bias=r) for r in risks])

    assert grade.certainty == Certainty.HIGH
    assert changes(grade) == {}


def test_unclear_risk_of_bias_is_an_informational_step_only():
    grade = grade_claim([study(risk_of_bias=RiskOfBias.UNCLEAR)] * 2)

    assert grade.certainty == Certainty.HIGH
    assert changes(grade) == {}
    assert Step("risk_of_bias", 0, "Risk of bias not assessed for 2 studies.") in grade.steps


# --- Indirectness, imprecision, funding ----------------------------------------------------


def test_indirect_for_at_least_half_of_the_findings_downgrades():
    grade = grade_claim([study(indirect=True), study()])

    assert grade.certainty == Certainty.MODERATE
    assert grade.verdict == Verdict.SUPPORTED
    assert changes(grade) == {"indirectness": -1}
    assert (
        "Downgraded one level: 1 of 2 studies measured a different outcome or population "
        "than the claim." in reasons(grade)
    )


def test_indirect_minority_does_not_downgrade():
    grade = grade_claim([study(indirect=True), study(), study()])

    assert grade.certainty == Certainty.HIGH
    assert changes(grade) == {}


def test_participants_not_reported_downgrades_for_imprecision():
    grade = grade_claim([study(participants=None)])

    assert grade.certainty == Certainty.MODERATE
    assert changes(grade) == {"imprecision": -1}
    assert "Downgraded one level: participant numbers not reported." in reasons(grade)
    assert grade.participants_total == 0


def test_some_participants_missing_below_threshold_says_so():
    grade = grade_claim([study(participants=60), study(participants=None)])

    assert grade.certainty == Certainty.MODERATE
    assert (
        "Downgraded one level: only 60 participants in total (threshold 100); "
        "1 study did not report participants." in reasons(grade)
    )
    assert grade.participants_total == 60


def test_some_participants_missing_above_threshold_is_informational():
    grade = grade_claim([study(participants=150), study(participants=None)])

    assert grade.certainty == Certainty.HIGH
    assert changes(grade) == {}
    assert (
        Step("imprecision", 0, "150 participants in total; 1 study did not report participants.")
        in grade.steps
    )


@pytest.mark.parametrize(
    ("sizes", "downgraded"),
    [
        ([IMPRECISION_THRESHOLD - 1], True),
        ([IMPRECISION_THRESHOLD], False),
        ([40, 60], False),
    ],
)
def test_imprecision_threshold(sizes, downgraded):
    grade = grade_claim([study(participants=n) for n in sizes])

    assert ("imprecision" in changes(grade)) is downgraded


@pytest.mark.parametrize(
    ("fundings", "downgraded"),
    [
        ([Funding.INDUSTRY, Funding.INDUSTRY], True),
        ([Funding.INDUSTRY, Funding.INDEPENDENT], False),
        ([Funding.INDUSTRY, Funding.MIXED], False),
        ([Funding.NOT_REPORTED], False),
    ],
)
def test_funding_downgrades_only_when_every_supporting_study_is_industry(fundings, downgraded):
    grade = grade_claim([study(funding=f) for f in fundings])

    assert ("publication_bias" in changes(grade)) is downgraded


def test_industry_funding_of_non_supporting_findings_does_not_count():
    grade = grade_claim(
        [
            study(direction=S),
            study(direction=N, funding=Funding.INDUSTRY),
        ]
    )

    assert grade.verdict == Verdict.MIXED
    assert changes(grade) == {"inconsistency": -1}


# --- Overrides and labels ----------------------------------------------------------------


COMPUTED = grade_claim([study(), study()])  # High, Supported
UNTESTED = grade_claim([])


@pytest.mark.parametrize(
    ("computed", "certainty", "verdict", "expected"),
    [
        (COMPUTED, None, None, (Certainty.HIGH, Verdict.SUPPORTED)),
        (COMPUTED, Certainty.LOW, None, (Certainty.LOW, Verdict.SUPPORTED)),
        (COMPUTED, None, Verdict.MIXED, (Certainty.HIGH, Verdict.MIXED)),
        (
            COMPUTED,
            Certainty.VERY_LOW,
            Verdict.CONTRADICTED,
            (Certainty.VERY_LOW, Verdict.CONTRADICTED),
        ),
        (COMPUTED, Certainty.LOW, Verdict.UNTESTED, (None, Verdict.UNTESTED)),
        (UNTESTED, None, None, (None, Verdict.UNTESTED)),
        (UNTESTED, Certainty.LOW, Verdict.SUPPORTED, (Certainty.LOW, Verdict.SUPPORTED)),
    ],
)
def test_apply_override(computed, certainty, verdict, expected):
    assert apply_override(computed, certainty, verdict) == expected


@pytest.mark.parametrize(
    ("certainty", "label"),
    [
        (Certainty.HIGH, "High"),
        (Certainty.MODERATE, "Moderate"),
        (Certainty.LOW, "Low"),
        (Certainty.VERY_LOW, "Very low"),
        (None, "Not graded"),
    ],
)
def test_certainty_label(certainty, label):
    assert certainty_label(certainty) == label


# --- Plain statements ----------------------------------------------------------------------

H, MOD, LOW, VL = Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW
SUBJECT, TARGET = "acoustic wave therapy", "cellulite appearance"


@pytest.mark.parametrize(
    ("verdict", "certainty", "expected"),
    [
        (Verdict.SUPPORTED, H, "Acoustic wave therapy improves cellulite appearance."),
        (Verdict.SUPPORTED, MOD, "Acoustic wave therapy probably improves cellulite appearance."),
        (Verdict.SUPPORTED, LOW, "Acoustic wave therapy may improve cellulite appearance."),
        (
            Verdict.SUPPORTED,
            VL,
            "It is uncertain whether acoustic wave therapy improves cellulite appearance.",
        ),
        (
            Verdict.NOT_SUPPORTED,
            H,
            "Acoustic wave therapy makes little or no difference to cellulite appearance.",
        ),
        (
            Verdict.NOT_SUPPORTED,
            MOD,
            "Acoustic wave therapy probably makes little or no difference to cellulite appearance.",
        ),
        (
            Verdict.NOT_SUPPORTED,
            LOW,
            "Acoustic wave therapy may make little or no difference to cellulite appearance.",
        ),
        (
            Verdict.NOT_SUPPORTED,
            VL,
            "It is uncertain whether acoustic wave therapy makes any difference to cellulite "
            "appearance.",
        ),
        (
            Verdict.CONTRADICTED,
            H,
            "The evidence contradicts the claim that acoustic wave therapy improves cellulite "
            "appearance.",
        ),
        (
            Verdict.CONTRADICTED,
            MOD,
            "The evidence probably contradicts the claim that acoustic wave therapy improves "
            "cellulite appearance.",
        ),
        (
            Verdict.CONTRADICTED,
            LOW,
            "The evidence may contradict the claim that acoustic wave therapy improves "
            "cellulite appearance.",
        ),
        (
            Verdict.CONTRADICTED,
            VL,
            "It is uncertain whether acoustic wave therapy improves cellulite appearance; "
            "the few studies point against it.",
        ),
        (
            Verdict.MIXED,
            H,
            "Studies disagree about whether acoustic wave therapy improves cellulite "
            "appearance (high-certainty evidence).",
        ),
        (
            Verdict.MIXED,
            MOD,
            "Studies disagree about whether acoustic wave therapy improves cellulite "
            "appearance (moderate-certainty evidence).",
        ),
        (
            Verdict.MIXED,
            LOW,
            "Studies disagree about whether acoustic wave therapy improves cellulite "
            "appearance (low-certainty evidence).",
        ),
        (
            Verdict.MIXED,
            VL,
            "It is uncertain whether acoustic wave therapy improves cellulite appearance; "
            "studies disagree.",
        ),
    ],
)
def test_plain_statement_with_target(verdict, certainty, expected):
    assert plain_statement(SUBJECT, TARGET, verdict, certainty) == expected


@pytest.mark.parametrize(
    ("verdict", "certainty", "expected"),
    [
        (Verdict.SUPPORTED, H, "The evidence shows this claim is true."),
        (Verdict.SUPPORTED, MOD, "This claim is probably true."),
        (Verdict.SUPPORTED, LOW, "This claim may be true."),
        (Verdict.SUPPORTED, VL, "It is uncertain whether this claim is true."),
        (Verdict.NOT_SUPPORTED, H, "The evidence shows this claim is not true."),
        (Verdict.NOT_SUPPORTED, MOD, "This claim is probably not true."),
        (Verdict.NOT_SUPPORTED, LOW, "This claim may not be true."),
        (
            Verdict.NOT_SUPPORTED,
            VL,
            "It is uncertain whether this claim is true; the few studies do not support it.",
        ),
        (Verdict.CONTRADICTED, H, "The evidence contradicts this claim."),
        (Verdict.CONTRADICTED, MOD, "The evidence probably contradicts this claim."),
        (Verdict.CONTRADICTED, LOW, "The evidence may contradict this claim."),
        (
            Verdict.CONTRADICTED,
            VL,
            "It is uncertain whether this claim is true; the few studies point against it.",
        ),
        (
            Verdict.MIXED,
            H,
            "Studies disagree about whether this claim is true (high-certainty evidence).",
        ),
        (
            Verdict.MIXED,
            MOD,
            "Studies disagree about whether this claim is true (moderate-certainty evidence).",
        ),
        (
            Verdict.MIXED,
            LOW,
            "Studies disagree about whether this claim is true (low-certainty evidence).",
        ),
        (Verdict.MIXED, VL, "It is uncertain whether this claim is true; studies disagree."),
    ],
)
def test_plain_statement_without_target(verdict, certainty, expected):
    assert plain_statement(SUBJECT, None, verdict, certainty) == expected


@pytest.mark.parametrize("certainty", [None, H, MOD, LOW, VL])
@pytest.mark.parametrize("target", [TARGET, None])
def test_plain_statement_untested(certainty, target):
    assert (
        plain_statement(SUBJECT, target, Verdict.UNTESTED, certainty)
        == "No study has tested this claim."
    )


def test_plain_statement_capitalises_only_the_first_letter_at_sentence_start():
    assert plain_statement("iCellu device", TARGET, Verdict.SUPPORTED, H) == (
        "ICellu device improves cellulite appearance."
    )
    assert plain_statement("EMTone", TARGET, Verdict.SUPPORTED, MOD) == (
        "EMTone probably improves cellulite appearance."
    )
    assert plain_statement("EMTone", TARGET, Verdict.SUPPORTED, VL) == (
        "It is uncertain whether EMTone improves cellulite appearance."
    )


def test_plain_statement_without_certainty_is_worded_as_very_uncertain():
    assert plain_statement(SUBJECT, TARGET, Verdict.SUPPORTED, None) == (
        "It is uncertain whether acoustic wave therapy improves cellulite appearance."
    )


# --- JSON storage ---------------------------------------------------------------------------


def test_steps_round_trip_through_json():
    steps = grade_claim([study(participants=20, funding=Funding.INDUSTRY)]).steps

    stored = json.loads(json.dumps(steps_as_dicts(steps)))

    assert stored[0] == {"domain": "evidence_used", "change": 0, "reason": steps[0].reason}
    assert all(set(d) == {"domain", "change", "reason"} for d in stored)
    assert steps_from_dicts(stored) == steps


def test_steps_from_empty_list():
    assert steps_from_dicts([]) == ()
    assert steps_as_dicts(()) == []


def test_plural_subjects_take_plural_verbs():
    from evidence.grading import plain_statement

    assert (
        plain_statement(
            "collagenase injections",
            "cellulite appearance",
            Verdict.SUPPORTED,
            Certainty.HIGH,
            plural=True,
        )
        == "Collagenase injections improve cellulite appearance."
    )
    assert plain_statement(
        "topical creams",
        "cellulite appearance",
        Verdict.NOT_SUPPORTED,
        Certainty.MODERATE,
        plural=True,
    ) == ("Topical creams probably make little or no difference to cellulite appearance.")


def test_plural_detection_for_treatment_names():
    from evidence.templatetags.evidence_tags import is_plural_noun

    assert is_plural_noun("collagenase injections") and is_plural_noun("radiofrequency devices")
    assert not is_plural_noun("cryolipolysis") and not is_plural_noun("mechanical massage")
