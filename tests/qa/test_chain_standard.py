"""LangChain's own standard test suite for retrievers, run against `ParagraphRetriever` over a
small store (fake embedder, the analyst fixtures)."""

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from fakes import FakeEmbedder
from langchain_tests.integration_tests import RetrieversIntegrationTests

from qa.chain import ParagraphRetriever
from qa.engine import Engine
from qa.settings import Settings
from vectorstore.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyst"


@lru_cache(maxsize=1)
def engine() -> Engine:
    folder = Path(tempfile.mkdtemp()) / "store"
    e = Engine(Settings.from_env({}, store=str(folder)), store=Store(folder), embedder=FakeEmbedder())
    e.ingester().run([FIXTURES])
    return e


class TestParagraphRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[ParagraphRetriever]:
        return ParagraphRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"engine": engine()}

    @property
    def retriever_query_example(self) -> str:
        return "What did Kirby say about Ukraine and the grain initiative?"


@pytest.fixture(autouse=True)
def _enough_paragraphs():
    assert engine().store.count() >= 10  # the suite asks for k=1..3 and the default: all can be met
