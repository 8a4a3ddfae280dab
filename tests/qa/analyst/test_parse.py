"""Reading a question: dates, speakers, answer form and topic (no store, no models)."""

import pytest

from qa.analyst.constraints import FACTOID, LIST, STATEMENTS, read_question
from qa.analyst.dates import parse_dates
from qa.analyst.relative_time import dateline, explain, resolve
from qa.analyst.speakers import SpeakerCatalog, packaged_aliases
from qa.analyst.topic import Topic, alternatives, spelled

LABELS = ["Mr. Kirby", "Ms. Jean-Pierre", "Ms. Psaki", "Mr. Sullivan", "Maria Zakharova", "Kenya", "Ukraine",
          "United States", "Türkiye", "Democratic Republic of the Congo", "Congo", "Q", "Moderator"]
CAT = SpeakerCatalog(LABELS, packaged_aliases())


@pytest.mark.parametrize("question, since, until", [
    ("What did Kirby say about Ukraine in February 2023?", "2023-02", "2023-02"),
    ("What did Kirby say on 13 February 2023?", "2023-02-13", "2023-02-13"),
    ("What did Kirby say on February 13, 2023?", "2023-02-13", "2023-02-13"),
    ("Which briefers mentioned Gaza between 2021 and 2022?", "2021", "2022"),
    ("What did Kirby say between March and June 2024?", "2024-03", "2024-06"),
    ("What did Sullivan say before June 2022?", "", "2022-05"),
    ("What did Sullivan say after 2023?", "2024", ""),
    ("What did Sullivan say since January 2024?", "2024-01", ""),
    ("What did Kenya say during 2023?", "2023", "2023"),
    ("What is the 2030 Agenda?", "", ""),  # a bare year names no window
    ("What did the US say in May?", "", ""),  # a month without a year neither
])
def test_date_windows(question, since, until):
    w = parse_dates(question)
    assert (w.since, w.until) == (since, until)


@pytest.mark.parametrize("question, labels", [
    ("What did the Kenyan delegate say about climate?", ("Kenya",)),
    ("What did the NSC spokesman say?", ("Mr. Kirby",)),
    ("What did Turkey's delegation say?", ("Türkiye",)),
    ("What did the Democratic Republic of the Congo say?", ("Democratic Republic of the Congo",)),  # longest wins
    ("what did kirby say", ("Mr. Kirby",)),  # an all lower-case question still names him
    ("What did the press secretary say in 2021?", ("Ms. Jean-Pierre", "Ms. Psaki")),  # a role in lower case
    ("Is turkey on the menu in Kenya?", ("Kenya",)),  # an everyday word needs its capital
    ("Can you tell us more?", ()),  # "us" is not the United States
    ("What did the Moderator say?", ()),  # moderators and reporters are not speakers
])
def test_speaker_mentions(question, labels):
    assert tuple(lb for m in CAT.mentions(question) for lb in m.labels) == labels


def test_a_role_means_whoever_held_it_then():
    m = CAT.mentions("the Press Secretary")[0]
    assert set(m.labels) == {"Ms. Jean-Pierre", "Ms. Psaki"}
    assert CAT.by_date(m, "2021", "2021") == ("Ms. Psaki",)
    assert CAT.by_date(m, "2024-01", "2024-01") == ("Ms. Jean-Pierre",)


@pytest.mark.parametrize("question, kind, speakers, topic", [
    # the four questions of the issue on analyst questions
    ("What did Zakharova say about the Caspian Sea?", STATEMENTS, ("Maria Zakharova",), "the Caspian Sea"),
    ("What did Kirby say about Ukraine in February 2023?", STATEMENTS, ("Mr. Kirby",), "Ukraine"),
    ("Which countries mentioned the Black Sea Grain Initiative?", LIST, (), "the Black Sea Grain Initiative"),
    ("When did the Quad leaders meet?", FACTOID, (), ""),
    # more wordings
    ("What were Kenya's remarks on climate finance?", STATEMENTS, ("Kenya",), "climate finance"),
    ("How did the Kenyan president describe the drought?", STATEMENTS, ("Kenya",), "the drought"),
    ("What has the Press Secretary said regarding Gaza since January 2024?", STATEMENTS, ("Ms. Jean-Pierre",), "Gaza"),
    ("How many countries mentioned the Paris Agreement?", LIST, (), "the Paris Agreement"),
    ("Who among the White House briefers talked about Hezbollah?", LIST, (), "Hezbollah"),
    ("Which countries mentioned UNRWA in their General Debate statements?", LIST, (), "UNRWA"),
    ("According to Kenya, how many trees were planted?", FACTOID, ("Kenya",), ""),
    ("How many Kenyan students study abroad?", FACTOID, (), ""),  # a mention, not the speaker
    ("What did the report say about Kenya?", FACTOID, (), ""),  # no speaker: not a statements question
])
def test_read_question(question, kind, speakers, topic):
    c = read_question(question, CAT)
    assert (c.kind, c.speakers, c.topic) == (kind, speakers, topic)


def test_list_scope_and_verb():
    c = read_question("Which White House officials condemned the attack?", CAT)
    assert (c.scope, c.verb) == ("officials", "condemned")
    assert read_question("Which delegations praised the deal?", CAT).scope == "countries"
    assert read_question("Who mentioned AUKUS?", CAT).scope == ""


def test_filters_override_what_was_read():
    c = read_question("What did Kirby say about Ukraine in February 2023?", CAT).with_filters("Ms. Jean-Pierre", "2024", "")
    assert c.speakers == ("Ms. Jean-Pierre",) and (c.dates.since, c.dates.until) == ("2024", "")
    assert set(c.overridden) == {"speaker", "dates"}
    assert "filters replaced" not in c.describe()  # describe() is the reading; the CLI adds the override note


def test_describe_shows_how_the_question_was_read():
    line = read_question("What did the NSC spokesman say about Ukraine in February 2023?", CAT).describe()
    assert line == 'statements · speaker: Mr. Kirby ("NSC spokesman") · in February 2023 · topic: Ukraine'


@pytest.mark.parametrize("span, date, when", [
    ("tomorrow", "2021-09-24", "25 September 2021"),
    ("yesterday", "2021-09-24", "23 September 2021"),
    ("next week", "2021-09-24", "the week of 27 September 2021"),
    ("last month", "2021-01-10", "December 2020"),
    ("this year", "2023", "2023"),
    ("next Tuesday", "2023-02-13", "21 February 2023"),
    ("on Friday", "2023-02-13", "17 February 2023"),
    ("Friday", "2021-09-24", None),  # said on a Friday: this one or the next, the text does not say
    ("two weeks ago", "2021-09-24", "10 September 2021"),
    ("in March", "2021-09-24", "March 2021"),
    ("tomorrow", "2023", None),  # a year-only date cannot place a day
    ("in a few weeks", "2021-09-24", None),  # no false precision
    ("11,000", "2021-09-24", None),
])
def test_relative_time(span, date, when):
    assert resolve(span, date) == when


def test_explain_shows_both_dates():
    assert explain("tomorrow", "2021-09-24", "briefing") == "tomorrow (25 September 2021; the briefing is dated 24 September 2021)"
    assert explain("tomorrow", "2021-09-24", "briefing", held="2021-09-24").endswith("the briefing is dated 24 September 2021)")


@pytest.mark.parametrize("opening, held", [
    (["Via Teleconference", "(September 23, 2021)", "5:47 P.M. EDT"], "2021-09-23"),
    (["Wednesday, November 17, 2021"], "2021-11-17"),
    (["MODERATOR: Thanks. On September 23, 2021 we met."], ""),  # a date inside a sentence is no dateline
    (["(February 30, 2021)"], ""),
    (["a", "b", "c", "d", "e", "f", "(September 23, 2021)"], ""),  # past the opening paragraphs
])
def test_dateline(opening, held):
    assert dateline(opening) == held


def test_topic_alternatives_and_acronyms():
    assert alternatives("Da'esh (ISIS)") == ["Da'esh", "ISIS"]
    assert alternatives("the Bretton Woods institutions or system") == ["the Bretton Woods institutions", "the Bretton Woods system"]
    table = {"UNRWA": ["United Nations Relief and Works Agency"]}
    assert spelled(["UNRWA"], table) == ["United Nations Relief and Works Agency"]
    t = Topic.of("UNRWA", table)
    assert t.matches("We support the United Nations Relief and Works Agency.")
    assert not Topic.of("UNRWA").matches("We support the United Nations Relief and Works Agency.")


def test_topic_needs_all_its_words_in_one_sentence():
    t = Topic.of("the situation in Gaza")  # "situation" frames the topic, it is not part of it
    assert t.matches("Aid must reach Gaza.")
    grain = Topic.of("the Black Sea Grain Initiative")
    assert not grain.matches("Grain prices rose.") and not grain.matches("The Black Sea is calm.")


def test_reading_questions_compiles_no_regex_per_question(monkeypatch):
    """With 300 speakers, one pattern per speaker overflowed `re`'s cache and recompiled hundreds of
    patterns for every question (issue #16: 25 of 37 s of a profile). Reading now compiles nothing."""
    import re

    from benchmarks.speakers import labels, per_speaker_regexes, questions
    from qa.analyst.speakers import SpeakerCatalog, packaged_aliases

    catalog = SpeakerCatalog(labels(300), packaged_aliases())
    qs = questions(30)
    read_question(qs[0], catalog)  # module patterns compile once
    compiled = []
    real = re._compiler.compile
    monkeypatch.setattr(re._compiler, "compile", lambda *a, **kw: compiled.append(a[0]) or real(*a, **kw))
    for q in qs:
        read_question(q, catalog)
    assert len(compiled) <= 2, compiled[:5]
    names = sorted(catalog._table, key=len, reverse=True)
    per_speaker_regexes(qs[1], names)  # the old way: the check itself can fail
    assert len(compiled) > 300
