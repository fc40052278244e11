"""The comparison table by hand, on unsaved treatments with their relations attached (no database).

Each relation is handed over the way `for_comparison()` prefetches it, so a test that reached the
database would fail: pytest-django blocks it here.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from evidence.models import Claim
from treatments.compare import (
    COURSE_NOT_TOTALLED,
    Cell,
    Row,
    build_comparison,
    cost_chart_series,
    csv_rows,
    only_differences,
)
from treatments.models import CostEstimate, RegulatoryEvent, SideEffect, Treatment

_ids = itertools.count(1)


def treatment(name, *, claims=(), costs=(), side_effects=(), events=(), **fields) -> Treatment:
    values = {
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "modality": "injectable",
        "invasiveness": "minimal",
        "headline_certainty": "",
        "headline_verdict": "untested",
        "headline_effect": "unknown",
    }
    values.update(fields)
    result = Treatment(pk=next(_ids), **values)
    result._prefetched_objects_cache = {
        "claims": list(claims),
        "costs": list(costs),
        "side_effects": list(side_effects),
        "regulatory_events": list(events),
    }
    return result


def claim(statement, verdict="untested", certainty="", is_main=False, **fields) -> Claim:
    return Claim(
        pk=next(_ids),
        statement=statement,
        verdict=verdict,
        certainty=certainty,
        is_main=is_main,
        **fields,
    )


def cost(currency="USD", low="100", high="300", unit="per_session") -> CostEstimate:
    return CostEstimate(
        pk=next(_ids),
        currency=currency,
        min_amount=Decimal(low),
        max_amount=Decimal(high),
        unit=unit,
        price_year=2024,
    )


def side_effect(kind, frequency="not_reported", percent=None) -> SideEffect:
    return SideEffect(
        pk=next(_ids),
        kind=kind,
        name=kind,
        frequency=frequency,
        frequency_percent=None if percent is None else Decimal(percent),
    )


def event(status, when, region="US") -> RegulatoryEvent:
    return RegulatoryEvent(pk=next(_ids), region=region, status=status, date=when)


def row(sections, label) -> Row:
    return next(r for section in sections for r in section.rows if r.label == label)


def texts(r: Row) -> list[str]:
    return [cell.text for cell in r.cells]


def best(r: Row) -> list[bool]:
    return [cell.best for cell in r.cells]


# -- shape -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 6])
def test_every_row_has_one_cell_per_treatment_in_column_order(count):
    treatments = [
        treatment(
            f"T{i}",
            claims=[claim(f"claim {i}"), claim("reduces cellulite", is_main=True)],
            costs=[cost("EUR" if i % 2 else "USD")],
            side_effects=[side_effect("bruising" if i % 2 else "pain", "common")],
            sessions_min=i + 1,
            sessions_max=i + 2,
        )
        for i in range(count)
    ]
    sections = build_comparison(treatments)
    assert [s.title for s in sections] == [
        "Evidence on the main claim (cellulite appearance)",
        "Cost (prices as published, never converted)",
        "Practicalities",
        "Side effects (frequency as reported in studies)",
        "Claims made (verdict on each)",
    ]
    for section in sections:
        assert section.rows
        for r in section.rows:
            assert len(r.cells) == count, r.label
    # The sessions row follows the columns' order.
    assert texts(row(sections, "Sessions")) == [f"{i + 1}–{i + 2}" for i in range(count)]


def test_a_row_differs_only_when_its_texts_differ():
    a = treatment("A", modality="topical", invasiveness="none")
    b = treatment("B", modality="topical", invasiveness="minimal")
    sections = build_comparison([a, b])
    assert not row(sections, "Kind").differs
    assert row(sections, "Invasiveness").differs


def test_only_differences_keeps_differing_rows_and_drops_empty_sections():
    a = treatment("A", headline_certainty="low", claims=[claim("x", is_main=True)])
    b = treatment("B", headline_certainty="high", claims=[claim("y", is_main=True)], pain="mild")
    sections = build_comparison([a, b])
    kept = only_differences(sections)
    kept_rows = [r for section in kept for r in section.rows]
    assert kept_rows
    assert all(r.differs for r in kept_rows)
    assert [r.label for r in kept_rows] == [
        r.label for section in sections for r in section.rows if r.differs
    ]
    # Nothing differs on price, side effects or claims (both untested, no prices): gone.
    assert [s.title for s in kept] == [
        "Evidence on the main claim (cellulite appearance)",
        "Practicalities",
    ]


def test_only_differences_of_identical_treatments_is_empty():
    a, b = treatment("A"), treatment("B")
    assert only_differences(build_comparison([a, b])) == []


# -- better values -----------------------------------------------------------------------------


def test_higher_certainty_and_better_verdict_are_best():
    a = treatment("A", headline_certainty="very_low", headline_verdict="mixed")
    b = treatment("B", headline_certainty="high", headline_verdict="supported")
    c = treatment("C", headline_certainty="", headline_verdict="untested")
    sections = build_comparison([a, b, c])
    assert texts(row(sections, "Certainty of evidence")) == [
        "Very low",
        "High",
        "Not graded (untested)",
    ]
    assert best(row(sections, "Certainty of evidence")) == [False, True, False]
    # "Untested" is not a better or worse verdict: it has no score.
    assert best(row(sections, "Verdict")) == [False, True, False]


def test_lower_price_fewer_sessions_less_downtime_and_pain_are_best():
    a = treatment(
        "A",
        costs=[cost("USD", "80", "150")],
        sessions_min=6,
        sessions_max=10,
        downtime_days_min=0,
        downtime_days_max=0,
        pain_score=Decimal("2.5"),
        results_last_months=6,
    )
    b = treatment(
        "B",
        costs=[cost("USD", "1000", "1500")],
        sessions_min=1,
        sessions_max=1,
        downtime_days_min=3,
        downtime_days_max=7,
        pain_score=Decimal("6"),
        results_last_months=36,
    )
    sections = build_comparison([a, b])
    assert texts(row(sections, "Price per session (USD)")) == ["USD 80–150", "USD 1,000–1,500"]
    assert best(row(sections, "Price per session (USD)")) == [True, False]
    assert best(row(sections, "Sessions")) == [False, True]
    assert texts(row(sections, "Downtime")) == ["none", "3–7 days"]
    assert best(row(sections, "Downtime")) == [True, False]
    assert texts(row(sections, "Pain")) == ["2.5/10", "6/10"]
    assert best(row(sections, "Pain")) == [True, False]
    assert best(row(sections, "How long results last")) == [False, True]
    assert best(row(sections, "Invasiveness")) == [False, False]  # equal: nothing to prefer


def test_best_needs_two_comparable_values():
    a = treatment("A", sessions_min=1, sessions_max=1)
    b = treatment("B")  # sessions not reported: not comparable, not "worst"
    sessions = row(build_comparison([a, b]), "Sessions")
    assert texts(sessions) == ["1", "not reported"]
    assert best(sessions) == [False, False]


def test_ties_for_best_are_all_marked():
    treatments = [
        treatment("A", sessions_max=3, sessions_min=1),
        treatment("B", sessions_max=3, sessions_min=2),
        treatment("C", sessions_max=8, sessions_min=4),
    ]
    assert best(row(build_comparison(treatments), "Sessions")) == [True, True, False]


def test_rows_without_a_defined_better_never_mark_best():
    a = treatment("A", modality="topical", events=[event("cleared", date(2016, 1, 1))])
    b = treatment("B", modality="injectable", events=[event("withdrawn", date(2020, 1, 1))])
    sections = build_comparison([a, b])
    for label in ("Kind", "Regulatory status", "Sources behind it", "Size of effect"):
        assert best(row(sections, label)) == [False, False], label


def test_row_computes_best_from_scores_and_ignores_unscored_cells():
    r = Row("k", "label", [Cell("a", 1.0), Cell("b"), Cell("c", 3.0), Cell("d", 3.0)])
    assert best(r) == [False, False, True, True]
    assert r.differs


# -- costs -------------------------------------------------------------------------------------


def test_prices_are_compared_per_currency_never_converted():
    a = treatment("A", costs=[cost("USD", "100", "200"), cost("GBP", "50", "90")], sessions_min=2)
    b = treatment("B", costs=[cost("EUR", "120", "180")], sessions_max=4)
    sections = build_comparison([a, b])
    labels = [r.label for r in sections[1].rows]
    assert labels == [
        "Price per session (EUR)",
        "Price per session (GBP)",
        "Price per session (USD)",
        "Typical full course (EUR)",
        "Typical full course (GBP)",
        "Typical full course (USD)",
    ]
    assert texts(row(sections, "Price per session (EUR)")) == ["no EUR price found", "EUR 120–180"]
    # One price per currency: nothing to compare, nothing marked.
    assert best(row(sections, "Price per session (USD)")) == [False, False]


def test_typical_course_multiplies_by_sessions_and_says_when_it_cannot():
    a = treatment("A", costs=[cost("USD", "100", "200")], sessions_min=3, sessions_max=5)
    b = treatment("B", costs=[cost("USD", "80", "150")])  # sessions not reported
    c = treatment("C", costs=[cost("USD", "650", "650", unit="per_course")])
    d = treatment("D")
    course = row(build_comparison([a, b, c, d]), "Typical full course (USD)")
    assert texts(course) == ["USD 300–1,000", COURSE_NOT_TOTALLED, "USD 650", "no USD price found"]
    assert best(course) == [True, False, False, False]


def test_course_row_without_any_total_still_tells_session_prices_from_no_price():
    a = treatment("A", costs=[cost("CHF", "100", "1200")])  # sessions not reported
    b = treatment("B")
    sections = build_comparison([a, b])
    assert texts(row(sections, "Typical full course")) == [COURSE_NOT_TOTALLED, "no price found"]


def test_no_price_at_all():
    sections = build_comparison([treatment("A"), treatment("B")])
    assert texts(row(sections, "Price per session")) == ["no price found", "no price found"]


def test_cost_chart_series_groups_per_session_bars_by_currency():
    a = treatment("A", costs=[cost("USD", "100", "200"), cost("USD", "1", "2", unit="per_course")])
    b = treatment("B", costs=[cost("EUR", "90", "90"), cost("USD", "300", "500")])
    series = cost_chart_series([a, b])
    assert list(series) == ["EUR", "USD"]
    assert [(bar.label, bar.text) for bar in series["USD"]] == [
        ("A", "USD 100–200"),
        ("B", "USD 300–500"),
    ]
    assert [(bar.label, bar.text) for bar in series["EUR"]] == [("B", "EUR 90")]


# -- side effects ------------------------------------------------------------------------------


def test_side_effect_cells_tell_not_reported_from_none():
    listed = treatment(
        "Listed",
        side_effects=[
            side_effect("bruising", "very_common", "84"),
            side_effect("bruising", "common", "7"),
            side_effect("pain"),
        ],
    )
    none = treatment("None", side_effects_status="none_reported")
    no_data = treatment("NoData", side_effects_status="no_data")
    other = treatment("Other", side_effects=[side_effect("swelling", "rare")])
    sections = build_comparison([listed, none, no_data, other])
    assert texts(row(sections, "Bruising")) == [
        "Very common (≥1 in 10) — 84%",
        "none reported in studies",
        "no data",
        "not listed",
    ]
    assert texts(row(sections, "Pain or tenderness")) == [
        "reported, frequency not given",
        "none reported in studies",
        "no data",
        "not listed",
    ]
    labels = [r.label for r in sections[3].rows]
    assert labels == ["Bruising", "Swelling", "Pain or tenderness"]  # the order of the kinds


def test_side_effect_cell_shows_the_most_frequent_report_and_less_frequent_is_better():
    a = treatment(
        "A",
        side_effects=[
            side_effect("numbness", "very_common", "15.2"),
            side_effect("numbness", "very_common", "49.5"),
        ],
    )
    b = treatment("B", side_effects=[side_effect("numbness", "uncommon", "0.14")])
    numbness = row(build_comparison([a, b]), "Numbness or tingling")
    assert texts(numbness) == [
        "Very common (≥1 in 10) — 49.5%",
        "Uncommon (1 in 1,000 to 1 in 100) — 0.14%",
    ]
    assert best(numbness) == [False, True]


def test_no_side_effect_rows_when_none_are_listed():
    sections = build_comparison([treatment("A"), treatment("B")])
    assert sections[3].rows == []


# -- claims ------------------------------------------------------------------------------------


def test_main_claims_share_the_first_row_whatever_their_wording():
    a = treatment(
        "A",
        claims=[
            claim("melts fat", "mixed", "very_low"),
            claim("reduces cellulite", "mixed", "very_low", is_main=True),
        ],
    )
    b = treatment(
        "B",
        claims=[claim("improves the appearance of cellulite", "supported", "high", is_main=True)],
    )
    rows = build_comparison([a, b])[4].rows
    assert rows[0].label == "Main claim: improves cellulite"
    assert texts(rows[0]) == ["Mixed (very low certainty)", "Supported (high certainty)"]
    assert texts(rows[1]) == ["Mixed (very low certainty)", "not claimed"]
    assert rows[1].label == "“melts fat”"


def test_the_same_claim_lines_up_across_treatments_whatever_its_case():
    a = treatment("A", claims=[claim("No downtime", "supported", "low"), claim("anti-aging")])
    b = treatment("B", claims=[claim("no downtime", "mixed", "very_low")])
    rows = build_comparison([a, b])[4].rows
    assert [r.label for r in rows] == ["“anti-aging”", "“No downtime”"]
    assert texts(rows[0]) == ["Untested", "not claimed"]
    assert texts(rows[1]) == ["Supported (low certainty)", "Mixed (very low certainty)"]


def test_a_treatment_without_a_main_claim_shows_not_claimed_on_the_main_row():
    a = treatment("A", claims=[claim("reduces cellulite", "supported", "low", is_main=True)])
    b = treatment("B", claims=[claim("reduces cellulite", "mixed", "low")])
    rows = build_comparison([a, b])[4].rows
    # B's identical wording is not its main claim: two rows, not one.
    assert texts(rows[0]) == ["Supported (low certainty)", "not claimed"]
    assert texts(rows[1]) == ["not claimed", "Mixed (low certainty)"]


def test_sources_behind_the_main_claim_are_counted():
    a = treatment(
        "A",
        claims=[claim("x", is_main=True, study_counts={"rct": 2, "case_series": 1})],
    )
    b = treatment("B", claims=[claim("y", is_main=True, study_counts={"rct": 1})])
    c = treatment("C")
    assert texts(row(build_comparison([a, b, c]), "Sources behind it")) == [
        "3 sources",
        "1 source",
        "none",
    ]


# -- regulatory --------------------------------------------------------------------------------


def test_regulatory_status_is_the_latest_event_per_region():
    a = treatment(
        "A",
        events=[
            event("approved", date(2020, 7, 6)),
            event("discontinued", date(2022, 12, 6)),
            event("ce_marked", date(2019, 1, 1), region="EU"),
        ],
    )
    b = treatment("B")
    assert texts(row(build_comparison([a, b]), "Regulatory status")) == [
        "EU: CE marked (2019); US: Discontinued (2022)",
        "No regulatory events recorded",
    ]


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_rows_are_the_table_rows_with_a_header():
    a = treatment("A", claims=[claim("x", is_main=True)], costs=[cost()])
    b = treatment("B", sessions_min=2, sessions_max=2)
    sections = build_comparison([a, b])
    rows = csv_rows([a, b], sections)
    assert rows[0] == ["Section", "Row", "A", "B"]
    assert rows[1:] == [
        [section.title, r.label, *texts(r)] for section in sections for r in section.rows
    ]


def test_csv_rows_of_only_differences_follow_the_filtered_table():
    a = treatment("A", sessions_min=1, sessions_max=1)
    b = treatment("B", sessions_min=2, sessions_max=2)
    rows = csv_rows([a, b], only_differences(build_comparison([a, b])))
    assert rows[1:] == [["Practicalities", "Sessions", "1", "2"]]
