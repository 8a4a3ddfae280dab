"""Metrics that can fail: retrieval from the retriever's own ranking, quotes checked against the
store, floors that a worse reader misses, and the LLM reader under the verifier attacks."""

import json
from pathlib import Path

import pytest
from fakes import AttackChatModel

from qa.engine import Engine
from qa.evaluate.gate import below_floors, load_floors
from qa.evaluate.gold import GoldQuestion
from qa.evaluate.run import evaluate
from qa.retrieve import Passage
from qa.types import NO_ANSWER, Answer, Citation

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "transcripts"
FLOORS = load_floors(ROOT / "data/gold/floors.json")

GOLD = [
    GoldQuestion("a1", "How many Azerbaijani students study in Russia?", ("About 11,000",),
                 evidence="About 11,000 Azerbaijani students study in Russia"),
    GoldQuestion("a2", "How many scholarships are granted every year?", ("over 200",),
                 evidence="Every year, over 200 scholarships are granted"),
    GoldQuestion("a3", "Where will the President travel on Thursday?", ("Brussels",),
                 evidence="The President will travel to"),
    GoldQuestion("u1", "How many Russian students study in Azerbaijan?", ()),
    GoldQuestion("u2", "What is the recipe for borscht?", ()),
]


def cite(p: Passage, quote: str = "", rank: int = 0) -> Citation:
    start = p.text.find(quote) if quote else 0
    return Citation(source=p.meta.get("source", ""), title="", date="", speaker="", paragraph=0, text=p.text,
                    quote=quote, start=start, end=start + len(quote), score=0.0, id=p.id, rank=rank)


class OracleReader:
    """Knows the gold: answers from the passage holding the evidence, abstains otherwise."""

    def read(self, question, passages, k=5):
        g = next(g for g in GOLD if g.question == question)
        hit = next((p for p in passages if g.evidence and g.evidence in p.text), None)
        if not g.answers or hit is None:
            return Answer(question, NO_ANSWER, "", True, 0.1, [cite(p) for p in passages[:k]])
        return Answer(question, g.answers[0], g.evidence, False, 0.9, [cite(hit, g.evidence)])


class CarelessReader:
    """Always answers, quoting the first words of the last passage it was given."""

    def read(self, question, passages, k=5):
        p = passages[-1]
        quote = " ".join(p.text.split()[:3])
        return Answer(question, quote, quote, False, 0.9, [cite(p, quote)])


@pytest.fixture
def corpus(fake_engine):
    fake_engine.ingester().run([FIX])
    return fake_engine


def run_with(corpus, reader=None, chat_model=None, reader_kind="extractive"):
    engine = Engine(corpus.settings.replace(reader=reader_kind, llm_format="text"), store=corpus.store, embedder=corpus.embedder,
                    reader=reader, chat_model=chat_model)
    return evaluate(engine, GOLD, k=5)


def test_a_worse_reader_misses_the_abstention_and_citation_floors(corpus):
    good = run_with(corpus, OracleReader())
    bad = run_with(corpus, CarelessReader())
    assert good["unanswerable"]["abstention_accuracy"] == 1.0 and good["citation_precision"] == 1.0
    floors = {k: FLOORS[k] for k in ("abstention_accuracy", "citation_precision", "answered_precision")}
    assert below_floors(good, floors) == []
    missed = below_floors(bad, floors)
    assert any(m.startswith("abstention_accuracy 0.0 is below") for m in missed), missed
    assert any(m.startswith("citation_precision") for m in missed), missed
    # the careless reader's quotes are real words, so only its judgement fails, not verbatim
    assert bad["quotes_verbatim"] == 1.0


def test_the_llm_reader_under_attack_gives_no_answer(corpus):
    m = run_with(corpus, chat_model=AttackChatModel(), reader_kind="llm")
    assert m["verifier"]["claims"] >= 20  # the attacks were made ...
    assert m["verifier"]["share_caught"] == 1.0  # ... and every one was refused
    assert m["coverage"] == 0.0 and all(q["prediction"] == NO_ANSWER for q in m["questions"])
    assert m["quotes_verbatim"] == 1.0


class _Store:
    def __init__(self, texts):
        self.texts = texts

    def paragraphs(self, ids):
        return {i: self.texts[i] for i in ids if i in self.texts}


class _Engine:
    """An engine whose answer and store are given: for checking the metrics themselves."""

    def __init__(self, answer, texts):
        self.store, self._answer = _Store(texts), answer

    def answer(self, question, k=5):
        return self._answer


EVIDENCE = "About 11,000 Azerbaijani students study in Russia"
TEXTS = {"p1": "Trade grew.", "p2": "Talks resume in March.", "p3": EVIDENCE + ", she said."}


def _answer(cited_text=TEXTS["p3"]):
    p3 = Passage("p3", cited_text, {"source": "x"}, 0.5)
    p1 = Passage("p1", TEXTS["p1"], {"source": "x"}, 0.5)
    a = Answer("q?", "About 11,000", EVIDENCE, False, 0.9,
               [cite(p3, cited_text[:len(EVIDENCE)], rank=3), cite(p1, rank=1)])
    a.retrieved = ["p1", "p2", "p3"]
    return a


def test_retrieval_is_scored_on_the_retrievers_ranking_not_the_cited_order():
    # The reader put the retriever's third passage first. Sorting the citations by their rank
    # would make it second (p1, p3); the retriever ranked it third.
    g = GoldQuestion("a", "q?", ("About 11,000",), evidence=EVIDENCE)
    m = evaluate(_Engine(_answer(), TEXTS), [g], k=5)
    assert m["questions"][0]["rank"] == 3
    assert m["retrieval"]["recall@1"] == 0.0 and m["retrieval"]["mrr"] == pytest.approx(1 / 3, abs=1e-3)
    assert m["citation_recall"] == 1.0 and m["citation_precision"] == 1.0


def test_quotes_are_checked_against_the_paragraph_as_stored():
    g = GoldQuestion("a", "q?", ("About 11,000",), evidence=EVIDENCE)
    assert evaluate(_Engine(_answer(), TEXTS), [g], k=5)["quotes_verbatim"] == 1.0
    # A citation consistent with itself (text[start:end] == quote) but not with the store:
    forged = _answer(cited_text="About 12,000 Azerbaijani students study in Russia, she said.")
    forged.text = "About 12,000"
    m = evaluate(_Engine(forged, TEXTS), [g], k=5)
    assert m["quotes_verbatim"] == 0.0
    # An extracted short answer that is not in the paragraph it cites:
    made_up = _answer()
    made_up.text = "About 12,000"
    assert evaluate(_Engine(made_up, TEXTS), [g], k=5)["quotes_verbatim"] == 0.0


def test_floors_file_names_an_unknown_floor(tmp_path):
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"f1": 0.5, "f2": 0.1}))
    with pytest.raises(Exception, match="unknown floor 'f2'"):
        load_floors(path)


def test_every_floor_in_the_repository_is_checked():
    assert {"abstention_accuracy", "citation_precision", "f1", "answered_precision"} <= set(FLOORS)
    metrics = {"f1": 0.0, "retrieval": {"recall@5": 0.0}, "quotes_verbatim": 0.0, "unanswerable": {"abstention_accuracy": 0.0},
               "answerable": {"false_abstention": 1.0}, "answered_precision": 0.0, "citation_precision": 0.0,
               "lists": {"f1": 0.0}, "statements": {"speaker_and_dates": 0.0}}
    assert len(below_floors(metrics, FLOORS)) == len(FLOORS)
