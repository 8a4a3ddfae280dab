"""One word pattern and one stop-word list (vectorstore.words) serve every caller that compares
words; each caller's difference is a parameter. These pin down what each caller needs of them."""

import subprocess
import sys
from pathlib import Path

import pytest

from vectorstore import lexical
from vectorstore.words import QUESTION_WORDS, STOPWORDS, content_words, phrase, words

ROOT = Path(__file__).resolve().parents[2]


def test_words_are_lower_case_with_numbers_and_apostrophes_made_alike():
    assert words("About 11,000 (11.000) students, Russia’s 3.5%") == [
        "about", "11000", "11000", "students", "russia's", "3.5"]
    assert words("Côte d’Ivoire") == ["côte", "d'ivoire"]


def test_bm25_tokens_are_the_stemmed_content_words():
    """Retrieval's tokens (and the reader features built on them) come from the same words."""
    text = "How many of Russia’s 11,000 students were studying medicine, according to the ministry?"
    assert lexical.STOPWORDS is STOPWORDS
    assert lexical.tokenize(text) == [w if w[0].isdigit() else lexical._stem(w) for w in content_words(text)]
    assert lexical.tokenize(text) == ["mani", "russia", "11000", "student", "studi", "medicin", "accord", "ministri"]


def test_question_phrasing_is_dropped_only_when_the_words_are_a_question():
    q = "How many students, according to whose count, and how much money?"
    assert content_words(q) == ["many", "students", "according", "whose", "count", "much", "money"]
    assert content_words(q, question=True) == ["students", "count", "money"]
    assert not QUESTION_WORDS & STOPWORDS  # an addition for questions, not a second list
    assert content_words("Is it in the UN?", min_len=3) == []


def test_focus_counts_content_words_only():
    """The LLM reader shows the window around the sentence sharing most content words with the
    question: a sentence that shares only stop words and "how many" does not win."""
    from qa.llm.reader import focus

    filler = "Nothing to see in this sentence at all. " * 20
    text = ("How many of them were there, and how many were not? " + filler
            + "Scholarships went to 11.000 Azerbaijani students. " + filler)
    shown = focus(text, "How many Azerbaijani students get scholarships?", 200)
    assert "Scholarships went to 11.000 Azerbaijani students." in shown


def test_a_rewrite_must_keep_a_content_word_of_the_followup():
    from qa.llm.rewrite import _shares_words

    followup = "and what about their scholarships?"
    assert _shares_words("How many Azerbaijani students get scholarships?", followup)
    assert not _shares_words("What about their trade turnover?", followup)  # shares only stop words
    assert _shares_words("anything at all", "and what about them?")  # no content word to keep


def test_gold_near_duplicates_compare_content_words_of_questions():
    from benchmarks.check_gold import _content

    assert _content("How many Azerbaijani students study in Russia?") == {"azerbaijani", "students", "study", "russia"}
    assert _content("How much, according to Zakharova, is 11,000?") == {"zakharova", "11000"}


def test_the_gold_checker_still_needs_only_the_standard_library():
    """benchmarks.check_gold runs before the project is installed: importing it must not pull in
    numpy, snowballstemmer or anything else outside the standard library."""
    code = ("import sys, benchmarks.check_gold; "
            "bad = sorted(m for m in ('numpy', 'snowballstemmer', 'qa') if m in sys.modules); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text, key", [
    ("  The Black-Sea   Grain Initiative's ", "the black sea grain initiative s"),
    ("11,000 students", "11 000 students"),
    ("", ""),
])
def test_phrases_match_on_word_boundaries_for_topics_and_list_scoring(text, key):
    from qa.analyst.topic import Phrase
    from qa.evaluate.analyst import mentions

    assert phrase(text) == key
    assert mentions("They said: the black sea grain initiative's end hurts.", ["Black-Sea Grain Initiative"])
    assert not mentions("the Black Sea Grain Initiatives", ["Black Sea Grain Initiative"])
    assert Phrase.of("the Black Sea Grain Initiative").matches("Russia left the Black-Sea grain initiative.", set())
