"""Geometry for the server-rendered SVG charts (pure; templates draw the shapes)."""

from dataclasses import dataclass, field
from decimal import Decimal

from evidence.vocabulary import CERTAINTY_RANK

CERTAINTY_COLUMNS = ["Untested", "Very low", "Low", "Moderate", "High"]
EFFECT_ROWS = ["Large", "Moderate", "Small", "None", "Unknown"]  # top to bottom
EFFECT_ROW_INDEX = {"large": 0, "moderate": 1, "small": 2, "none": 3, "unknown": 4}
MAX_NAMES_PER_CELL = 8
LINE_HEIGHT = 15


@dataclass(frozen=True)
class MapLabel:
    text: str
    url: str  # empty for the "+N more" line
    x: float
    y: float


@dataclass(frozen=True)
class MapRow:
    label: str
    y: float
    height: float
    shaded: bool


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
    labels = []
    for (row_index, column), names in sorted(grid.items()):
        x = left + column * column_width + 8
        first_line = rows[row_index].y + 18
        shown = names if len(names) <= MAX_NAMES_PER_CELL + 1 else names[:MAX_NAMES_PER_CELL]
        for line, (name, url) in enumerate(shown):
            labels.append(MapLabel(name, url, x, first_line + line * LINE_HEIGHT))
        if len(shown) < len(names):
            more = f"+{len(names) - len(shown)} more"
            labels.append(MapLabel(more, "", x, first_line + len(shown) * LINE_HEIGHT))
    columns = [
        (label, left + (index + 0.5) * column_width)
        for index, label in enumerate(CERTAINTY_COLUMNS)
    ]
    plot_width = width - left - right
    return EvidenceMap(width, int(y + 44), left, plot_width, y + 18, columns, rows, labels)


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


def cost_chart(currency: str, bars, width: int = 640) -> CostChart:
    """Horizontal range bars (lowest to highest price) on one scale per currency."""
    left, right, bar_gap = 200, 150, 28
    scale_max = max((bar.high for bar in bars), default=Decimal(0)) or Decimal(1)
    span = width - left - right
    chart_bars = []
    for index, bar in enumerate(bars):
        x = left + float(bar.low / scale_max) * span
        bar_width = max(float((bar.high - bar.low) / scale_max) * span, 4.0)
        chart_bars.append(ChartBar(bar.label, bar.text, 10 + index * bar_gap, x, bar_width))
    return CostChart(currency, width, 20 + len(bars) * bar_gap, left, chart_bars, scale_max)
