"""The extractive reader on hand-made passages (fake embedder, real spaCy, the shipped models).

Span choice is tested with abstention off: fake passages carry no real retrieval scores, so
their confidence means little; abstention on the real corpus is tested in test_answers_real.py."""

import pytest
from fakes import FakeEmbedder

from qa.qtype import expected_type
from qa.reader import ExtractiveReader
from qa.retrieve import Passage
from qa.settings import Settings

STUDENTS = ('"About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through '
            'budget allocations. Every year, over 200 scholarships are granted to citizens of Azerbaijan," she said.')
TRADE = ("The trade turnover in January-November 2018 amounted to $2.2 billion, which is 14% more than in the "
         "corresponding period of 2017.")
PROTOCOL = ("She recalled that the Protocol on the establishment of diplomatic relations was signed on April 4, 1992.")


def passage(text, i, speaker="Maria Zakharova"):
    return Passage(f"p{i}", text, {"source": "interview.txt", "title": "Interview", "date": "", "speaker": speaker,
                                   "paragraph": i}, score=1.0 / (60 + i))


@pytest.fixture(scope="module")
def reader():
    return ExtractiveReader(FakeEmbedder(), Settings.from_env({}, min_confidence=0.0))


@pytest.fixture(scope="module")
def cautious():
    return ExtractiveReader(FakeEmbedder(), Settings.from_env({}))


PASSAGES = [passage(t, i) for i, t in enumerate([TRADE, STUDENTS, PROTOCOL], start=1)]


@pytest.mark.parametrize("question, expected", [
    ("How many Azerbaijani students study in Russia?", "11,000"),
    ("How many scholarships are granted to citizens of Azerbaijan every year?", "200"),
    ("How much was the trade turnover in January-November 2018?", "$2.2 billion"),
    ("By what percentage did trade turnover grow?", "14%"),  # an xfail until the neural span score (#13)
    ("When was the Protocol on the establishment of diplomatic relations signed?", "April 4, 1992"),
])
def test_typed_answers_are_verbatim_spans(reader, question, expected):
    a = reader.read(question, PASSAGES, k=3)
    assert not a.abstained, a
    # A short span holding the right figure: "11,000" and "About 11,000" are both right.
    assert expected in a.text and len(a.text.split()) <= 4, a.text
    top = a.citations[0]
    assert a.text in top.quote and expected in top.quote


def test_citations_put_the_answer_passage_first_then_rank_order(reader):
    a = reader.read("How many Azerbaijani students study in Russia?", PASSAGES, k=3)
    assert [c.paragraph for c in a.citations] == [2, 1, 3]
    assert [c.rank for c in a.citations] == [2, 1, 3]


@pytest.mark.parametrize("question", [
    "What is the recipe for borscht?",
    "Which football team won the 1966 World Cup final?",
])
def test_abstains_when_the_passages_do_not_answer(cautious, question):
    a = cautious.read(question, PASSAGES, k=3)
    assert a.abstained and a.text.startswith("The transcripts do not answer")
    assert a.confidence < Settings.from_env({}).min_confidence


def test_no_passages_abstains(reader):
    assert reader.read("Anything?", [], k=3).abstained


@pytest.mark.parametrize("question, kind", [
    ("How many students?", "count"), ("How much money was pledged?", "money"),
    ("What percentage of voters?", "percent"), ("When did it happen?", "date"), ("In which year?", "date"),
    ("Where was the summit held?", "place"), ("Who chairs the committee?", "person"),
    ("Which organization runs the camp?", "organisation"), ("Why did they leave?", "sentence"),
    ("Which country hosted the talks?", "place"), ("How long did the talks last?", "duration"),
])
def test_expected_answer_types(question, kind):
    assert expected_type(question).name == kind
