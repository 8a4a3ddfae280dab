"""The LangChain adapter over a small tmp store (fake embedder)."""

from pathlib import Path

import pytest

from qa.chain import ParagraphRetriever, build_chain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyst"


@pytest.fixture
def engine(fake_engine):
    fake_engine.ingester().run([FIXTURES])
    return fake_engine


def test_langchain_chain_gives_the_engine_s_list_answer(engine):
    a = build_chain(engine).invoke("Which countries mentioned the Black Sea Grain Initiative?")
    assert a.kind == "list" and [c.speaker for c in a.citations] == ["Brazil", "Kenya"]


def test_langchain_retriever_takes_k_and_filters_per_call(engine):
    r = ParagraphRetriever(engine=engine, k=8)
    assert len(r.invoke("Ukraine grain Kenya Brazil Kirby", k=2)) == 2
    docs = r.invoke("Ukraine", k=5, filters={"speaker": "Mr. Kirby"})
    assert docs and {d.metadata["speaker"] for d in docs} == {"Mr. Kirby"}
    assert len(r.invoke("Ukraine grain Kenya Brazil Kirby")) > 2  # the constructor's k otherwise

