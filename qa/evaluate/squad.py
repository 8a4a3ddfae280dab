"""SQuAD 2.0 as an outside benchmark: its paragraphs go into a fresh store, its
questions become a gold set, and the same `answer()` is scored on them."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from qa.errors import GoldFormatError
from qa.evaluate.gold import GoldQuestion
from qa.settings import Settings


def squad_to_corpus(path: Path, folder: Path) -> list[GoldQuestion]:
    """Write one .txt per article (paragraphs blank-line separated); return the questions."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError) as err:
        raise GoldFormatError(str(path), 0, f"not a SQuAD JSON file ({err})") from None
    folder.mkdir(parents=True, exist_ok=True)
    gold: list[GoldQuestion] = []
    for n, article in enumerate(data):
        contexts = [" ".join(p["context"].split()) for p in article["paragraphs"]]
        (folder / f"{n:03d}-{_slug(article['title'])}.txt").write_text("\n\n".join(contexts) + "\n")
        for p, context in zip(article["paragraphs"], contexts):
            for qa in p["qas"]:
                answers = [] if qa.get("is_impossible") else sorted({a["text"] for a in qa["answers"]})
                gold.append(GoldQuestion(qa["id"], qa["question"], tuple(answers), context if answers else ""))
    return gold


def squad_engine(path: Path, settings: Settings, progress: bool = False):
    """An engine over a fresh store holding the SQuAD paragraphs, and the questions."""
    from qa.engine import Engine

    digest = hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()
    work = Path(tempfile.gettempdir()) / f"qa-squad-{digest}"
    gold = squad_to_corpus(path, work / "corpus")
    engine = Engine(settings.replace(store=work / f"store-{settings.embed_backend}", chroma_url=""))
    engine.ingester(progress=progress).run([work / "corpus"])
    return engine, gold


def _slug(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title)[:40]
