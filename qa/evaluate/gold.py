"""Gold question sets in JSON Lines, one question per line.

    {"id": "seed-01", "question": "...", "answers": ["about 11,000"], "evidence": "About 11,000 ..."}

An empty ``answers`` list means the corpus does not answer: the right move is to abstain.
A malformed line stops the run before it starts, naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import GoldFormatError


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def answer_kind(self) -> str:
        """factoid (a short span; the default), list (``answers`` are speakers) or statements."""
        return self.extra.get("answer_kind", "factoid")


def load_gold(path: Path) -> list[GoldQuestion]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldFormatError(str(path), 0, "no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GoldFormatError(str(path), 0, f"cannot read: {err}") from None
    out: list[GoldQuestion] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        q = parse_line(line, str(path), n)
        if q.id in seen:
            raise GoldFormatError(str(path), n, f"duplicate id {q.id!r} (first on line {seen[q.id]})")
        seen[q.id] = n
        out.append(q)
    if not out:
        raise GoldFormatError(str(path), 1, "no questions in the file")
    return out


def parse_line(line: str, path: str, n: int) -> GoldQuestion:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise GoldFormatError(path, n, f"not valid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(obj, dict):
        raise GoldFormatError(path, n, "each line must be a JSON object")
    question = obj.get("question")
    if not isinstance(question, str) or not question.strip():
        raise GoldFormatError(path, n, "'question' must be a non-empty string")
    answers = obj.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise GoldFormatError(path, n, "'answers' must be a list of strings ([] for unanswerable)")
    evidence = obj.get("evidence", "")
    if not isinstance(evidence, str):
        raise GoldFormatError(path, n, "'evidence' must be a string")
    qid = obj.get("id", f"line-{n}")
    if not isinstance(qid, (str, int)):
        raise GoldFormatError(path, n, "'id' must be a string")
    extra = {k: v for k, v in obj.items() if k not in ("id", "question", "answers", "evidence")}
    _check_kind(extra, answers, path, n)
    return GoldQuestion(str(qid), question, tuple(answers), evidence, extra)


def _check_kind(extra: dict[str, Any], answers: list, path: str, n: int) -> None:
    """List and statement items carry what scoring them needs."""
    kind = extra.get("answer_kind", "factoid")
    if kind not in ("factoid", "list", "statements"):
        raise GoldFormatError(path, n, f"'answer_kind' must be factoid, list or statements, not {kind!r}")
    if kind == "list":
        if not answers:
            raise GoldFormatError(path, n, "a list item needs its speakers in 'answers'")
        if not _strings(extra.get("phrases")):
            raise GoldFormatError(path, n, "a list item needs 'phrases': the phrase and its agreed synonyms")
    if kind == "statements":
        if not isinstance(extra.get("speaker"), str) or not extra["speaker"]:
            raise GoldFormatError(path, n, "a statements item needs 'speaker': the speaker label asked about")
        if not _strings(extra.get("topic")):
            raise GoldFormatError(path, n, "a statements item needs 'topic': the phrases a paragraph on it names")
        for key in ("since", "until"):
            if not isinstance(extra.get(key, ""), str):
                raise GoldFormatError(path, n, f"'{key}' must be a date string like 2023-02")


def _strings(v: object) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, str) and x for x in v)
