"""Fuzzing the command line and the reader with mutated model files (issue 9).

``mutations`` makes seeded mutated copies of a few base models (``bases``);
``runner`` feeds them to ``inspect``, ``verify`` and ``convert`` in worker
subprocesses (``worker``) so that a crash or a hang is pinned on its file;
``summary`` counts the outcomes. ``tools/fuzz_models.py`` is the nightly run.
"""
