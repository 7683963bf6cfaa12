"""Run as ``python -m advocacy_bot``."""
from .cli import main

main()
