"""`RecentTexts`: a text embedded alone is embedded once; batches are never served from memory."""

import numpy as np
import pytest

from fakes import FakeEmbedder
from vectorstore.embed import RecentTexts


def test_a_text_embedded_alone_again_gets_the_same_vector_without_the_model():
    model = FakeEmbedder()
    e = RecentTexts(model, size=2)
    first = e.embed(["How many students?"])
    again = e.embed(["How many students?"])
    assert model.calls == 1 and np.array_equal(first, again) and again.shape == (1, model.dim)
    again[0, 0] = 9.0  # a caller that writes into its vector does not change the remembered one
    assert np.array_equal(e.embed(["How many students?"]), first)


def test_batches_pass_through_and_old_texts_are_forgotten():
    model = FakeEmbedder()
    e = RecentTexts(model, size=2)
    e.embed(["a"])
    e.embed(["a", "b"])  # a batch: the int8 encoder's vectors depend on it, so never from memory
    assert model.calls == 2
    e.embed(["b"]), e.embed(["c"])  # "a" is now the oldest of three: forgotten
    e.embed(["a"])
    assert model.calls == 5 and e.name == model.name and e.dim == model.dim
    e.forget()
    e.embed(["a"])
    assert model.calls == 6
    with pytest.raises(ValueError, match="at least 1"):
        RecentTexts(model, size=0)
