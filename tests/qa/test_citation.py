"""The one Citation builder (`Citation.from_passage`) gives every caller what it needs: the quote
at its offsets in the passage's own text, the metadata, and a ``score`` with its one documented
meaning (a cosine with the question, 0.0 where none was computed; never BM25 or RRF)."""

from pathlib import Path

import numpy as np
import pytest

from qa.analyst.search import Found
from qa.llm.reader import build_answer
from qa.retrieve import Passage
from qa.types import Citation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyst"
TEXT = "MS ZAKHAROVA: About 11,000 Azerbaijani students study in Russia. Over 200 get scholarships."
META = {"source": "mfa/z.txt", "title": "Interview", "date": "2018-12-06", "speaker": "Maria Zakharova", "paragraph": "8"}


def test_the_quote_is_the_passages_own_text_at_its_offsets():
    p = Passage("p8", TEXT, META, score=0.0328, dense=0.712345)
    start = TEXT.index("About")
    end = TEXT.index("Russia.") + len("Russia.")
    c = Citation.from_passage(p, start, end, rank=3)
    assert c.quote == TEXT[start:end] == c.text[c.start:c.end] == "About 11,000 Azerbaijani students study in Russia."
    assert (c.source, c.title, c.date, c.speaker, c.paragraph, c.id, c.rank) == (
        "mfa/z.txt", "Interview", "2018-12-06", "Maria Zakharova", 8, "p8", 3)
    assert c.verified and c.claimed == "" and c.status == "verified"
    context = Citation.from_passage(p, rank=1, verified=False)  # retrieved, not quoted
    assert context.quote == "" and context.status == "context"
    flagged = Citation.from_passage(p, verified=False, claimed="12,000 students")
    assert flagged.status == "unverified"


def test_score_is_the_dense_cosine_and_never_the_fused_score():
    found_by_meaning = Passage("a", TEXT, META, score=0.0328, dense=0.712345)
    found_by_bm25_only = Passage("b", TEXT, META, score=0.0164, dense=0.0)
    assert Citation.from_passage(found_by_meaning).score == 0.7123
    assert Citation.from_passage(found_by_bm25_only).score == 0.0  # no cosine was computed, and RRF is not one
    assert Citation.from_passage(found_by_bm25_only, cosine=0.25).score == 0.25


def test_an_analyst_hit_cites_its_sentence_with_a_cosine_or_nothing():
    start = TEXT.index("Over")
    f = Found("p8", TEXT, META, start, len(TEXT), score=17.5)  # score: BM25, the order among hits
    assert f.citation(rank=1).quote == "Over 200 get scholarships." and f.citation(rank=1).score == 0.0
    assert f.citation(rank=1, cosine=0.4321987).score == 0.4322


def test_the_llm_reader_scores_its_citations_by_cosine():
    passages = [Passage("p1", "The trade turnover amounted to $2.2 billion.", META, score=0.0328, dense=0.55),
                Passage("p2", TEXT, META, score=0.0161, dense=0.0)]
    a = build_answer("How many students?", 'About 11,000 [2] "About 11,000 Azerbaijani students study in Russia".',
                     passages, passages, 2)
    assert [(c.id, c.score, c.rank) for c in a.citations] == [("p2", 0.0, 2), ("p1", 0.55, 1)]
    assert a.citations[0].quote == "About 11,000 Azerbaijani students study in Russia"


@pytest.fixture
def analyst(fake_engine):
    fake_engine.ingester().run([FIXTURES])
    return fake_engine


def test_lists_carry_no_score_and_statements_the_cosine_of_their_quote(analyst, embedder):
    lst = analyst.answer("Which countries mentioned the Black Sea Grain Initiative?")
    assert lst.kind == "list" and lst.citations and all(c.score == 0.0 for c in lst.citations)
    question = "What did John Kirby say about Ukraine?"
    st = analyst.answer(question)
    assert st.kind == "statements" and st.citations
    q = np.asarray(embedder.embed([question])[0])
    for c in st.citations:
        assert c.score == pytest.approx(float(np.asarray(embedder.embed([c.quote])[0]) @ q), abs=1e-4)


def test_the_builders_docstring_example_runs():
    import doctest

    import qa.types

    result = doctest.testmod(qa.types)
    assert result.attempted > 0 and result.failed == 0, result
