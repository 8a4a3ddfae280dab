"""The examples in the reader's docstrings run (they document the API, so they must stay true)."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["qa.reader.question", "qa.reader.candidates", "qa.reader.models", "qa.reader.verify",
                                    "qa.evaluate.metrics"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0, result
