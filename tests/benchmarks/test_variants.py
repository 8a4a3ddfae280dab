"""The scorers behind the README's comparisons of reader variants."""

import doctest

import benchmarks.compare_weights as cw


def test_doctests():
    result = doctest.testmod(cw)
    assert result.failed == 0 and result.attempted > 0


def test_score_applies_the_threshold_and_ranks_right_answers():
    results = [
        {"answers": ["a"], "f1": 1.0, "confidence": 0.9},   # right, answered
        {"answers": ["b"], "f1": 0.0, "confidence": 0.6},   # wrong, answered
        {"answers": ["c"], "f1": 1.0, "confidence": 0.2},   # right, withheld at 0.5
        {"answers": [], "f1": 0.0, "confidence": 0.1},      # unanswerable, abstained
    ]
    s = cw.score(results, 0.5)
    assert s["f1"] == round((1 + 0 + 0 + 1) / 4, 4)
    assert s["answerable_f1"] == round(1 / 3, 4)
    assert s["top_answer_right"] == 2
    assert s["auc"] == 0.75  # right {0.9, 0.2} over the rest {0.6, 0.1}: 3 of 4 pairs
    flipped = [{**r, "confidence": 1 - r["confidence"]} for r in results]
    assert cw.score(flipped, 0.5)["auc"] == 0.25
    assert cw.score(results, 0.0)["f1"] == round((1 + 0 + 1 + 0) / 4, 4)


def test_answer_seeds_doctests():
    import benchmarks.answer_seeds as seeds

    result = doctest.testmod(seeds)
    assert result.failed == 0 and result.attempted > 0
