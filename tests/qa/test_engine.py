"""The engine's own bookkeeping, over a small tmp store (fake embedder)."""

import dataclasses
import time
from pathlib import Path

import pytest

import qa.engine
from vectorstore.sentence_vectors import FILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyst"


@pytest.fixture
def engine(fake_engine):
    # Engine mechanics on fake-embedder vectors: the reader's confidence there (0.16 for the
    # Warsaw question, under the threshold) is not what these tests are about.
    fake_engine.settings = dataclasses.replace(fake_engine.settings, min_confidence=0.0)
    fake_engine.ingester().run([FIXTURES])
    return fake_engine


def test_total_time_is_the_whole_call_not_the_sum_of_named_stages(engine, monkeypatch):
    question = "When does the President travel to Warsaw?"
    a = engine.answer(question)
    assert a.resolved and a.timings_ms["total"] >= sum(v for k, v in a.timings_ms.items() if k != "total")
    explain = qa.engine.explain

    def slow_explain(*args, **kwargs):  # a cost after the read stage, inside no named stage
        time.sleep(0.2)
        return explain(*args, **kwargs)

    monkeypatch.setattr(qa.engine, "explain", slow_explain)
    b = engine.answer(question)
    assert b.timings_ms["total"] >= 200 > sum(v for k, v in b.timings_ms.items() if k != "total")


def test_relative_time_is_resolved_against_the_transcripts_own_dateline(fake_engine, tmp_path):
    """A call held the evening before the date it is filed under: "tomorrow" is the day after the call."""
    fake_engine.settings = dataclasses.replace(fake_engine.settings, min_confidence=0.0)
    text = (FIXTURES / "briefings" / "2023-02-13-press-briefing-kirby.md").read_text()
    head, body = text.split("---\n", 2)[1:]
    folder = tmp_path / "held"
    folder.mkdir()
    (folder / "call.md").write_text(f"---\n{head}---\n\n(February 12, 2023)\n\n{body}")
    fake_engine.ingester().run([folder])
    a = fake_engine.answer("When does the President travel to Warsaw?")
    assert a.text == "tomorrow" and a.citations[0].date == "2023-02-13"
    assert a.resolved == "13 February 2023; the briefing was held on 12 February 2023 and is dated 13 February 2023"


def test_a_factoid_answered_from_another_speaker_says_so(engine):
    a = engine.answer("According to Kenya, when does the President travel to Warsaw?")
    assert a.constraints["speakers"] == ["Kenya"] and not a.abstained
    assert a.citations[0].speaker == "Ms. Jean-Pierre"
    assert "The question names Kenya; this answer is quoted from Ms. Jean-Pierre." in a.notes
    own = engine.answer("When does the President travel to Warsaw, according to Ms. Jean-Pierre?")
    assert not any(n.startswith("The question names") for n in own.notes)


def test_answering_embeds_only_the_question_when_ingest_embedded_the_sentences(engine):
    seen: list[str] = []
    model = engine.embedder.embedder  # the model behind `RecentTexts`
    embed = model.embed

    def spy(texts):
        seen.extend(texts)
        return embed(texts)

    model.embed = spy
    question = "When does the President travel to Warsaw?"
    a = engine.answer(question)
    assert a.citations and seen == [question]  # once: the reader reuses retrieval's question vector
    (engine.store.path / FILE).unlink()
    engine.__dict__.pop("sentence_embedder")
    engine.__dict__.pop("reader")
    seen.clear()
    assert engine.answer(question).text == a.text  # without them: embedded at answer time, same answer
    assert len(set(seen)) > 1
