"""The training questions pass the checker, and the checker rejects what it should."""

import json

import pytest

from benchmarks.check_gold import ROOT, check_file

TRAIN = ROOT / "data" / "gold" / "train.jsonl"
GOOD = next(i for i in map(json.loads, TRAIN.read_text().splitlines()) if i["answers"])


def test_train_split_passes_every_check_and_meets_its_targets():
    problems, items = check_file(TRAIN)
    assert not problems, problems[:5]
    unanswerable = [i for i in items if not i["answers"]]
    assert len(items) >= 1500
    assert len(unanswerable) / len(items) >= 0.30
    assert sum(i["kind"] == "near-miss" for i in unanswerable) > len(unanswerable) / 2
    assert {i["source"].split("/")[0] for i in items if i["answers"]} == {
        "mfa-russia", "un-general-debate-2023", "white-house-briefings"}
    assert {"count", "money", "percent", "date", "place", "person", "organisation", "entity"} <= {i["type"] for i in items}


@pytest.mark.parametrize("change, reason", [
    ({}, None),
    ({"evidence": GOOD["evidence"] + " and more"}, "is not inside one line"),
    ({"answers": ["zzz qqq"]}, "is not inside the evidence"),
    ({"source": "../secrets.txt"}, "is not a file under data/transcripts"),
    ({"question": "How many Azerbaijani students study in Russia?"}, "repeats dev-001"),
    ({"answers": [], "type": "none", "kind": "near-miss"}, "'near_source'"),
    ({"type": "colour"}, "'type'"),
])
def test_checker_rejects_bad_items_naming_the_line(tmp_path, change, reason):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({**GOOD, **change}) + "\n")
    problems, items = check_file(path)
    if reason is None:
        assert not problems and len(items) == 1
    else:
        assert problems and all(p.startswith(f"{path}:1: ") for p in problems)
        assert any(reason in p for p in problems), problems


def test_against_rejects_a_repeat_of_another_split(tmp_path):
    """--against train.jsonl: new training questions do not repeat the existing ones."""
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({**GOOD, "id": "more-1"}) + "\n")
    assert check_file(path)[0] == []
    problems, _ = check_file(path, [TRAIN])
    assert problems and f"repeats {GOOD['id']}" in problems[0]


@pytest.mark.parametrize("name", ["train_when.jsonl", "train_more.jsonl"])
def test_the_extra_training_questions_pass_every_check(name):
    """data/gold/extra/: checked like train.jsonl, and no question repeats one of train.jsonl's."""
    problems, items = check_file(ROOT / "data" / "gold" / "extra" / name, [TRAIN])
    assert not problems, problems[:5]
    assert items


def test_the_encyclopedic_training_articles_pass_every_check():
    """data/gold/extra/wiki/: SQuAD-layout articles written for training, checked by benchmarks.check_wiki."""
    from benchmarks.check_wiki import check_files
    from benchmarks.train_reader import wiki_files

    problems, stats = check_files(wiki_files())
    assert not problems, problems[:5]
    # The figures data/gold/README.md and the README give.
    assert stats == {"articles": 24, "paragraphs": 120, "answerable": 583, "unanswerable": 377}


def test_wiki_checker_rejects_the_outside_benchmark_and_bad_offsets(tmp_path):
    """It keeps SQuAD's own text out of training, and an answer must sit at its offset."""
    from benchmarks.check_wiki import BENCHMARK, check_files

    problems, _ = check_files([BENCHMARK])
    assert any("outside benchmark's topic" in p for p in problems)
    assert any("shares 8 words in a row" in p for p in problems)
    context = ("The Danube rises in the Black Forest and flows for about 2,850 kilometres through ten countries "
               "before it reaches the Black Sea in Romania and Ukraine, draining a basin of some 801,000 square "
               "kilometres that is home to more than eighty million people.")
    good = {"id": "t-1", "question": "How long is the Danube?", "is_impossible": False,
            "answers": [{"text": "about 2,850 kilometres", "answer_start": context.index("about 2,850")}]}
    bad = {**good, "id": "t-2", "question": "Where does the Danube rise?",
           "answers": [{"text": "the Black Forest", "answer_start": 3}]}
    none = {"id": "t-3", "question": "When was the Danube first bridged?", "is_impossible": True, "answers": [],
            "plausible_answers": [{"text": "Romania", "answer_start": context.index("Romania")}]}
    path = tmp_path / "w.json"
    negative = {**good, "id": "t-4", "question": "How far does the Danube flow?",
                "answers": [{"text": "2,850", "answer_start": context.index("2,850") - len(context)}]}
    topic = {**none, "id": "t-5", "question": "When did the Normans first cross the Danube?"}
    for qas, reason in (([good, none], None), ([good, bad, none], "is not at answer_start 3"),
                        ([good], "needs answerable and unanswerable"), ([good, negative, none], "is not at answer_start -"),
                        ([good, topic], "the question mentions the outside benchmark's topic")):
        path.write_text(json.dumps({"data": [{"title": "Danube", "paragraphs": [{"context": context, "qas": qas}]}]}))
        problems, _ = check_files([path])
        assert (problems == []) if reason is None else any(reason in p for p in problems), problems


def test_the_selection_set_passes_every_check_and_repeats_no_training_question():
    """data/gold/extra/select.jsonl: for choosing variants; it must not repeat any question a model trains on."""
    extra = ROOT / "data" / "gold" / "extra"
    problems, items = check_file(extra / "select.jsonl", [TRAIN, extra / "train_more.jsonl", extra / "train_when.jsonl"])
    assert not problems, problems[:5]
    # The figures data/gold/README.md gives.
    assert (len(items), sum(not i["answers"] for i in items), sum(i["kind"] == "near-miss" for i in items)) == (607, 150, 133)


def test_the_second_selection_set_passes_every_check_and_repeats_neither_training_nor_select():
    extra = ROOT / "data" / "gold" / "extra"
    against = [TRAIN, extra / "train_more.jsonl", extra / "train_when.jsonl", extra / "select.jsonl"]
    problems, items = check_file(extra / "select2.jsonl", against)
    assert not problems, problems[:5]
    assert (len(items), sum(not i["answers"] for i in items), sum(i["kind"] == "near-miss" for i in items)) == (634, 154, 124)


def test_the_role_pairs_pass_every_check_and_repeat_no_training_or_selection_question():
    """data/gold/extra/train_roles.jsonl: each answerable question is followed by its roles-swapped twin."""
    extra = ROOT / "data" / "gold" / "extra"
    against = [TRAIN, extra / "train_more.jsonl", extra / "train_when.jsonl", extra / "select.jsonl",
               extra / "select2.jsonl"]
    problems, items = check_file(extra / "train_roles.jsonl", against)
    assert not problems, problems[:5]
    assert (len(items), sum(not i["answers"] for i in items)) == (400, 200)  # the figures data/gold/README.md gives
    for answerable, swapped in zip(items[::2], items[1::2]):
        assert answerable["answers"] and not swapped["answers"] and swapped["pair"] == answerable["id"]
        assert swapped["near_source"] == answerable["source"]
