"""advocacy-bot: keeps the Global Advocacy pages on Meta-Wiki consistent."""

__version__ = "0.1.0"
