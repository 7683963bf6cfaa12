"""Benchmarks against peers, on dev wikis: ``python -m bench`` (see ``bench/__main__.py``).

Not part of the installed package: run it from a checkout, with the test extras installed
(pywikibot-scripts is archivebot's package). ``bench/RESULTS.md`` holds the last full run.
"""
