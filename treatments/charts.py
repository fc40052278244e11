"""Geometry for the server-rendered SVG charts (pure; templates draw the shapes)."""

from dataclasses import dataclass, field
from decimal import Decimal

from evidence.vocabulary import CERTAINTY_RANK

CERTAINTY_COLUMNS = ["Untested", "Very low", "Low", "Moderate", "High"]
EFFECT_ROWS = ["Large", "Moderate", "Small", "None", "Unknown"]  # top to bottom
EFFECT_ROW_INDEX = {"large": 0, "moderate": 1, "small": 2, "none": 3, "unknown": 4}
MAX_NAMES_PER_CELL = 8
LINE_HEIGHT = 15
MAP_FONT_SIZE = 12  # .map-label in static/css/site.css
MAP_TEXT_OFFSET = 11  # includes/evidence_map.html draws a name this far right of its dot
CHART_FONT_SIZE = 13  # .chart-label, .chart-value
CHART_LABEL_CHARS = 28  # compare.html truncates bar labels to this many characters
ELLIPSIS = "…"

# Advance widths (em) of the widest common system sans-serif (DejaVu Sans, measured in Chromium),
# rounded up in groups, so an estimate is never shorter than the drawn text. Others: 1 em.
_GLYPH_EM = {
    char: em
    for em, chars in (
        (0.28, "ijl'"),
        (0.30, "IJ"),
        (0.36, " .,·f:;/-"),
        (0.40, "rt!()"),
        (0.52, "sz–"),
        (0.58, "cLkF"),
        (0.62, "vxyPTaeoYéè"),
        (0.64, "0123456789bdghnpquES€£$"),
        (0.70, "KVXZBCR"),
        (0.76, "AUHN"),
        (0.80, "DGOQ&"),
        (0.86, "wM+×"),
        (1.00, "mW%—…"),
    )
    for char in chars
}


def text_width(text: str, font_size: float) -> float:
    """An upper estimate of the drawn width of `text` (no font metrics on the server)."""
    return sum(_GLYPH_EM.get(char, 1.0) for char in text) * font_size


def fit_text(text: str, max_width: float, font_size: float) -> str:
    """`text`, cut with an ellipsis where needed so that it fits in `max_width`."""
    if text_width(text, font_size) <= max_width:
        return text
    while text and text_width(text + ELLIPSIS, font_size) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def truncate_chars(text: str, limit: int) -> str:
    """As Django's `truncatechars` filter: at most `limit` characters, the last an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


@dataclass(frozen=True)
class MapLabel:
    text: str  # as drawn: cut with an ellipsis when the name does not fit its column
    url: str  # empty for the "+N more" line
    x: float
    y: float
    name: str = ""  # the full name, for the link's tooltip and accessible name


@dataclass(frozen=True)
class MapRow:
    label: str
    y: float
    height: float
    shaded: bool


@dataclass(frozen=True)
class MapGroup:
    """One cell of the map, for the table that repeats the chart's data."""

    certainty: str
    effect: str
    treatments: list[tuple[str, str]]  # (name, url), at most MAX_NAMES_PER_CELL + 1
    more: int


@dataclass
class EvidenceMap:
    width: int
    height: int
    left: int
    plot_width: float
    axis_y: float
    columns: list[tuple[str, float]]  # label, x centre
    rows: list[MapRow]
    labels: list[MapLabel] = field(default_factory=list)
    groups: list[MapGroup] = field(default_factory=list)


def evidence_map(points: list[tuple[str, str, str, str]], width: int = 940) -> EvidenceMap:
    """points: (name, url, certainty value or "", effect value) for each treatment."""
    left, top, right = 96, 12, 8
    column_width = (width - left - right) / len(CERTAINTY_COLUMNS)
    grid: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for name, url, certainty, effect in points:
        column = CERTAINTY_RANK.get(certainty, 0) if certainty else 0
        row = EFFECT_ROW_INDEX.get(effect, EFFECT_ROW_INDEX["unknown"])
        grid.setdefault((row, column), []).append((name, url))
    rows, y = [], top
    for row_index, label in enumerate(EFFECT_ROWS):
        lines = max(
            (min(len(grid.get((row_index, c), [])), MAX_NAMES_PER_CELL + 1) for c in range(5)),
            default=0,
        )
        height = max(lines, 1) * LINE_HEIGHT + 12
        rows.append(MapRow(label, y, height, shaded=row_index % 2 == 0))
        y += height
    labels, groups = [], []
    # A name ends 2 units short of the next column, so it never runs into its neighbour.
    text_room = column_width - 4 - MAP_TEXT_OFFSET - 2
    for (row_index, column), names in sorted(grid.items()):
        x = left + column * column_width + 4
        first_line = rows[row_index].y + 18
        shown = names if len(names) <= MAX_NAMES_PER_CELL + 1 else names[:MAX_NAMES_PER_CELL]
        for line, (name, url) in enumerate(shown):
            text = fit_text(name, text_room, MAP_FONT_SIZE)
            labels.append(MapLabel(text, url, x, first_line + line * LINE_HEIGHT, name))
        if len(shown) < len(names):
            more = f"+{len(names) - len(shown)} more"
            labels.append(MapLabel(more, "", x, first_line + len(shown) * LINE_HEIGHT, more))
        groups.append(
            MapGroup(
                CERTAINTY_COLUMNS[column], EFFECT_ROWS[row_index], shown, len(names) - len(shown)
            )
        )
    columns = [
        (label, left + (index + 0.5) * column_width)
        for index, label in enumerate(CERTAINTY_COLUMNS)
    ]
    plot_width = width - left - right
    # The table reads from the most certain and largest effect down.
    groups.sort(key=lambda g: (-CERTAINTY_COLUMNS.index(g.certainty), EFFECT_ROWS.index(g.effect)))
    return EvidenceMap(width, int(y + 44), left, plot_width, y + 18, columns, rows, labels, groups)


@dataclass
class ChartBar:
    label: str
    text: str
    y: float
    x: float
    width: float


@dataclass
class CostChart:
    currency: str
    width: int
    height: int
    left: int
    bars: list[ChartBar]
    scale_max: Decimal


def cost_chart(currency: str, bars, plot_width: int = 300) -> CostChart:
    """Horizontal range bars (lowest to highest price) on one scale per currency.

    The margins are sized from the labels (drawn right-aligned 8 units left of the plot) and the
    price texts (drawn 6 units right of each bar), so that no text leaves the picture.
    """
    bar_gap = 28
    label_width = max(
        (text_width(truncate_chars(bar.label, CHART_LABEL_CHARS), CHART_FONT_SIZE) for bar in bars),
        default=0,
    )
    value_width = max((text_width(bar.text, CHART_FONT_SIZE) for bar in bars), default=0)
    left = int(label_width) + 16
    right = int(value_width) + 14
    scale_max = max((bar.high for bar in bars), default=Decimal(0)) or Decimal(1)
    chart_bars = []
    for index, bar in enumerate(bars):
        # A single price still shows as a short bar, kept inside the plot.
        bar_width = max(float((bar.high - bar.low) / scale_max) * plot_width, 4.0)
        x = min(left + float(bar.low / scale_max) * plot_width, left + plot_width - bar_width)
        chart_bars.append(ChartBar(bar.label, bar.text, 10 + index * bar_gap, x, bar_width))
    width = left + plot_width + right
    return CostChart(currency, width, 20 + len(bars) * bar_gap, left, chart_bars, scale_max)
