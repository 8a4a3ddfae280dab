"""The examples in the analyst modules' docstrings run."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["qa.analyst.constraints", "qa.analyst.dates", "qa.analyst.speakers",
                                    "qa.analyst.topic", "qa.analyst.relative_time", "qa.evaluate.analyst",
                                    "vectorstore.lexical", "vectorstore.loaders.base", "vectorstore.words",
                                    "vectorstore.cache"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0, result
