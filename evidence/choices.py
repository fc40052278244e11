"""Django choices built from the plain evidence vocabulary (values must stay identical)."""

from django.db import models

from .vocabulary import Certainty, Design, Direction, Effect, Funding, RiskOfBias, Verdict


class DesignChoices(models.TextChoices):
    SYSTEMATIC_REVIEW = Design.SYSTEMATIC_REVIEW, "Systematic review"
    META_ANALYSIS = Design.META_ANALYSIS, "Meta-analysis"
    RCT = Design.RCT, "Randomised controlled trial"
    NON_RANDOMIZED_CONTROLLED = Design.NON_RANDOMIZED_CONTROLLED, "Non-randomised controlled study"
    COHORT = Design.COHORT, "Cohort / observational study"
    CASE_SERIES = Design.CASE_SERIES, "Case series (no control group)"
    EXPERT_OPINION = Design.EXPERT_OPINION, "Narrative review / expert opinion"
    REGULATORY_NOTICE = Design.REGULATORY_NOTICE, "Regulatory notice"
    PRODUCT_LABEL = Design.PRODUCT_LABEL, "Product label or prescribing information"
    MARKETING_MATERIAL = Design.MARKETING_MATERIAL, "Marketing material"
    PRICE_SURVEY = Design.PRICE_SURVEY, "Price survey or price list"
    NEWS_REPORT = Design.NEWS_REPORT, "News or trade-press report"


class DirectionChoices(models.TextChoices):
    SUPPORTS = Direction.SUPPORTS, "Supports the claim"
    NO_EFFECT = Direction.NO_EFFECT, "Found no effect"
    CONTRADICTS = Direction.CONTRADICTS, "Contradicts the claim"
    MIXED = Direction.MIXED, "Mixed"


class RiskOfBiasChoices(models.TextChoices):
    LOW = RiskOfBias.LOW, "Low"
    SOME_CONCERNS = RiskOfBias.SOME_CONCERNS, "Some concerns"
    HIGH = RiskOfBias.HIGH, "High"
    UNCLEAR = RiskOfBias.UNCLEAR, "Unclear"


class FundingChoices(models.TextChoices):
    INDEPENDENT = Funding.INDEPENDENT, "Independent"
    INDUSTRY = Funding.INDUSTRY, "Industry-funded or industry-linked authors"
    MIXED = Funding.MIXED, "Mixed"
    NOT_REPORTED = Funding.NOT_REPORTED, "Not reported"


class CertaintyChoices(models.TextChoices):
    HIGH = Certainty.HIGH, "High"
    MODERATE = Certainty.MODERATE, "Moderate"
    LOW = Certainty.LOW, "Low"
    VERY_LOW = Certainty.VERY_LOW, "Very low"


class EffectChoices(models.TextChoices):
    NONE = Effect.NONE, "None"
    SMALL = Effect.SMALL, "Small"
    MODERATE = Effect.MODERATE, "Moderate"
    LARGE = Effect.LARGE, "Large"
    UNKNOWN = Effect.UNKNOWN, "Unknown"


class VerdictChoices(models.TextChoices):
    SUPPORTED = Verdict.SUPPORTED, "Supported"
    MIXED = Verdict.MIXED, "Mixed"
    NOT_SUPPORTED = Verdict.NOT_SUPPORTED, "Not supported"
    CONTRADICTED = Verdict.CONTRADICTED, "Contradicted"
    UNTESTED = Verdict.UNTESTED, "Untested"


class ClaimKind(models.TextChoices):
    EFFICACY = "efficacy", "Efficacy"
    MECHANISM = "mechanism", "How it works"
    SAFETY = "safety", "Safety and comfort"
    CONVENIENCE = "convenience", "Sessions and speed"
    COST = "cost", "Cost"
    HISTORY = "history", "History and status"


class ClaimedBy(models.TextChoices):
    CLINICS = "clinics", "Clinics and spas"
    MANUFACTURER = "manufacturer", "Manufacturer"
    PRACTITIONERS = "practitioners", "Practitioners"
    MEDIA = "media", "Media"
