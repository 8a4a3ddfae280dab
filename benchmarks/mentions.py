"""Which speakers name a phrase: the ground truth of list questions, computed from the corpus.

    python -m benchmarks.mentions "Black Sea Grain Initiative" "grain deal" --collection un-general-debate-2023

A paragraph mentions a phrase when the phrase occurs in it, case-insensitively, on word
boundaries, with white space and punctuation alike (`qa.evaluate.analyst.mentions`, which
`qa eval` also uses to check that a statement is on its topic). Paragraphs by "Q" (reporters), moderators,
operators or no known speaker are not speakers' words and are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.evaluate.analyst import in_dates, mentions

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "transcripts"
NOT_SPEAKERS = {"", "Q", "Moderator", "Operator", "Aide"}


@dataclass(frozen=True)
class Para:
    source: str  # path relative to data/transcripts
    paragraph: int  # 1-based, as stored
    speaker: str
    date: str
    text: str


@lru_cache(maxsize=1)
def corpus() -> tuple[Para, ...]:
    """Every paragraph of the bundled corpus, read by the product's own loaders."""
    from vectorstore.loaders import loader_for
    from vectorstore.paragraphs import to_records

    out: list[Para] = []
    for path in sorted(CORPUS.rglob("*")):
        loader = loader_for(path) if path.is_file() else None
        if loader is None:
            continue
        source = path.relative_to(CORPUS).as_posix()
        for r in to_records(source, loader.load(path), file_sha=""):
            out.append(Para(source, r.paragraph, r.speaker, r.date, r.text))
    return tuple(out)


def speakers_naming(phrases: list[str], collection: str = "", since: str = "", until: str = "") -> dict[str, list[Para]]:
    """speaker → the paragraphs in which they name one of ``phrases`` (in ``collection``, a
    top-level folder of data/transcripts, and inside dates given as YYYY[-MM[-DD]])."""
    out: dict[str, list[Para]] = {}
    for p in corpus():
        if p.speaker in NOT_SPEAKERS or (collection and not p.source.startswith(collection + "/")):
            continue
        if not in_dates(p.date, since, until):
            continue
        if mentions(p.text, phrases):
            out.setdefault(p.speaker, []).append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("phrases", nargs="+", help="the phrase and its agreed synonyms")
    ap.add_argument("--collection", default="", help="a folder of data/transcripts, e.g. un-general-debate-2023")
    ap.add_argument("--since", default="")
    ap.add_argument("--until", default="")
    ap.add_argument("--json", action="store_true", help="print the sorted speaker list as JSON")
    args = ap.parse_args(argv)
    found = speakers_naming(args.phrases, args.collection, args.since, args.until)
    if args.json:
        print(json.dumps(sorted(found)))
        return 0
    for sp in sorted(found):
        first = found[sp][0]
        print(f"{sp:35} {len(found[sp]):3} paragraph(s)  e.g. {first.source} ¶{first.paragraph}")
    print(f"{len(found)} speaker(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
