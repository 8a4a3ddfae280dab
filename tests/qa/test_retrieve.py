"""Hybrid retrieval with speaker and date awareness, on the fixture transcripts."""

import pytest

from qa.errors import ConfigError
from qa.followup import contextualize
from qa.retrieve import Filters


@pytest.fixture
def engine(fixture_engine):
    return fixture_engine


def test_named_speaker_is_recognised_only_as_a_speaker(engine):
    r = engine.retriever
    assert r._named_speakers("What did Kirby say about refugees?") == ["Mr. Kirby"]
    assert r._named_speakers("According to Kenya's address, how many trees?") == ["Kenya"]
    assert r._named_speakers("How many refugees went to Kenya?") == []


def test_speaker_boost_puts_the_speaker_first(engine):
    top = engine.retriever.retrieve("What did Kirby say about refugees crossing into neighbouring countries?", n=3)
    assert top[0].meta["speaker"] == "Mr. Kirby"
    assert top[0].signals.get("speaker") == 1.0


def test_filters_are_hard(engine):
    hits = engine.retriever.retrieve("refugees trees students", n=10, filters=Filters(speaker="Kenya"))
    assert hits and {h.meta["speaker"] for h in hits} == {"Kenya"}
    hits = engine.retriever.retrieve("refugees trees students", n=10, filters=Filters(since="2022-01", until="2022-12"))
    assert hits and {h.meta["source"] for h in hits} == {"briefing.md"}
    hits = engine.retriever.retrieve("refugees trees students", n=10, filters=Filters(source="page.html"))
    assert {h.meta["source"] for h in hits} == {"page.html"}


def test_year_in_question_boosts_documents_of_that_year(engine):
    top = engine.retriever.retrieve("What happened in 2022?", n=5)
    assert any(p.signals.get("date") for p in top)
    assert all(p.meta["date"].startswith("2022") for p in top if p.signals.get("date"))


def test_bad_filter_values_are_named():
    with pytest.raises(ConfigError, match="--since 'last week'"):
        Filters(since="last week")
    with pytest.raises(ConfigError, match="Unknown filter 'country'"):
        Filters.of({"country": "Kenya"})


def test_followup_is_searched_with_the_previous_question():
    assert contextualize("and how many of them get scholarships?", ["How many students?"]).startswith("How many students?")
    assert contextualize("Who chairs the committee?", ["How many students?"]) == "Who chairs the committee?"
