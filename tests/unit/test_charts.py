"""Chart geometry: every shape and label inside the SVG box, names in their cells (no database)."""

from decimal import Decimal

import pytest

from treatments.charts import (
    CERTAINTY_COLUMNS,
    CHART_FONT_SIZE,
    CHART_LABEL_CHARS,
    EFFECT_ROWS,
    MAP_FONT_SIZE,
    MAP_TEXT_OFFSET,
    MAX_NAMES_PER_CELL,
    cost_chart,
    evidence_map,
    fit_text,
    text_width,
    truncate_chars,
)
from treatments.compare import Bar

BAR_HEIGHT = 18  # compare.html draws each bar 18 units high
VALUE_GAP = 6  # and its price 6 units right of the bar
LABEL_GAP = 8  # and its label right-aligned 8 units left of the plot

CERTAINTIES = ["", "very_low", "low", "moderate", "high"]  # the columns, left to right
EFFECTS = ["large", "moderate", "small", "none", "unknown"]  # the rows, top to bottom

LONG_NAMES = [
    "Targeted verifiable subcision",
    "Vacuum-assisted subcision",
    "Mechanical massage (Endermologie)",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "Ultra-long name with non-Latin 名前 characters and emoji 😀😀😀",
]


def point(name, certainty="low", effect="small"):
    return (name, f"/treatments/{len(name)}/", certainty, effect)


def column_bounds(chart, index):
    column_width = chart.plot_width / len(CERTAINTY_COLUMNS)
    start = chart.left + index * column_width
    return start, start + column_width


def assert_label_inside(chart, label, column, row):
    text_start = label.x + MAP_TEXT_OFFSET
    text_end = text_start + text_width(label.text, MAP_FONT_SIZE)
    start, end = column_bounds(chart, column)
    band = chart.rows[row]
    assert start <= label.x and text_end <= end, (label.text, start, text_end, end)
    assert text_end <= chart.width
    # Baseline: cap height above it, descenders (about a quarter em) below, inside the band.
    assert band.y <= label.y - MAP_FONT_SIZE
    assert label.y + MAP_FONT_SIZE / 4 <= band.y + band.height
    assert label.y <= chart.height


# -- text measurement --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "font_size", "drawn"),
    [
        # Widths Chromium drew with DejaVu Sans, the widest common system sans-serif.
        ("Mechanical massage", 12, 125.2),
        ("Collagenase injections", 12, 134.6),
        ("Laser-assisted subcision", 12, 145.0),
        ("Acoustic wave therapy", 12, 136.4),
        ("Mechanical massage (Endermo…", 13, 216.1),
        ("USD 2,500–15,000", 13, 121.1),
        ("SGD 400–800", 13, 88.6),
    ],
)
def test_text_width_is_never_shorter_than_the_drawn_text(text, font_size, drawn):
    estimate = text_width(text, font_size)
    assert drawn <= estimate <= drawn * 1.15


def test_fit_text_keeps_text_that_fits_and_cuts_the_rest_with_an_ellipsis():
    assert fit_text("Cryolipolysis", 200, 12) == "Cryolipolysis"
    cut = fit_text("Targeted verifiable subcision", 140, 12)
    assert cut.endswith("…")
    assert "Targeted verifiable subcision".startswith(cut[:-1])
    assert text_width(cut, 12) <= 140
    assert fit_text("abc", 1, 12) == "…"


def test_truncate_chars_matches_django_truncatechars():
    from django.template.defaultfilters import truncatechars

    for text in ["short", "Mechanical massage (Endermologie)", "x" * 28, "x" * 29]:
        assert truncate_chars(text, CHART_LABEL_CHARS) == truncatechars(text, CHART_LABEL_CHARS)


# -- evidence map ------------------------------------------------------------------------------


def test_each_treatment_sits_in_its_certainty_column_and_effect_row():
    points = [
        point(f"T {certainty} {effect}", certainty, effect)
        for certainty in CERTAINTIES
        for effect in EFFECTS
    ]
    chart = evidence_map(points)
    assert [label for label, _ in chart.columns] == CERTAINTY_COLUMNS
    assert [row.label for row in chart.rows] == EFFECT_ROWS
    by_text = {label.text: label for label in chart.labels}
    assert len(by_text) == len(points)
    for column, certainty in enumerate(CERTAINTIES):
        for row, effect in enumerate(EFFECTS):
            assert_label_inside(chart, by_text[f"T {certainty} {effect}"], column, row)


def test_unknown_values_fall_back_to_untested_and_unknown_effect():
    chart = evidence_map([point("Odd", certainty="", effect="not-a-size")])
    [label] = chart.labels
    assert_label_inside(chart, label, column=0, row=EFFECTS.index("unknown"))


@pytest.mark.parametrize("name", LONG_NAMES)
@pytest.mark.parametrize("certainty", CERTAINTIES)
def test_long_names_are_cut_to_stay_in_their_column_and_inside_the_picture(name, certainty):
    chart = evidence_map([point(name, certainty, "moderate")])
    [label] = chart.labels
    assert_label_inside(chart, label, CERTAINTIES.index(certainty), EFFECTS.index("moderate"))
    assert label.text == name or (label.text.endswith("…") and name.startswith(label.text[:-1]))
    assert label.name == name  # the tooltip keeps the whole name


def test_nine_names_in_one_cell_are_all_shown():
    names = [f"Treatment {i}" for i in range(MAX_NAMES_PER_CELL + 1)]
    chart = evidence_map([point(name, "high", "large") for name in names])
    assert [label.text for label in chart.labels] == names
    assert all(label.url for label in chart.labels)
    for label in chart.labels:
        assert_label_inside(chart, label, column=4, row=0)


@pytest.mark.parametrize("count", [MAX_NAMES_PER_CELL + 2, 30])
def test_a_crowded_cell_shows_eight_names_and_how_many_more(count):
    names = [f"Treatment {i}" for i in range(count)]
    chart = evidence_map([point(name, "very_low", "unknown") for name in names])
    shown = [label.text for label in chart.labels]
    assert shown == [*names[:MAX_NAMES_PER_CELL], f"+{count - MAX_NAMES_PER_CELL} more"]
    assert chart.labels[-1].url == ""  # the "+N more" line links nowhere
    for label in chart.labels:
        assert_label_inside(chart, label, column=1, row=4)


def test_rows_stack_without_overlap_and_the_axis_sits_below_them():
    points = [point(f"T{i}", "low", "small") for i in range(12)] + [point("Big", "high", "large")]
    chart = evidence_map(points)
    for upper, lower in zip(chart.rows, chart.rows[1:], strict=False):
        assert upper.y + upper.height == lower.y
    last = chart.rows[-1]
    assert last.y + last.height < chart.axis_y <= chart.height
    for _, x in chart.columns:
        assert chart.left < x < chart.left + chart.plot_width <= chart.width
    # The crowded "Small" row grew to hold its nine lines; empty rows keep one line.
    heights = {row.label: row.height for row in chart.rows}
    assert heights["Small"] > heights["None"]


def test_an_empty_map_still_draws_its_grid():
    chart = evidence_map([])
    assert chart.labels == []
    assert len(chart.rows) == len(EFFECT_ROWS)
    assert all(row.height > 0 for row in chart.rows)
    assert chart.height > chart.axis_y


# -- cost chart --------------------------------------------------------------------------------


def bar(label, low, high, currency="USD"):
    low, high = Decimal(low), Decimal(high)
    return Bar(label, low, high, f"{currency} {low:,.0f}–{high:,.0f}")


def assert_inside(chart, plot_width):
    for index, drawn in enumerate(chart.bars):
        assert chart.left <= drawn.x
        assert drawn.x + drawn.width <= chart.left + plot_width + 1e-9
        assert drawn.y >= 0
        assert drawn.y + BAR_HEIGHT <= chart.height
        if index:
            assert drawn.y >= chart.bars[index - 1].y + BAR_HEIGHT  # no overlap
        label = truncate_chars(drawn.label, CHART_LABEL_CHARS)
        assert chart.left - LABEL_GAP - text_width(label, CHART_FONT_SIZE) >= 0, label
        value_end = drawn.x + drawn.width + VALUE_GAP + text_width(drawn.text, CHART_FONT_SIZE)
        assert value_end <= chart.width, drawn.text


def test_bars_span_lowest_to_highest_price_on_one_scale():
    chart = cost_chart("USD", [bar("A", 100, 200), bar("B", 50, 400)], plot_width=400)
    assert chart.scale_max == Decimal(400)
    a, b = chart.bars
    assert a.x == pytest.approx(chart.left + 100)
    assert a.width == pytest.approx(100)
    assert b.x == pytest.approx(chart.left + 50)
    assert b.width == pytest.approx(350)
    assert_inside(chart, 400)


def test_long_labels_and_prices_stay_inside_the_picture():
    bars = [
        bar("Mechanical massage (Endermologie)", 80, 150),
        bar("Laser-assisted subcision (1440 nm, Cellulaze)", 5000, 15000),
        bar("WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", 1000000, 1000000),
    ]
    chart = cost_chart("USD", bars)
    assert_inside(chart, 300)


def test_a_single_price_at_the_top_of_the_scale_stays_a_visible_bar_inside_the_plot():
    chart = cost_chart("EUR", [bar("A", 1500, 1500), bar("B", 10, 20)], plot_width=300)
    top, low = chart.bars
    assert top.width == 4.0
    assert top.x + top.width == pytest.approx(chart.left + 300)
    assert low.width == 4.0  # 10–20 of 1,500 is under a unit wide: shown at the minimum
    assert_inside(chart, 300)


def test_free_treatments_do_not_divide_by_zero():
    chart = cost_chart("GBP", [bar("Free", 0, 0), bar("Also free", 0, 0)])
    assert chart.scale_max == Decimal(1)
    assert_inside(chart, 300)


def test_six_bars_each_get_their_own_line():
    chart = cost_chart("USD", [bar(f"T{i}", 10 * i, 10 * i + 50) for i in range(6)])
    assert len({drawn.y for drawn in chart.bars}) == 6
    assert_inside(chart, 300)
