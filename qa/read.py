"""The reader contract: retrieved paragraphs in, an `Answer` out.

The default, `qa.reader.ExtractiveReader`, extracts a span with learned models; the LLM
reader (`qa.llm.reader`) generates and verifies.
"""

from __future__ import annotations

from typing import Iterator, Protocol, Sequence

from qa.retrieve import Passage
from qa.types import Answer


class Reader(Protocol):
    def read(self, question: str, passages: Sequence[Passage], k: int = 5) -> Answer:
        """An `Answer` citing ``passages`` (best first), at most ``k`` of them."""
        ...


def read_events(reader: Reader, question: str, passages: Sequence[Passage], k: int) -> Iterator[str | Answer]:
    """What a reader produces, as a stream: a generative reader's ``stream()`` yields text and
    then the `Answer`; any other reader yields its Answer alone."""
    stream = getattr(reader, "stream", None)
    if stream is None:
        yield reader.read(question, passages, k=k)
    else:
        yield from stream(question, passages, k=k)


__all__ = ["Reader", "read_events"]
