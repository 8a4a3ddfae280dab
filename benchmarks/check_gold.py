"""Check a gold question file against the bundled transcripts; every problem is `FILE:LINE: reason`.

    python -m benchmarks.check_gold data/gold/train.jsonl            # exit 1 on any problem
    python -m benchmarks.check_gold data/gold/train/slice-3.jsonl --summary

Checks, per line: valid JSON with `id`, `question`, `answers`, `type`, `kind`; for an answerable
item, `source` exists, `evidence` (20-220 characters) lies verbatim inside one physical line of it
(byte-exact, or after collapsing white space), and the first answer lies inside the evidence
(case-insensitive; `10.000`/`10,000` and `per cent`/`%` variants allowed); for an unanswerable
item, `answers` is [] and `type` is "none", and a `near-miss` names the passage it borrows from
(`near_source`, `near_evidence`, checked the same way). Across the file: ids and questions unique.
Against `dev.jsonl` and `test.jsonl` (and any `--against FILE`): no question repeats one of theirs (same words after
normalising, or 80% of the same content words), and no answerable item asks for the same answer
from the same line as one of theirs. Standard library only (its content words come from
`vectorstore.words`, which is too), so it runs before the project is installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator

from vectorstore.words import content_words

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "transcripts"
HELD_OUT = [ROOT / "data" / "gold" / "dev.jsonl", ROOT / "data" / "gold" / "test.jsonl"]
TYPES = {"count", "money", "percent", "date", "place", "person", "organisation", "entity", "none"}
KINDS = {"direct", "paraphrase", "unanswerable", "near-miss"}

_lines_cache: dict[str, list[str]] = {}


def _ws(s: str) -> str:
    return " ".join(s.split())


def _norm_answer(s: str) -> str:
    s = _ws(s.lower()).replace("per cent", "%").replace("percent", "%").replace(" %", "%")
    s = re.sub(r"(?<=\d)\.(?=\d{3}\b)", ",", s)  # UN PDFs write 10.000 for 10,000
    return s.strip(" .,;:\"'“”‘’")


def _content(q: str) -> set[str]:
    return set(content_words(q, question=True))


def source_lines(source: str) -> list[str] | None:
    if source not in _lines_cache:
        path = CORPUS / source
        if not path.is_file() or ".." in Path(source).parts:
            return None
        _lines_cache[source] = path.read_text(encoding="utf-8").splitlines()
    return _lines_cache[source]


def find_line(source: str, evidence: str) -> int | None:
    """1-based number of the physical line of `source` holding `evidence`, or None."""
    lines = source_lines(source) or []
    for i, line in enumerate(lines, 1):
        if evidence in line:
            return i
    ev = _ws(evidence)
    for i, line in enumerate(lines, 1):
        if ev in _ws(line):
            return i
    return None


def _check_passage(obj: dict, src_key: str, ev_key: str, problems: list[str]) -> int | None:
    source, evidence = obj.get(src_key), obj.get(ev_key)
    if not isinstance(source, str) or source_lines(source) is None:
        problems.append(f"'{src_key}' {source!r} is not a file under data/transcripts/")
        return None
    if not isinstance(evidence, str) or not 20 <= len(evidence) <= 220:
        problems.append(f"'{ev_key}' must be a string of 20-220 characters")
        return None
    if "\\" in evidence or "\n" in evidence:
        problems.append(f"'{ev_key}' must not contain backslashes or line breaks")
        return None
    line = find_line(source, evidence)
    if line is None:
        problems.append(f"'{ev_key}' {evidence[:60]!r}... is not inside one line of {source}")
    return line


def check_item(obj: object, held_out: list[dict]) -> tuple[list[str], dict]:
    problems: list[str] = []
    if not isinstance(obj, dict):
        return ["each line must be a JSON object"], {}
    for key in ("id", "question", "answers", "type", "kind"):
        if key not in obj:
            problems.append(f"missing '{key}'")
    if problems:
        return problems, {}
    q, answers, typ, kind = obj["question"], obj["answers"], obj["type"], obj["kind"]
    if not isinstance(q, str) or len(q.strip()) < 10 or not q.strip().endswith("?"):
        problems.append("'question' must be a question ending in '?'")
    if not isinstance(answers, list) or not all(isinstance(a, str) and a.strip() for a in answers):
        problems.append("'answers' must be a list of non-empty strings")
        return problems, {}
    if typ not in TYPES:
        problems.append(f"'type' {typ!r} is not one of {sorted(TYPES)}")
    if kind not in KINDS:
        problems.append(f"'kind' {kind!r} is not one of {sorted(KINDS)}")
    info = {"line": None}
    if answers:
        if typ == "none" or kind in ("unanswerable", "near-miss"):
            problems.append("an item with answers cannot have type 'none' or kind unanswerable/near-miss")
        line = _check_passage(obj, "source", "evidence", problems)
        info["line"] = line
        if line is not None:
            ev = _norm_answer(obj["evidence"])
            if _norm_answer(answers[0]) not in ev:
                problems.append(f"first answer {answers[0]!r} is not inside the evidence")
            full = _norm_answer(source_lines(obj["source"])[line - 1])
            for a in answers[1:]:
                if _norm_answer(a) not in full:
                    problems.append(f"answer {a!r} is not in the evidence's line")
            if len(answers[0]) > 80:
                problems.append("the first answer is longer than 80 characters: give a short span")
    else:
        if typ != "none":
            problems.append("an unanswerable item must have type 'none'")
        if kind not in ("unanswerable", "near-miss"):
            problems.append("an item with no answers must be kind 'unanswerable' or 'near-miss'")
        if kind == "near-miss":
            _check_passage(obj, "near_source", "near_evidence", problems)
    # Against the held-out splits.
    mine = _content(q) if isinstance(q, str) else set()
    for h in held_out:
        if _ws(str(q).lower()) == _ws(h["question"].lower()):
            problems.append(f"repeats {h['id']} word for word")
            break
        theirs = h["_content"]
        if mine and theirs and len(mine & theirs) / len(mine | theirs) >= 0.8:
            problems.append(f"repeats {h['id']} ({h['question']!r})")
            break
        if answers and h.get("answers") and h.get("source") == obj.get("source") and info["line"] is not None \
                and h.get("_line") == info["line"] and _norm_answer(h["answers"][0]) == _norm_answer(answers[0]):
            problems.append(f"asks for the same answer from the same line as {h['id']}")
            break
    return problems, info


def load_held_out(also: list[Path] = ()) -> list[dict]:
    out = []
    for path in [*HELD_OUT, *also]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                h = json.loads(line)
                h["_content"] = _content(h["question"])  # once, not once per checked item
                if h.get("answers") and h.get("source") and h.get("evidence"):
                    h["_line"] = find_line(h["source"], h["evidence"])
                out.append(h)
    return out


def json_lines(path: Path, problems: list[str]) -> Iterator[tuple[int, object]]:
    """(line number, object) for each non-blank line; a line that is not JSON goes to ``problems``."""
    for n, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            yield n, json.loads(raw)
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{n}: not valid JSON ({err.msg} at column {err.colno})")


def check_file(path: Path, against: list[Path] = ()) -> tuple[list[str], list[dict]]:
    held_out = load_held_out(against)
    problems: list[str] = []
    items: list[dict] = []
    ids: dict[str, int] = {}
    questions: dict[str, int] = {}
    for n, obj in json_lines(path, problems):
        found, _ = check_item(obj, held_out)
        if isinstance(obj, dict):
            qid, qn = str(obj.get("id")), _ws(str(obj.get("question", "")).lower())
            if qid in ids:
                found.append(f"duplicate id {qid!r} (first on line {ids[qid]})")
            if qn in questions:
                found.append(f"duplicate question (first on line {questions[qn]})")
            ids.setdefault(qid, n)
            questions.setdefault(qn, n)
        problems += [f"{path}:{n}: {p}" for p in found]
        if not found:
            items.append(obj)
    return problems, items


def summary(items: list[dict]) -> str:
    answerable = [i for i in items if i["answers"]]
    coll = Counter(i["source"].split("/")[0] for i in answerable)
    lines = [f"{len(items)} valid items, {len(answerable)} answerable, {len(items) - len(answerable)} unanswerable "
             f"({(len(items) - len(answerable)) / max(1, len(items)):.0%})",
             f"by collection: {dict(coll)}",
             f"by type: {dict(Counter(i['type'] for i in items))}",
             f"by kind: {dict(Counter(i['kind'] for i in items))}",
             f"documents: {len({i['source'] for i in answerable})}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--summary", action="store_true", help="print counts of the valid items")
    ap.add_argument("--against", type=Path, action="append", default=[],
                    help="also reject repeats of this file's questions, as of dev's and test's (repeatable)")
    args = ap.parse_args(argv)
    bad = 0
    for path in args.files:
        problems, items = check_file(path, args.against)
        for p in problems:
            print(p)
        bad += len(problems)
        if args.summary:
            print(f"{path}: {summary(items)}")
    print(f"{bad} problem(s)" if bad else "all items pass")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
