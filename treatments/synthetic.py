"""A large, realistic and plainly fake dataset for benchmarks and scale tests.

Every synthetic row is identifiable, so it can never be mistaken for curated data and `clear()`
removes it alone: treatment slugs start with "synthetic-", names and source titles with
"[Synthetic]", and every source has a DOI in Crossref's test prefix, 10.5555/synthetic.<n>.

The plan is drawn from one seeded random generator before anything is written (same seed, same
data), graded in memory by the regrading service's own function (evidence.services.grade_values),
then written with bulk inserts. Grading before the insert matters for speed: regrading 6,000 stored
claims through bulk_update takes ~45 s (one CASE expression per row and field), grading them in
memory well under a second; the result is identical (tests regrade afterwards and find nothing to
change).
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from config.caching import bump_data_version
from evidence.models import Claim, Finding, Outcome, Source
from evidence.services import grade_values, regrading_deferred
from evidence.vocabulary import CERTAINTY_RANK, Design

from .choices import (
    CostUnit,
    EditorialStatus,
    Frequency,
    Modality,
    Region,
    RegulatoryStatus,
    Severity,
    SideEffectKind,
)
from .models import CostEstimate, RegulatoryEvent, SideEffect, Treatment

SLUG_PREFIX = "synthetic-"
NAME_PREFIX = "[Synthetic] "
DOI_PREFIX = "10.5555/synthetic."  # Crossref's test prefix: resolves to no real paper.
URL_PREFIX = "https://example.org/synthetic/"
MAIN_OUTCOME = "cellulite-appearance"
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Technique:
    name: str
    modality: str  # Modality value
    invasiveness: str  # Invasiveness value
    sessions: tuple[int, int] | None  # None: used at home, daily
    downtime_days: tuple[int, int]
    usd_per_session: tuple[int, int]


TECHNIQUES = [
    Technique("radiofrequency", "energy_device", "none", (4, 10), (0, 1), (150, 400)),
    Technique("acoustic wave therapy", "energy_device", "none", (6, 12), (0, 0), (100, 250)),
    Technique("cryolipolysis", "energy_device", "none", (1, 3), (0, 3), (600, 1500)),
    Technique("laser lipolysis", "minimally_invasive", "moderate", (1, 1), (3, 10), (2000, 5000)),
    Technique("subcision", "minimally_invasive", "minimal", (1, 2), (3, 14), (1000, 3500)),
    Technique("mesotherapy", "injectable", "minimal", (4, 10), (1, 7), (150, 500)),
    Technique("collagenase injections", "injectable", "minimal", (1, 3), (3, 14), (800, 2500)),
    Technique("carboxytherapy", "injectable", "minimal", (6, 12), (0, 2), (80, 200)),
    Technique("biostimulator filler", "injectable", "minimal", (1, 3), (1, 5), (700, 1800)),
    Technique("mechanical massage", "manual_mechanical", "none", (10, 20), (0, 0), (60, 150)),
    Technique("compression garment", "manual_mechanical", "none", None, (0, 0), (40, 120)),
    Technique("caffeine cream", "topical", "none", None, (0, 0), (20, 80)),
    Technique("retinol lotion", "topical", "none", None, (0, 0), (25, 90)),
    Technique("fat grafting", "other", "surgical", (1, 1), (7, 21), (3000, 8000)),
]
QUALIFIERS = [
    "Pulsed", "Fractional", "Bipolar", "Vacuum-assisted", "Dual-wave", "Deep", "Targeted",
    "Low-level", "Combined", "Focused", "Multipolar", "Cooling", "Micro", "Gentle", "Express",
]  # fmt: skip
# (statement, kind, outcome slug, claimed by); the main claim is added to every treatment.
MAIN_CLAIMS = ["smooths cellulite", "visibly reduces dimpling", "reduces cellulite severity"]
OTHER_CLAIMS = [
    ("melts fat", "mechanism", "fat-thickness", "clinics"),
    ("reduces thigh circumference", "efficacy", "circumference", "manufacturer"),
    ("tightens loose skin", "efficacy", "skin-laxity", "clinics"),
    ("improves circulation", "mechanism", "circulation", "clinics"),
    ("boosts collagen", "mechanism", "connective-tissue", "manufacturer"),
    ("drains excess fluid", "mechanism", "lymphatic-drainage", "clinics"),
    ("virtually painless", "safety", "pain", "clinics"),
    ("minimal bruising", "safety", "bruising-and-swelling", "practitioners"),
    ("results after a couple of sessions", "convenience", "sessions-needed", "clinics"),
    ("long-lasting results", "efficacy", "durability", "manufacturer"),
    ("patients love the results", "efficacy", "patient-satisfaction", "media"),
    ("cheaper than surgery", "cost", "cost", "clinics"),
    ("reverses skin ageing", "efficacy", "skin-ageing", "media"),
]
MAX_CLAIMS = 1 + len(OTHER_CLAIMS)

# Research designs with their share of the studies, typical size and the risk of bias they carry.
STUDY_DESIGNS = [
    (Design.RCT, 20, (20, 200), ["low", "some_concerns", "high"]),
    (Design.SYSTEMATIC_REVIEW, 4, (100, 1500), ["low", "some_concerns"]),
    (Design.META_ANALYSIS, 2, (200, 2000), ["low", "some_concerns"]),
    (Design.NON_RANDOMIZED_CONTROLLED, 12, (20, 150), ["some_concerns", "high"]),
    (Design.COHORT, 10, (30, 500), ["some_concerns", "high", "unclear"]),
    (Design.CASE_SERIES, 45, (5, 60), ["high", "unclear"]),
    (Design.EXPERT_OPINION, 7, None, ["high", "unclear"]),
]
DESIGN_TITLES = {
    Design.RCT: "A randomised controlled trial of",
    Design.SYSTEMATIC_REVIEW: "A systematic review of",
    Design.META_ANALYSIS: "A meta-analysis of",
    Design.NON_RANDOMIZED_CONTROLLED: "A controlled comparison of",
    Design.COHORT: "Outcomes in a cohort treated with",
    Design.CASE_SERIES: "A case series of",
    Design.EXPERT_OPINION: "An expert review of",
}
SURNAMES = ["Doe", "Roe", "Moe", "Poe", "Loe", "Noe", "Zoe", "Toe", "Hoe", "Koe"]
JOURNALS = [
    "Synthetic Journal of Aesthetic Medicine",
    "Synthetic Dermatology Reports",
    "Synthetic Skin Research",
]
# (region, currency, rough rate from USD): prices are drawn per currency, never converted on site.
CURRENCIES = [
    (Region.US, "USD", 1.0),
    (Region.EU, "EUR", 0.9),
    (Region.UK, "GBP", 0.8),
    (Region.CA, "CAD", 1.35),
    (Region.AU, "AUD", 1.5),
    (Region.BR, "BRL", 5.0),
]
FREQUENCY_WEIGHTS = [
    (Frequency.VERY_COMMON, 25),
    (Frequency.COMMON, 30),
    (Frequency.UNCOMMON, 20),
    (Frequency.RARE, 8),
    (Frequency.VERY_RARE, 2),
    (Frequency.NOT_REPORTED, 15),
]
DIRECTION_WEIGHTS = [("supports", 50), ("mixed", 15), ("no_effect", 25), ("contradicts", 10)]


def synthetic_treatments():
    return Treatment.objects.filter(slug__startswith=SLUG_PREFIX)


def synthetic_sources():
    return Source.objects.filter(doi__startswith=DOI_PREFIX)


@dataclass
class Counts:
    treatments: int = 0
    sources: int = 0
    claims: int = 0
    findings: int = 0
    costs: int = 0
    side_effects: int = 0
    regulatory_events: int = 0

    def describe(self) -> str:
        return ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in vars(self).items())


class SyntheticDataError(Exception):
    pass


@dataclass
class _Plan:
    """Unsaved rows; children point at their parents by index until the parents have ids."""

    sources: list[Source] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    # (treatment index, field name, source index) for the sourced facts on a treatment page.
    fact_sources: list[tuple[int, str, int]] = field(default_factory=list)
    claims: list[tuple[int, Claim]] = field(default_factory=list)
    findings: list[tuple[int, int, Finding]] = field(default_factory=list)  # claim, source
    # (treatment index, source index or None, row) for costs, side effects, regulatory events.
    details: list[tuple[int, int | None, CostEstimate | SideEffect | RegulatoryEvent]] = field(
        default_factory=list
    )

    def counts(self) -> Counts:
        kinds = [type(row) for _, _, row in self.details]
        return Counts(
            treatments=len(self.treatments),
            sources=len(self.sources),
            claims=len(self.claims),
            findings=len(self.findings),
            costs=kinds.count(CostEstimate),
            side_effects=kinds.count(SideEffect),
            regulatory_events=kinds.count(RegulatoryEvent),
        )


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


class _Planner:
    def __init__(self, seed: int, outcomes: dict[str, Outcome]):
        self.rng = random.Random(seed)
        self.outcomes = outcomes
        self.plan = _Plan()
        self.studies: list[int] = []  # indexes of research sources
        self.price_lists: list[int] = []
        self.notices: list[int] = []

    def source(self, **values) -> int:
        n = len(self.plan.sources) + 1
        authors = ", ".join(
            f"{self.rng.choice(SURNAMES)} {self.rng.choice('ABCDEFGHJKLMNPRS')}"
            for _ in range(self.rng.randint(1, 4))
        )
        self.plan.sources.append(
            Source(
                doi=f"{DOI_PREFIX}{n}",
                authors=authors,
                journal=self.rng.choice(JOURNALS),
                verified_from="Generated by manage.py generate_synthetic: not a real publication.",
                **values,
            )
        )
        return n - 1

    def add_study(self) -> None:
        rng = self.rng
        design, _, size, biases = rng.choices(STUDY_DESIGNS, [d[1] for d in STUDY_DESIGNS])[0]
        technique = rng.choice(TECHNIQUES).name
        self.studies.append(
            self.source(
                title=f"{NAME_PREFIX}{DESIGN_TITLES[design]} {technique} for cellulite",
                year=rng.randint(1995, 2025),
                design=design,
                participants=rng.randint(*size) if size else None,
                followup_weeks=rng.choice([None, 4, 8, 12, 24, 26, 52]),
                outcome_measure=rng.choice(
                    ["Hexsel CSS", "CR-PCSS", "GAIS", "Thigh circumference"]
                ),
                funding=rng.choice(["independent", "industry", "mixed", "not_reported"]),
                risk_of_bias=rng.choice(biases),
                plain_finding=f"Synthetic result for {technique}; not real data.",
                # A few drafts, as on the real site: they are hidden and do not count in grades.
                status=EditorialStatus.PUBLISHED if rng.random() < 0.97 else EditorialStatus.DRAFT,
            )
        )

    def add_documents(self, count: int) -> None:
        for n in range(1, count + 1):
            year = self.rng.randint(2015, 2025)
            for kind, title, design, indexes in (
                ("price-survey", "Clinic price survey", Design.PRICE_SURVEY, self.price_lists),
                ("notice", "Regulatory notice", Design.REGULATORY_NOTICE, self.notices),
            ):
                indexes.append(
                    self.source(
                        title=f"{NAME_PREFIX}{title} {n}",
                        year=year,
                        design=design,
                        url=f"{URL_PREFIX}{kind}-{n}",
                        status=EditorialStatus.PUBLISHED,
                    )
                )

    def add_treatment(self, n: int, claim_count: int | None) -> None:
        rng, plan = self.rng, self.plan
        technique = rng.choice(TECHNIQUES)
        label = f"{rng.choice(QUALIFIERS)} {technique.name}"
        sessions_min = sessions_max = None
        if technique.sessions:
            sessions_min = rng.randint(*technique.sessions)
            sessions_max = rng.randint(sessions_min, technique.sessions[1] + 2)
        downtime_min = rng.randint(*technique.downtime_days)
        plan.treatments.append(
            Treatment(
                name=f"{NAME_PREFIX}{label} {n:04d}",
                slug=f"{SLUG_PREFIX}{n:04d}-{slugify(label)}",
                aliases="\n".join(
                    rng.sample(
                        [f"{technique.name} therapy", f"{label.lower()} treatment", f"synth-{n}"],
                        rng.randint(0, 3),
                    )
                ),
                summary=f"Synthetic record for benchmarks: a made-up {technique.name} treatment. "
                "Nothing on this page describes a real product or study.",
                how_it_works=f"Said to work like other {technique.name} treatments (synthetic).",
                modality=technique.modality,
                invasiveness=technique.invasiveness,
                sessions_min=sessions_min,
                sessions_max=sessions_max,
                session_interval=rng.choice(["weekly", "monthly"]) if sessions_max else "daily",
                session_minutes=rng.choice([20, 30, 45, 60, 90]) if sessions_max else None,
                downtime_days_min=downtime_min,
                downtime_days_max=rng.randint(downtime_min, technique.downtime_days[1]),
                pain_score=Decimal(rng.randint(0, 80)) / 10,
                pain=rng.choice(["", "mild discomfort", "stinging during treatment"]),
                results_last=rng.choice(["", "about six months", "up to a year"]),
                results_last_months=rng.choice([None, 3, 6, 12, 24]),
                questions_to_ask="How many sessions will I need?\nWhat does a full course cost?",
                status=EditorialStatus.PUBLISHED,
                last_reviewed=datetime.date(2024, 1, 1) + datetime.timedelta(rng.randint(0, 700)),
            )
        )
        index = len(plan.treatments) - 1
        for name in ("sessions_source", "downtime_source", "pain_source", "results_last_source"):
            if rng.random() < 0.6:
                plan.fact_sources.append((index, name, rng.choice(self.studies)))
        self.add_claims(index, claim_count or rng.randint(4, 8))
        self.add_costs(index, technique)
        self.add_side_effects(index)
        self.add_events(index, technique)

    def add_claims(self, treatment: int, count: int) -> None:
        rng, plan = self.rng, self.plan
        templates = [(rng.choice(MAIN_CLAIMS), "efficacy", MAIN_OUTCOME, "clinics")]
        templates += rng.sample(OTHER_CLAIMS, count - 1)
        for position, (statement, kind, outcome, claimed_by) in enumerate(templates):
            claim = Claim(
                statement=statement,
                kind=kind,
                claimed_by=claimed_by,
                outcome=self.outcomes.get(outcome),
                is_main=position == 0,
                position=position,
                summary="Synthetic claim, graded from synthetic studies.",
            )
            if rng.random() < 0.02:
                claim.certainty_override = rng.choice(["low", "very_low"])
                claim.override_rationale = "Synthetic override, to exercise how overrides show."
            plan.claims.append((treatment, claim))
            for source in rng.sample(self.studies, min(rng.randint(1, 5), len(self.studies))):
                direction = _weighted(rng, DIRECTION_WEIGHTS)
                if direction == "supports":
                    effect = rng.choice(["small", "moderate", "large", "unknown"])
                else:
                    effect = (
                        "none" if direction == "no_effect" else rng.choice(["small", "unknown"])
                    )
                finding = Finding(
                    direction=direction,
                    effect_size=effect,
                    effect_text=rng.choice(["", f"{rng.randint(5, 40) / 10}-point CSS change"]),
                    indirect=rng.random() < 0.15,
                )
                plan.findings.append((len(plan.claims) - 1, source, finding))

    def add_costs(self, treatment: int, technique: Technique) -> None:
        rng = self.rng
        for region, currency, rate in rng.sample(CURRENCIES, rng.randint(1, 3)):
            unit = CostUnit.PER_SESSION if rng.random() < 0.8 else CostUnit.PER_COURSE
            low = round(rng.randint(*technique.usd_per_session) * rate)
            if unit == CostUnit.PER_COURSE:
                low *= rng.randint(3, 8)
            cost = CostEstimate(
                region=region,
                currency=currency,
                min_amount=Decimal(low),
                max_amount=Decimal(round(low * rng.uniform(1.2, 2.5))),
                unit=unit,
                price_year=rng.randint(2019, 2025),
            )
            self.plan.details.append((treatment, rng.choice(self.price_lists), cost))

    def add_side_effects(self, treatment: int) -> None:
        rng = self.rng
        for kind in rng.sample(list(SideEffectKind), rng.randint(1, 5)):
            frequency = _weighted(rng, FREQUENCY_WEIGHTS)
            reported = frequency != Frequency.NOT_REPORTED
            percent = rng.randint(1, 600) if reported and rng.random() < 0.4 else None
            effect = SideEffect(
                kind=kind,
                name=kind.label,
                frequency=frequency,
                frequency_percent=Decimal(percent) / 10 if percent else None,
                severity=rng.choice(list(Severity)),
                duration=rng.choice(["", "a few days", "about a week", "up to a month"]),
            )
            # A reported frequency needs its source; "not reported" may stand alone.
            self.plan.details.append(
                (treatment, rng.choice(self.studies) if reported else None, effect)
            )

    def add_events(self, treatment: int, technique: Technique) -> None:
        rng = self.rng
        if technique.modality == Modality.ENERGY_DEVICE:
            first = RegulatoryStatus.CLEARED
        else:
            first = rng.choice(
                [
                    RegulatoryStatus.APPROVED,
                    RegulatoryStatus.NOT_APPROVED,
                    RegulatoryStatus.COSMETIC,
                ]
            )
        later = [
            RegulatoryStatus.CE_MARKED,
            RegulatoryStatus.WARNING,
            RegulatoryStatus.DISCONTINUED,
        ]
        date = datetime.date(2005, 1, 1) + datetime.timedelta(rng.randint(0, 5000))
        for status in [first, *rng.sample(later, rng.randint(0, 2))]:
            event = RegulatoryEvent(
                region=Region.EU if status == RegulatoryStatus.CE_MARKED else Region.US,
                status=status,
                date=date,
                product=f"Synthetic {technique.name} product",
                description=f"Synthetic regulatory event: {status.label.lower()}.",
            )
            self.plan.details.append((treatment, rng.choice(self.notices), event))
            date += datetime.timedelta(rng.randint(100, 1500))


def plan(treatments: int, studies: int, seed: int, claims_per_treatment: int | None) -> _Plan:
    """Draw and grade the whole dataset in memory from `seed` alone (reads, never writes)."""
    if treatments < 1 or studies < 1:
        raise SyntheticDataError("Generate at least one treatment and one study.")
    if claims_per_treatment is not None and not 1 <= claims_per_treatment <= MAX_CLAIMS:
        raise SyntheticDataError(f"--claims-per-treatment must be between 1 and {MAX_CLAIMS}.")
    outcomes = {outcome.slug: outcome for outcome in Outcome.objects.all()}
    if MAIN_OUTCOME not in outcomes:
        raise SyntheticDataError(
            f"The outcome “{MAIN_OUTCOME}” is missing: run `manage.py load_curated` first."
        )
    planner = _Planner(seed, outcomes)
    for _ in range(studies):
        planner.add_study()
    planner.add_documents(max(1, treatments // 20))
    for n in range(1, treatments + 1):
        planner.add_treatment(n, claims_per_treatment)
    _grade(planner.plan)
    return planner.plan


def _grade(plan: _Plan) -> None:
    """Grade every claim as the regrading service would, and copy main grades onto treatments."""
    findings: dict[int, list[Finding]] = {index: [] for index in range(len(plan.claims))}
    for claim, source, finding in plan.findings:
        finding.source = plan.sources[source]
        findings[claim].append(finding)
    now = timezone.now()
    for index, (treatment_index, claim) in enumerate(plan.claims):
        for name, value in grade_values(claim, findings[index]).items():
            setattr(claim, name, value)
        claim.graded_at = now
        if claim.is_main:
            treatment = plan.treatments[treatment_index]
            treatment.headline_certainty = claim.certainty
            treatment.certainty_rank = CERTAINTY_RANK.get(claim.certainty, 0)
            treatment.headline_verdict = claim.verdict
            treatment.headline_effect = claim.effect


def _write(plan: _Plan) -> None:
    sources = Source.objects.bulk_create(plan.sources, batch_size=BATCH_SIZE)
    for treatment, name, source in plan.fact_sources:
        setattr(plan.treatments[treatment], name, sources[source])
    treatments = Treatment.objects.bulk_create(plan.treatments, batch_size=BATCH_SIZE)
    for treatment, claim in plan.claims:
        claim.treatment = treatments[treatment]
    claims = Claim.objects.bulk_create([claim for _, claim in plan.claims], batch_size=BATCH_SIZE)
    for claim, source, finding in plan.findings:
        finding.claim, finding.source = claims[claim], sources[source]
    Finding.objects.bulk_create([f for _, _, f in plan.findings], batch_size=BATCH_SIZE)
    for model in (CostEstimate, SideEffect, RegulatoryEvent):
        rows = []
        for treatment, source, row in plan.details:
            if type(row) is model:
                row.treatment = treatments[treatment]
                row.source = sources[source] if source is not None else None
                rows.append(row)
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class _DryRun(Exception):
    pass


def generate(
    treatments: int,
    studies: int,
    seed: int,
    claims_per_treatment: int | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> tuple[Counts, Counts]:
    """Write the planned dataset, all or nothing; returns (rows cleared, rows created).

    `replace` first clears earlier synthetic data; `dry_run` writes everything (so the database
    checks every constraint), then rolls back.
    """
    data = plan(treatments, studies, seed, claims_per_treatment)
    cleared = Counts()
    try:
        with transaction.atomic(), regrading_deferred():
            if replace:
                cleared = clear()
            elif synthetic_treatments().exists() or synthetic_sources().exists():
                raise SyntheticDataError(
                    "Synthetic data is already present: add --clear to replace it."
                )
            _write(data)
            if dry_run:
                raise _DryRun
            # bulk_create sends no signals: bump the shared data version once, after commit.
            transaction.on_commit(bump_data_version)
            transaction.on_commit(analyze)
    except _DryRun:
        pass
    return cleared, data.counts()


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load.

    Without them PostgreSQL plans for empty tables: the treatment page's findings query took 90 ms
    instead of 1 ms at 1,000 treatments (autovacuum would catch up, unless it is off or not yet
    run).
    """
    models = [Source, Treatment, Claim, Finding, CostEstimate, SideEffect, RegulatoryEvent]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def clear() -> Counts:
    """Delete every synthetic row and nothing else; curated rows are never touched."""
    treatments = synthetic_treatments()
    sources = synthetic_sources()
    curated = Treatment.objects.exclude(pk__in=treatments)
    cited = (
        Finding.objects.filter(source__in=sources).exclude(claim__treatment__in=treatments).count()
        + curated.filter(costs__source__in=sources).count()
        + curated.filter(side_effects__source__in=sources).count()
        + curated.filter(regulatory_events__source__in=sources).count()
        + curated.filter(
            Q(sessions_source__in=sources)
            | Q(downtime_source__in=sources)
            | Q(pain_source__in=sources)
            | Q(results_last_source__in=sources)
        ).count()
    )
    if cited:
        raise SyntheticDataError(
            f"{cited} curated row(s) cite a synthetic source: change them before clearing."
        )
    db = treatments.db
    with transaction.atomic(using=db):
        # Raw deletes, children first: synthetic rows have no history to keep, and per-row
        # delete signals would regrade and bump the cache once per row, tens of thousands of times.
        counts = Counts(
            findings=Finding.objects.filter(claim__treatment__in=treatments)._raw_delete(db),
            claims=Claim.objects.filter(treatment__in=treatments)._raw_delete(db),
            costs=CostEstimate.objects.filter(treatment__in=treatments)._raw_delete(db),
            side_effects=SideEffect.objects.filter(treatment__in=treatments)._raw_delete(db),
            regulatory_events=RegulatoryEvent.objects.filter(treatment__in=treatments)._raw_delete(
                db
            ),
            treatments=treatments._raw_delete(db),
            sources=sources._raw_delete(db),
        )
        if any(vars(counts).values()):
            transaction.on_commit(bump_data_version, using=db)
    return counts
