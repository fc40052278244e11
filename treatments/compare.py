"""The side-by-side comparison table (pure: works on treatments whose relations are prefetched).

Rows are aligned across treatments; each row says whether its cells differ and, where "better"
is defined, which cells are best. The HTML table, the CSV download and the cost chart all read
the same rows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from evidence.vocabulary import CERTAINTY_RANK

from .choices import (
    FREQUENCY_RANK,
    INVASIVENESS_RANK,
    Frequency,
    SideEffectKind,
    SideEffectReporting,
)
from .costs import course_ranges, format_range, per_session_ranges
from .regulatory import status_summary

MIN_TREATMENTS = 2
MAX_TREATMENTS = 6

EFFECT_RANK = {"none": 0, "small": 1, "moderate": 2, "large": 3}
VERDICT_RANK = {"contradicted": 0, "not_supported": 1, "mixed": 2, "supported": 3}


@dataclass
class Cell:
    text: str
    score: float | None = None  # comparable value; higher is better (costs are negated)
    best: bool = False


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    help: str = ""
    differs: bool = field(init=False)

    def __post_init__(self):
        self.differs = len({cell.text for cell in self.cells}) > 1
        scores = [cell.score for cell in self.cells if cell.score is not None]
        # "Better" is only shown when at least two cells can be compared and they differ.
        if len(scores) >= 2 and len(set(scores)) > 1:
            top = max(scores)
            for cell in self.cells:
                cell.best = cell.score == top


@dataclass
class Section:
    title: str
    rows: list[Row]


def _row(key, label, treatments, cell: Callable[[object], Cell], help: str = "") -> Row:
    return Row(key, label, [cell(t) for t in treatments], help)


def _main_claim(treatment):
    return next((claim for claim in treatment.claims.all() if claim.is_main), None)


def _range_text(low, high, unit: str = "") -> str:
    if low is None and high is None:
        return "not reported"
    if low is None or high is None or low == high:
        value = low if low is not None else high
        return f"{value}{unit}"
    return f"{low}–{high}{unit}"


def evidence_section(treatments) -> Section:
    def certainty(t):
        label = t.get_headline_certainty_display() or "Not graded (untested)"
        return Cell(label, CERTAINTY_RANK.get(t.headline_certainty) if t.headline_certainty else 0)

    def effect(t):
        return Cell(t.get_headline_effect_display(), EFFECT_RANK.get(t.headline_effect))

    def verdict(t):
        return Cell(t.get_headline_verdict_display(), VERDICT_RANK.get(t.headline_verdict))

    def studies(t):
        claim = _main_claim(t)
        counts = claim.study_counts if claim else {}
        total = sum(counts.values())
        return Cell(f"{total} source{'s' if total != 1 else ''}" if total else "none")

    return Section(
        "Evidence on the main claim (cellulite appearance)",
        [
            _row("certainty", "Certainty of evidence", treatments, certainty),
            _row("effect", "Size of effect", treatments, effect),
            _row("verdict", "Verdict", treatments, verdict),
            _row("studies", "Sources behind it", treatments, studies),
        ],
    )


# A price per session without a number of sessions: there is a price, but no total to show.
COURSE_NOT_TOTALLED = "not totalled: number of sessions not reported"


def cost_section(treatments) -> Section:
    session_ranges = [per_session_ranges(t.costs.all()) for t in treatments]
    course = [course_ranges(t.costs.all(), t.sessions_min, t.sessions_max) for t in treatments]
    rows = []
    for key, label, ranges_per_treatment in (
        ("cost_session", "Price per session", session_ranges),
        ("cost_course", "Typical full course", course),
    ):
        currencies = sorted({c for ranges in ranges_per_treatment for c in ranges})
        for currency in currencies:
            cells = []
            for index, ranges in enumerate(ranges_per_treatment):
                found = ranges.get(currency)
                if found:
                    cells.append(Cell(str(found), -float(found.low)))
                elif key == "cost_course" and currency in session_ranges[index]:
                    cells.append(Cell(COURSE_NOT_TOTALLED))
                else:
                    cells.append(Cell(f"no {currency} price found"))
            rows.append(Row(f"{key}_{currency.lower()}", f"{label} ({currency})", cells))
        if not currencies:
            cells = [
                Cell(COURSE_NOT_TOTALLED if key == "cost_course" and prices else "no price found")
                for prices in session_ranges
            ]
            rows.append(Row(key, label, cells))
    return Section("Cost (prices as published, never converted)", rows)


def practical_section(treatments) -> Section:
    def sessions(t):
        text = _range_text(t.sessions_min, t.sessions_max)
        score = -t.sessions_max if t.sessions_max is not None else None
        return Cell(text, score)

    def downtime(t):
        score = -t.downtime_days_max if t.downtime_days_max is not None else None
        if t.downtime_days_max == 0:
            return Cell("none", score)
        return Cell(_range_text(t.downtime_days_min, t.downtime_days_max, " days"), score)

    def pain(t):
        if t.pain_score is not None:
            text = f"{t.pain_score}/10" + (f" — {t.pain}" if t.pain else "")
            return Cell(text, -float(t.pain_score))
        return Cell(t.pain or "not reported")

    def durability(t):
        score = t.results_last_months
        text = t.results_last or (f"{score} months" if score else "not reported")
        return Cell(text, float(score) if score is not None else None)

    def invasiveness(t):
        return Cell(t.get_invasiveness_display(), -INVASIVENESS_RANK[t.invasiveness])

    def regulatory(t):
        return Cell(status_summary(t.regulatory_events.all()))

    return Section(
        "Practicalities",
        [
            _row("modality", "Kind", treatments, lambda t: Cell(t.get_modality_display())),
            _row("invasiveness", "Invasiveness", treatments, invasiveness),
            _row("sessions", "Sessions", treatments, sessions),
            _row("downtime", "Downtime", treatments, downtime),
            _row("pain", "Pain", treatments, pain),
            _row("durability", "How long results last", treatments, durability),
            _row("regulatory", "Regulatory status", treatments, regulatory),
        ],
    )


NOT_LISTED_TEXT = {
    SideEffectReporting.LISTED: "not listed",
    SideEffectReporting.NONE_REPORTED: "none reported in studies",
    SideEffectReporting.NO_DATA: "no data",
}


def side_effect_section(treatments) -> Section:
    labels = dict(SideEffectKind.choices)
    kinds = sorted(
        {effect.kind for t in treatments for effect in t.side_effects.all()},
        key=lambda kind: list(labels).index(kind),
    )

    def cell_for(t, kind) -> Cell:
        effects = [effect for effect in t.side_effects.all() if effect.kind == kind]
        if not effects:
            return Cell(NOT_LISTED_TEXT[t.side_effects_status])
        reported = [e for e in effects if e.frequency != Frequency.NOT_REPORTED]
        if not reported:
            return Cell("reported, frequency not given")
        worst = max(
            reported,
            key=lambda e: (FREQUENCY_RANK[e.frequency], e.frequency_percent or Decimal(-1)),
        )
        text = worst.get_frequency_display()
        if worst.frequency_percent is not None:
            text += f" — {worst.frequency_percent.normalize():f}%"
        return Cell(text, -FREQUENCY_RANK[worst.frequency])

    rows = [
        Row(f"side_effect_{kind}", labels[kind], [cell_for(t, kind) for t in treatments])
        for kind in kinds
    ]
    return Section("Side effects (frequency as reported in studies)", rows)


MAIN_CLAIM_KEY = ""  # sorts first; every treatment's main claim shares this row


def _claim_key(claim) -> str:
    return MAIN_CLAIM_KEY if claim.is_main else claim.statement.lower()


def claim_section(treatments) -> Section:
    statements: dict[str, str] = {}
    for t in treatments:
        for claim in t.claims.all():
            label = "Main claim: improves cellulite" if claim.is_main else f"“{claim.statement}”"
            statements.setdefault(_claim_key(claim), label)

    def cell_for(t, key) -> Cell:
        claim = next((c for c in t.claims.all() if _claim_key(c) == key), None)
        if claim is None:
            return Cell("not claimed")
        certainty = claim.get_certainty_display()
        text = claim.get_verdict_display() + (
            f" ({certainty.lower()} certainty)" if certainty else ""
        )
        return Cell(text)

    rows = [
        Row(f"claim_{index}", label, [cell_for(t, key) for t in treatments])
        for index, (key, label) in enumerate(sorted(statements.items()))
    ]
    return Section("Claims made (verdict on each)", rows)


def build_comparison(treatments: Sequence) -> list[Section]:
    return [
        evidence_section(treatments),
        cost_section(treatments),
        practical_section(treatments),
        side_effect_section(treatments),
        claim_section(treatments),
    ]


def only_differences(sections: list[Section]) -> list[Section]:
    return [
        Section(section.title, rows)
        for section in sections
        if (rows := [row for row in section.rows if row.differs])
    ]


def csv_rows(treatments: Sequence, sections: list[Section]) -> list[list[str]]:
    rows = [["Section", "Row", *[t.name for t in treatments]]]
    for section in sections:
        for row in section.rows:
            rows.append([section.title, row.label, *[cell.text for cell in row.cells]])
    return rows


@dataclass(frozen=True)
class Bar:
    label: str
    low: Decimal
    high: Decimal
    text: str


def cost_chart_series(treatments) -> dict[str, list[Bar]]:
    """Per-session price bars grouped by currency, for the cost-range chart."""
    series: dict[str, list[Bar]] = {}
    for t in treatments:
        for currency, found in per_session_ranges(t.costs.all()).items():
            series.setdefault(currency, []).append(
                Bar(t.name, found.low, found.high, format_range(currency, found.low, found.high))
            )
    return dict(sorted(series.items()))
