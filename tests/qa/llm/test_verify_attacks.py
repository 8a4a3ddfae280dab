"""The verifier under attack, in both directions: model outputs that must be refused, and
harmless variants of a right quote that must be accepted. Issue #15 lists the first group;
each of them was verified against the previous verifier, which let it through."""

import pytest
from langchain_core.language_models import FakeListChatModel

from qa.llm.reader import LLMReader, build_answer
from qa.llm.verify import find_verbatim, parse_claims, verify
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER

TRADE = "The trade turnover in January-November 2018 amounted to $2.2 billion, which is 14% more than in 2017."
STUDENTS = ('"About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through '
            'budget allocations. Every year, over 200 scholarships are granted," she said.')
SANCTIONS = "Russia does not support the sanctions regime. We have said so many times."
SUMMITS = ("So, in a sign of that commitment, the United States is looking forward to hosting the G20 in 2026. The "
           "summit took place in Paris on 22 and 23 June. We are the culprits, which is why the solutions to stop it will "
           "come from us and from no one else.")
PASSAGES = [TRADE, STUDENTS, SANCTIONS, SUMMITS]
SPEAKERS = ["Maria Zakharova"] * 4


def claim(output):
    [c] = verify(parse_claims(output), PASSAGES, SPEAKERS)
    return c


# --- refused ---------------------------------------------------------------------------

REFUSED = {
    # the claim's own words contradict its true quote: negation and a number not in the quote
    "negated claim, unrelated quote": 'Trade did not grow in 2018 [1] "amounted to $2.2 billion"',
    # a true fragment of a negated sentence supports the opposite claim
    "quote cut out of a negated clause": 'Russia supports the sanctions regime [3] "the sanctions regime"',
    "negation flipped in the claim": 'Russia does not support trade [1] "The trade turnover in January-November 2018"',
    "a double negation": 'It is not true that Russia does not support the sanctions regime [3] "Russia does not support the sanctions regime"',
    "ellipsis that omits the negation": 'Russia supports the sanctions regime [3] "Russia ... support the sanctions regime"',
    # "1,000 Azerbaijani" is a substring of "11,000 Azerbaijani", but not on a word boundary
    "a number inside a bigger number": '1,000 Azerbaijani students study in Russia [2] "1,000 Azerbaijani students study in Russia"',
    "a word inside a bigger word": 'Students are funded [2] "udents study in Russia"',
    # ellipsis pieces stitched from different sentences, or far apart in one
    "ellipsis across sentences": 'Students get 200 scholarships [2] "Azerbaijani students ... over 200 scholarships"',
    "single words stitched by ellipses": 'Russia grants budget scholarships [2] "Russia ... budget ... scholarships"',
    "ellipsis with a long gap": 'Trade grew in 2017 [1] "The trade ... 2017"',
    # numbers must be in the claim's own quote, in digits or in words
    "a number in no quote": 'About 2.2 billion students study in Russia [2] "Azerbaijani students study in Russia"',
    "number in words": 'Twelve thousand Azerbaijani students study in Russia [2] "Azerbaijani students study in Russia"',
    "scaled number": 'Turnover reached $2.2 million [1] "amounted to $2.2 billion"',
    "percentage in words": 'Trade grew by fifteen per cent [1] "which is 14% more than in 2017"',
    # names must be in the quote (or be the paragraph's speaker)
    "a name the quote does not carry": 'Turkish students study in Russia [2] "students study in Russia"',
    "another country": 'About 11,000 Azerbaijani students study in Turkey [2] "About 11,000 Azerbaijani students study"',
    # words the claim presents as a quotation must be in the passage
    "a fabricated inline quotation": 'She said "we will cut all ties" [2]: "About 11,000 Azerbaijani students study in Russia"',
    # look-alike letters from another script are other words
    "Cyrillic look-alike letters": 'Students study in Russia [2] "Azerbaijani students study in Russiа"',
    # found by the attacking chat model on the real corpus (tests/fakes.py: attacks)
    "a code changed": 'The United States will host the G21 in 2026 [4] "the United States is looking forward to hosting the G20 in 2026"',
    "a number doubled": 'The summit was held in Paris on 23 and 23 June [4] "in Paris on 22 and 23 June"',
    "a negation from outside the quote": 'It is not the case that solutions will come [4] "the solutions to stop it will come"',
    "a quote in no passage": 'Students live for free [2] "all students receive free housing"',
    "a one-word quote": 'Students study in Russia [2] "Russia"',
}


@pytest.mark.parametrize("output", REFUSED.values(), ids=REFUSED.keys())
def test_attack_is_refused(output):
    c = claim(output)
    assert not c.verified, c
    assert c.problem


def test_a_number_from_another_claims_passage_no_longer_counts():
    # The first claim verifies passage [1] (which holds 2.2); the second must not borrow it.
    claims = verify(parse_claims('Turnover reached $2.2 billion [1] "amounted to $2.2 billion".\n'
                                 'About 2.2 thousand students study in Russia [2] "Azerbaijani students study in Russia".'),
                    PASSAGES, SPEAKERS)
    assert [c.verified for c in claims] == [True, False]
    assert claims[1].problem == "the number 2.2 thousand is not in its quote"


@pytest.mark.parametrize("output, problem", [
    ('Trade did not grow in 2018 [1] "amounted to $2.2 billion"', "the number 2018 is not in its quote"),
    ('Russia supports the sanctions regime [3] "Russia does not support the sanctions regime"',
     "its quote is negated ('not'), the claim is not"),
    ('Russia supports the sanctions regime [3] "the sanctions regime"', "the name Russia is not in its quote"),
    ('Sanctions are supported [3] "support the sanctions regime"', "its quote is negated ('not'), the claim is not"),
    ('Russia does not trade [1] "The trade turnover in January-November 2018"', "the name Russia is not in its quote"),
    ('Trade did not grow [1] "The trade turnover in January-November 2018"',
     "it says 'not', but its quote is not negated"),
])
def test_the_reason_names_what_is_missing(output, problem):
    assert claim(output).problem == problem


def test_attacks_never_reach_the_answer_text():
    output = "\n".join(REFUSED.values())
    given = [Passage(f"p{i}", t, {"source": "x.txt", "paragraph": i, "speaker": "Maria Zakharova"}, score=0.5)
             for i, t in enumerate(PASSAGES, start=1)]
    a = build_answer("q?", output, given, given, 3)
    assert a.abstained and a.text == NO_ANSWER
    assert len([n for n in a.notes if n.startswith("Dropped")]) == len(REFUSED)


# --- accepted --------------------------------------------------------------------------

ACCEPTED = {
    # the right answer that the old verifier refused: the passage has a capital "About"
    "letter case": 'Azerbaijani students study in Russia [2] "about 11,000 Azerbaijani students study in Russia"',
    "typographic quotes": "About 11,000 Azerbaijani students study in Russia [2] “About 11,000 Azerbaijani students study in Russia”",
    "single quotes": "About 11,000 Azerbaijani students study in Russia [2] 'About 11,000 Azerbaijani students study in Russia'",
    "white space and a tab": 'Trade reached $2.2 billion [1] "amounted  to\t$2.2 billion"',
    "leading and trailing punctuation": 'About 11,000 Azerbaijani students study in Russia [2] "...about 11,000 Azerbaijani students study in Russia."',
    "an en dash for a hyphen": 'Trade reached $2.2 billion in 2018 [1] "The trade turnover in January–November 2018 amounted to $2.2 billion"',
    "full-width digits": 'Trade grew 14% [1] "which is １４% more than in 2017"',
    "a zero-width space": 'Trade grew 14% [1] "which is 14%\u200b more than in 2017"',
    "a non-breaking space": 'Trade grew 14% [1] "which is 14%\u00a0more than in 2017"',
    "number written differently": 'Eleven thousand Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia"',
    "number without separators": 'About 11000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia"',
    "the paragraph's speaker named": 'Zakharova said 11,000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia"',
    "a negated claim on a negated quote": 'Russia does not support the sanctions regime [3] "Russia does not support the sanctions regime"',
    "a short ellipsis in one sentence": 'Trade reached $2.2 billion in 2018 [1] "The trade turnover in January-November 2018 … $2.2 billion"',
    "a true inline quotation": 'She said "over 200 scholarships are granted" [2]: "Every year, over 200 scholarships are granted"',
}


@pytest.mark.parametrize("output", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_harmless_variant_is_accepted(output):
    c = claim(output)
    assert c.verified, c.problem
    assert c.passage in (1, 2, 3, 4) and c.end > c.start


def test_a_quote_from_another_passage_is_moved_to_where_it_is_with_a_note():
    c = claim('About 11,000 Azerbaijani students study in Russia [1] "About 11,000 Azerbaijani students study in Russia"')
    assert c.verified and c.passage == 2 and c.note == "it cites [1], but the quote is in [2]"


def test_an_out_of_range_marker_is_noted_and_the_quote_found():
    c = claim('Trade reached $2.2 billion [9] "amounted to $2.2 billion"')
    assert c.verified and c.passage == 1 and "only 4 passages" in c.note


def test_the_verified_span_is_the_passage_text_not_the_models_spelling():
    # The model's lower-case, curly-quoted spelling is not what is shown: the span is.
    c = claim("Azerbaijani students study in Russia [2] “about 11,000 azerbaijani students study in russia”")
    assert c.verified and STUDENTS[c.start:c.end] == "About 11,000 Azerbaijani students study in Russia"


@pytest.mark.parametrize("quote, text, span", [
    ("1,000 students", "11,000 students and 1,000 students", (20, 34)),  # the second, whole-number occurrence
    ("ABOUT 11,000", "About 11,000", (0, 12)),
    ("study ... Russia", "students study in Russia", (9, 24)),
    ("study ... Russia", "students study. In Russia", None),
    ("in Russ", "students study in Russia", None),
])
def test_find_verbatim_boundaries(quote, text, span):
    assert find_verbatim(quote, text) == span


# --- confidence ------------------------------------------------------------------------

def _given():
    return [Passage(f"p{i}", t, {"source": "x.txt", "paragraph": i, "speaker": "Maria Zakharova"}, score=0.5)
            for i, t in enumerate(PASSAGES, start=1)]


def test_llm_answers_respect_min_confidence():
    # One verified claim of four: confidence 0.25 x (1 + support) / 2, below 0.5.
    output = ('About 11,000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia".\n'
              'Students live for free [2] "all students receive free housing".\n'
              'Trade fell [1] "trade collapsed".\nRussia left [3] "we left"')
    model = FakeListChatModel(responses=[output])
    a = LLMReader(model, Settings(min_confidence=0.5)).read("How many Azerbaijani students study in Russia?", _given())
    assert a.abstained and a.text == NO_ANSWER and a.confidence < 0.5
    assert a.withheld.startswith("About 11,000 Azerbaijani students") and "withheld" in a.notes[0]
    model = FakeListChatModel(responses=[output])
    b = LLMReader(model, Settings(min_confidence=0.1)).read("How many Azerbaijani students study in Russia?", _given())
    assert not b.abstained and b.confidence == a.confidence


def test_confidence_is_derived_from_verification():
    full = build_answer("q?", 'About 11,000 Azerbaijani students study in Russia [2] '
                              '"About 11,000 Azerbaijani students study in Russia"', _given(), _given(), 3)
    paraphrase = build_answer("q?", 'Trade reached $2.2 billion [1] "amounted to $2.2 billion"', _given(), _given(), 3)
    assert full.confidence == 1.0
    assert 0.5 <= paraphrase.confidence < full.confidence  # "reached" is the model's word, not the transcript's


def test_roles_swapped_within_the_quote_are_not_caught():
    """A known limit, stated in the README: the verifier checks words, not meaning."""
    [c] = verify(parse_claims('Azerbaijani students train Russia [1] "Russia trains 500 Azerbaijani students"'),
                 ["Every year, Russia trains 500 Azerbaijani students in its universities."])
    assert c.verified
