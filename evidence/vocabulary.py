"""The evidence vocabulary, as plain values shared by the grading rules and the models.

Kept free of Django so that `evidence.grading` stays a pure module.
"""

from enum import StrEnum


class Design(StrEnum):
    SYSTEMATIC_REVIEW = "systematic_review"
    META_ANALYSIS = "meta_analysis"
    RCT = "rct"
    NON_RANDOMIZED_CONTROLLED = "non_randomized_controlled"
    COHORT = "cohort"
    CASE_SERIES = "case_series"
    EXPERT_OPINION = "expert_opinion"
    REGULATORY_NOTICE = "regulatory_notice"
    PRODUCT_LABEL = "product_label"
    MARKETING_MATERIAL = "marketing_material"
    PRICE_SURVEY = "price_survey"
    NEWS_REPORT = "news_report"


# Published research: must carry a DOI or a PMID.
RESEARCH_DESIGNS = frozenset(
    {
        Design.SYSTEMATIC_REVIEW,
        Design.META_ANALYSIS,
        Design.RCT,
        Design.NON_RANDOMIZED_CONTROLLED,
        Design.COHORT,
        Design.CASE_SERIES,
        Design.EXPERT_OPINION,
    }
)
# Documents that are not research (notices, labels, price lists, news): must carry a URL.
DOCUMENT_DESIGNS = frozenset(set(Design) - RESEARCH_DESIGNS)
# Randomised evidence, or a synthesis of it, starts GRADE at High.
RANDOMISED_DESIGNS = frozenset({Design.RCT, Design.SYSTEMATIC_REVIEW, Design.META_ANALYSIS})


class Direction(StrEnum):
    SUPPORTS = "supports"
    NO_EFFECT = "no_effect"
    CONTRADICTS = "contradicts"
    MIXED = "mixed"


class RiskOfBias(StrEnum):
    LOW = "low"
    SOME_CONCERNS = "some_concerns"
    HIGH = "high"
    UNCLEAR = "unclear"


class Funding(StrEnum):
    INDEPENDENT = "independent"
    INDUSTRY = "industry"
    MIXED = "mixed"
    NOT_REPORTED = "not_reported"


class Certainty(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"


# Higher is more certain; 0 means "no evidence graded" (an untested claim).
CERTAINTY_RANK = {
    Certainty.HIGH: 4,
    Certainty.MODERATE: 3,
    Certainty.LOW: 2,
    Certainty.VERY_LOW: 1,
}


class Effect(StrEnum):
    NONE = "none"
    SMALL = "small"
    MODERATE = "moderate"
    LARGE = "large"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    SUPPORTED = "supported"
    MIXED = "mixed"
    NOT_SUPPORTED = "not_supported"
    CONTRADICTED = "contradicted"
    UNTESTED = "untested"
