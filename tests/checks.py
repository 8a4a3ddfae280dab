"""Assertions shared by tests that check answers against the store itself.

`Citation` already enforces ``text[start:end] == quote`` on its own copy of the text, so a test
that re-checks that cannot fail. These compare with the paragraph as Chroma holds it, by id.
"""

from __future__ import annotations


def assert_quotes_match_store(answer, store) -> dict[str, str]:
    """Every quote of ``answer`` is the stored paragraph's text at its offsets; returns id -> text."""
    stored = store.paragraphs([c.id for c in answer.citations])
    for c in answer.citations:
        assert c.id in stored, f"citation {c.id} is not in the store"
        assert c.text == stored[c.id], f"citation {c.id} shows a text other than the stored one"
        if c.quote:
            assert stored[c.id][c.start:c.end] == c.quote, (c.id, c.quote)
    return stored
