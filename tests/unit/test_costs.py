"""Cost arithmetic by hand: per-session ranges, typical full courses, formatting (no database)."""

from decimal import Decimal

import pytest

from treatments.costs import (
    CostRange,
    course_ranges,
    course_total,
    format_amount,
    format_range,
    per_session_ranges,
)
from treatments.models import CostEstimate

D = Decimal


def cost(currency="USD", low="100", high="300", unit="per_session") -> CostEstimate:
    return CostEstimate(currency=currency, min_amount=D(low), max_amount=D(high), unit=unit)


# -- course_total ------------------------------------------------------------------------------


def test_course_total_is_lowest_price_times_fewest_sessions_to_highest_times_most():
    assert course_total("per_session", D("100"), D("300"), 3, 6) == (D("300"), D("1800"))


def test_course_total_with_one_known_session_bound_uses_it_for_both_ends():
    assert course_total("per_session", D("100"), D("300"), None, 4) == (D("400"), D("1200"))
    assert course_total("per_session", D("100"), D("300"), 2, None) == (D("200"), D("600"))


def test_course_total_with_unknown_sessions_is_not_guessed():
    assert course_total("per_session", D("100"), D("300"), None, None) is None


def test_course_total_of_a_per_course_price_is_the_price_itself():
    # Sessions do not multiply a price that already covers the course, even when unknown.
    assert course_total("per_course", D("650"), D("900"), 5, 5) == (D("650"), D("900"))
    assert course_total("per_course", D("650"), D("900"), None, None) == (D("650"), D("900"))


def test_course_total_keeps_cents_exact():
    assert course_total("per_session", D("40.16"), D("40.16"), 3, 3) == (D("120.48"), D("120.48"))


def test_course_total_of_a_free_session_is_zero_not_unknown():
    assert course_total("per_session", D("0"), D("0"), 1, 2) == (D("0"), D("0"))


# -- per_session_ranges ---------------------------------------------------------------------


def test_per_session_ranges_take_the_widest_range_per_currency_and_ignore_course_prices():
    ranges = per_session_ranges(
        [
            cost("USD", "2500", "2500"),
            cost("USD", "5000", "15000"),
            cost("EUR", "90", "120"),
            cost("USD", "1", "99999", unit="per_course"),
        ]
    )
    assert ranges == {
        "USD": CostRange("USD", D("2500"), D("15000")),
        "EUR": CostRange("EUR", D("90"), D("120")),
    }


def test_per_session_ranges_never_mix_currencies():
    ranges = per_session_ranges([cost("GBP", "50", "60"), cost("USD", "500", "600")])
    assert ranges["GBP"].high == D("60")
    assert ranges["USD"].low == D("500")


def test_per_session_ranges_of_no_prices_is_empty():
    assert per_session_ranges([]) == {}
    assert per_session_ranges([cost(unit="per_course")]) == {}


# -- course_ranges -----------------------------------------------------------------------------


def test_course_ranges_merge_session_and_course_prices_in_the_same_currency():
    # 100–200 per session × 5 sessions = 500–1,000; a published course price of 650 lies within.
    ranges = course_ranges(
        [cost("USD", "100", "200"), cost("USD", "650", "650", unit="per_course")], 5, 5
    )
    assert ranges == {"USD": CostRange("USD", D("500"), D("1000"))}


def test_course_ranges_widen_to_a_course_price_outside_the_session_total():
    ranges = course_ranges(
        [cost("USD", "80", "150"), cost("USD", "1000", "1000", unit="per_course")], 4, 6
    )
    assert ranges["USD"] == CostRange("USD", D("320"), D("1000"))


def test_course_ranges_with_unknown_sessions_keep_only_course_prices():
    ranges = course_ranges(
        [cost("USD", "80", "150"), cost("GBP", "1350", "1350", unit="per_course")], None, None
    )
    assert ranges == {"GBP": CostRange("GBP", D("1350"), D("1350"))}


def test_course_ranges_with_unknown_sessions_and_session_prices_only_is_empty():
    assert course_ranges([cost("USD", "80", "150")], None, None) == {}


# -- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (D("1500"), "1,500"),
        (D("1500.00"), "1,500"),
        (D("40.16"), "40.16"),
        (D("40.5"), "40.50"),
        (D("0"), "0"),
        (D("1000000"), "1,000,000"),
    ],
)
def test_format_amount(amount, text):
    assert format_amount(amount) == text


def test_format_range_shows_currency_and_collapses_a_single_price():
    assert format_range("USD", D("1000"), D("1500")) == "USD 1,000–1,500"
    assert format_range("EUR", D("1500"), D("1500.00")) == "EUR 1,500"
    assert str(CostRange("GBP", D("26"), D("40.16"))) == "GBP 26–40.16"
