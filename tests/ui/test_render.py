"""Answer HTML: escaped transcript text, highlighted quotes, collapsed long passages."""

from qa.types import Answer, Citation
from ui.app import filters_of, safe_filename
from ui.render import citation_html, full_html


def cite(text, quote, **kw):
    start = text.index(quote) if quote else 0
    return Citation(source=kw.get("source", "a.txt"), title=kw.get("title", "T"), date="2023", speaker="Kenya",
                    paragraph=3, text=text, quote=quote, start=start, end=start + len(quote), score=0.5)


def test_quote_is_highlighted_and_text_escaped():
    c = cite("Before <script>alert(1)</script> the vote. About 11,000 students.", "About 11,000 students.")
    html = citation_html(c)
    assert "<mark>About 11,000 students.</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_file_names_and_titles_are_escaped():
    c = cite("Plain text.", "", source="<img src=x onerror=alert(1)>.txt", title="<b>bold</b>")
    html = citation_html(c)
    assert "<img" not in html and "<b>bold" not in html


def test_long_passages_collapse():
    text = "Filler sentence here. " * 40 + "The key fact is 42."
    html = citation_html(cite(text, "The key fact is 42."))
    assert html.count("<details>") == 1 and "<summary><mark>The key fact is 42.</mark></summary>" in html


def test_answer_in_bold():
    c = cite("About 11,000 students study.", "About 11,000 students study.")
    a = Answer("q", "About 11,000", c.quote, False, 0.9, [c])
    assert full_html(a).startswith("<p><strong>About 11,000</strong></p>")


def test_upload_names_cannot_escape_the_folder():
    assert safe_filename("../../x") == "x"
    assert safe_filename("..\\..\\evil.txt") == "evil.txt"
    assert safe_filename("...") == "upload"
    assert "/" not in safe_filename("a/b/c d.md")


def test_filters_of_drops_empty_values():
    assert filters_of("", None, " ", "") is None
    assert filters_of("Kenya", "", "2022", "") == {"speaker": "Kenya", "since": "2022"}


def test_non_loopback_host_needs_auth_or_an_explicit_no_auth():
    import pytest

    from qa.errors import ConfigError
    from qa.settings import Settings
    from ui.app import launch

    with pytest.raises(ConfigError, match="--auth USER:PASSWORD"):
        launch(Settings.from_env({}), host="0.0.0.0", block=False)
    with pytest.raises(ConfigError, match="USER:PASSWORD"):
        launch(Settings.from_env({}), host="0.0.0.0", auth="nopassword", block=False)


def test_llm_answers_mark_each_citation_and_escape_what_the_model_wrote():
    from ui.render import draft_html

    ok = cite("About 11,000 students study in Russia.", "About 11,000 students")
    bad = cite("Another paragraph.", "")
    bad.verified, bad.claimed = False, "<img src=x onerror=alert(1)> made up"
    a = Answer("q?", "About 11,000 students [1].", ok.quote, False, 0.5, [ok, bad], generated="<script>x</script>",
               notes=["Dropped '<b>claim</b>': the quote is not in [2]."])
    html = full_html(a)
    assert html.count("✓ quote verified") == 1 and "✗ not verified" in html
    assert "<img" not in html and "<b>claim" not in html and "&lt;b&gt;claim" in html
    assert "<script>" not in draft_html("<script>alert(1)</script>")
    assert "In the model&#x27;s words" in html  # the answer's sentences are marked as the model's


def test_extractive_answers_are_not_marked_as_the_models_words():
    from qa.render import render_answer

    a = Answer("q?", "About 11,000", "About 11,000 students", False, 0.9,
               [cite("About 11,000 students study in Russia.", "About 11,000 students")])
    assert "model" not in full_html(a) and "model" not in render_answer(a)
    a.generated = "About 11,000 [1]"
    assert "In the model's words" in render_answer(a)


def test_extractive_answers_show_no_verification_marks():
    a = Answer("q?", "About 11,000", "About 11,000 students", False, 0.9,
               [cite("About 11,000 students study in Russia.", "About 11,000 students")])
    assert "verified" not in full_html(a)


def test_confidence_in_words_and_the_closest_passages_heading():
    from qa.types import Answer, Citation
    from ui.render import answer_html, citation_line

    c = Citation("mfa/z.txt", "Interview", "", "Maria Zakharova", 8, "About 11,000 students.", "About 11,000 students.",
                 0, 22, 0.9)
    sure = Answer("q", "About 11,000", c.quote, False, 0.8, [c])
    assert "very likely right (confidence 0.80)" in answer_html(sure)
    assert "unsure (confidence 0.30)" in answer_html(Answer("q", "x", "", False, 0.3, [c]))
    withheld = answer_html(Answer("q", "The transcripts do not answer this question.", "", True, 0.1, [c]))
    assert "they may not answer the question" in withheld and "confidence" not in withheld
    assert citation_line(c) == "“About 11,000 students.” — Maria Zakharova, Interview, ¶8 (mfa/z.txt)"
    linked = answer_html(sure, link='?q=<script>&speaker="x"')
    assert 'href="?q=&lt;script&gt;&amp;speaker=&quot;x&quot;"' in linked and "<script>" not in linked
