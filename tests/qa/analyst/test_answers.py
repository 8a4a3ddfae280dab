"""List and statement answers over a small tmp store (fake embedder): what they cite, what
they leave out, and how they render."""

import dataclasses
import json
from pathlib import Path

import pytest
from checks import assert_quotes_match_store

from qa.render import render_answer
from ui.render import answer_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "analyst"


@pytest.fixture
def engine(fake_engine):
    report = fake_engine.ingester().run([FIXTURES])
    assert report.files_read == 5
    return fake_engine


def test_list_names_every_speaker_once_and_k_does_not_cut_it(engine):
    a = engine.answer("Which countries mentioned the Black Sea Grain Initiative?", k=1)
    assert a.kind == "list" and not a.abstained
    assert [c.speaker for c in a.citations] == ["Brazil", "Kenya"]  # Chile names grain, not the initiative
    assert a.text.startswith("2 countries mentioned the Black Sea Grain Initiative: Brazil, Kenya")
    for c in a.citations:
        assert "Black Sea Grain Initiative" in c.quote
    assert_quotes_match_store(a, engine.store)


def test_list_scope_keeps_countries_or_officials(engine):
    everyone = engine.answer("Who mentioned the Grain Initiative?")
    assert {c.speaker for c in everyone.citations} == {"Brazil", "Kenya", "Mr. Kirby"}
    officials = engine.answer("Which White House officials mentioned the Grain Initiative?")
    assert [c.speaker for c in officials.citations] == ["Mr. Kirby"]
    countries = engine.answer("Which countries mentioned the Grain Initiative?")
    assert [c.speaker for c in countries.citations] == ["Brazil", "Kenya"]


def test_list_finds_an_acronym_spelled_out(engine):
    a = engine.answer("Which countries mentioned UNRWA?")
    assert [c.speaker for c in a.citations] == ["Brazil", "Kenya"]  # Kenya only spells it out


def test_empty_list_says_so(engine):
    a = engine.answer("Which countries mentioned the Treaty of Westphalia?")
    assert a.kind == "list" and a.abstained and not a.citations
    assert a.text == "No country mentions the Treaty of Westphalia."


def test_statements_keep_to_the_speaker_and_dates_in_date_order(engine):
    a = engine.answer("What did Kirby say about Ukraine in February 2023?")
    assert a.kind == "statements" and not a.abstained
    assert [(c.speaker, c.date) for c in a.citations] == [("Mr. Kirby", "2023-02-13")]
    assert "air defense" in a.citations[0].quote
    both = engine.answer("What did John Kirby say about Ukraine?")
    assert [c.date for c in both.citations] == ["2023-02-13", "2023-06-06"]


def test_statements_say_when_the_speaker_never_names_the_topic(engine):
    a = engine.answer("What did Kirby say about Brexit?")
    assert a.abstained and not a.citations
    assert a.text == "No paragraph by Mr. Kirby mentions Brexit."
    none = engine.answer("What did Kirby say about Ukraine in 2021?")
    assert none.text == "No paragraph by Mr. Kirby in 2021 is in the transcripts."


def test_explicit_filters_replace_the_question_constraints(engine):
    a = engine.answer("What did Kirby say about the President?", filters={"speaker": "Ms. Jean-Pierre"})
    assert {c.speaker for c in a.citations} == {"Ms. Jean-Pierre"}
    assert a.constraints["overridden"] == ["speaker"]


def test_a_document_filter_keeps_lists_and_statements_to_it(engine):
    a = engine.answer("Which countries mentioned the Black Sea Grain Initiative?", filters={"source": "un/KEN_78_2023.txt"})
    assert [c.speaker for c in a.citations] == ["Kenya"]
    b = engine.answer("What did Kirby say about Ukraine?", filters={"source": "briefings/2023-06-06-press-briefing-kirby.md"})
    assert [c.date for c in b.citations] == ["2023-06-06"]


def test_relative_date_resolved_against_the_briefing(engine):
    # The resolution is under test, not the reader's confidence on fake-embedder vectors (0.16
    # here, under the threshold; the real corpus's case is in test_analyst_real.py).
    engine.settings = dataclasses.replace(engine.settings, min_confidence=0.0)
    a = engine.answer("When does the President travel to Warsaw?")
    assert a.text.lower() == "tomorrow", (a.text, a.withheld, a.confidence)
    assert a.resolved == "14 February 2023; the briefing is dated 13 February 2023"
    assert a.display.startswith("tomorrow (14 February 2023")


def test_json_carries_kind_constraints_and_items(engine):
    d = engine.answer("Which countries mentioned the Black Sea Grain Initiative?").to_json()
    json.dumps(d)
    assert d["kind"] == "list" and d["constraints"]["topic"] == "the Black Sea Grain Initiative"
    assert [i["speaker"] for i in d["items"]] == ["Brazil", "Kenya"]
    assert set(d["items"][0]) == {"speaker", "date", "source", "paragraph", "quote"}
    factoid = engine.answer("When does the President travel to Warsaw?").to_json()
    assert factoid["kind"] == "factoid" and "items" not in factoid


def test_terminal_and_chat_render_lists_as_tables_and_statements_as_timelines(engine):
    lst = engine.answer("Which countries mentioned the Black Sea Grain Initiative?")
    text = render_answer(lst)
    assert "read as: list · who: countries · topic: the Black Sea Grain Initiative" in text
    assert " [1] 2023        Brazil  Brazil regrets" in text
    html = answer_html(lst)
    assert '<table class="qa-list">' in html and html.count("<tr>") == 3 and "Read as: list" in html
    st = engine.answer("What did John Kirby say about Ukraine?")
    html = answer_html(st)
    assert '<ol class="qa-timeline">' in html and html.index("2023-02-13") < html.index("2023-06-06")

