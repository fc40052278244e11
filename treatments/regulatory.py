"""Current regulatory status from the event history (pure)."""


def current_by_region(events) -> list:
    """The latest event per region, in the order regions first appear (events sorted by date)."""
    latest = {}
    for event in sorted(events, key=lambda e: (e.date, e.pk or 0)):
        latest[event.region] = event
    return list(latest.values())


def status_summary(events) -> str:
    """e.g. "US: Discontinued (2022)"; "No regulatory events recorded" when there are none."""
    current = current_by_region(events)
    if not current:
        return "No regulatory events recorded"
    return "; ".join(
        f"{event.region}: {event.get_status_display()} ({event.date.year})" for event in current
    )
