"""Scoring list and statement questions: hand-computed scores, malformed items, the corpus check."""

import json

import pytest

from benchmarks.check_analyst_gold import check_file, check_item
from benchmarks.check_gold import ROOT
from qa.errors import GoldFormatError
from qa.evaluate.analyst import score_analyst, summarize_analyst
from qa.evaluate.gold import load_gold, parse_line
from qa.types import Answer, Citation


def cite(speaker, date, text):
    return Citation("s.txt", "t", date, speaker, 1, text, text, 0, len(text), 1.0)


class Canned:
    """An engine that returns one fixed answer."""

    def __init__(self, answer):
        self.a = answer

    def answer(self, question, k=5):
        return self.a


LIST = parse_line(json.dumps({"id": "l", "question": "Which countries mentioned X?", "answers": ["A", "B", "C", "D"],
                              "answer_kind": "list", "phrases": ["X"]}), "gold", 1)
STMT = parse_line(json.dumps({"id": "s", "question": "What did K say about X in 2023?", "answers": [],
                              "answer_kind": "statements", "speaker": "K", "since": "2023", "until": "2023",
                              "topic": ["X"]}), "gold", 1)


def test_list_precision_recall_f1_by_hand():
    got = Answer("q", "t", "", False, 1.0, [cite(s, "2023", "X") for s in ("A", "B", "E")], kind="list")
    r = score_analyst(Canned(got), LIST, 5)
    assert (r.precision, r.recall) == (pytest.approx(2 / 3), 0.5)
    assert r.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)) and not r.passed
    factoid = Answer("q", "A", "", False, 0.9, [cite("A", "2023", "X")])
    assert score_analyst(Canned(factoid), LIST, 5).f1 == 0.0  # a factoid reading is no list


def test_statement_citations_by_speaker_dates_and_topic():
    got = Answer("q", "t", "", False, 1.0, [cite("K", "2023-02-01", "X rose."), cite("K", "2022-12-01", "X fell."),
                                            cite("Z", "2023-05-01", "Nothing here."), cite("K", "2023-07-01", "Xs too.")],
                 kind="statements")
    r = score_analyst(Canned(got), STMT, 5)
    assert (r.on_speaker, r.in_dates, r.on_topic) == (0.75, 0.75, 0.75)  # a plural names the topic too
    assert r.speaker_and_dates == 0.5 and r.all_three == 0.5 and not r.passed
    m = summarize_analyst([r])["statements"]
    assert m["speaker_and_dates"] == 0.5 and m["citations"] == 4


def test_expect_none_is_right_only_when_nothing_is_cited():
    none = parse_line(json.dumps({"id": "n", "question": "q", "answers": [], "answer_kind": "statements",
                                  "speaker": "K", "topic": ["X"], "expect_none": True}), "gold", 1)
    said_none = Answer("q", "No paragraph by K mentions X.", "", True, 0.0, [], kind="statements")
    assert score_analyst(Canned(said_none), none, 5).passed
    quoted = Answer("q", "t", "", False, 1.0, [cite("K", "", "X")], kind="statements")
    assert not score_analyst(Canned(quoted), none, 5).passed


@pytest.mark.parametrize("item, message", [
    ({"answer_kind": "lists"}, "'answer_kind' must be factoid, list or statements"),
    ({"answer_kind": "list", "answers": ["A"]}, "needs 'phrases'"),
    ({"answer_kind": "list", "answers": [], "phrases": ["X"]}, "needs its speakers"),
    ({"answer_kind": "statements", "topic": ["X"]}, "needs 'speaker'"),
    ({"answer_kind": "statements", "speaker": "K", "topic": []}, "needs 'topic'"),
    ({"answer_kind": "statements", "speaker": "K", "topic": ["X"], "since": 2023}, "'since' must be a date string"),
])
def test_malformed_analyst_items_name_file_and_line(tmp_path, item, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "ok", "question": "q?", "answers": ["a"]}) + "\n"
                    + json.dumps({"id": "x", "question": "q?", "answers": [], **item}) + "\n")
    with pytest.raises(GoldFormatError) as err:
        load_gold(path)
    assert f"{path}:2" in str(err.value) and message in str(err.value)


def test_dev_and_test_hold_60_or_more_checked_list_and_statement_questions():
    total = 0
    for split in ("dev", "test"):
        problems, n = check_file(ROOT / "data" / "gold" / f"{split}.jsonl")
        assert not problems, problems[:3]
        total += n
    assert total >= 60


def test_the_corpus_check_rejects_what_it_should():
    grain = {"answer_kind": "list", "phrases": ["Black Sea Grain Initiative"], "collection": "un-general-debate-2023",
             "answers": ["Bangladesh", "Bulgaria", "Canada", "Costa Rica", "Ecuador", "Guatemala", "Ireland", "Latvia",
                         "Lithuania", "Malta", "Romania", "Trinidad and Tobago", "Türkiye", "Ukraine"]}
    assert check_item(grain) == []
    assert "missing ['Ukraine']" in check_item({**grain, "answers": grain["answers"][:-1]})[0]
    kirby = {"answer_kind": "statements", "speaker": "Mr. Kirby", "since": "2023-02", "until": "2023-02", "topic": ["Ukraine"]}
    assert check_item(kirby) == []
    assert "expect_none, but" in check_item({**kirby, "expect_none": True})[0]
    assert "no paragraph by Mr. Kirby" in check_item({**kirby, "topic": ["Brexit"]})[0]
    assert "has no paragraph in the corpus" in check_item({**kirby, "speaker": "Mr. Nobody"})[0]
