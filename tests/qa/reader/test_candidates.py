"""Candidate spans go beyond named entities (real spaCy parse)."""

import pytest

from qa.reader.candidates import load_nlp, spans_of
from qa.reader.question import analyze, head_noun


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def texts(sentence, nlp):
    return {c.text for c in spans_of(sentence, nlp(sentence))}


@pytest.mark.parametrize("sentence, expected", [
    ("More than 5,500 companies with Russian capital operate in Azerbaijan.", "More than 5,500"),
    ("Trade reached $1.63 billion last year.", "$1.63 billion"),
    ("Unemployment fell to 5 per cent in 2022.", "5 per cent"),
    ("The programme will run over 10 years.", "10 years"),
    ("In August 2018, the leaders signed the Convention on the Legal Status of the Caspian Sea in Aktau.",
     "Convention on the Legal Status of the Caspian Sea"),
    ("Days of Russian culture were held in Baku.", "Days of Russian culture"),
    ("MGIMO and the Azerbaijani Diplomatic Academy signed a memorandum.", "MGIMO and the Azerbaijani Diplomatic Academy"),
    ("About 11,000 Azerbaijani students study in Russia.", "About 11,000"),
    ("About 11,000 Azerbaijani students study in Russia.", "11,000"),
])
def test_candidates_include_phrases_beyond_entities(nlp, sentence, expected):
    assert expected in texts(sentence, nlp)


def test_every_candidate_is_a_verbatim_slice(nlp):
    s = "On 4 April 1992, “the Protocol” was signed; 10.000 people (about 3%) attended the $2 bn event."
    for c in spans_of(s, nlp(s)):
        assert s[c.start:c.end] == c.text and c.text.strip() == c.text


def test_question_analysis():
    q = analyze("How many Russian students study in Azerbaijan?")
    assert q.qtype.name == "count" and q.unit == "studen"
    assert [t.text for t in q.names] == ["russian", "azerbaijan"]
    assert head_noun("Which initiative did Kenya launch?") == "initiative"


def test_the_number_prefilter_and_plain_labels_change_no_candidate(monkeypatch):
    """`spans_of` skips its number patterns when a text has no number, and without a parse it
    gives only `PLAIN_LABELS` (the reader's typed count relies on both)."""
    import re
    from pathlib import Path

    import qa.reader.candidates as C

    root = Path(__file__).resolve().parents[3] / "data" / "transcripts"
    lines = [line for f in sorted(root.rglob("*.*"))[:40] for line in f.read_text().splitlines() if line.strip()]
    fast = [C.spans_of(line) for line in lines]
    monkeypatch.setattr(C, "_ANY_NUMBER", re.compile(""))  # every text scanned by every pattern
    assert fast == [C.spans_of(line) for line in lines]
    labels = {s.label for spans in fast for s in spans}
    assert labels <= C.PLAIN_LABELS and {"CARDINAL", "PERCENT", "MONEY"} <= labels
