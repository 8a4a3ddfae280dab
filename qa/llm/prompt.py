"""What the LLM reader sends: numbered passages, the rules, the question.

>>> msgs = answer_messages("How many students?", ["About 11,000 students study in Russia."])
>>> print(msgs[-1][1])
[1] About 11,000 students study in Russia.
<BLANKLINE>
Question: How many students?
"""

from __future__ import annotations

REFUSAL = "The passages do not answer this question."

SYSTEM = ("Answer the question using only the numbered passages. Reply with one short sentence, then the "
          "passage number in brackets, then the exact words copied from that passage in double quotes. Never "
          "use knowledge from outside the passages. If the passages do not contain the answer, reply: " + REFUSAL)

# One worked example, as a previous turn: small models follow a shown format far better than
# a described one (SmolLM2-135M ignored the described format about half the time).
EXAMPLE = ("[1] The minister said that trade between the two countries grew by 12% last year, to $4 billion.\n\n"
           "[2] Talks on the new treaty will resume in March.\n\nQuestion: How much did trade grow last year?",
           'Trade grew by 12% [1] "trade between the two countries grew by 12% last year"')

REWRITE = """Rewrite the last question of the conversation as one standalone question that names \
what it refers to. Reply with the question only."""


def answer_messages(question: str, passages: list[str]) -> list[tuple[str, str]]:
    """(role, content) pairs; passages are numbered from 1 in the order given."""
    numbered = "\n\n".join(f"[{n}] {text}" for n, text in enumerate(passages, start=1))
    return [("system", SYSTEM), ("human", EXAMPLE[0]), ("ai", EXAMPLE[1]), ("human", f"{numbered}\n\nQuestion: {question}")]


def rewrite_messages(question: str, history: list[str]) -> list[tuple[str, str]]:
    turns = "\n".join(f"- {q}" for q in history[-3:])
    return [("system", REWRITE), ("human", f"Earlier questions:\n{turns}\n\nLast question: {question}\n\nStandalone question:")]
