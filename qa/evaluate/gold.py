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
    return GoldQuestion(str(qid), question, tuple(answers), evidence, extra)
