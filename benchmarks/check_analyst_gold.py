"""Check the list and statement questions of gold files against the corpus; `FILE:LINE: reason`.

    python -m benchmarks.check_analyst_gold data/gold/dev.jsonl data/gold/test.jsonl

- list (`answer_kind: list`): `answers` is exactly the sorted set of speakers whose paragraph
  names one of `phrases` (in `collection` and between `since` and `until`, when given), as
  `python -m benchmarks.mentions` computes it; 2 to 30 speakers.
- statements: `speaker` is a speaker of the corpus; at least one paragraph by them inside the
  dates names one of `topic`; an `expect_none` item has none, while the speaker does have
  paragraphs in the window and someone names the topic somewhere.

Factoid lines are skipped (`python -m benchmarks.check_gold` checks those).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from benchmarks.check_gold import json_lines
from benchmarks.mentions import NOT_SPEAKERS, corpus, speakers_naming
from qa.evaluate.analyst import in_dates, mentions

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def check_item(obj: dict) -> list[str]:
    kind = obj.get("answer_kind")
    problems: list[str] = []
    for key in ("since", "until"):
        if obj.get(key) and not _DATE.match(obj[key]):
            problems.append(f"{key} {obj[key]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if problems:
        return problems
    since, until = obj.get("since", ""), obj.get("until", "")
    if kind == "list":
        found = sorted(speakers_naming(obj.get("phrases") or [], obj.get("collection", ""), since, until))
        if obj.get("answers") != found:
            missing = sorted(set(found) - set(obj.get("answers") or []))
            extra = sorted(set(obj.get("answers") or []) - set(found))
            problems.append(f"answers differ from the corpus: missing {missing}, not naming it {extra}")
        if not 2 <= len(found) <= 30:
            problems.append(f"{len(found)} speakers name the phrases; a list question needs 2 to 30")
    elif kind == "statements":
        speaker, topic = obj.get("speaker", ""), obj.get("topic") or []
        paras = [p for p in corpus() if p.speaker == speaker]
        if not paras or speaker in NOT_SPEAKERS:
            return [f"speaker {speaker!r} has no paragraph in the corpus"]
        window = [p for p in paras if in_dates(p.date, since, until)]
        on_topic = [p for p in window if mentions(p.text, topic)]
        if obj.get("expect_none"):
            if on_topic:
                problems.append(f"expect_none, but {len(on_topic)} paragraph(s) by {speaker} name the topic")
            if not window:
                problems.append(f"{speaker} has no paragraph in the window at all")
            if not any(mentions(p.text, topic) for p in corpus()):
                problems.append("nobody names the topic anywhere")
        elif not on_topic:
            problems.append(f"no paragraph by {speaker} in the window names {topic}")
    return problems


def check_file(path: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    n = 0
    for i, obj in json_lines(path, problems):
        if isinstance(obj, dict) and obj.get("answer_kind") in ("list", "statements"):
            n += 1
            problems += [f"{path}:{i}: {p}" for p in check_item(obj)]
    return problems, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args(argv)
    bad = 0
    for path in args.files:
        problems, n = check_file(path)
        print("\n".join(problems) if problems else f"{path}: {n} list/statement items pass")
        bad += len(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
