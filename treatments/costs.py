"""Cost arithmetic (pure): ranges per session, and what a typical full course comes to."""

from dataclasses import dataclass
from decimal import Decimal

from .choices import CostUnit


@dataclass(frozen=True)
class CostRange:
    currency: str
    low: Decimal
    high: Decimal

    def __str__(self) -> str:
        return format_range(self.currency, self.low, self.high)


def format_amount(amount: Decimal) -> str:
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def format_range(currency: str, low: Decimal, high: Decimal) -> str:
    if low == high:
        return f"{currency} {format_amount(low)}"
    return f"{currency} {format_amount(low)}–{format_amount(high)}"


def course_total(
    unit: str, low: Decimal, high: Decimal, sessions_min: int | None, sessions_max: int | None
) -> tuple[Decimal, Decimal] | None:
    """A typical full course: the price range times the session range.

    Per-course prices are already a course. Per-session prices need the number of sessions; when
    only one bound is known it is used for both ends. Unknown sessions: no total (None).
    """
    if unit == CostUnit.PER_COURSE:
        return Decimal(low), Decimal(high)
    fewest = sessions_min if sessions_min is not None else sessions_max
    most = sessions_max if sessions_max is not None else sessions_min
    if fewest is None or most is None:
        return None
    return Decimal(low) * fewest, Decimal(high) * most


def per_session_ranges(costs) -> dict[str, CostRange]:
    """The widest per-session range per currency over a treatment's estimates."""
    ranges: dict[str, CostRange] = {}
    for cost in costs:
        if cost.unit != CostUnit.PER_SESSION:
            continue
        known = ranges.get(cost.currency)
        low = cost.min_amount if known is None else min(known.low, cost.min_amount)
        high = cost.max_amount if known is None else max(known.high, cost.max_amount)
        ranges[cost.currency] = CostRange(cost.currency, low, high)
    return ranges


def course_ranges(costs, sessions_min, sessions_max) -> dict[str, CostRange]:
    """The widest typical-course range per currency, from per-session and per-course prices."""
    ranges: dict[str, CostRange] = {}
    for cost in costs:
        total = course_total(
            cost.unit, cost.min_amount, cost.max_amount, sessions_min, sessions_max
        )
        if total is None:
            continue
        known = ranges.get(cost.currency)
        low = total[0] if known is None else min(known.low, total[0])
        high = total[1] if known is None else max(known.high, total[1])
        ranges[cost.currency] = CostRange(cost.currency, low, high)
    return ranges
