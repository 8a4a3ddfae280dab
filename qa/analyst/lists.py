"""List answers: which speakers named a topic, each with its best quote, and how many.

"Which countries mentioned the Black Sea Grain Initiative?" → one citation per country whose
speech has a sentence on the topic. The search is exhaustive (`qa.analyst.search`), so ``k``
never cuts the list.
"""

from __future__ import annotations

from qa.analyst.constraints import Constraints
from qa.analyst.search import find
from qa.analyst.speakers import NOT_SPEAKERS
from qa.analyst.topic import Topic
from qa.retrieve import Filters
from qa.types import Answer
from vectorstore.lexical import tokenize

# List verbs that only say "named it"; any other verb ("condemned") picks the quote that uses it.
_MENTION = {"mention", "refer", "referenc", "cite", "name", "talk", "spoke", "speak", "brought", "bring", "rais",
            "discuss", "address", "highlight"}


def answer_list(retriever, catalog, question: str, c: Constraints) -> Answer:
    """Every speaker in scope with a sentence on ``c.topic``; one citation each, by date then name."""
    topic = Topic.of(c.topic, retriever.lexical().acronyms)
    limits = Filters(source=c.source, since=c.dates.since, until=c.dates.until)  # the document and dates asked
    scope = c.scope

    def allow(facet: dict) -> bool:
        sp = facet.get("speaker", "")
        if sp in NOT_SPEAKERS or sp.startswith("Q "):
            return False
        if c.speakers and sp not in c.speakers:
            return False
        if scope == "countries" and not catalog.is_country(sp):
            return False
        if scope == "officials" and catalog.is_country(sp):
            return False
        return limits.allows(facet)

    verb_stems = [s for s in tokenize(c.verb) if s not in _MENTION]

    def prefer(sentence: str) -> float:
        words = set(tokenize(sentence))
        return float(sum(1 for v in verb_stems if any(w.startswith(v[:5]) for w in words)))

    found = find(retriever, topic, allow, rank_query=f"{c.topic} {c.verb}", prefer=prefer) if topic else []
    best: dict[str, object] = {}
    for f in found:  # best BM25 first: the first paragraph of a speaker stands for them
        best.setdefault(f.speaker, f)
    items = sorted(best.values(), key=lambda f: (f.date, f.speaker))
    who, one_who = {"countries": ("countries", "country"), "officials": ("officials", "official")}.get(scope, ("speakers", "speaker"))
    window = f" {c.dates.describe()}" if c.dates else ""
    if not items:
        return Answer(question, f"No {one_who}{window} mentions {c.topic}.", "", True, 0.0, [], kind="list")
    names = ", ".join(f.speaker for f in items)
    verb = c.verb.strip() or "mentioned"
    one = one_who if len(items) == 1 else who
    text = f"{len(items)} {one}{window} {_past(verb)} {c.topic}: {names}."
    citations = [f.citation(rank=i) for i, f in enumerate(items, start=1)]
    return Answer(question, text, "", False, 1.0, citations, kind="list")


_IRREGULAR = {"speak": "spoke", "speaks": "spoke", "bring": "brought", "brings": "brought", "refer": "referred",
              "refers": "referred", "back": "backed", "backs": "backed"}


def _past(verb: str) -> str:
    """'mention' → 'mentioned', 'refers to' → 'referred to'; a past tense stays."""
    head, _, rest = verb.lower().partition(" ")
    if head in _IRREGULAR:
        head = _IRREGULAR[head]
    elif not head.endswith(("ed", "ought", "oke")):
        if head.endswith("es") and head[:-2].endswith(("ss", "sh", "ch")):
            head = head[:-2]
        elif head.endswith("s") and not head.endswith("ss"):
            head = head[:-1]
        head = head + "d" if head.endswith("e") else head + "ed"
    return f"{head} {rest}".strip()
