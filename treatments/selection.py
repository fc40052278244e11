"""Which treatments a visitor asked to compare (pure): order kept, duplicates and junk named."""

import re
from dataclasses import dataclass, field

from .compare import MAX_TREATMENTS, MIN_TREATMENTS

SLUG = re.compile(r"^[-a-z0-9_]{1,120}$")
MAX_PARAMETERS = 50  # more `t=` values than this are not read at all


@dataclass
class Selection:
    slugs: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    ignored: int = 0

    def messages(self, unknown: list[str]) -> list[str]:
        messages = [
            f"We have no published treatment called “{_shorten(name)}”."
            for name in [*self.malformed, *unknown]
        ]
        messages += [
            f"“{slug}” was listed more than once; it is shown once." for slug in self.duplicates
        ]
        if self.ignored:
            messages.append(f"{self.ignored} further treatments in the link were not read.")
        found = len(self.slugs) - len(unknown)
        if found < MIN_TREATMENTS:
            messages.append(
                "Pick at least two treatments to compare."
                if found == 0
                else "Add at least one more treatment to compare."
            )
        elif found > MAX_TREATMENTS:
            messages.append(
                f"Compare at most {MAX_TREATMENTS} treatments at a time (you picked {found}): "
                "remove some below."
            )
        return messages


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_selection(values: list[str]) -> Selection:
    selection = Selection(ignored=max(len(values) - MAX_PARAMETERS, 0))
    for raw in values[:MAX_PARAMETERS]:
        slug = raw.strip().lower()
        if not slug:
            continue
        if not SLUG.match(slug):
            selection.malformed.append(raw.strip())
        elif slug in selection.slugs:
            if slug not in selection.duplicates:
                selection.duplicates.append(slug)
        else:
            selection.slugs.append(slug)
    return selection
