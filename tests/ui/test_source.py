"""The transcript panel: which paragraphs it shows first, what it marks, that it stays text."""

from ui.source import Para, panel_html, parse_ref, source_ref, window

BRIEFING = [Para(1, "Ms. Jean-Pierre", "Good afternoon."), Para(2, "Q", "Will the President travel to Kyiv?"),
            Para(3, "Mr. Kirby", "He has no plans to."), Para(4, "Mr. Kirby", "We keep supporting Ukraine."),
            Para(5, "Q", "And Poland?"), Para(6, "Mr. Kirby", "Poland <b>is</b> an ally.")]


def test_the_window_reaches_up_to_the_question_being_answered():
    assert window(BRIEFING, 4, around=1) == (1, 4)  # ¶2's question, although ¶4 is two answers below it
    assert window(BRIEFING, 1, around=1) == (0, 1)
    speech = [Para(i, "Kenya", f"Sentence {i}.") for i in range(1, 30)]
    assert window(speech, 15, around=2) == (12, 16)  # no reporter: just the neighbours


def test_panel_marks_the_quote_and_escapes_the_transcript():
    html = panel_html({"title": "Briefing", "date": "2023-02-13", "source": "wh/b.md"}, BRIEFING, 6, "Poland <b>is</b> an ally.")
    assert '<p class="qa-para qa-cited" id="qa-para-6">' in html
    assert "<mark>Poland &lt;b&gt;is&lt;/b&gt; an ally.</mark>" in html and "<b>is</b>" not in html
    assert html.count('class="qa-turn"') == 4  # a name opens each turn (¶2 Q, ¶3 Kirby, ¶5 Q, ¶6 Kirby) ...
    assert '<span class="qa-pnum">¶4</span> We keep' in html  # ... not a paragraph that continues one
    assert "showing ¶2–¶6" in html


def test_reference_round_trip_and_bad_references():
    ref = source_ref("un-general-debate-2023/KEN_78_2023.txt", 7, "Kenya & friends")
    assert parse_ref(ref) == ("un-general-debate-2023/KEN_78_2023.txt", 7, "Kenya & friends")
    for bad in ("", "src=x", "src=x&p=seven"):
        try:
            parse_ref(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
