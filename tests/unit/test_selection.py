"""Reading the treatments a visitor asked to compare from `?t=…` (no database)."""

import pytest

from treatments.compare import MAX_TREATMENTS, MIN_TREATMENTS
from treatments.selection import MAX_PARAMETERS, parse_selection


def test_order_is_kept_and_case_and_spaces_ignored():
    selection = parse_selection(["subcision", " Mesotherapy ", "QWO"])
    assert selection.slugs == ["subcision", "mesotherapy", "qwo"]
    assert selection.duplicates == selection.malformed == []
    assert selection.ignored == 0


def test_empty_values_are_skipped_silently():
    assert parse_selection(["", "  ", "a", ""]).slugs == ["a"]


def test_duplicates_are_kept_once_and_named_once():
    selection = parse_selection(["a", "b", "a", "A", "b"])
    assert selection.slugs == ["a", "b"]
    assert selection.duplicates == ["a", "b"]
    assert selection.messages(unknown=[]) == [
        "“a” was listed more than once; it is shown once.",
        "“b” was listed more than once; it is shown once.",
    ]


@pytest.mark.parametrize(
    "junk",
    [
        "<script>alert(1)</script>",
        "a b",
        "../etc/passwd",
        "mesotherapy;drop table",
        "\x00",
        "é",
        "x" * 121,
        "100%",
    ],
)
def test_malformed_values_are_not_slugs_and_are_named_in_a_message(junk):
    selection = parse_selection([junk, "mesotherapy", "subcision"])
    assert selection.slugs == ["mesotherapy", "subcision"]
    assert selection.malformed == [junk.strip()]
    [message] = selection.messages(unknown=[])
    assert message.startswith("We have no published treatment called “")


def test_a_long_malformed_value_is_shortened_in_the_message():
    [message] = parse_selection(["<" * 500, "a", "b"]).messages(unknown=[])
    quoted = message.split("“")[1].split("”")[0]
    assert len(quoted) == 60
    assert quoted.endswith("…")


def test_unknown_slugs_are_named_and_do_not_count_towards_the_minimum():
    selection = parse_selection(["mesotherapy", "no-such-thing"])
    assert selection.messages(unknown=["no-such-thing"]) == [
        "We have no published treatment called “no-such-thing”.",
        "Add at least one more treatment to compare.",
    ]


def test_nothing_picked_asks_for_two():
    assert parse_selection([]).messages(unknown=[]) == ["Pick at least two treatments to compare."]
    assert parse_selection(["x"]).messages(unknown=["x"])[-1] == (
        "Pick at least two treatments to compare."
    )


def test_one_treatment_asks_for_one_more():
    assert parse_selection(["a"]).messages(unknown=[]) == [
        "Add at least one more treatment to compare."
    ]


@pytest.mark.parametrize("count", range(MIN_TREATMENTS, MAX_TREATMENTS + 1))
def test_two_to_six_treatments_need_no_message(count):
    assert parse_selection([f"t{i}" for i in range(count)]).messages(unknown=[]) == []


def test_more_than_six_asks_to_remove_some():
    slugs = [f"t{i}" for i in range(MAX_TREATMENTS + 1)]
    assert parse_selection(slugs).messages(unknown=[]) == [
        f"Compare at most {MAX_TREATMENTS} treatments at a time (you picked "
        f"{MAX_TREATMENTS + 1}): remove some below."
    ]


def test_unknown_slugs_do_not_count_towards_the_maximum():
    slugs = [f"t{i}" for i in range(MAX_TREATMENTS + 1)]
    assert parse_selection(slugs).messages(unknown=["t0"]) == [
        "We have no published treatment called “t0”."
    ]


def test_only_the_first_parameters_are_read_and_the_rest_are_counted():
    values = [f"t{i}" for i in range(200)]
    selection = parse_selection(values)
    assert selection.slugs == values[:MAX_PARAMETERS]
    assert selection.ignored == 200 - MAX_PARAMETERS
    messages = selection.messages(unknown=[])
    assert f"{200 - MAX_PARAMETERS} further treatments in the link were not read." in messages


def test_two_hundred_copies_of_one_slug_are_one_treatment():
    selection = parse_selection(["mesotherapy"] * 200)
    assert selection.slugs == ["mesotherapy"]
    assert selection.duplicates == ["mesotherapy"]
    assert selection.ignored == 200 - MAX_PARAMETERS
