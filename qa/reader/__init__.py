"""The learned extractive reader: sentence, span and answer models over hand-built features.

`extractive.py` reads; `question.py`, `candidates.py` and `features.py` compute what the models
see; `models.py` loads them from `weights/`. `python -m benchmarks.train_reader` rebuilds them.
"""

from qa.reader.extractive import ExtractiveReader

__all__ = ["ExtractiveReader"]
