from django.db import models


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class Modality(models.TextChoices):
    INJECTABLE = "injectable", "Injectable"
    MINIMALLY_INVASIVE = "minimally_invasive", "Minimally invasive procedure"
    ENERGY_DEVICE = "energy_device", "Energy-based device"
    MANUAL_MECHANICAL = "manual_mechanical", "Manual / mechanical"
    TOPICAL = "topical", "Topical"
    OTHER = "other", "Other"


class Invasiveness(models.TextChoices):
    NONE = "none", "Non-invasive"
    MINIMAL = "minimal", "Minimally invasive"
    MODERATE = "moderate", "Moderately invasive"
    SURGICAL = "surgical", "Surgical"


INVASIVENESS_RANK = {
    Invasiveness.NONE: 0,
    Invasiveness.MINIMAL: 1,
    Invasiveness.MODERATE: 2,
    Invasiveness.SURGICAL: 3,
}


class CostUnit(models.TextChoices):
    PER_SESSION = "per_session", "per session"
    PER_COURSE = "per_course", "per course"


class Frequency(models.TextChoices):
    """CIOMS frequency categories, plus "not reported" (which is not zero)."""

    VERY_COMMON = "very_common", "Very common (≥1 in 10)"
    COMMON = "common", "Common (1 in 100 to 1 in 10)"
    UNCOMMON = "uncommon", "Uncommon (1 in 1,000 to 1 in 100)"
    RARE = "rare", "Rare (1 in 10,000 to 1 in 1,000)"
    VERY_RARE = "very_rare", "Very rare (<1 in 10,000)"
    NOT_REPORTED = "not_reported", "Frequency not reported"


FREQUENCY_RANK = {
    Frequency.VERY_COMMON: 5,
    Frequency.COMMON: 4,
    Frequency.UNCOMMON: 3,
    Frequency.RARE: 2,
    Frequency.VERY_RARE: 1,
    Frequency.NOT_REPORTED: 0,
}


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    SERIOUS = "serious", "Serious"
    UNKNOWN = "unknown", "Severity not reported"


class SideEffectKind(models.TextChoices):
    BRUISING = "bruising", "Bruising"
    SWELLING = "swelling", "Swelling"
    PAIN = "pain", "Pain or tenderness"
    REDNESS = "redness", "Redness"
    HARDNESS = "hardness", "Hardness or nodules"
    DISCOLORATION = "discoloration", "Skin discoloration"
    NUMBNESS = "numbness", "Numbness or tingling"
    ITCHING = "itching", "Itching"
    BURN = "burn", "Burns or blisters"
    INFECTION = "infection", "Infection"
    IRREGULARITY = "irregularity", "Contour irregularities"
    NECROSIS = "necrosis", "Tissue necrosis or scarring"
    SKIN_IRRITATION = "skin_irritation", "Skin irritation or rash"
    SYSTEMIC = "systemic", "Systemic effects"
    OTHER = "other", "Other"


class SideEffectReporting(models.TextChoices):
    LISTED = "listed", "Side effects are listed"
    NONE_REPORTED = "none_reported", "Studies reported no side effects"
    NO_DATA = "no_data", "No source we reviewed reports on side effects"


class Region(models.TextChoices):
    US = "US", "United States"
    EU = "EU", "European Union"
    UK = "UK", "United Kingdom"
    CA = "CA", "Canada"
    AU = "AU", "Australia"
    BR = "BR", "Brazil"
    INTL = "INTL", "International"


class RegulatoryStatus(models.TextChoices):
    APPROVED = "approved", "Approved (drug)"
    CLEARED = "cleared", "Cleared (device)"
    CE_MARKED = "ce_marked", "CE marked"
    APPROVED_OTHER_USE = "approved_other_use", "Approved for another use only (off-label here)"
    NOT_APPROVED = "not_approved", "No approval for cellulite"
    COSMETIC = "cosmetic", "Sold as a cosmetic"
    WARNING = "warning", "Regulator warning"
    DISCONTINUED = "discontinued", "Discontinued"
    WITHDRAWN = "withdrawn", "Withdrawn by regulator"
