"""Property-based tests: loaders, the splitters and the SQuAD normaliser never crash, and every
quote offset the reader produces is valid."""

from pathlib import Path

from fakes import FakeEmbedder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import LoadError
from qa.evaluate.metrics import f1_score, normalize_answer
from qa.reader import ExtractiveReader
from qa.retrieve import Passage
from qa.settings import Settings
from vectorstore.loaders import loader_for
from vectorstore.loaders.base import split_paragraphs
from vectorstore.sentences import sentence_spans

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
prose = st.lists(st.sampled_from(["The", "minister", "said", "11,000", "students.", "Mr.", "Kirby:", "\n", "\n\n",
                                  "“quote”", "U.S.", "10.000", "  ", "Q", "continue s", "?", "<b>", "\\[x\\]"]),
                 max_size=60).map(" ".join)


@given(st.one_of(text, prose))
def test_sentence_spans_are_exact_slices(s):
    for start, end, sent in sentence_spans(s):
        assert s[start:end] == sent and sent.strip() == sent and sent


@given(st.one_of(text, prose))
def test_split_paragraphs_never_crashes(s):
    for p in split_paragraphs(s):
        assert p and p == p.strip() and "\n" not in p


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), prose.map(lambda s: s.encode())),
       suffix=st.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_loaders_return_documents_or_a_load_error(tmp_path_factory, data, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"f{suffix}"
    path.write_bytes(data)
    try:
        doc = loader_for(path).load(path)
    except LoadError as err:
        assert err.reason
        return
    assert all(p.strip() for p in doc.paragraphs)
    assert len(doc.speakers) == len(doc.paragraphs)


@given(st.text(max_size=80), st.text(max_size=80))
def test_squad_normaliser_and_f1(a, b):
    n = normalize_answer(a)
    assert n == normalize_answer(n)
    assert 0.0 <= f1_score(a, b) <= 1.0


READER = ExtractiveReader(FakeEmbedder(), Settings.from_env({}), idf=lambda t: 2.0)
READER.nlp  # load spaCy once, outside the examples


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(prose, text).filter(lambda s: s.strip()), min_size=1, max_size=4),
       st.one_of(prose, text).filter(lambda s: s.strip()))
def test_every_quote_offset_is_valid(paragraphs, question):
    passages = [Passage(f"p{i}", p, {"source": "s", "paragraph": i}, 1.0 / (i + 1)) for i, p in enumerate(paragraphs)]
    a = READER.read(question, passages, k=4)
    given = {p.id: p.text for p in passages}
    for c in a.citations:  # against the paragraphs given, not the Citation's own copy
        assert given[c.id][c.start:c.end] == c.quote
    if not a.abstained:
        assert a.text in given[a.citations[0].id]
