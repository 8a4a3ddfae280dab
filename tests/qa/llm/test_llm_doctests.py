"""The docstring examples of the LLM reader's modules are tests too."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["qa.llm.verify", "qa.llm.reader", "qa.llm.prompt", "qa.llm.models",
                                    "qa.llm.rewrite", "qa.llm.local", "qa.llm.grounding",
                                    "qa.llm.structured", "qa.llm.citations"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
