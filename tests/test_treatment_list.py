"""/treatments/: every filter alone and combined, ordering, the active-filter chips, bad input and
pagination — through the test client, against the curated data (expected sets from the ORM)."""

import html
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from evidence.vocabulary import CERTAINTY_RANK
from treatments.choices import Invasiveness, Modality, RegulatoryStatus, SideEffectKind
from treatments.models import CostEstimate, Treatment
from treatments.regulatory import current_by_region
from treatments.views import LIST_PAGE_SIZE

from .factories import make_cost, make_side_effect, make_treatment

pytestmark = pytest.mark.django_db

URL = reverse("treatments:list")
ERROR_SUMMARY = "Some of what you asked for could not be used"


def get(client, params=None, **kwargs):
    query = urlencode(params or {}, doseq=True)
    return client.get(f"{URL}?{query}" if query else URL, **kwargs)


def listed(response) -> list[str]:
    """Slugs of the rows shown, in order (each row has a compare checkbox)."""
    return re.findall(r'<input type="checkbox" name="t" value="([^"]+)"', response.content.decode())


def text(fragment: str) -> str:
    """What a visitor reads: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def count_line(response) -> str:
    match = re.search(r'<p class="result-count"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    return text(match.group(1))


def row_cells(response, slug) -> dict[str, str]:
    """The text of each cell in a treatment's row, by column heading."""
    body = response.content.decode()
    table = re.search(r'<table class="treatment-table">.*?</table>', body, re.S).group(0)
    headings = [text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]
    row = re.search(rf'<tr>(?:(?!</tr>).)*?value="{slug}".*?</tr>', table, re.S).group(0)
    cells = [text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    return dict(zip(headings, cells, strict=True))


def chips(response) -> dict[str, str]:
    """Active-filter chips: "Label: value" → the removal link's URL."""
    body = response.content.decode()
    block = re.search(r'<ul class="active-filters">(.*?)</ul>', body, re.S)
    if not block:
        return {}
    found = re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return {
        text(item.split("<a ")[0]): html.unescape(re.search(r'href="([^"]*)"', item).group(1))
        for item in found
    }


def published():
    return Treatment.objects.published()


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def name_order(queryset) -> list[str]:
    """Slugs in the database's own name order (the list sorts by name the same way)."""
    return list(queryset.order_by("name").values_list("slug", flat=True))


def assert_lists(response, expected: set[str]):
    assert response.status_code == 200
    assert set(listed(response)) == expected
    assert len(listed(response)) == len(expected)  # no duplicates from joins


# -- the unfiltered list -----------------------------------------------------------------------


def test_lists_every_published_treatment_by_name(client):
    make_treatment(name="Zz draft", status="draft")
    make_treatment(name="Zz in review", status="in_review")
    make_treatment(name="Zz retired", status="retired")
    response = get(client)
    assert response.status_code == 200
    assert listed(response) == name_order(published())
    total = published().count()
    assert count_line(response).startswith(f"{total} treatments match")
    assert "no filters set" in count_line(response)
    assertNotContains(response, "Zz ")
    assertNotContains(response, ERROR_SUMMARY)


def test_each_row_shows_name_kind_certainty_verdict_price_sessions_and_downtime(client):
    carboxy = published().get(slug="carboxytherapy")
    response = get(client)
    assertContains(response, f'<a href="{carboxy.get_absolute_url()}">{carboxy.name}</a>')
    cells = row_cells(response, "carboxytherapy")
    assert cells["Treatment"] == f"{carboxy.name} {carboxy.get_modality_display()}"
    assert cells["Certainty"].endswith(f"{carboxy.get_headline_certainty_display()} certainty")
    assert cells["Verdict on cellulite"].endswith(carboxy.get_headline_verdict_display())
    # Per-session prices only (its per-course price is not a price per session).
    usd = CostEstimate.objects.get(treatment=carboxy, unit="per_session", currency="USD")
    assert cells["Price per session"] == f"USD {usd.min_amount:,.0f}–{usd.max_amount:,.0f}"
    assert carboxy.sessions_min == carboxy.sessions_max
    assert cells["Sessions"] == str(carboxy.sessions_min)
    assert carboxy.downtime_days_max is None
    assert cells["Downtime"] == "not reported"


def test_row_shows_a_session_range_a_downtime_range_and_no_price(client):
    treatment = make_treatment(
        name="Ranged", sessions_min=2, sessions_max=4, downtime_days_min=1, downtime_days_max=3
    )
    cells = row_cells(get(client), treatment.slug)
    assert cells["Sessions"] == "2–4"
    assert cells["Downtime"] == "1–3 days"
    assert cells["Price per session"] == "no price found"
    assert cells["Certainty"].startswith("○○○○ Not graded")
    assert cells["Verdict on cellulite"].endswith("Untested")


def test_rows_offer_checkboxes_that_submit_to_compare(client):
    response = get(client)
    assertContains(
        response, f'<form id="compare-form" method="get" action="{reverse("treatments:compare")}">'
    )
    assertContains(response, "Compare selected (2 to 6)")
    for slug in slugs(published()):
        assertContains(
            response, f'<input type="checkbox" name="t" value="{slug}" id="pick-{slug}">'
        )
        assertContains(response, f'<label for="pick-{slug}"')


# -- each filter alone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected_slug"),
    [
        ("Mesotherapy", "mesotherapy"),
        ("meso", "mesotherapy"),
        ("lipodissolve", "mesotherapy"),  # alias
        ("injection lipolysis", "mesotherapy"),  # alias, two words
        ("COOLSCULPTING", "cryolipolysis"),  # alias, any case
        ("Cellfina", "vacuum-assisted-subcision"),  # brand in the name and aliases
        ("Qwo", "collagenase-qwo"),
        ("shockwave", "acoustic-wave-therapy"),
        ("Avéli", "targeted-verifiable-subcision"),  # Unicode, as written
    ],
)
def test_q_finds_by_name_or_alias(client, q, expected_slug):
    response = get(client, {"q": q})
    shown = listed(response)
    assert expected_slug in shown
    treatment = published().get(slug=expected_slug)
    assert q.lower() in (treatment.name + "\n" + treatment.aliases + treatment.slug).lower()
    assert set(shown) <= slugs(published())
    assert f"Name or alias: {q}" in chips(response)


def test_q_by_name_matches_exactly_the_names_and_aliases_containing_it(client):
    expected = {
        t.slug
        for t in published()
        if "subcision" in t.name.lower() or any("subcision" in a.lower() for a in t.alias_list())
    }
    assert len(expected) >= 3
    assert_lists(get(client, {"q": "subcision"}), expected)


def test_q_without_a_match_says_so(client):
    response = get(client, {"q": "✓ 😀 nothing like this"})
    assert response.status_code == 200
    assert listed(response) == []
    assert count_line(response).startswith("0 treatments match")
    assertContains(response, "No treatment matches these filters. Try removing one.")


@pytest.mark.parametrize("modality", Modality.values)
def test_modality(client, modality):
    expected = slugs(published().filter(modality=modality))
    response = get(client, {"modality": modality})
    assert_lists(response, expected)
    assert set(chips(response)) == {f"Modality: {Modality(modality).label}"}


def test_modality_injectable_is_the_curated_injectables(client):
    shown = set(listed(get(client, {"modality": "injectable"})))
    assert {"mesotherapy", "collagenase-qwo", "carboxytherapy", "biostimulator-injections"} <= shown
    assert "radiofrequency" not in shown


@pytest.mark.parametrize("invasiveness", Invasiveness.values)
def test_invasiveness(client, invasiveness):
    assert_lists(
        get(client, {"invasiveness": invasiveness}),
        slugs(published().filter(invasiveness=invasiveness)),
    )


@pytest.mark.parametrize("certainty", ["high", "moderate", "low", "very_low"])
def test_min_certainty_keeps_that_grade_and_better(client, certainty):
    expected = {
        t.slug
        for t in published()
        if t.headline_certainty
        and CERTAINTY_RANK[t.headline_certainty] >= CERTAINTY_RANK[certainty]
    }
    assert_lists(get(client, {"min_certainty": certainty}), expected)


def test_min_certainty_high_is_collagenase_and_excludes_untested(client):
    shown = listed(get(client, {"min_certainty": "high"}))
    assert "collagenase-qwo" in shown
    assert "mesotherapy" not in shown  # very low
    # An untested treatment has no grade, so no minimum admits it.
    untested = published().filter(headline_certainty="").values_list("slug", flat=True)
    assert untested
    assert not set(untested) & set(listed(get(client, {"min_certainty": "very_low"})))


@pytest.mark.parametrize(("amount", "currency"), [("150", "USD"), ("1000", "USD"), ("100", "CHF")])
def test_max_cost_in_one_currency_compares_the_lowest_session_price(client, amount, currency):
    affordable = CostEstimate.objects.filter(
        currency=currency, unit="per_session", min_amount__lte=Decimal(amount)
    ).values_list("treatment__slug", flat=True)
    expected = slugs(published().filter(slug__in=affordable))
    assert expected
    response = get(client, {"max_cost": amount, "currency": currency})
    assert_lists(response, expected)
    assert set(chips(response)) == {f"Price per session at most: {amount}", f"Currency: {currency}"}


def test_max_cost_uses_per_session_prices_only_and_never_converts(client):
    shown = set(listed(get(client, {"max_cost": "150", "currency": "USD"})))
    assert {"endermologie", "carboxytherapy", "radiofrequency"} <= shown  # 80, 100, 120 USD
    assert "mesotherapy" not in shown  # USD 1,000 a session
    assert "topical-creams" not in shown  # priced per course only
    assert "cryolipolysis" not in shown  # priced in CHF and SGD, never converted to USD


def test_currency_alone_shows_only_that_currencys_prices(client):
    response = get(client, {"currency": "CHF"})
    assert response.status_code == 200
    assert listed(response) == name_order(published())  # not a filter by itself
    assert row_cells(response, "radiofrequency")["Price per session"] == "no price found"
    assert row_cells(response, "cryolipolysis")["Price per session"] == "CHF 100–1,200"
    both = row_cells(get(client), "cryolipolysis")["Price per session"]
    assert both == "CHF 100–1,200 SGD 400–800"


def test_max_downtime(client):
    none = make_treatment(name="Downtime none", downtime_days_min=0, downtime_days_max=0)
    three = make_treatment(name="Downtime three", downtime_days_min=1, downtime_days_max=3)
    make_treatment(name="Downtime fortnight", downtime_days_min=7, downtime_days_max=14)
    expected = slugs(published().filter(downtime_days_max__lte=3))
    assert expected == {none.slug, three.slug}  # unknown downtime does not qualify
    response = get(client, {"max_downtime": "3"})
    assert_lists(response, expected)
    assert set(chips(response)) == {"Downtime at most (days): 3"}
    assert_lists(get(client, {"max_downtime": "0"}), {none.slug})


@pytest.mark.parametrize("most", ["1", "3", "6"])
def test_max_sessions(client, most):
    expected = slugs(published().filter(sessions_max__lte=int(most)))
    assert expected
    assert_lists(get(client, {"max_sessions": most}), expected)


def test_max_sessions_one_is_the_single_session_procedures(client):
    shown = set(listed(get(client, {"max_sessions": "1"})))
    assert {"manual-subcision", "vacuum-assisted-subcision", "laser-assisted-subcision"} <= shown
    assert "mesotherapy" not in shown


def current_statuses(treatment) -> set[str]:
    return {event.status for event in current_by_region(treatment.regulatory_events.all())}


@pytest.mark.parametrize("status", RegulatoryStatus.values)
def test_regulatory_matches_the_current_status_in_any_region(client, status):
    expected = {t.slug for t in published() if status in current_statuses(t)}
    assert_lists(get(client, {"regulatory": status}), expected)


def test_regulatory_uses_the_latest_event_not_any_event(client):
    discontinued = set(listed(get(client, {"regulatory": "discontinued"})))
    assert "collagenase-qwo" in discontinued  # Qwo: approved 2020, discontinued 2022
    assert "collagenase-qwo" not in listed(get(client, {"regulatory": "approved"}))
    # Endermologie had FDA warnings in 1997 and 1999 before its 2000 clearance.
    assert "endermologie" not in listed(get(client, {"regulatory": "warning"}))
    assert "endermologie" in listed(get(client, {"regulatory": "cleared"}))


@pytest.mark.parametrize("kind", SideEffectKind.values)
def test_side_effect_excludes_treatments_listing_it(client, kind):
    expected = slugs(published().exclude(side_effects__kind=kind))
    response = get(client, {"side_effect": kind})
    assert_lists(response, expected)
    assert set(chips(response)) == {f"Without this side effect: {SideEffectKind(kind).label}"}


def test_side_effect_bruising_excludes_collagenase_keeps_no_data(client):
    shown = set(listed(get(client, {"side_effect": "bruising"})))
    assert "collagenase-qwo" not in shown  # bruising in 84% of trial participants
    assert "acoustic-wave-therapy" in shown  # studies reported no side effects


# -- filters combined --------------------------------------------------------------------------


def test_filters_combine(client):
    params = {"modality": "injectable", "min_certainty": "low"}
    expected = slugs(
        published().filter(modality="injectable", certainty_rank__gte=CERTAINTY_RANK["low"])
    )
    response = get(client, params)
    assert_lists(response, expected)
    assert expected == {
        t.slug
        for t in published()
        if t.modality == "injectable" and t.certainty_rank >= CERTAINTY_RANK["low"]
    }
    assert count_line(response).startswith(f"{len(expected)} treatment")


def test_every_filter_at_once(client):
    params = {
        "q": "subcision",
        "modality": "minimally_invasive",
        "invasiveness": "minimal",
        "min_certainty": "very_low",
        "max_sessions": "1",
        "side_effect": "burn",
        "regulatory": "cleared",
        "max_cost": "6000",
        "currency": "USD",
        "ordering": "-name",
    }
    affordable = CostEstimate.objects.filter(
        currency="USD", unit="per_session", min_amount__lte=6000
    ).values_list("treatment_id", flat=True)
    expected = [
        t.slug
        for t in published().order_by("-name")
        if "subcision" in (t.name + t.aliases).lower()
        and t.modality == "minimally_invasive"
        and t.invasiveness == "minimal"
        and t.certainty_rank >= 1
        and t.sessions_max is not None
        and t.sessions_max <= 1
        and not t.side_effects.filter(kind="burn").exists()
        and "cleared" in current_statuses(t)
        and t.pk in set(affordable)
    ]
    assert expected == ["laser-assisted-subcision"]  # Cellulaze: FDA-cleared, priced in USD
    response = get(client, params)
    assert listed(response) == expected
    assert count_line(response).startswith("1 treatment matches")
    assert len(chips(response)) == 9  # every filter but the ordering


def test_q_with_modality_and_side_effect(client):
    params = {"q": "subcision", "max_sessions": "1", "side_effect": "discoloration"}
    expected = slugs(
        published()
        .filter(name__icontains="subcision", sessions_max__lte=1)
        .exclude(side_effects__kind="discoloration")
    )
    assert_lists(get(client, params), expected)


# -- ordering ----------------------------------------------------------------------------------


def test_ordering_by_name_both_ways(client):
    by_name = name_order(published())
    assert listed(get(client, {"ordering": "name"})) == by_name
    assert listed(get(client, {"ordering": "-name"})) == list(
        published().order_by("-name").values_list("slug", flat=True)
    )
    assert listed(get(client, {"ordering": "-name"})) == by_name[::-1]


def test_ordering_by_certainty_both_ways_ties_by_name(client):
    by_name = list(published().order_by("name"))
    lowest_first = [t.slug for t in sorted(by_name, key=lambda t: t.certainty_rank)]
    highest_first = [t.slug for t in sorted(by_name, key=lambda t: -t.certainty_rank)]
    assert listed(get(client, {"ordering": "certainty"})) == lowest_first
    assert listed(get(client, {"ordering": "-certainty"})) == highest_first
    assert highest_first[0] == "collagenase-qwo"  # the only high-certainty treatment


def cheapest(treatment, currency):
    prices = [
        c.min_amount
        for c in treatment.costs.all()
        if c.currency == currency and c.unit == "per_session"
    ]
    return min(prices) if prices else None


@pytest.mark.parametrize("currency", ["USD", "CHF"])
def test_ordering_by_cost_in_one_currency_unpriced_last(client, currency):
    by_name = list(published().order_by("name"))
    priced = [t for t in by_name if cheapest(t, currency) is not None]
    unpriced = [t.slug for t in by_name if cheapest(t, currency) is None]
    assert priced and unpriced
    ascending = [t.slug for t in sorted(priced, key=lambda t: cheapest(t, currency))]
    descending = [t.slug for t in sorted(priced, key=lambda t: -cheapest(t, currency))]
    response = get(client, {"ordering": "cost", "currency": currency})
    assert response.status_code == 200
    assert listed(response) == ascending + unpriced
    assert listed(get(client, {"ordering": "-cost", "currency": currency})) == (
        descending + unpriced
    )


def test_ordering_by_cost_with_a_filter(client):
    response = get(client, {"ordering": "cost", "currency": "USD", "modality": "injectable"})
    shown = listed(response)
    assert set(shown) == slugs(published().filter(modality="injectable"))
    assert shown.index("carboxytherapy") < shown.index("mesotherapy")  # USD 100 before 1,000


def test_ordering_by_downtime_unknown_last(client):
    long = make_treatment(name="Downtime long", downtime_days_min=7, downtime_days_max=14)
    short = make_treatment(name="Downtime short", downtime_days_min=0, downtime_days_max=2)
    unknown = name_order(published().filter(downtime_days_max__isnull=True))
    assert listed(get(client, {"ordering": "downtime"})) == [short.slug, long.slug, *unknown]
    assert listed(get(client, {"ordering": "-downtime"})) == [long.slug, short.slug, *unknown]


def test_ordering_is_not_an_active_filter(client):
    response = get(client, {"ordering": "-certainty"})
    assert "no filters set" in count_line(response)
    assert chips(response) == {}
    assertContains(response, '<option value="-certainty" selected>')


# -- count line and chips ----------------------------------------------------------------------


def test_count_line_and_chips_name_every_active_filter(client):
    params = {"q": "meso", "modality": "injectable", "min_certainty": "very_low"}
    response = get(client, params)
    assert count_line(response).startswith("1 treatment matches")
    assert "no filters set" not in count_line(response)
    assert set(chips(response)) == {
        "Name or alias: meso",
        "Modality: Injectable",
        "Certainty at least: Very low",
    }


def test_each_chip_removes_its_own_filter_in_one_click(client):
    params = {"q": "subcision", "max_sessions": "1", "side_effect": "discoloration"}
    response = get(client, params)
    for chip, link in chips(response).items():
        after = client.get(URL + link)
        assert after.status_code == 200, chip
        assert chip not in chips(after)
        assert len(chips(after)) == len(params) - 1
        removed = next(name for name in params if name not in after.wsgi_request.GET)
        kept = {name: value for name, value in params.items() if name != removed}
        assert dict(after.wsgi_request.GET.items()) == kept
        assert len(listed(after)) >= len(listed(response))


def test_removing_the_currency_also_removes_what_needs_it(client):
    params = {"max_cost": "150", "currency": "USD", "ordering": "cost", "modality": "injectable"}
    response = get(client, params)
    links = chips(response)
    assert set(links) == {
        "Price per session at most: 150",
        "Currency: USD",
        "Modality: Injectable",
    }
    after = client.get(URL + links["Currency: USD"])
    assert after.status_code == 200
    assertNotContains(after, ERROR_SUMMARY)
    assert dict(after.wsgi_request.GET.items()) == {"modality": "injectable"}
    # Removing only the price limit keeps the currency and the sort by price.
    after = client.get(URL + links["Price per session at most: 150"])
    assert after.status_code == 200
    assert dict(after.wsgi_request.GET.items()) == {
        "currency": "USD",
        "ordering": "cost",
        "modality": "injectable",
    }


def test_removing_a_filter_goes_back_to_the_first_page(client):
    for n in range(LIST_PAGE_SIZE + 5):
        make_treatment(name=f"Paged {n:02d}", modality="topical")
    response = get(client, {"modality": "topical", "page": "2"})
    [link] = chips(response).values()
    assert "page" not in link
    assert client.get(URL + link).context["page"].number == 1


# -- bad input: a clear message, never a 500 ----------------------------------------------------


def error_messages(response) -> list[str]:
    summary = re.search(
        r'<div class="notice notice-error" role="alert">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    assert summary, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split())) for item in items]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"min_certainty": "banana"},
            "Certainty at least : Select a valid choice. banana is not one of the available "
            "choices.",
        ),
        (
            {"max_cost": "-5", "currency": "USD"},
            "Price per session at most : A price cannot be negative.",
        ),
        (
            {"max_cost": "1e999", "currency": "USD"},
            "Price per session at most : Enter a price of at most 1,000,000.",
        ),
        (
            {"max_cost": "12345678901", "currency": "USD"},
            "Price per session at most : Enter a price of at most 1,000,000.",
        ),
        (
            {"max_cost": "NaN", "currency": "USD"},
            "Price per session at most : Enter a price as a plain number, e.g. 150 or 99.50.",
        ),
        (
            {"max_cost": "-Infinity", "currency": "USD"},
            "Price per session at most : Enter a price as a plain number, e.g. 150 or 99.50.",
        ),
        (
            {"max_cost": "12.345", "currency": "USD"},
            "Price per session at most : Use at most two decimals (cents).",
        ),
        (
            {"max_cost": "1e-999", "currency": "USD"},
            "Price per session at most : Use at most two decimals (cents).",
        ),
        (
            {"max_cost": "100", "currency": "ZZZ"},
            "Currency : “ZZZ” is not a currency code (use ISO 4217, e.g. USD, EUR, GBP).",
        ),
        (
            {"max_cost": "100", "currency": "usd"},
            "Currency : “usd” is not a currency code (use ISO 4217, e.g. USD, EUR, GBP).",
        ),
        (
            {"max_cost": "100"},
            "Currency : Choose a currency: prices are compared in one currency and never "
            "converted.",
        ),
        (
            {"ordering": "cost"},
            "Currency : Choose a currency: prices are compared in one currency and never "
            "converted.",
        ),
        (
            {"ordering": "-cost", "currency": ""},
            "Currency : Choose a currency: prices are compared in one currency and never "
            "converted.",
        ),
        (
            {"ordering": "price"},
            "Sort by : Select a valid choice. price is not one of the available choices.",
        ),
        (
            {"max_downtime": "99999999999999999999"},
            "Downtime at most (days) : Enter at most 3,650 days.",
        ),
        ({"max_downtime": "1e999"}, "Downtime at most (days) : Enter at most 3,650 days."),
        (
            {"max_downtime": "1.5"},
            "Downtime at most (days) : Enter a whole number of days, e.g. 7.",
        ),
        ({"max_downtime": "-1"}, "Downtime at most (days) : Downtime cannot be negative."),
        (
            {"max_downtime": "a week"},
            "Downtime at most (days) : Enter a whole number of days, e.g. 7.",
        ),
        ({"max_sessions": "0"}, "Sessions at most : Enter at least 1 session."),
        (
            {"max_sessions": "99999999999999999999"},
            "Sessions at most : Enter at most 1,000 sessions.",
        ),
        (
            {"modality": "laser"},
            "Modality : Select a valid choice. laser is not one of the available choices.",
        ),
        (
            {"invasiveness": "very"},
            "Invasiveness : Select a valid choice. very is not one of the available choices.",
        ),
        (
            {"regulatory": "banned"},
            "Regulatory status : Select a valid choice. banned is not one of the available "
            "choices.",
        ),
        (
            {"side_effect": "death"},
            "Without this side effect : Select a valid choice. death is not one of the available "
            "choices.",
        ),
        (
            {"q": "x" * 5000},
            "Name or alias : Ensure this value has at most 100 characters (it has 5000).",
        ),
        ({"q": "meso\x00"}, "Name or alias : Null characters are not allowed."),
    ],
)
def test_bad_parameters_answer_400_with_one_clear_message(client, params, message):
    response = get(client, params)
    assert response.status_code == 400
    assert error_messages(response) == [message]
    assertContains(response, ERROR_SUMMARY, status_code=400)
    # The form shows the message next to its field too, and the list is still there.
    field_message = message.split(" : ", 1)[1]
    assertContains(response, html.escape(field_message).replace("&#x27;", "'"), status_code=400)
    assert listed(response)


def test_a_bad_parameter_does_not_drop_the_good_ones(client):
    response = get(client, {"min_certainty": "banana", "modality": "injectable"})
    assert response.status_code == 400
    assert set(listed(response)) == slugs(published().filter(modality="injectable"))
    assert set(chips(response)) == {"Modality: Injectable"}


def test_a_price_limit_without_a_currency_is_ignored_not_guessed(client):
    response = get(client, {"max_cost": "100", "modality": "injectable"})
    assert response.status_code == 400
    assert set(listed(response)) == slugs(published().filter(modality="injectable"))
    assert "Price per session at most: 100" not in chips(response)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 100},
        {"q": "🙂" * 100},
        {"q": "Ελληνικά 中文 עברית"},
        {"q": "%' OR 1=1 --"},
        {"q": "<script>alert(1)</script>"},
        {"page": "abc"},
        {"page": "9999"},
        {"page": "-1"},
        {"page": "99999999999999999999999"},
        {"unknown": "parameter"},
        {"max_cost": "0", "currency": "USD"},
        {"max_cost": "1000000", "currency": "XXX"},
        {"max_downtime": "0"},
    ],
)
def test_odd_but_valid_parameters_answer_200(client, params):
    response = get(client, params)
    assert response.status_code == 200
    assertNotContains(response, ERROR_SUMMARY)
    assertNotContains(response, "<script>alert(1)</script>")


def test_repeated_parameters_use_the_last_value(client):
    response = get(client, {"modality": ["injectable", "topical"], "q": ["zzz", "cream"]})
    assert response.status_code == 200
    assert set(listed(response)) == slugs(
        published().filter(modality="topical", name__icontains="cream")
    )
    # The chip's removal link drops every copy of the parameter.
    link = chips(response)["Modality: Topical"]
    assert "modality" not in link


# -- pagination --------------------------------------------------------------------------------


def test_pagination_keeps_the_filters_and_clamps_out_of_range_pages(client):
    for n in range(LIST_PAGE_SIZE + 5):
        treatment = make_treatment(name=f"Paged {n:02d}", modality="topical")
        make_cost(treatment)
        make_side_effect(treatment)
    expected = name_order(published().filter(modality="topical"))
    assert len(expected) > LIST_PAGE_SIZE
    first = get(client, {"modality": "topical"})
    assert listed(first) == expected[:LIST_PAGE_SIZE]
    assertContains(first, "Page 1 of 2")
    assertContains(first, 'href="?modality=topical&amp;page=2" rel="next"')
    second = get(client, {"modality": "topical", "page": "2"})
    assert listed(second) == expected[LIST_PAGE_SIZE:]
    assertContains(second, 'href="?modality=topical&amp;page=1" rel="prev"')
    assert count_line(second).startswith(f"{len(expected)} treatments match")
    assert listed(get(client, {"modality": "topical", "page": "9999"})) == expected[LIST_PAGE_SIZE:]
    assert listed(get(client, {"modality": "topical", "page": "abc"})) == expected[:LIST_PAGE_SIZE]


def test_a_single_page_has_no_pagination(client):
    assertNotContains(get(client), 'class="pagination"')


def form_labels(response) -> list[str]:
    body = response.content.decode()
    form = re.search(r'<form class="filters".*?</form>', body, re.S).group(0)
    return [text(label) for label in re.findall(r"<label for=\"id_[^\"]+\">(.*?)</label>", form)]


def test_labels_survive_the_api_schema_reading_the_filters(client):
    # Building the API description reads each filter's form field on the FilterSet class and
    # caches it there; fields built that way once had no label ("None", "[invalid name]").
    before = form_labels(get(client))
    assert client.get(reverse("api:schema")).status_code == 200
    response = get(client, {"modality": "injectable", "invasiveness": "minimal"})
    assert form_labels(response) == before
    assert before == [
        "Name or alias",
        "Modality",
        "Invasiveness",
        "Certainty at least",
        "Price per session at most",
        "Currency",
        "Downtime at most (days)",
        "Sessions at most",
        "Regulatory status",
        "Without this side effect",
        "Sort by",
    ]
    assert set(chips(response)) == {"Modality: Injectable", "Invasiveness: Minimally invasive"}
