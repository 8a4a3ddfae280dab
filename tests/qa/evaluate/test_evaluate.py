"""Scoring functions against hand-computed examples, and malformed gold files."""

import json

import pytest

from qa.errors import GoldFormatError
from qa.evaluate.gold import load_gold
from qa.evaluate.metrics import (exact_match, f1_score, first_relevant_rank, is_relevant, normalize_answer,
                                 percentile, score_answer)
from qa.evaluate.run import QuestionResult, summarize


@pytest.mark.parametrize("raw, norm", [
    ("The Eiffel Tower", "eiffel tower"),
    ("  a  cat,  an apple!", "cat apple"),
    ("About 11,000", "about 11000"),
    ("Theory of the Atom", "theory of atom"),   # only whole-word articles go
    ("anthem", "anthem"),
    ("U.S.-led", "usled"),
    ("", ""),
])
def test_squad_normalisation(raw, norm):
    assert normalize_answer(raw) == norm


def test_exact_match_and_f1_by_hand():
    assert exact_match("the 11,000", "11,000") == 1.0
    assert f1_score("about 11,000 students", "11,000") == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))
    assert f1_score("April 4, 1992", "4 April 1992") == 1.0
    assert f1_score("Gazprom", "Russian Export Center") == 0.0
    assert f1_score("", "") == 1.0 and f1_score("x", "") == 0.0


def test_best_over_gold_answers_and_abstention():
    assert score_answer("11,000", False, ["about 11,000", "11,000"]) == (1.0, 1.0)
    assert score_answer("anything", True, ["11,000"]) == (0.0, 0.0)
    assert score_answer("", True, []) == (1.0, 1.0)
    assert score_answer("guess", False, []) == (0.0, 0.0)


def test_relevance_collapses_white_space():
    assert is_relevant("About  11,000\nAzerbaijani students", "About 11,000 Azerbaijani")
    assert not is_relevant("anything", "")
    assert first_relevant_rank(["a", "b c", "b  c d"], "c d") == 3


def test_percentile():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([], 95) == 0.0


@pytest.mark.parametrize("n", [1, 2, 5, 20, 91])
def test_percentile_is_what_every_latency_report_needs(n):
    """One percentile serves `qa eval` and the benchmarks: numpy's default (linear) method,
    p50 the median, p0/p100 the extremes, whatever the order of the input."""
    import random
    import statistics

    import numpy as np

    rng = random.Random(n)
    xs = [rng.uniform(1, 900) for _ in range(n)]
    for q in (0, 5, 50, 90, 95, 99, 100):
        assert percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert percentile(xs, 50) == pytest.approx(statistics.median(xs))
    assert (percentile(xs, 0), percentile(xs, 100)) == (min(xs), max(xs))
    assert percentile(list(reversed(xs)), 95) == percentile(xs, 95)


def test_benchmarks_use_the_one_percentile():
    import benchmarks.run
    import benchmarks.scale

    assert benchmarks.run.percentile is percentile and benchmarks.scale.percentile is percentile
    assert benchmarks.scale.pct([3.0, 1.0, 2.0, 4.0], 50) == 2.5


def test_summary_metrics():
    def r(answers, pred, abstained, em, f1, rank, cited):
        return QuestionResult("i", "q", answers, pred, abstained, 0.5, em, f1, rank, cited, True, "s", 10.0,
                              True, bool(rank is not None or answers))
    m = summarize([r(["x"], "x", False, 1, 1, 1, True), r(["y"], "", True, 0, 0, 3, None),
                   r([], "", True, 1, 1, None, None)], k=5)
    assert m["answerable"]["false_abstention"] == 0.5
    assert m["unanswerable"]["abstention_accuracy"] == 1.0
    assert m["retrieval"]["recall@1"] == 0.5 and m["retrieval"]["mrr"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert m["citation_precision"] == 1.0


@pytest.mark.parametrize("line, message", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "must be a JSON object"),
    ('{"answers": []}', "'question' must be a non-empty string"),
    ('{"question": "Q?", "answers": "11,000"}', "'answers' must be a list"),
    ('{"question": "Q?", "answers": [], "evidence": 3}', "'evidence' must be a string"),
])
def test_malformed_line_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"question": "ok?", "answers": []}) + "\n\n" + line + "\n")
    with pytest.raises(GoldFormatError) as err:
        load_gold(path)
    assert str(err.value).startswith(f"{path}:3: ") and message in str(err.value)


def test_duplicate_ids_and_extra_fields(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "question": "Q?", "answers": [], "kind": "x"}\n')
    assert load_gold(path)[0].extra == {"kind": "x"}
    path.write_text('{"id": "a", "question": "Q?", "answers": []}\n{"id": "a", "question": "R?", "answers": []}\n')
    with pytest.raises(GoldFormatError, match=":2: duplicate id 'a'"):
        load_gold(path)


def test_cli_refuses_a_malformed_gold_file_before_loading_models(tmp_path, capsys):
    from qa.cli import main

    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "Q?", "answers": []}\n{broken\n')
    assert main(["eval", str(path), "--store", str(tmp_path / "none")]) == 2
    assert f"{path}:2: not valid JSON" in capsys.readouterr().err


def test_summary_reports_what_the_verifier_caught():
    from qa.evaluate.run import QuestionResult, summarize

    def result(claims, caught):
        return QuestionResult("q", "q?", ["a"], "a", False, 1.0, 1.0, 1.0, 1, True, True, "s", 5.0, True, True,
                              claims=claims, claims_unverified=caught)

    m = summarize([result(3, 1), result(1, 0), result(0, 0)], k=5)
    assert m["verifier"] == {"claims": 4, "unverified_caught": 1, "share_caught": 0.25, "answers_with_a_dropped_claim": 1}
    assert "verifier" not in summarize([result(0, 0)], k=5)  # the extractive reader makes no claims
