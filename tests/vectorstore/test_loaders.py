"""Each corpus quirk, pinned down on a small fixture of its own."""

from pathlib import Path

import pytest
from pdfgen import write_pdf

from qa.errors import LoadError
from vectorstore.loaders import loader_for
from vectorstore.loaders.base import speaker_label_end, speaker_of, split_paragraphs, strip_speaker_label
from vectorstore.paragraphs import to_records

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def load(path: Path):
    return loader_for(path).load(path)


class TestMarkdown:
    doc = load(FIX / "transcripts" / "briefing.md")

    def test_front_matter_becomes_metadata(self):
        assert self.doc.title == "Press Briefing by Press Secretary Jen Psaki, March 1, 2022"
        assert self.doc.date == "2022-03-01"
        assert self.doc.source_url == "https://example.org/briefing"
        assert not any("source_url" in p or p.startswith("---") for p in self.doc.paragraphs)

    def test_hard_wraps_are_joined(self):
        assert "The President will travel to Brussels on Thursday to meet NATO allies." in self.doc.paragraphs[1]
        assert "\n" not in "".join(self.doc.paragraphs)

    def test_escapes_are_undone_and_struck_words_dropped(self):
        text = " ".join(self.doc.paragraphs)
        assert "It is not an [accident] that the meeting_room was chosen." in text
        assert "$1 billion" in text
        assert "\\" not in text and "<s>" not in text and "action" not in text

    def test_speaker_turns_hold_until_the_next_turn(self):
        by_text = dict(zip(self.doc.paragraphs, self.doc.speakers))
        assert by_text["1:05 P.M. EST"] == ""
        assert by_text["He will announce $1 billion in humanitarian assistance."] == "Ms. Psaki"
        assert by_text["Q How many refugees have left Ukraine?"] == "Q"
        assert by_text["That number keeps rising."] == "Mr. Kirby"


def test_speaker_labels():
    assert speaker_of("SENIOR ADMINISTRATION OFFICIAL:  Thanks.") == "Senior Administration Official"
    assert speaker_of("MS. JEAN-PIERRE: Hello.") == "Ms. Jean-Pierre"
    assert speaker_of("Q    Thanks, Karine.") == "Q"
    assert speaker_of("Ukraine: a sentence that is not a turn.") is None
    assert speaker_of("Quite a normal sentence.") is None


@pytest.mark.parametrize("text, words", [
    ("MS ZAKHAROVA: Good afternoon.", "Good afternoon."),
    ("MS. ZAKHAROVA:  Good afternoon.", "Good afternoon."),
    ("SENIOR ADMINISTRATION OFFICIAL:  Thanks.", "Thanks."),
    ("Q    Thanks, Karine.", "Thanks, Karine."),
    ("Q MR. KIRBY: So, two thoughts here.", "So, two thoughts here."),  # an empty reporter turn, then the answer
    ("Ukraine: a sentence that is not a turn.", "Ukraine: a sentence that is not a turn."),
    ("Quite a normal sentence.", "Quite a normal sentence."),
    ("About 11,000 Azerbaijani students study in Russia.", "About 11,000 Azerbaijani students study in Russia."),
])
def test_one_speaker_label_pattern_reads_the_speaker_and_strips_the_label(text, words):
    """What a quote needs (the words after the label, at their offset) and what ingest needs (the
    speaker) come from the same pattern: a label is stripped exactly when a speaker is read from it."""
    assert strip_speaker_label(text) == words == text[speaker_label_end(text):]
    assert (speaker_of(text) is not None) == (words != text)


def test_every_fixture_paragraph_strips_exactly_when_it_names_a_speaker():
    for path in (FIX / "transcripts").rglob("*.*"):
        for p in load(path).paragraphs:
            assert (speaker_label_end(p) > 0) == (speaker_of(p) is not None), p


def test_un_speech_page_break_joins_and_country_speaker():
    doc = load(FIX / "transcripts" / "un" / "KEN_78_2023.txt")
    assert doc.paragraphs[0] == (
        "I congratulate His Excellency Mr. Dennis Francis on assuming the presidency "
        "of the General Assembly at its seventy-eighth session."
    )
    assert len(doc.paragraphs) == 3
    assert set(doc.speakers) == {"Kenya"}
    assert doc.date == "2023" and "Kenya" in doc.title


def test_repeated_title_is_stored_once():
    path = FIX / "transcripts" / "interview.txt"
    doc = load(path)
    assert doc.paragraphs[0] == doc.paragraphs[1]
    assert doc.title == "Maria Zakharova: Russia and Azerbaijan are strategic partners now"
    records = to_records("interview.txt", doc, file_sha="x")
    texts = [r.text for r in records]
    assert texts.count(doc.title) == 1
    assert [r.paragraph for r in records] == [1, 3, 4]  # positions count the repeat
    assert len({r.id for r in records}) == len(records)
    assert records[0].speaker == "Maria Zakharova"


def test_html_takes_main_text_not_navigation_or_scripts():
    doc = load(FIX / "transcripts" / "page.html")
    text = " ".join(doc.paragraphs)
    assert doc.title == "Remarks on the Caspian Sea" and doc.date == "2018-08-12"
    assert "signed in August 2018" in text
    for junk in ("tracking", "News menu", "Copyright", "color: red"):
        assert junk not in text


def test_pdf(tmp_path):
    path = write_pdf(tmp_path / "speech.pdf", [
        "The Minister opened the session and thanked the delegates",
        "for their work over the past year.",
        "Trade grew by 14% in 2018.",
    ], title="Opening speech")
    doc = load(path)
    assert doc.title == "Opening speech"
    assert "Trade grew by 14% in 2018." in " ".join(doc.paragraphs)
    assert doc.paragraphs[0].startswith("The Minister opened the session and thanked the delegates for their work")


def test_non_utf8_file_is_decoded():
    doc = load(FIX / "bad" / "latin1.txt")
    assert doc.paragraphs[0].startswith("Café diplomacy: the minister met the délégation in Genève")


@pytest.mark.parametrize("name, reason", [("empty.txt", "empty file"), ("binary.txt", "binary content")])
def test_unreadable_files_raise_with_a_reason(name, reason):
    with pytest.raises(LoadError, match=reason) as err:
        load(FIX / "bad" / name)
    assert err.value.path.endswith(name)


def test_corrupt_pdf_is_a_load_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(LoadError, match="PDF"):
        load(path)


def test_oversized_file_is_rejected(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(LoadError, match="over the"):
        loader_for(path, max_bytes=100).load(path)


def test_unknown_extension_has_no_loader():
    assert loader_for(Path("notes.docx")) is None


def test_split_paragraphs_keeps_blank_line_blocks():
    assert split_paragraphs("One.\n\n\nTwo\nwrapped.\n") == ["One.", "Two wrapped."]
