"""The claim checker: a pure matcher, tested without the database."""

import random

import pytest

from evidence.checker import CheckResult, ClaimIndex, ClaimTerms, Match, TreatmentTerms

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev extra
    given = None

# --------------------------------------------------------------------------- fixtures

MESO = TreatmentTerms(
    slug="mesotherapy",
    names=(
        "Mesotherapy (injection lipolysis)",
        "mesotherapy",
        "injection lipolysis",
        "lipodissolve",
    ),
)
ENDERMO = TreatmentTerms(
    slug="endermologie",
    names=("Endermologie", "endermology", "LPG massage"),
)

MELTS_FAT = 1
CIRCULATION = 2
CONNECTIVE = 3
LYMPH = 4
ANTI_AGING = 5
PAINLESS = 6
BRUISING = 7
CHEAPER = 8
FEW_SESSIONS = 9
EUROPE = 10
ENDERMO_CIRCULATION = 21
ENDERMO_CELLULITE = 22

MESO_CLAIMS = {
    MELTS_FAT: ("melts fat", "dissolves fat", "fat melting", "fat-dissolving", "burns fat"),
    CIRCULATION: (
        "improves circulation",
        "boosts circulation",
        "increases blood flow",
        "better circulation",
    ),
    CONNECTIVE: (
        "repairs connective tissue",
        "restores connective tissue",
        "strengthens connective tissue",
        "rebuilds collagen",
    ),
    LYMPH: (
        "improves lymphatic drainage",
        "stimulates lymphatic drainage",
        "lymph drainage",
        "flushes out toxins",
    ),
    ANTI_AGING: ("anti-aging", "anti-ageing", "rejuvenates the skin", "younger-looking skin"),
    PAINLESS: ("virtually painless", "painless", "pain-free", "barely hurts"),
    BRUISING: (
        "bruising and swelling last about a week",
        "bruising and swelling fade within a week",
        "swelling goes down within a week",
    ),
    CHEAPER: (
        "cheaper than invasive treatments",
        "more affordable than surgery",
        "alternative to invasive procedures",
        "fraction of the price of liposuction",
    ),
    FEW_SESSIONS: (
        "visible results after a couple of sessions",
        "visible results after two sessions",
        "results after just a few sessions",
    ),
    EUROPE: (
        "long practiced in Europe",
        "practised in Europe for decades",
        "used in Europe for decades",
    ),
}
ENDERMO_CLAIMS = {
    ENDERMO_CIRCULATION: ("improves circulation", "boosts blood flow"),
    ENDERMO_CELLULITE: ("reduces cellulite", "smooths cellulite", "less cellulite"),
}

CLAIMS = [ClaimTerms(cid, "mesotherapy", phrases) for cid, phrases in MESO_CLAIMS.items()] + [
    ClaimTerms(cid, "endermologie", phrases) for cid, phrases in ENDERMO_CLAIMS.items()
]

# Invented clinic copy (not taken from any published page), naming only mesotherapy.
MESO_PAGE = """\
FAT-MELTING MESOTHERAPY AT THE ROSEWOOD BODY STUDIO

Tired of dimples that no diet can shift? Our signature mesotherapy programme is designed to \
melt away stubborn fat right where it sits, without a single incision.

Each micro-injection cocktail boosts blood circulation in sluggish areas and helps restore \
damaged connective tissue, so skin looks smoother and firmer. The treatment also stimulates \
lymph drainage to clear trapped fluid.

Clients love the anti-ageing bonus: a fresher, more radiant complexion.

Worried it will hurt? Our ultra-fine needles make the procedure practically pain-free. \
Any bruising or swelling tends to fade within a week.

Compared with liposuction, lipodissolve costs a fraction of the price, making it a gentle \
alternative to invasive procedures.

Results are visible after only a couple of sessions!

Invented in France in 1952, mesotherapy has been practised throughout Europe for decades. \
Book your free consultation today.
"""


@pytest.fixture(scope="module")
def index():
    return ClaimIndex([MESO, ENDERMO], CLAIMS)


def _spans_are_exact(text: str, result: CheckResult) -> None:
    for match in result.matches:
        assert text[match.start : match.end] == match.matched_text
        assert match.matched_text.strip() == match.matched_text


def _by_claim(result: CheckResult) -> dict[int, list[Match]]:
    grouped: dict[int, list[Match]] = {}
    for match in result.matches:
        grouped.setdefault(match.claim_id, []).append(match)
    return grouped


# --------------------------------------------------------------------------- the clinic page


def test_every_mesotherapy_claim_is_found_in_the_clinic_page(index):
    result = index.check(MESO_PAGE)

    assert result.treatments_named == ("mesotherapy",)
    assert result.no_treatment_named is False
    assert set(_by_claim(result)) == set(MESO_CLAIMS)
    assert {m.treatment_slug for m in result.matches} == {"mesotherapy"}
    _spans_are_exact(MESO_PAGE, result)
    assert [m.start for m in result.matches] == sorted(m.start for m in result.matches)


def test_clinic_page_matched_wordings(index):
    grouped = _by_claim(index.check(MESO_PAGE))
    texts = {cid: [m.matched_text for m in matches] for cid, matches in grouped.items()}

    assert texts[MELTS_FAT] == ["FAT-MELTING", "melt away stubborn fat"]
    assert texts[CIRCULATION] == ["boosts blood circulation"]
    assert texts[CONNECTIVE] == ["restore damaged connective tissue"]
    assert texts[LYMPH] == ["lymph drainage"]
    assert texts[ANTI_AGING] == ["anti-ageing"]
    assert texts[PAINLESS] == ["pain-free"]
    assert texts[BRUISING] == ["bruising or swelling tends to fade within a week"]
    assert texts[CHEAPER] == [
        # "fraction of the price of liposuction", in any order within 8 tokens
        "liposuction, lipodissolve costs a fraction of the price",
        "alternative to invasive procedures",
    ]
    assert texts[FEW_SESSIONS] == ["Results are visible after only a couple of sessions"]
    assert texts[EUROPE] == ["practised throughout Europe for decades"]


def test_shared_phrase_goes_to_the_named_treatment_only(index):
    # "improves circulation" is a claim of both treatments; only mesotherapy is named.
    result = index.check("Mesotherapy improves circulation.")
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (CIRCULATION, "mesotherapy")
    ]


# --------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(
    "text",
    [
        "melts fat",
        "It melts away fat.",
        "melting fat",
        "Fat-melting injections",
        "we melt the fat",
        "MELTS FAT!",
        "fat melts",
        "fat\u2010melting",  # Unicode hyphen
        "melts   fat",
        "melts\tthe\tfat",
    ],
)
def test_melts_fat_inflections(index, text):
    result = index.check(f"Mesotherapy: {text}")
    assert [m.claim_id for m in result.matches] == [MELTS_FAT]
    _spans_are_exact(f"Mesotherapy: {text}", result)


@pytest.mark.parametrize(
    "text",
    [
        "improves circulation",
        "improved circulation",
        "improving blood circulation",
        "Improves circulation",
        "an improvement in circulation",
    ],
)
def test_improves_circulation_inflections(index, text):
    result = index.check(f"With endermologie you get {text}.")
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (ENDERMO_CIRCULATION, "endermologie")
    ]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("It's anti-aging too.", "anti-aging"),
        ("an anti aging effect", "anti aging"),
        ("antiaging!", "antiaging"),
        ("ANTI-AGEING", "ANTI-AGEING"),
    ],
)
def test_hyphenated_compounds(index, text, matched):
    result = index.check(f"Mesotherapy. {text}")
    assert [(m.claim_id, m.matched_text) for m in result.matches] == [(ANTI_AGING, matched)]


def test_filler_words_beyond_the_window_do_not_match(index):
    # "melts fat" allows 4 tokens from first to last matched word; here there are 6.
    assert index.check("Mesotherapy melts the most stubborn fat").matches == ()
    result = index.check("Mesotherapy melts very stubborn fat")  # 4 tokens: allowed
    assert [m.matched_text for m in result.matches] == ["melts very stubborn fat"]


def test_all_phrase_tokens_must_be_present(index):
    assert index.check("Mesotherapy melts your worries away.").matches == ()
    assert index.check("Mesotherapy targets fat.").matches == ()


def test_single_token_phrase_matches_whole_words_only(index):
    assert [m.claim_id for m in index.check("Mesotherapy is painless.").matches] == [PAINLESS]
    assert index.check("Mesotherapy is pain-less? Pain less!").matches == ()
    assert index.check("Mesotherapy. unpainless, painlessish").matches == ()
    # Same Snowball stem, so it counts as the same word.
    assert [m.matched_text for m in index.check("Painlessly!").matches] == ["Painlessly"]


def test_numbers_as_digits_and_words():
    index = ClaimIndex(
        [MESO],
        [
            ClaimTerms(
                1,
                "mesotherapy",
                ("results after a couple of sessions", "results after 2 sessions"),
            ),
        ],
    )
    for text in (
        "Mesotherapy: results after 2 sessions.",
        "Mesotherapy: results after two sessions.",
        "Mesotherapy: results after just a couple of sessions.",
        "Mesotherapy: results after 02 sessions.",
    ):
        assert [m.claim_id for m in index.check(text).matches] == [1], text
    assert index.check("Mesotherapy: results after 3 sessions.").matches == ()
    assert index.check("Mesotherapy: results after 12 sessions.").matches == ()


def test_apostrophes(index):
    text = "Mesotherapy\u2019s cocktail rejuvenates the skin's surface."
    result = index.check(text)
    # The apostrophe is part of the token, so the span ends after "'s".
    assert [(m.claim_id, m.matched_text) for m in result.matches] == [
        (ANTI_AGING, "rejuvenates the skin's")
    ]


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize("boundary", [". ", "! ", "? ", "\n", "\r\n", "… ", "。"])
def test_sentence_boundary_prevents_a_match(index, boundary):
    assert index.check(f"Mesotherapy melts{boundary}Fat is gone.").matches == ()


def test_punctuation_inside_a_sentence_does_not_block(index):
    result = index.check("Mesotherapy melts, dissolves and burns fat; your fat!")
    assert {m.claim_id for m in result.matches} == {MELTS_FAT}


def test_decimal_point_is_not_a_sentence_end(index):
    index = ClaimIndex([MESO], [ClaimTerms(1, "mesotherapy", ("1.5 sessions a month",))])
    result = index.check("Mesotherapy needs 1.5 sessions a month.")
    assert [m.matched_text for m in result.matches] == ["1.5 sessions a month"]


# --------------------------------------------------------------------------- attribution


def test_attribution_to_nearest_preceding_treatment(index):
    text = (
        "Endermologie improves circulation. "
        "Mesotherapy, on the other hand, improves circulation too and melts fat."
    )
    result = index.check(text)
    assert result.treatments_named == ("endermologie", "mesotherapy")
    got = [(m.claim_id, m.treatment_slug, m.start) for m in result.matches]
    assert got == [
        (ENDERMO_CIRCULATION, "endermologie", text.index("improves")),
        (CIRCULATION, "mesotherapy", text.rindex("improves")),
        (MELTS_FAT, "mesotherapy", text.index("melts")),
    ]


def test_attribution_falls_forward_when_no_treatment_precedes(index):
    text = "Better circulation, smoother skin: that is endermologie, not mesotherapy."
    result = index.check(text)
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (CIRCULATION, "mesotherapy")  # only mesotherapy lists "better circulation"
    ]
    text = "Improves circulation: that is endermologie, not mesotherapy."
    result = index.check(text)
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (ENDERMO_CIRCULATION, "endermologie")  # first named after the match
    ]


def test_phrase_of_an_unnamed_treatment_is_still_reported(index):
    # Only endermologie is named, but only mesotherapy claims to melt fat.
    result = index.check("Our endermologie sessions melt fat and reduce cellulite.")
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (MELTS_FAT, "mesotherapy"),
        (ENDERMO_CELLULITE, "endermologie"),
    ]


def test_no_treatment_named_reports_every_treatment(index):
    text = "This amazing treatment improves your circulation."
    result = index.check(text)
    assert result.no_treatment_named is True
    assert result.treatments_named == ()
    assert sorted((m.claim_id, m.treatment_slug) for m in result.matches) == [
        (CIRCULATION, "mesotherapy"),
        (ENDERMO_CIRCULATION, "endermologie"),
    ]
    assert {(m.start, m.end) for m in result.matches} == {
        (text.index("improves"), text.index(".")),
    }


def test_aliases_and_multi_word_names(index):
    result = index.check("Lipodissolve melts fat. LPG massage reduces cellulite.")
    assert result.treatments_named == ("mesotherapy", "endermologie")
    assert [(m.claim_id, m.treatment_slug) for m in result.matches] == [
        (MELTS_FAT, "mesotherapy"),
        (ENDERMO_CELLULITE, "endermologie"),
    ]
    assert index.check("Injection lipolysis!").treatments_named == ("mesotherapy",)
    assert index.check("a massage").treatments_named == ()


def test_name_inside_a_longer_name_of_another_treatment_is_not_a_mention():
    treatments = [
        TreatmentTerms("laser", ("laser",)),
        TreatmentTerms("laser-lipolysis", ("laser lipolysis",)),
    ]
    index = ClaimIndex(treatments, [])
    assert index.check("Try laser lipolysis.").treatments_named == ("laser-lipolysis",)
    assert index.check("Laser, then laser lipolysis.").treatments_named == (
        "laser",
        "laser-lipolysis",
    )


# --------------------------------------------------------------------------- overlaps


def test_overlapping_phrases_of_one_claim_keep_the_longest(index):
    result = index.check("Mesotherapy is virtually painless.")
    assert [(m.claim_id, m.matched_text) for m in result.matches] == [
        (PAINLESS, "virtually painless")
    ]


def test_different_claims_may_overlap():
    index = ClaimIndex(
        [MESO],
        [
            ClaimTerms(1, "mesotherapy", ("melts fat",)),
            ClaimTerms(2, "mesotherapy", ("fat cells",)),
        ],
    )
    result = index.check("Mesotherapy melts fat cells.")
    assert [(m.claim_id, m.matched_text) for m in result.matches] == [
        (1, "melts fat"),
        (2, "fat cells"),
    ]


def test_same_claim_in_several_places(index):
    text = "Mesotherapy melts fat. Really, it melts fat! Fat-melting, again."
    result = index.check(text)
    assert [m.matched_text for m in result.matches] == ["melts fat", "melts fat", "Fat-melting"]
    assert {m.claim_id for m in result.matches} == {MELTS_FAT}


# --------------------------------------------------------------------------- edge cases


@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n", "\u00a0\u2003"])
def test_empty_text(index, text):
    result = index.check(text)
    assert result == CheckResult(matches=(), treatments_named=(), no_treatment_named=True)


def test_unrelated_text_has_no_matches(index):
    text = "The weather in Lisbon was lovely; we ate custard tarts and walked by the river."
    assert index.check(text).matches == ()


def test_offsets_with_unicode_before_the_match(index):
    text = "Café – ça fond: melts fat"
    (match,) = index.check(text).matches
    assert match.claim_id == MELTS_FAT
    assert (match.start, match.end) == (text.index("melts fat"), len(text))
    assert text[match.start : match.end] == "melts fat"


def test_offsets_with_emoji_and_combining_accents(index):
    text = "🔥🔥 Mesotherapie\u0301 👉 Mesotherapy me\u0301lts fat 💃"
    result = index.check(text)
    assert [m.matched_text for m in result.matches] == ["me\u0301lts fat"]
    _spans_are_exact(text, result)


def test_index_accepts_odd_phrases_and_generators():
    index = ClaimIndex(
        (t for t in [TreatmentTerms("x", ("", "!!!", "the"))]),
        (c for c in [ClaimTerms(1, "x", ("", "   ", "---", "of the", "fat fat"))]),
    )
    assert index.check("The fat.").treatments_named == ("x",)
    assert [m.claim_id for m in index.check("Fat, more fat.").matches] == [1]
    assert index.check("Fat. Fat.").matches == ()


FULLWIDTH_MELTS_FAT = "\uff2d\uff25\uff2c\uff34\uff33 \uff26\uff21\uff34"

NASTY_STRINGS = [
    "\x00\x01\x02melts fat\x7f",
    "\u202eMesotherapy melts fat\u202c",  # right-to-left override
    "ميزوثيرابي يذيب الدهون melts fat",
    "עברית melts fat",
    "👩‍⚕️💉 melts fat 🫠",
    "\ud800 lone surrogate melts fat",
    "\ufb01 ligature " + FULLWIDTH_MELTS_FAT,
    "İstanbul ǅ ß ΣΑΣ",
    "'''---...!!!???",
    "9" * 5000 + " sessions",
    "a" * 10000,
    "melts " * 2000 + "fat",
    "e\u0301" * 300,
    "\u0301\u0301 melts fat",
    "١٢ sessions ²",
]


@pytest.mark.parametrize("text", NASTY_STRINGS)
def test_nasty_strings_never_raise(index, text):
    result = index.check(text)
    _spans_are_exact(text, result)


def test_fullwidth_text_matches(index):
    text = "Mesotherapy " + FULLWIDTH_MELTS_FAT
    assert [m.matched_text for m in index.check(text).matches] == [FULLWIDTH_MELTS_FAT]


if given is not None:

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=400))
    def test_check_never_raises_on_any_text(text):
        index = ClaimIndex([MESO, ENDERMO], CLAIMS)
        result = index.check(text)
        _spans_are_exact(text, result)
        assert list(result.matches) == sorted(result.matches, key=lambda m: m.start)

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(st.text(max_size=30), max_size=5),
        st.text(max_size=200),
    )
    def test_any_phrases_and_text(phrases, text):
        phrases = tuple(phrases)
        index = ClaimIndex([TreatmentTerms("t", phrases)], [ClaimTerms(1, "t", phrases)])
        _spans_are_exact(text, index.check(text))


# --------------------------------------------------------------------------- scale


def test_thousand_claims_against_a_long_text():
    rng = random.Random(20240601)
    letters = "bcdfghjklmnpqrstvwxz"

    def word(i: int) -> str:
        out = ""
        for _ in range(4):
            i, r = divmod(i, len(letters))
            out += letters[r] + "o"
        return "zu" + out + "k"

    treatments = [TreatmentTerms(f"t{t}", (f"treatment {word(90000 + t)}",)) for t in range(50)]
    claims = [
        ClaimTerms(
            c,
            f"t{c % 50}",
            (f"{word(c)} tightens skin", f"smooths skin with {word(c)}", f"{word(c)} lifts"),
        )
        for c in range(1000)
    ]
    index = ClaimIndex(treatments, claims)

    filler = "The clinic tightens skin and smooths skin daily, with lifts for all. "
    chosen = sorted(rng.sample(range(1000), 40))
    parts, expected = [], []
    for c in chosen:
        parts.append(filler * 4)
        sentence = f"{word(c)} tightens the skin"
        start = sum(map(len, parts))
        parts.append(sentence + ". ")
        expected.append((c, start, start + len(sentence)))
    while sum(map(len, parts)) < 20000:
        parts.append(filler)
    text = "".join(parts)
    assert len(text) >= 20000

    result = index.check(text)
    assert result.no_treatment_named is True
    assert [(m.claim_id, m.start, m.end) for m in result.matches] == expected
    assert {m.treatment_slug for m in result.matches} == {f"t{c % 50}" for c in chosen}
    _spans_are_exact(text, result)
