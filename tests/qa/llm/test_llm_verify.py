"""The verifier on hand-written model outputs: quotes, numbers, markers."""

import pytest

from qa.llm.verify import find_verbatim, parse_claims, verify

STUDENTS = ('"About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through '
            'budget allocations. Every year, over 200 scholarships are granted," she said.')
TRADE = "The trade turnover in January-November 2018 amounted to $2.2 billion, which is 14% more than in 2017."
PASSAGES = [TRADE, STUDENTS]


def one(output):
    [claim] = verify(parse_claims(output), PASSAGES)
    return claim


def test_a_verbatim_quote_verifies_and_points_at_its_span():
    c = one('About 11,000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia"')
    assert c.verified and c.passage == 2
    assert STUDENTS[c.start:c.end] == "About 11,000 Azerbaijani students study in Russia"


def test_white_space_and_typographic_quotes_are_normalised():
    c = one("Trade grew [1] “amounted  to\t$2.2 billion”")
    assert c.verified and TRADE[c.start:c.end] == "amounted to $2.2 billion"


def test_a_made_up_quote_is_not_verified_and_says_where_it_looked():
    c = one('Students get free housing [2] "all students receive free housing in Moscow"')
    assert not c.verified
    assert "not in [2]" in c.problem and "free housing" in c.problem


def test_a_near_miss_quote_is_not_accepted():
    # One word changed: similarity would accept it; verbatim checking must not.
    c = one('About 12,000 students [2] "About 12,000 Azerbaijani students study in Russia"')
    assert not c.verified


def test_a_wrong_number_in_the_claim_fails_even_with_a_real_quote():
    c = one('About 12,000 Azerbaijani students study in Russia [2] "Azerbaijani students study in Russia"')
    assert not c.verified and c.problem == "the number 12,000 is not in its quote"


def test_numbers_match_with_or_without_thousands_separators():
    c = one('About 11000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia"')
    assert c.verified


def test_a_missing_marker_is_filled_from_where_the_quote_really_is():
    c = one('Turnover was $2.2 billion. "amounted to $2.2 billion"')
    assert c.verified and c.passage == 1 and "cites no passage" in c.note


def test_a_wrong_marker_is_corrected_with_a_note():
    c = one('Turnover was $2.2 billion [2] "amounted to $2.2 billion"')
    assert c.verified and c.passage == 1 and c.note == "it cites [2], but the quote is in [1]"


def test_an_out_of_range_marker_is_noted():
    c = one('Turnover was $2.2 billion [7] "amounted to $2.2 billion"')
    assert c.verified and c.passage == 1 and "only 2 passages" in c.note


def test_a_claim_without_quote_verifies_only_if_it_is_itself_verbatim():
    assert one("Every year, over 200 scholarships are granted [2].").verified
    c = one("Many scholarships are given every year [2].")
    assert not c.verified and "not in [2]" in c.problem


def test_a_one_word_quote_supports_nothing():
    c = one('They study in Russia [2] "Russia"')
    assert not c.verified and "too short" in c.problem


def test_an_ellipsis_stands_for_omitted_words():
    c = one('Turnover reached $2.2 billion [1] "The trade turnover ... amounted to $2.2 billion"')
    assert c.verified and TRADE[c.start:c.end].startswith("The trade turnover in January")


def test_quote_lines_attach_to_the_claim_above_them():
    claims = parse_claims('Answer: About 11,000 students study in Russia [2].\nQuote [2]: "About 11,000 Azerbaijani students"')
    assert len(claims) == 1 and claims[0].quote == "About 11,000 Azerbaijani students" and claims[0].markers == [2]


def test_several_claims_on_one_line_are_split_after_each_quote():
    out = ('About 11,000 students study in Russia [2] "About 11,000 Azerbaijani students study in Russia". '
           'Turnover reached $2.2 billion [1] "amounted to $2.2 billion".')
    claims = verify(parse_claims(out), PASSAGES)
    assert [c.passage for c in claims] == [2, 1] and all(c.verified for c in claims)


def test_an_inline_quote_stays_in_the_sentence():
    [c] = parse_claims('Zakharova called the growth "14% more than in 2017" [1].')
    assert c.text == 'Zakharova called the growth "14% more than in 2017"' and c.quote == "14% more than in 2017"


@pytest.mark.parametrize("quote, text, span", [
    ("a  b", "x a\tb y", (2, 5)),
    ("it’s", "it's here", (0, 4)),
    ("missing", "not here", None),
    ("", "anything", None),
])
def test_find_verbatim(quote, text, span):
    assert find_verbatim(quote, text) == span
