"""Cited answers from the real models over the whole bundled corpus."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from checks import assert_quotes_match_store

from qa.chain import build_chain
from qa.evaluate.gold import load_gold
from qa.types import Answer
from vectorstore.store import Store

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
STUDENTS = "How many Azerbaijani students study in Russia?"


def test_students_question(corpus_engine):
    a = corpus_engine.answer(STUDENTS)
    assert "11,000" in a.text and not a.abstained
    assert "About 11,000 Azerbaijani students study in Russia" in a.citations[0].quote
    assert a.citations[0].source.startswith("mfa-russia/")
    assert set(a.timings_ms) >= {"embed", "search", "read"}


@pytest.mark.parametrize("question", [
    "What is the population of Azerbaijan?",          # an attribute the corpus never states
    "How many Russian students study in Azerbaijan?",  # roles swapped: the transcript counts the reverse
])
def test_near_misses_abstain(corpus_engine, question):
    """The issue's two examples; the students question above still answers."""
    a = corpus_engine.answer(question)
    assert a.abstained, (a.withheld, a.confidence, a.signals)


def test_recipe_question_abstains(corpus_engine):
    a = corpus_engine.answer("What is the recipe for borscht?")
    assert a.abstained and a.citations  # the closest passages are still shown


def test_every_quote_is_verbatim_at_its_offsets(corpus_engine):
    gold = load_gold(ROOT / "data/gold/dev.jsonl") + load_gold(ROOT / "data/gold/test.jsonl")
    for g in gold:
        a = corpus_engine.answer(g.question)
        stored = assert_quotes_match_store(a, corpus_engine.store)
        if not a.abstained and a.kind == "factoid":
            assert a.text in stored[a.citations[0].id], g.id
            assert a.text in a.citations[0].text and a.text in a.sentence or a.sentence in a.citations[0].text


def test_followup_uses_the_previous_question(corpus_engine):
    a = corpus_engine.answer("and how many of them get scholarships?", history=[STUDENTS])
    # Retrieval reads the follow-up with the previous question; the reader reads the follow-up
    # alone and may judge "of them" too vague to answer, but never answers anything else.
    assert "over 200 scholarships" in a.citations[0].text
    assert "200" in (a.text if not a.abstained else a.withheld)


def test_chain_invoke_batch_stream(corpus_engine):
    chain = build_chain(corpus_engine)
    a = chain.invoke(STUDENTS)
    assert isinstance(a, Answer) and "11,000" in a.text
    batch = chain.batch([STUDENTS, "What is the recipe for borscht?"])
    assert "11,000" in batch[0].text and batch[1].abstained
    chunks = list(chain.stream(STUDENTS))
    assert chunks and "11,000" in chunks[-1].text


def test_cli_ask_json(corpus_store):
    out = subprocess.run([sys.executable, "-m", "qa", "ask", STUDENTS, "--json", "--store", str(corpus_store)],
                         capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    d = json.loads(out.stdout)
    assert set(d) == {"text", "sentence", "abstained", "confidence", "citations", "timings_ms", "generated", "notes", "withheld",
                      "kind", "constraints", "resolved", "retrieved"}
    assert d["generated"] == "" and d["notes"] == [] and d["retrieved"]  # extractive: nothing generated, nothing dropped
    assert "11,000" in d["text"] and 0 <= d["confidence"] <= 1
    c = d["citations"][0]
    assert {"source", "title", "date", "speaker", "paragraph", "text", "quote", "start", "end", "score"} <= set(c)
    stored = Store(corpus_store).paragraphs([c["id"]])[c["id"]]
    assert stored == c["text"] and stored[c["start"]:c["end"]] == c["quote"] and "11,000" in c["quote"]


def test_speaker_filter(corpus_engine):
    a = corpus_engine.answer("What did they say about landmines?", filters={"speaker": "Azerbaijan"})
    assert a.citations and all(c.speaker == "Azerbaijan" for c in a.citations)
