"""Check encyclopedia-style training data in SQuAD 2.0 format; every problem is `FILE: where: reason`.

    python -m benchmarks.check_wiki data/gold/extra/wiki/*.json      # exit 1 on any problem

The shipped reader learns from transcripts only; these files add prose of another kind (articles
about history, science, places), written for this project, for training experiments
(`benchmarks.train_reader --wiki-stages`). Checks: SQuAD 2.0 layout;
each context one paragraph of 40-300 words; an answer's `text` is at `answer_start` in its
context and at most 10 words; an unanswerable question (`is_impossible`) has no `answers` and
one or more `plausible_answers`, checked the same way (the span a careless reader would give);
each paragraph has answerable and unanswerable questions; ids and questions unique across all
files given. Against the outside benchmark (`data/squad/squad2-dev-subset.json`): no title of
its articles, none of five patterns of its topics (in titles, paragraphs and questions), and no 8
words in a row shared with its paragraphs, so that training never sees the benchmark's text.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / "data" / "squad" / "squad2-dev-subset.json"
# The benchmark's two articles are about the Normans and computational complexity theory.
BANNED = re.compile(r"\bnorman(s|dy)?\b|\bcomplexity\b|\bturing machine|\bpolynomial[- ]time\b|(?-i:\bNP\b)", re.I)
SHINGLE = 8


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def benchmark_shingles() -> tuple[set[str], set[tuple[str, ...]]]:
    data = json.loads(BENCHMARK.read_text(encoding="utf-8"))["data"]
    titles = {a["title"].lower().replace("_", " ") for a in data}
    shingles = set()
    for a in data:
        for p in a["paragraphs"]:
            w = _words(p["context"])
            shingles.update(tuple(w[i:i + SHINGLE]) for i in range(len(w) - SHINGLE + 1))
    return titles, shingles


def _span_ok(context: str, ans: object) -> str | None:
    if not isinstance(ans, dict) or not isinstance(ans.get("text"), str) or not isinstance(ans.get("answer_start"), int):
        return "an answer must be {'text': str, 'answer_start': int}"
    text, start = ans["text"], ans["answer_start"]
    if type(start) is not int or start < 0 or not text.strip() or context[start:start + len(text)] != text:
        found = context.find(text)
        hint = f" (it occurs at {found})" if found >= 0 else " (it does not occur in the context)"
        return f"answer {text!r} is not at answer_start {start}{hint}"
    if len(text.split()) > 10:
        return f"answer {text!r} is longer than 10 words: give a short span"
    return None


def check_files(paths: list[Path]) -> tuple[list[str], dict]:
    titles, shingles = benchmark_shingles()
    problems: list[str] = []
    ids: dict[str, str] = {}
    questions: dict[str, str] = {}
    stats = {"articles": 0, "paragraphs": 0, "answerable": 0, "unanswerable": 0}
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
        except (OSError, ValueError, KeyError) as err:
            problems.append(f"{path}: not a SQuAD JSON file ({err})")
            continue
        for a_i, art in enumerate(data):
            title = str(art.get("title", ""))
            where_a = f"{path}: article {a_i} {title!r}"
            stats["articles"] += 1
            if not title or title.lower().replace("_", " ") in titles or BANNED.search(title):
                problems.append(f"{where_a}: missing title, or the outside benchmark's topic")
            for p_i, par in enumerate(art.get("paragraphs", [])):
                where = f"{where_a} paragraph {p_i}"
                stats["paragraphs"] += 1
                context = par.get("context", "")
                n = len(context.split()) if isinstance(context, str) else 0
                if not isinstance(context, str) or "\n" in context or not 40 <= n <= 300:
                    problems.append(f"{where}: context must be one paragraph of 40-300 words (has {n})")
                    continue
                if BANNED.search(context):
                    problems.append(f"{where}: context mentions the outside benchmark's topic "
                                    f"({BANNED.search(context).group(0)!r})")
                w = _words(context)
                if any(tuple(w[i:i + SHINGLE]) in shingles for i in range(len(w) - SHINGLE + 1)):
                    problems.append(f"{where}: shares {SHINGLE} words in a row with the outside benchmark")
                kinds = set()
                for qa in par.get("qas", []):
                    qid, q = str(qa.get("id")), qa.get("question", "")
                    at = f"{where} question {qid}"
                    if qid in ids:
                        problems.append(f"{at}: duplicate id (first in {ids[qid]})")
                    ids.setdefault(qid, str(path))
                    if not isinstance(q, str) or not q.strip().endswith("?") or not 4 <= len(q.split()) <= 30:
                        problems.append(f"{at}: 'question' must be a question of 4-30 words ending in '?'")
                        continue
                    if BANNED.search(q):
                        problems.append(f"{at}: the question mentions the outside benchmark's topic")
                    qn = " ".join(_words(q))
                    if qn in questions:
                        problems.append(f"{at}: duplicate question (first in {questions[qn]})")
                    questions.setdefault(qn, qid)
                    impossible = qa.get("is_impossible")
                    if impossible is True:
                        if qa.get("answers"):
                            problems.append(f"{at}: an impossible question has answers []")
                        plaus = qa.get("plausible_answers") or []
                        if not plaus:
                            problems.append(f"{at}: an impossible question names its plausible_answers")
                        problems += [f"{at}: plausible {e}" for e in filter(None, (_span_ok(context, x) for x in plaus))]
                        stats["unanswerable"] += 1
                    elif impossible is False:
                        answers = qa.get("answers") or []
                        if not answers:
                            problems.append(f"{at}: an answerable question needs answers")
                        problems += [f"{at}: {e}" for e in filter(None, (_span_ok(context, x) for x in answers))]
                        stats["answerable"] += 1
                    else:
                        problems.append(f"{at}: 'is_impossible' must be true or false")
                    kinds.add(impossible)
                if kinds != {True, False}:
                    problems.append(f"{where}: each paragraph needs answerable and unanswerable questions")
    return problems, stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args(argv)
    problems, stats = check_files(args.files)
    for p in problems:
        print(p)
    total = stats["answerable"] + stats["unanswerable"]
    print(f"{stats['articles']} articles, {stats['paragraphs']} paragraphs, {total} questions: "
          f"{stats['answerable']} answerable, {stats['unanswerable']} unanswerable; {len(problems)} problems",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
